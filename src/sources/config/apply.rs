//! What apply does to AWS Config: recorders, delivery channels, starting them, and the
//! organization aggregator.

use crate::aws::apply::{Apply, PROPAGATION_ERRORS};
use crate::inventory::CallError;
use crate::plan::KeyRef;
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations: passing the recorder's
/// and the aggregator's roles.
pub const IMPLIED: &[&str] = &["iam:PassRole"];

/// The services this module hands a role to (`iam:PassRole`): the organization aggregator's role.
pub const PASSES_ROLE_TO: &[&str] = &["config.amazonaws.com"];

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    PutRecorder {
        name: String,
        include_global_resource_types: bool,
        /// Record every type as it changes: a daily frequency and daily per-type overrides
        /// are dropped (false: the recorder keeps its recording mode).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        continuous: bool,
    },
    PutDeliveryChannel {
        name: String,
        bucket: String,
        kms_key: Option<KeyRef>,
    },
    StartRecorder {
        name: String,
    },
    PutOrganizationAggregator {
        name: String,
        role_name: String,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::PutRecorder { .. } => "config:PutConfigurationRecorder",
            Op::PutDeliveryChannel { .. } => "config:PutDeliveryChannel",
            Op::StartRecorder { .. } => "config:StartConfigurationRecorder",
            Op::PutOrganizationAggregator { .. } => "config:PutConfigurationAggregator",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let (s, r, w, p, account, region) = (
            x.session,
            &x.reads,
            &x.writes,
            x.partition,
            x.account,
            x.region,
        );
        match self {
            Op::PutRecorder {
                name,
                include_global_resource_types,
                continuous,
            } => {
                let cfg = crate::client!(aws_sdk_config, s, region);
                let existing = r
                    .call(
                        "config:DescribeConfigurationRecorders",
                        cfg.describe_configuration_recorders().send(),
                    )
                    .await?;
                let role_arn = match existing
                    .configuration_recorders()
                    .iter()
                    .find(|c| c.name() == Some(name.as_str()))
                    .and_then(|c| c.role_arn())
                {
                    Some(arn) => arn.to_string(),
                    None => {
                        w.call_opt(
                            "iam:CreateServiceLinkedRole",
                            &["InvalidInput", "EntityAlreadyExists"],
                            crate::client!(aws_sdk_iam, s, s.home_region())
                                .create_service_linked_role()
                                .aws_service_name("config.amazonaws.com")
                                .send(),
                        )
                        .await?;
                        crate::arn::Partition(p).arn("iam", "", account, CONFIG_SLR_PATH)
                    }
                };
                let same = existing
                    .configuration_recorders()
                    .iter()
                    .find(|c| c.name() == Some(name.as_str()));
                let recorder = recorder_to_put(
                    same,
                    name,
                    &role_arn,
                    *include_global_resource_types,
                    *continuous,
                )
                .map_err(|e| w.error("config:PutConfigurationRecorder", "Build", e))?;
                x.exec
                    .retrying(
                        w,
                        "config:PutConfigurationRecorder",
                        PROPAGATION_ERRORS,
                        || {
                            cfg.put_configuration_recorder()
                                .configuration_recorder(recorder.clone())
                                .send()
                        },
                    )
                    .await?;
            }
            Op::PutDeliveryChannel {
                name,
                bucket,
                kms_key,
            } => {
                let key = match kms_key {
                    Some(k) => Some(x.exec.resolve_key(k).await?.0),
                    None => None,
                };
                let channel = aws_sdk_config::types::DeliveryChannel::builder()
                    .name(name)
                    .s3_bucket_name(bucket)
                    .set_s3_kms_key_arn(key)
                    .build();
                let cfg = crate::client!(aws_sdk_config, s, region);
                x.exec
                    .retrying(w, "config:PutDeliveryChannel", PROPAGATION_ERRORS, || {
                        cfg.put_delivery_channel()
                            .delivery_channel(channel.clone())
                            .send()
                    })
                    .await?;
            }
            Op::StartRecorder { name } => {
                w.call(
                    "config:StartConfigurationRecorder",
                    crate::client!(aws_sdk_config, s, region)
                        .start_configuration_recorder()
                        .configuration_recorder_name(name)
                        .send(),
                )
                .await?;
            }
            Op::PutOrganizationAggregator { name, role_name } => {
                let source = aws_sdk_config::types::OrganizationAggregationSource::builder()
                    .role_arn(crate::arn::Partition(p).iam_role(account, role_name))
                    .all_aws_regions(true)
                    .build()
                    .map_err(|e| {
                        w.error("config:PutConfigurationAggregator", "Build", e.to_string())
                    })?;
                let cfg = crate::client!(aws_sdk_config, s, region);
                x.exec
                    .retrying(
                        w,
                        "config:PutConfigurationAggregator",
                        PROPAGATION_ERRORS,
                        || {
                            cfg.put_configuration_aggregator()
                                .configuration_aggregator_name(name)
                                .organization_aggregation_source(source.clone())
                                .send()
                        },
                    )
                    .await?;
            }
        }
        Ok(())
    }
}

const CONFIG_SLR_PATH: &str = "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

/// The recorder `PutConfigurationRecorder` is sent: every supported resource type (global
/// types with `include_global`), assumed through `role_arn`. An `existing` recorder of that
/// name keeps its recording frequency and per-type overrides (the request replaces the whole
/// recorder: left out, they would fall back to continuous recording), unless `continuous`:
/// then it records continuously, keeping only the overrides that are not daily.
pub fn recorder_to_put(
    existing: Option<&aws_sdk_config::types::ConfigurationRecorder>,
    name: &str,
    role_arn: &str,
    include_global: bool,
    continuous: bool,
) -> Result<aws_sdk_config::types::ConfigurationRecorder, String> {
    use aws_sdk_config::types::{
        ConfigurationRecorder, RecordingFrequency, RecordingGroup, RecordingMode,
    };
    let mode = match existing.and_then(|c| c.recording_mode()) {
        Some(m) if continuous => Some(
            RecordingMode::builder()
                .recording_frequency(RecordingFrequency::Continuous)
                .set_recording_mode_overrides(Some(
                    m.recording_mode_overrides()
                        .iter()
                        .filter(|o| *o.recording_frequency() != RecordingFrequency::Daily)
                        .cloned()
                        .collect(),
                ))
                .build()
                .map_err(|e| e.to_string())?,
        ),
        m => m.cloned(),
    };
    Ok(ConfigurationRecorder::builder()
        .name(name)
        .role_arn(role_arn)
        .recording_group(
            RecordingGroup::builder()
                .all_supported(true)
                .include_global_resource_types(include_global)
                .build(),
        )
        .set_recording_mode(mode)
        .build())
}
