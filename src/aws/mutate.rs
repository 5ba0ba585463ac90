//! The write side, for `apply`: sessions in the accounts a plan touches, and one function per
//! plan [`Op`]. Documents AWS replaces wholesale (bucket and key policies, lifecycle rules,
//! event selectors, insight selectors) are re-read immediately before the write and merged
//! ([`crate::plan::merge`]); when the merge changes nothing, nothing is written. Creations
//! tolerate "already exists", so a re-run after an interruption finishes the job.

use super::call::{CallCtx, Counter};
use super::client::{self, AccountSession, AwsOptions};
use crate::error::Error;
use crate::inventory::CallError;
use crate::plan::merge::{kept_expiration, merge_owned, merge_policy, merged_selectors};
use crate::plan::{KeyRef, Op, TrailSettings};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// CreateTrail and UpdateTrail take the same settings on different builders.
macro_rules! with_trail_settings {
    ($req:expr, $settings:expr, $key:expr, $cwl:expr) => {{
        let s = $settings;
        let (group, role) = match $cwl {
            Some((g, r)) => (Some(g), Some(r)),
            None => (None, None),
        };
        $req.set_s3_key_prefix(s.s3_key_prefix.clone())
            .set_is_multi_region_trail(s.multi_region)
            .set_include_global_service_events(s.include_global_service_events)
            .set_enable_log_file_validation(s.log_file_validation)
            .set_is_organization_trail(s.organization)
            .set_kms_key_id($key)
            .set_cloud_watch_logs_log_group_arn(group)
            .set_cloud_watch_logs_role_arn(role)
    }};
}

const CONFIG_SLR_PATH: &str = "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";

/// Sessions in every account a plan touches, and counters of read and write calls.
pub struct Executor {
    sessions: BTreeMap<String, Result<AccountSession, CallError>>,
    pub reads: Counter,
    pub writes: Counter,
    partition: String,
    caller_account_id: String,
    keys: Mutex<BTreeMap<String, String>>,
    /// Delay before retrying a call AWS rejects while a new role or policy propagates.
    propagation_delay: Duration,
}

impl Executor {
    /// Identify the caller and assume the role in every other account.
    pub async fn connect(
        aws: &AwsOptions,
        accounts: &[String],
        concurrency: usize,
    ) -> Result<Executor, Error> {
        let reads = Counter::new(concurrency);
        let writes = Counter::new(concurrency);
        let base = client::base_config(aws).await;
        let path_style = aws.endpoint_url.is_some()
            || std::env::var_os("AWS_ENDPOINT_URL").is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        let mut caller = AccountSession {
            account_id: String::new(),
            config: base,
            path_style,
        };
        let ctx = CallCtx::new("caller", None, &reads);
        let (id, arn) = client::caller_identity(&caller.sts(), &ctx)
            .await
            .map_err(|e| Error::Credentials(Box::new(e)))?;
        caller.account_id = id.clone();
        let partition = crate::arn::Partition::of_arn(&arn).name().to_string();
        let mut sessions = BTreeMap::new();
        for a in accounts {
            if sessions.contains_key(a) {
                continue;
            }
            let s = if *a == id {
                Ok(caller.clone())
            } else {
                let role = format!("arn:{partition}:iam::{a}:role/{}", aws.role_name);
                client::assume_role(
                    &caller.sts(),
                    &caller,
                    &CallCtx::new(a, None, &reads),
                    a,
                    &role,
                    aws.external_id.as_deref(),
                )
                .await
            };
            sessions.insert(a.clone(), s);
        }
        Ok(Executor {
            sessions,
            reads,
            writes,
            partition,
            caller_account_id: id,
            keys: Mutex::new(BTreeMap::new()),
            propagation_delay: Duration::from_secs(5),
        })
    }

    pub fn caller_account_id(&self) -> &str {
        &self.caller_account_id
    }

    fn session(&self, account: &str) -> Result<&AccountSession, Box<CallError>> {
        match self.sessions.get(account) {
            Some(Ok(s)) => Ok(s),
            Some(Err(e)) => Err(Box::new(e.clone())),
            None => Err(Box::new(CallError {
                account_id: account.into(),
                region: None,
                service: "sts".into(),
                operation: "AssumeRole".into(),
                code: "NoSession".into(),
                message: format!("no session for account {account}"),
                iam_action: "sts:AssumeRole".into(),
            })),
        }
    }

    /// Run one operation in an account and region.
    pub async fn run(&self, account: &str, region: &str, op: &Op) -> Result<(), CallError> {
        let s = self.session(account).map_err(|e| *e)?;
        let r = CallCtx::new(account, Some(region), &self.reads);
        let w = CallCtx::new(account, Some(region), &self.writes);
        let p = &self.partition;
        match op {
            Op::EnableServiceAccess { principal } => {
                w.call(
                    "organizations:EnableAWSServiceAccess",
                    s.organizations()
                        .enable_aws_service_access()
                        .service_principal(principal)
                        .send(),
                )
                .await?;
            }
            Op::CreateKey {
                alias,
                description,
                policy,
            } => {
                let kms = aws_sdk_kms::Client::new(&s.config_in(region));
                let out = w
                    .call(
                        "kms:CreateKey",
                        kms.create_key()
                            .description(description)
                            .policy(policy.to_string())
                            .tags(
                                aws_sdk_kms::types::Tag::builder()
                                    .tag_key("logwarden:alias")
                                    .tag_value(alias)
                                    .build()
                                    .map_err(|e| {
                                        w.error("kms:CreateKey", "Build", e.to_string())
                                    })?,
                            )
                            .send(),
                    )
                    .await?;
                let key_id = out
                    .key_metadata()
                    .map(|m| m.key_id().to_string())
                    .ok_or_else(|| w.error("kms:CreateKey", "Empty", "no key id returned"))?;
                w.call(
                    "kms:CreateAlias",
                    kms.create_alias()
                        .alias_name(alias)
                        .target_key_id(&key_id)
                        .send(),
                )
                .await?;
            }
            Op::MergeKeyPolicy { key, statements } => {
                let (arn, kregion) = self.resolve_key(key).await?;
                let kms = aws_sdk_kms::Client::new(
                    &self
                        .session(key_account(key, &arn))
                        .map_err(|e| *e)?
                        .config_in(&kregion),
                );
                let r = r.in_region(&kregion);
                let w = w.in_region(&kregion);
                let current = r
                    .call(
                        "kms:GetKeyPolicy",
                        kms.get_key_policy()
                            .key_id(&arn)
                            .policy_name("default")
                            .send(),
                    )
                    .await?
                    .policy()
                    .map(String::from);
                let merged = merge_policy(current.as_deref(), statements, "key policy")
                    .map_err(|e| w.error("kms:PutKeyPolicy", "UnreadablePolicy", e.to_string()))?;
                if !same_doc(current.as_deref(), &merged) {
                    w.call(
                        "kms:PutKeyPolicy",
                        kms.put_key_policy()
                            .key_id(&arn)
                            .policy_name("default")
                            .policy(merged.to_string())
                            .send(),
                    )
                    .await?;
                }
            }
            Op::EnableKeyRotation { key } => {
                let (arn, kregion) = self.resolve_key(key).await?;
                let kms = aws_sdk_kms::Client::new(
                    &self
                        .session(key_account(key, &arn))
                        .map_err(|e| *e)?
                        .config_in(&kregion),
                );
                w.in_region(&kregion)
                    .call(
                        "kms:EnableKeyRotation",
                        kms.enable_key_rotation().key_id(&arn).send(),
                    )
                    .await?;
            }
            Op::CreateBucket { bucket } => {
                let mut req = crate::aws::client::s3(s, region)
                    .create_bucket()
                    .bucket(bucket);
                if region != "us-east-1" {
                    req = req.create_bucket_configuration(
                        aws_sdk_s3::types::CreateBucketConfiguration::builder()
                            .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(
                                region,
                            ))
                            .build(),
                    );
                }
                w.call_opt("s3:CreateBucket", &["BucketAlreadyOwnedByYou"], req.send())
                    .await?;
            }
            Op::PutVersioning { bucket } => {
                use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
                w.call(
                    "s3:PutBucketVersioning",
                    crate::aws::client::s3(s, region)
                        .put_bucket_versioning()
                        .bucket(bucket)
                        .versioning_configuration(
                            VersioningConfiguration::builder()
                                .status(BucketVersioningStatus::Enabled)
                                .build(),
                        )
                        .send(),
                )
                .await?;
            }
            Op::PutEncryption { bucket, kms_key } => {
                use aws_sdk_s3::types::*;
                let default = match kms_key {
                    None => ServerSideEncryptionByDefault::builder()
                        .sse_algorithm(ServerSideEncryption::Aes256),
                    Some(k) => {
                        let (arn, _) = self.resolve_key(k).await?;
                        ServerSideEncryptionByDefault::builder()
                            .sse_algorithm(ServerSideEncryption::AwsKms)
                            .kms_master_key_id(arn)
                    }
                }
                .build()
                .map_err(|e| w.error("s3:PutEncryptionConfiguration", "Build", e.to_string()))?;
                let rule = ServerSideEncryptionRule::builder()
                    .apply_server_side_encryption_by_default(default)
                    .bucket_key_enabled(kms_key.is_some())
                    .build();
                let cfg = ServerSideEncryptionConfiguration::builder()
                    .rules(rule)
                    .build()
                    .map_err(|e| {
                        w.error("s3:PutEncryptionConfiguration", "Build", e.to_string())
                    })?;
                w.call(
                    "s3:PutEncryptionConfiguration",
                    crate::aws::client::s3(s, region)
                        .put_bucket_encryption()
                        .bucket(bucket)
                        .server_side_encryption_configuration(cfg)
                        .send(),
                )
                .await?;
            }
            Op::PutPublicAccessBlock { bucket } => {
                w.call(
                    "s3:PutBucketPublicAccessBlock",
                    crate::aws::client::s3(s, region)
                        .put_public_access_block()
                        .bucket(bucket)
                        .public_access_block_configuration(
                            aws_sdk_s3::types::PublicAccessBlockConfiguration::builder()
                                .block_public_acls(true)
                                .ignore_public_acls(true)
                                .block_public_policy(true)
                                .restrict_public_buckets(true)
                                .build(),
                        )
                        .send(),
                )
                .await?;
            }
            Op::MergeBucketPolicy { bucket, statements } => {
                let s3 = crate::aws::client::s3(s, region);
                let current = r
                    .call_opt(
                        "s3:GetBucketPolicy",
                        &["NoSuchBucketPolicy"],
                        s3.get_bucket_policy().bucket(bucket).send(),
                    )
                    .await?
                    .and_then(|o| o.policy().map(String::from));
                let merged = merge_policy(current.as_deref(), statements, "bucket policy")
                    .map_err(|e| {
                        w.error("s3:PutBucketPolicy", "UnreadablePolicy", e.to_string())
                    })?;
                if !same_doc(current.as_deref(), &merged) {
                    self.retrying(&w, "s3:PutBucketPolicy", &["MalformedPolicy"], || {
                        s3.put_bucket_policy()
                            .bucket(bucket)
                            .policy(merged.to_string())
                            .send()
                    })
                    .await?;
                }
            }
            Op::MergeLifecycle { bucket, rules } => {
                self.merge_lifecycle(s, &r, &w, region, bucket, rules)
                    .await?;
            }
            Op::PutObjectLock { bucket, mode, days } => {
                use aws_sdk_s3::types::*;
                let retention = DefaultRetention::builder()
                    .mode(ObjectLockRetentionMode::from(mode.as_str()))
                    .days(*days as i32)
                    .build();
                w.call(
                    "s3:PutBucketObjectLockConfiguration",
                    crate::aws::client::s3(s, region)
                        .put_object_lock_configuration()
                        .bucket(bucket)
                        .object_lock_configuration(
                            ObjectLockConfiguration::builder()
                                .object_lock_enabled(ObjectLockEnabled::Enabled)
                                .rule(
                                    ObjectLockRule::builder()
                                        .default_retention(retention)
                                        .build(),
                                )
                                .build(),
                        )
                        .send(),
                )
                .await?;
            }
            Op::PutBucketLogging {
                bucket,
                target_bucket,
                target_prefix,
            } => {
                use aws_sdk_s3::types::*;
                let enabled = LoggingEnabled::builder()
                    .target_bucket(target_bucket)
                    .target_prefix(target_prefix)
                    .build()
                    .map_err(|e| w.error("s3:PutBucketLogging", "Build", e.to_string()))?;
                w.call(
                    "s3:PutBucketLogging",
                    crate::aws::client::s3(s, region)
                        .put_bucket_logging()
                        .bucket(bucket)
                        .bucket_logging_status(
                            BucketLoggingStatus::builder()
                                .logging_enabled(enabled)
                                .build(),
                        )
                        .send(),
                )
                .await?;
            }
            Op::CreateLogGroup { name } => {
                w.call_opt(
                    "logs:CreateLogGroup",
                    &["ResourceAlreadyExistsException"],
                    aws_sdk_cloudwatchlogs::Client::new(&s.config_in(region))
                        .create_log_group()
                        .log_group_name(name)
                        .send(),
                )
                .await?;
            }
            Op::EnsureLogGroup {
                name,
                retention_days,
            } => {
                let created = w
                    .call_opt(
                        "logs:CreateLogGroup",
                        &["ResourceAlreadyExistsException"],
                        aws_sdk_cloudwatchlogs::Client::new(&s.config_in(region))
                            .create_log_group()
                            .log_group_name(name)
                            .send(),
                    )
                    .await?;
                if created.is_some() {
                    w.call(
                        "logs:PutRetentionPolicy",
                        aws_sdk_cloudwatchlogs::Client::new(&s.config_in(region))
                            .put_retention_policy()
                            .log_group_name(name)
                            .retention_in_days(*retention_days as i32)
                            .send(),
                    )
                    .await?;
                }
            }
            Op::PutRetention { name, days } => {
                w.call(
                    "logs:PutRetentionPolicy",
                    aws_sdk_cloudwatchlogs::Client::new(&s.config_in(region))
                        .put_retention_policy()
                        .log_group_name(name)
                        .retention_in_days(*days as i32)
                        .send(),
                )
                .await?;
            }
            Op::EnsureRole {
                name,
                trust_policy,
                inline_policy,
                managed_policy_arns,
            } => {
                let iam = aws_sdk_iam::Client::new(&s.config);
                w.call_opt(
                    "iam:CreateRole",
                    &["EntityAlreadyExists"],
                    iam.create_role()
                        .role_name(name)
                        .assume_role_policy_document(trust_policy.to_string())
                        .description("Created by logwarden apply")
                        .send(),
                )
                .await?;
                if let Some(doc) = inline_policy {
                    w.call(
                        "iam:PutRolePolicy",
                        iam.put_role_policy()
                            .role_name(name)
                            .policy_name("logwarden")
                            .policy_document(doc.to_string())
                            .send(),
                    )
                    .await?;
                }
                for arn in managed_policy_arns {
                    w.call(
                        "iam:AttachRolePolicy",
                        iam.attach_role_policy()
                            .role_name(name)
                            .policy_arn(arn)
                            .send(),
                    )
                    .await?;
                }
            }
            Op::CreateTrail { name, settings } => {
                let ct = aws_sdk_cloudtrail::Client::new(&s.config_in(region));
                let (key, cwl) = self.trail_refs(settings, account).await?;
                let req = with_trail_settings!(
                    ct.create_trail()
                        .name(name)
                        .s3_bucket_name(settings.bucket.clone().unwrap_or_default()),
                    settings,
                    key,
                    cwl
                );
                let created = self
                    .retrying(&w, "cloudtrail:CreateTrail", PROPAGATION_ERRORS, || {
                        req.clone().send()
                    })
                    .await;
                match created {
                    Ok(_) => {}
                    // Made by an interrupted run: bring it to the settings instead.
                    Err(e) if e.code == "TrailAlreadyExistsException" => {
                        self.update_trail(s, &w, region, name, settings, account)
                            .await?;
                    }
                    Err(e) => return Err(e),
                }
            }
            Op::UpdateTrail { name, settings } => {
                self.update_trail(s, &w, region, name, settings, account)
                    .await?;
            }
            Op::MergeEventSelectors { trail, required } => {
                let ct = aws_sdk_cloudtrail::Client::new(&s.config_in(region));
                let current = r
                    .call(
                        "cloudtrail:GetEventSelectors",
                        ct.get_event_selectors().trail_name(trail).send(),
                    )
                    .await?;
                let existing = crate::sources::cloudtrail::collect::convert_selectors(
                    current.event_selectors(),
                    current.advanced_event_selectors(),
                );
                if let Some(next) = merged_selectors(&existing, required) {
                    let sdk: Vec<_> = next
                        .iter()
                        .map(to_sdk_selector)
                        .collect::<Result<_, _>>()
                        .map_err(|e| w.error("cloudtrail:PutEventSelectors", "Build", e))?;
                    w.call(
                        "cloudtrail:PutEventSelectors",
                        ct.put_event_selectors()
                            .trail_name(trail)
                            .set_advanced_event_selectors(Some(sdk))
                            .send(),
                    )
                    .await?;
                }
            }
            Op::AddInsights { trail, insights } => {
                use aws_sdk_cloudtrail::types::{InsightSelector, InsightType};
                let ct = aws_sdk_cloudtrail::Client::new(&s.config_in(region));
                let current = r
                    .call_opt(
                        "cloudtrail:GetInsightSelectors",
                        &["InsightNotEnabledException"],
                        ct.get_insight_selectors().trail_name(trail).send(),
                    )
                    .await?;
                let mut have: Vec<String> = current
                    .map(|o| {
                        o.insight_selectors()
                            .iter()
                            .filter_map(|i| i.insight_type().map(|t| t.as_str().to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                let before = have.len();
                for i in insights {
                    if !have.contains(i) {
                        have.push(i.clone());
                    }
                }
                if have.len() != before {
                    w.call(
                        "cloudtrail:PutInsightSelectors",
                        ct.put_insight_selectors()
                            .trail_name(trail)
                            .set_insight_selectors(Some(
                                have.iter()
                                    .map(|t| {
                                        InsightSelector::builder()
                                            .insight_type(InsightType::from(t.as_str()))
                                            .build()
                                    })
                                    .collect(),
                            ))
                            .send(),
                    )
                    .await?;
                }
            }
            Op::StartLogging { trail } => {
                w.call(
                    "cloudtrail:StartLogging",
                    aws_sdk_cloudtrail::Client::new(&s.config_in(region))
                        .start_logging()
                        .name(trail)
                        .send(),
                )
                .await?;
            }
            Op::PutRecorder {
                name,
                include_global_resource_types,
            } => {
                use aws_sdk_config::types::{ConfigurationRecorder, RecordingGroup};
                let cfg = aws_sdk_config::Client::new(&s.config_in(region));
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
                            aws_sdk_iam::Client::new(&s.config)
                                .create_service_linked_role()
                                .aws_service_name("config.amazonaws.com")
                                .send(),
                        )
                        .await?;
                        format!("arn:{p}:iam::{account}:{CONFIG_SLR_PATH}")
                    }
                };
                let recorder = ConfigurationRecorder::builder()
                    .name(name)
                    .role_arn(role_arn)
                    .recording_group(
                        RecordingGroup::builder()
                            .all_supported(true)
                            .include_global_resource_types(*include_global_resource_types)
                            .build(),
                    )
                    .build();
                self.retrying(
                    &w,
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
                    Some(k) => Some(self.resolve_key(k).await?.0),
                    None => None,
                };
                let channel = aws_sdk_config::types::DeliveryChannel::builder()
                    .name(name)
                    .s3_bucket_name(bucket)
                    .set_s3_kms_key_arn(key)
                    .build();
                let cfg = aws_sdk_config::Client::new(&s.config_in(region));
                self.retrying(&w, "config:PutDeliveryChannel", PROPAGATION_ERRORS, || {
                    cfg.put_delivery_channel()
                        .delivery_channel(channel.clone())
                        .send()
                })
                .await?;
            }
            Op::StartRecorder { name } => {
                w.call(
                    "config:StartConfigurationRecorder",
                    aws_sdk_config::Client::new(&s.config_in(region))
                        .start_configuration_recorder()
                        .configuration_recorder_name(name)
                        .send(),
                )
                .await?;
            }
            Op::PutOrganizationAggregator { name, role_name } => {
                let source = aws_sdk_config::types::OrganizationAggregationSource::builder()
                    .role_arn(format!("arn:{p}:iam::{account}:role/{role_name}"))
                    .all_aws_regions(true)
                    .build()
                    .map_err(|e| {
                        w.error("config:PutConfigurationAggregator", "Build", e.to_string())
                    })?;
                let cfg = aws_sdk_config::Client::new(&s.config_in(region));
                self.retrying(
                    &w,
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
            Op::CreateFlowLogs {
                vpc_ids,
                destination,
                traffic_type,
                log_format,
            } => {
                use aws_sdk_ec2::types::{FlowLogsResourceType, LogDestinationType, TrafficType};
                let mut req = aws_sdk_ec2::Client::new(&s.config_in(region))
                    .create_flow_logs()
                    .set_resource_ids(Some(vpc_ids.clone()))
                    .resource_type(FlowLogsResourceType::Vpc)
                    .traffic_type(TrafficType::from(traffic_type.as_str()))
                    .set_log_format(log_format.clone());
                req = match destination {
                    crate::plan::FlowLogTarget::S3 { bucket } => req
                        .log_destination_type(LogDestinationType::S3)
                        .log_destination(format!("arn:{p}:s3:::{bucket}")),
                    crate::plan::FlowLogTarget::CloudwatchLogs {
                        log_group,
                        role_name,
                    } => req
                        .log_destination_type(LogDestinationType::CloudWatchLogs)
                        .log_group_name(log_group)
                        .deliver_logs_permission_arn(format!(
                            "arn:{p}:iam::{account}:role/{role_name}"
                        )),
                };
                let out = self
                    .retrying(&w, "ec2:CreateFlowLogs", PROPAGATION_ERRORS, || {
                        req.clone().send()
                    })
                    .await?;
                if let Some(u) = out.unsuccessful().first() {
                    let err = u.error();
                    return Err(w.error(
                        "ec2:CreateFlowLogs",
                        err.and_then(|e| e.code()).unwrap_or("Unsuccessful"),
                        format!(
                            "{}: {}",
                            u.resource_id().unwrap_or("?"),
                            err.and_then(|e| e.message())
                                .unwrap_or("flow log not created")
                        ),
                    ));
                }
            }
            Op::EnableElbLogs {
                load_balancer,
                classic,
                bucket,
            } => {
                if *classic {
                    use aws_sdk_elasticloadbalancing::types::{AccessLog, LoadBalancerAttributes};
                    let log = AccessLog::builder()
                        .enabled(true)
                        .s3_bucket_name(bucket)
                        .emit_interval(60)
                        .build();
                    w.call(
                        "elasticloadbalancing:ModifyLoadBalancerAttributes",
                        aws_sdk_elasticloadbalancing::Client::new(&s.config_in(region))
                            .modify_load_balancer_attributes()
                            .load_balancer_name(load_balancer)
                            .load_balancer_attributes(
                                LoadBalancerAttributes::builder().access_log(log).build(),
                            )
                            .send(),
                    )
                    .await?;
                } else {
                    use aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute;
                    let attr =
                        |k: &str, v: &str| LoadBalancerAttribute::builder().key(k).value(v).build();
                    self.retrying(
                        &w,
                        "elasticloadbalancing:ModifyLoadBalancerAttributes",
                        &["InvalidConfigurationRequest"],
                        || {
                            aws_sdk_elasticloadbalancingv2::Client::new(&s.config_in(region))
                                .modify_load_balancer_attributes()
                                .load_balancer_arn(load_balancer)
                                .attributes(attr("access_logs.s3.enabled", "true"))
                                .attributes(attr("access_logs.s3.bucket", bucket))
                                .send()
                        },
                    )
                    .await?;
                }
            }
            Op::CreateBudget {
                name,
                amount,
                currency,
                period,
                services,
                notifications,
            } => {
                use aws_sdk_budgets::types::*;
                let mut budget = Budget::builder()
                    .budget_name(name)
                    .budget_type(BudgetType::Cost)
                    .time_unit(TimeUnit::from(period.as_str()))
                    .budget_limit(
                        Spend::builder()
                            .amount(amount)
                            .unit(currency)
                            .build()
                            .map_err(|e| w.error("budgets:ModifyBudget", "Build", e.to_string()))?,
                    );
                if !services.is_empty() {
                    // CostFilters: what the audit reads back (and what emulators support).
                    budget = with_service_filter(budget, services.clone());
                }
                let budget = budget
                    .build()
                    .map_err(|e| w.error("budgets:ModifyBudget", "Build", e.to_string()))?;
                let subs = notifications
                    .iter()
                    .map(to_sdk_notification)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| w.error("budgets:ModifyBudget", "Build", e))?;
                w.call_opt(
                    "budgets:ModifyBudget",
                    &["DuplicateRecordException"],
                    aws_sdk_budgets::Client::new(
                        &s.config_in(crate::arn::Partition(p).global_region()),
                    )
                    .create_budget()
                    .account_id(account)
                    .budget(budget)
                    .set_notifications_with_subscribers(Some(subs))
                    .send(),
                )
                .await?;
            }
            Op::AddBudgetNotifications {
                name,
                notifications,
            } => {
                for n in notifications {
                    let ns = to_sdk_notification(n)
                        .map_err(|e| w.error("budgets:ModifyBudget", "Build", e))?;
                    w.call_opt(
                        "budgets:ModifyBudget",
                        &["DuplicateRecordException"],
                        aws_sdk_budgets::Client::new(
                            &s.config_in(crate::arn::Partition(p).global_region()),
                        )
                        .create_notification()
                        .account_id(account)
                        .budget_name(name)
                        .set_notification(ns.notification().cloned())
                        .set_subscribers(Some(ns.subscribers().to_vec()))
                        .send(),
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn retrying<T, E, R, F, Fut>(
        &self,
        w: &CallCtx,
        action: &str,
        transient: &[&str],
        f: F,
    ) -> Result<T, CallError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, aws_sdk_sts::error::SdkError<E, R>>>,
        E: aws_sdk_sts::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + super::call::HttpStatus + Send + Sync + 'static,
    {
        retry_while_propagating(w, action, transient, self.propagation_delay, f).await
    }

    async fn update_trail(
        &self,
        s: &AccountSession,
        w: &CallCtx,
        region: &str,
        name: &str,
        settings: &TrailSettings,
        account: &str,
    ) -> Result<(), CallError> {
        let (key, cwl) = self.trail_refs(settings, account).await?;
        let req = with_trail_settings!(
            aws_sdk_cloudtrail::Client::new(&s.config_in(region))
                .update_trail()
                .name(name)
                .set_s3_bucket_name(settings.bucket.clone()),
            settings,
            key,
            cwl
        );
        self.retrying(w, "cloudtrail:UpdateTrail", PROPAGATION_ERRORS, || {
            req.clone().send()
        })
        .await?;
        Ok(())
    }

    /// The key ARN and the CloudWatch Logs (group ARN, role ARN) a trail is given.
    async fn trail_refs(
        &self,
        settings: &TrailSettings,
        account: &str,
    ) -> Result<(Option<String>, Option<(String, String)>), CallError> {
        let key = match &settings.kms_key {
            Some(k) => Some(self.resolve_key(k).await?.0),
            None => None,
        };
        let cwl = settings.cloudwatch_logs.as_ref().map(|(group, role)| {
            (
                group.clone(),
                format!("arn:{}:iam::{account}:role/{role}", self.partition),
            )
        });
        Ok((key, cwl))
    }

    async fn merge_lifecycle(
        &self,
        s: &AccountSession,
        r: &CallCtx,
        w: &CallCtx,
        region: &str,
        bucket: &str,
        desired: &[Value],
    ) -> Result<(), CallError> {
        use aws_sdk_s3::types::BucketLifecycleConfiguration;
        let s3 = crate::aws::client::s3(s, region);
        let current = r
            .call_opt(
                "s3:GetLifecycleConfiguration",
                &["NoSuchLifecycleConfiguration"],
                s3.get_bucket_lifecycle_configuration()
                    .bucket(bucket)
                    .send(),
            )
            .await?;
        let existing: Vec<aws_sdk_s3::types::LifecycleRule> = current
            .as_ref()
            .map(|o| o.rules().to_vec())
            .unwrap_or_default();
        let wanted: Vec<aws_sdk_s3::types::LifecycleRule> = desired
            .iter()
            .map(to_sdk_rule)
            .collect::<Result<_, _>>()
            .map_err(|e| w.error("s3:PutLifecycleConfiguration", "Build", e))?;
        // Rules logwarden does not own stay as AWS returned them, in their place; an owned
        // rule never gets a shorter expiration than it has now.
        let out = merge_owned(
            &existing,
            &wanted,
            |r| r.id(),
            |old, new| {
                let mut new = new.clone();
                let want = new.expiration().and_then(|e| e.days()).map(i64::from);
                let had = old.expiration().is_some();
                let old_days = old.expiration().and_then(|e| e.days()).map(i64::from);
                match kept_expiration(had, old_days, want) {
                    Some(d) => {
                        new.expiration = Some(
                            aws_sdk_s3::types::LifecycleExpiration::builder()
                                .days(d as i32)
                                .build(),
                        )
                    }
                    None if want.is_some() => new.expiration = None,
                    None => {}
                }
                new
            },
        );
        if out == existing {
            return Ok(());
        }
        let cfg = BucketLifecycleConfiguration::builder()
            .set_rules(Some(out))
            .build()
            .map_err(|e| w.error("s3:PutLifecycleConfiguration", "Build", e.to_string()))?;
        let mut req = s3
            .put_bucket_lifecycle_configuration()
            .bucket(bucket)
            .lifecycle_configuration(cfg);
        if let Some(size) = current
            .as_ref()
            .and_then(|c| c.transition_default_minimum_object_size())
        {
            req = req.transition_default_minimum_object_size(size.clone());
        }
        w.call("s3:PutLifecycleConfiguration", req.send()).await?;
        Ok(())
    }

    /// The ARN (and region) of a key named by alias or ARN; aliases are looked up once.
    async fn resolve_key(&self, key: &KeyRef) -> Result<(String, String), CallError> {
        match key {
            KeyRef::Arn { arn } => Ok((
                arn.clone(),
                crate::arn::region_of(arn)
                    .unwrap_or("us-east-1")
                    .to_string(),
            )),
            KeyRef::Alias {
                alias,
                account_id,
                region,
            } => {
                let cache_key = format!("{account_id}/{region}/{alias}");
                if let Some(arn) = self
                    .keys
                    .lock()
                    .ok()
                    .and_then(|k| k.get(&cache_key).cloned())
                {
                    return Ok((arn, region.clone()));
                }
                let s = self.session(account_id).map_err(|e| *e)?;
                let ctx = CallCtx::new(account_id, Some(region), &self.reads);
                let out = ctx
                    .call(
                        "kms:DescribeKey",
                        aws_sdk_kms::Client::new(&s.config_in(region))
                            .describe_key()
                            .key_id(alias)
                            .send(),
                    )
                    .await?;
                let arn = out
                    .key_metadata()
                    .and_then(|m| m.arn())
                    .ok_or_else(|| {
                        ctx.error("kms:DescribeKey", "Empty", format!("no ARN for {alias}"))
                    })?
                    .to_string();
                if let Ok(mut k) = self.keys.lock() {
                    k.insert(cache_key, arn.clone());
                }
                Ok((arn, region.clone()))
            }
        }
    }
}

/// Retry a write AWS rejects while something just created propagates (IAM roles, bucket
/// and key policies): three more attempts, `delay`, 2× and 4× `delay` apart. Any other error,
/// or the fourth failure, is returned as it is.
pub async fn retry_while_propagating<T, E, R, F, Fut>(
    w: &CallCtx,
    action: &str,
    transient: &[&str],
    delay: Duration,
    mut f: F,
) -> Result<T, CallError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, aws_sdk_sts::error::SdkError<E, R>>>,
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + super::call::HttpStatus + Send + Sync + 'static,
{
    let mut delay = delay;
    for attempt in 0.. {
        match w.call(action, f()).await {
            Err(e) if attempt < 3 && transient.contains(&e.code.as_str()) => {
                tracing::info!(
                    "{action} failed with {} (propagating); retrying in {delay:?}",
                    e.code
                );
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            other => return other,
        }
    }
    unreachable!("the loop returns")
}

/// Errors AWS returns while a just-created role or policy is not yet visible to a service.
pub const PROPAGATION_ERRORS: &[&str] = &[
    "InvalidCloudWatchLogsRoleArnException",
    "InvalidCloudWatchLogsLogGroupArnException",
    "InsufficientS3BucketPolicyException",
    "InsufficientEncryptionPolicyException",
    "InsufficientDeliveryPolicyException",
    "InvalidRoleException",
    "OrganizationAccessDeniedException",
];

fn key_account<'a>(key: &'a KeyRef, arn: &'a str) -> &'a str {
    match key {
        KeyRef::Alias { account_id, .. } => account_id,
        KeyRef::Arn { .. } => crate::arn::account_of(arn).unwrap_or(""),
    }
}

/// Whether a policy document already says what the merge produced.
fn same_doc(current: Option<&str>, merged: &Value) -> bool {
    current
        .and_then(|c| serde_json::from_str::<Value>(c).ok())
        .is_some_and(|c| &c == merged)
}

fn to_sdk_selector(
    a: &crate::sources::cloudtrail::model::AdvancedSelector,
) -> Result<aws_sdk_cloudtrail::types::AdvancedEventSelector, String> {
    use aws_sdk_cloudtrail::types::{AdvancedEventSelector, AdvancedFieldSelector};
    let fields = a
        .field_selectors
        .iter()
        .map(|f| {
            let opt = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
            AdvancedFieldSelector::builder()
                .field(&f.field)
                .set_equals(opt(&f.equals))
                .set_starts_with(opt(&f.starts_with))
                .set_ends_with(opt(&f.ends_with))
                .set_not_equals(opt(&f.not_equals))
                .set_not_starts_with(opt(&f.not_starts_with))
                .set_not_ends_with(opt(&f.not_ends_with))
                .build()
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    AdvancedEventSelector::builder()
        .set_name(a.name.clone())
        .set_field_selectors(Some(fields))
        .build()
        .map_err(|e| e.to_string())
}

fn to_sdk_rule(v: &Value) -> Result<aws_sdk_s3::types::LifecycleRule, String> {
    use aws_sdk_s3::types::*;
    let days = |v: &Value| v.as_i64().map(|d| d as i32);
    let mut b = LifecycleRule::builder()
        .set_id(v["ID"].as_str().map(String::from))
        .status(ExpirationStatus::from(
            v["Status"].as_str().unwrap_or("Enabled"),
        ))
        .filter(
            LifecycleRuleFilter::builder()
                .prefix(v["Filter"]["Prefix"].as_str().unwrap_or(""))
                .build(),
        );
    for t in v["Transitions"].as_array().into_iter().flatten() {
        b = b.transitions(
            Transition::builder()
                .set_days(days(&t["Days"]))
                .set_storage_class(t["StorageClass"].as_str().map(TransitionStorageClass::from))
                .build(),
        );
    }
    if let Some(d) = days(&v["Expiration"]["Days"]) {
        b = b.expiration(LifecycleExpiration::builder().days(d).build());
    }
    if let Some(d) = days(&v["NoncurrentVersionExpiration"]["NoncurrentDays"]) {
        b = b.noncurrent_version_expiration(
            NoncurrentVersionExpiration::builder()
                .noncurrent_days(d)
                .build(),
        );
    }
    if let Some(d) = days(&v["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]) {
        b = b.abort_incomplete_multipart_upload(
            AbortIncompleteMultipartUpload::builder()
                .days_after_initiation(d)
                .build(),
        );
    }
    b.build().map_err(|e| e.to_string())
}

fn to_sdk_notification(
    n: &crate::sources::budgets::profile::BudgetNotification,
) -> Result<aws_sdk_budgets::types::NotificationWithSubscribers, String> {
    use aws_sdk_budgets::types::*;
    let notification = Notification::builder()
        .notification_type(match n.kind {
            crate::sources::budgets::profile::NotificationKind::Actual => NotificationType::Actual,
            crate::sources::budgets::profile::NotificationKind::Forecasted => {
                NotificationType::Forecasted
            }
        })
        .comparison_operator(ComparisonOperator::GreaterThan)
        .threshold(n.threshold_percent)
        .threshold_type(ThresholdType::Percentage)
        .build()
        .map_err(|e| e.to_string())?;
    let mut subs = Vec::new();
    for e in &n.emails {
        subs.push(
            Subscriber::builder()
                .subscription_type(SubscriptionType::Email)
                .address(e)
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    for t in &n.sns_topics {
        subs.push(
            Subscriber::builder()
                .subscription_type(SubscriptionType::Sns)
                .address(t)
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    NotificationWithSubscribers::builder()
        .notification(notification)
        .set_subscribers(Some(subs))
        .build()
        .map_err(|e| e.to_string())
}

/// CostFilters is what the audit reads back (DescribeBudgets) and what emulators support; its
/// successor, FilterExpression, is not read by older tooling.
#[allow(deprecated)]
fn with_service_filter(
    b: aws_sdk_budgets::types::builders::BudgetBuilder,
    services: Vec<String>,
) -> aws_sdk_budgets::types::builders::BudgetBuilder {
    b.cost_filters("Service", services)
}
