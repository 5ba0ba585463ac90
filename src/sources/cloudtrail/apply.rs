//! What apply does to CloudTrail: create or update the organization trail, merge its event and
//! insight selectors, start logging.

use super::merge::merged_selectors;
use super::model::AdvancedSelector;
use super::selectors::ProbeEvent;
use crate::aws::apply::{Apply, PROPAGATION_ERRORS};
use crate::inventory::CallError;
use crate::plan::KeyRef;
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations (not calls logwarden makes
/// itself): passing the CloudWatch Logs delivery role, and what an organization trail needs of
/// the management account (AWS: "Permissions required to create an organization trail").
pub const IMPLIED: &[&str] = &[
    "iam:PassRole",
    "iam:GetRole",
    "iam:CreateServiceLinkedRole",
    "organizations:DescribeOrganization",
    "organizations:ListAccounts",
    "organizations:ListAWSServiceAccessForOrganization",
];

/// The services this module hands a role to (`iam:PassRole`): its CloudWatch Logs delivery role.
pub const PASSES_ROLE_TO: &[&str] = &["cloudtrail.amazonaws.com"];

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

/// An advanced selector the trail must have, with the events that show it is captured (so
/// `apply` can merge it into the selectors it re-reads).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequiredSelector {
    pub selector: AdvancedSelector,
    pub probes: Vec<ProbeEvent>,
}

/// CloudTrail settings written by CreateTrail/UpdateTrail; `None` leaves a setting as it is.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TrailSettings {
    pub bucket: Option<String>,
    pub s3_key_prefix: Option<String>,
    pub multi_region: Option<bool>,
    pub include_global_service_events: Option<bool>,
    pub log_file_validation: Option<bool>,
    pub organization: Option<bool>,
    pub kms_key: Option<KeyRef>,
    /// (log group ARN, role name in the trail's account)
    pub cloudwatch_logs: Option<(String, String)>,
}

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateTrail {
        name: String,
        settings: TrailSettings,
    },
    UpdateTrail {
        name: String,
        settings: TrailSettings,
    },
    MergeEventSelectors {
        trail: String,
        required: Vec<RequiredSelector>,
    },
    AddInsights {
        trail: String,
        insights: Vec<String>,
    },
    StartLogging {
        trail: String,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::CreateTrail { .. } => "cloudtrail:CreateTrail",
            Op::UpdateTrail { .. } => "cloudtrail:UpdateTrail",
            Op::MergeEventSelectors { .. } => "cloudtrail:PutEventSelectors",
            Op::AddInsights { .. } => "cloudtrail:PutInsightSelectors",
            Op::StartLogging { .. } => "cloudtrail:StartLogging",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let (s, r, w, region) = (x.session, &x.reads, &x.writes, x.region);
        match self {
            Op::CreateTrail { name, settings } => {
                let ct = crate::client!(aws_sdk_cloudtrail, s, region);
                let (key, cwl) = trail_refs(x, settings).await?;
                let req = with_trail_settings!(
                    ct.create_trail()
                        .name(name)
                        .s3_bucket_name(settings.bucket.clone().unwrap_or_default()),
                    settings,
                    key,
                    cwl
                );
                let created = x
                    .exec
                    .retrying(w, "cloudtrail:CreateTrail", PROPAGATION_ERRORS, || {
                        req.clone().send()
                    })
                    .await;
                match created {
                    Ok(_) => {}
                    // Made by an interrupted run: bring it to the settings instead.
                    Err(e) if e.code == "TrailAlreadyExistsException" => {
                        update_trail(x, name, settings).await?;
                    }
                    Err(e) => return Err(e),
                }
            }
            Op::UpdateTrail { name, settings } => {
                update_trail(x, name, settings).await?;
            }
            Op::MergeEventSelectors { trail, required } => {
                let ct = crate::client!(aws_sdk_cloudtrail, s, region);
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
                let ct = crate::client!(aws_sdk_cloudtrail, s, region);
                let current = r
                    .call_opt(
                        "cloudtrail:GetInsightSelectors",
                        &["InsightNotEnabledException"],
                        ct.get_insight_selectors().trail_name(trail).send(),
                    )
                    .await?;
                let have = current
                    .map(|o| o.insight_selectors().to_vec())
                    .unwrap_or_default();
                if let Some(all) = insight_selectors_to_put(&have, insights) {
                    w.call(
                        "cloudtrail:PutInsightSelectors",
                        ct.put_insight_selectors()
                            .trail_name(trail)
                            .set_insight_selectors(Some(all))
                            .send(),
                    )
                    .await?;
                }
            }
            Op::StartLogging { trail } => {
                w.call(
                    "cloudtrail:StartLogging",
                    crate::client!(aws_sdk_cloudtrail, s, region)
                        .start_logging()
                        .name(trail)
                        .send(),
                )
                .await?;
            }
        }
        Ok(())
    }
}

async fn update_trail(
    x: &Apply<'_>,
    name: &str,
    settings: &TrailSettings,
) -> Result<(), CallError> {
    let (key, cwl) = trail_refs(x, settings).await?;
    let req = with_trail_settings!(
        crate::client!(aws_sdk_cloudtrail, x.session, x.region)
            .update_trail()
            .name(name)
            .set_s3_bucket_name(settings.bucket.clone()),
        settings,
        key,
        cwl
    );
    x.exec
        .retrying(
            &x.writes,
            "cloudtrail:UpdateTrail",
            PROPAGATION_ERRORS,
            || req.clone().send(),
        )
        .await?;
    Ok(())
}

/// The key ARN and the CloudWatch Logs (group ARN, role ARN) a trail is given.
async fn trail_refs(
    x: &Apply<'_>,
    settings: &TrailSettings,
) -> Result<(Option<String>, Option<(String, String)>), CallError> {
    let key = match &settings.kms_key {
        Some(k) => Some(x.exec.resolve_key(k).await?.0),
        None => None,
    };
    let cwl = settings.cloudwatch_logs.as_ref().map(|(group, role)| {
        (
            group.clone(),
            crate::arn::Partition(x.partition).iam_role(x.account, role),
        )
    });
    Ok((key, cwl))
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

/// The insight selectors `PutInsightSelectors` is sent to add the types `wanted` (which
/// replaces the trail's list): the trail's own selectors as they are (their event categories
/// too: Insights on data events stay on), then each wanted type it lacks. `None` when it lacks
/// none.
pub fn insight_selectors_to_put(
    have: &[aws_sdk_cloudtrail::types::InsightSelector],
    wanted: &[String],
) -> Option<Vec<aws_sdk_cloudtrail::types::InsightSelector>> {
    use aws_sdk_cloudtrail::types::{InsightSelector, InsightType};
    let mut all = have.to_vec();
    for w in wanted {
        if !all
            .iter()
            .any(|h| h.insight_type().map(|t| t.as_str()) == Some(w.as_str()))
        {
            all.push(
                InsightSelector::builder()
                    .insight_type(InsightType::from(w.as_str()))
                    .build(),
            );
        }
    }
    (all.len() > have.len()).then_some(all)
}
