//! OpenSearch Service logging: every domain publishes the log types the profile names (audit
//! only where fine-grained access control can write it); and how far back each account's
//! domain logs can answer.

use super::model::{Domain, DomainDetails};
use super::profile::{LogType, OpenSearchLoggingBaseline};
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, unknown_because, CheckInfo,
    Fix, Raw, Resource, Subject,
};
use crate::sources::cloudwatch_logs::model::LogGroup;
use crate::sources::{CheckDef, Ctx, RegionInventory};

/// OpenSearch Service domains, judged one by one.
pub static DOMAIN: Resource = Resource {
    id: "opensearch_domain",
    label: "OpenSearch domain",
    cloudformation_type: "AWS::OpenSearchService::Domain",
    asff_type: "AwsOpenSearchServiceDomain",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "opensearch.logging",
        title: "Every OpenSearch Service domain publishes the baseline's log types (audit where fine-grained access control allows, error) to CloudWatch Logs",
        severity: Severity::Medium,
        scope: Subject::Resource(&DOMAIN),
        looks_at: "ListDomainNames (once per account and region) and DescribeDomains (five domains per call): each domain's `LogPublishingOptions` (enabled types and their log groups) and `AdvancedSecurityOptions.Enabled`, and the groups' retention from the CloudWatch Logs listing",
        rationale: "A domain often holds the logs themselves, or the application's data; its audit log is the only record of who queried or changed which index, and its error log shows the failed authentications around it. OpenSearch publishes neither unless asked, and audit logs exist only where fine-grained access control is on.",
        remediation: "Let OpenSearch write to the groups (`aws logs put-resource-policy` allowing `es.amazonaws.com` logs:PutLogEvents and logs:CreateLogStream on them, with `aws:SourceAccount`), then `aws opensearch update-domain-config --domain-name DOMAIN --log-publishing-options 'AUDIT_LOGS={CloudWatchLogsLogGroupArn=GROUP_ARN,Enabled=true},ES_APPLICATION_LOGS={CloudWatchLogsLogGroupArn=GROUP_ARN,Enabled=true}'` (audit logs also need `audit log` enabled in OpenSearch Dashboards' security settings). `logwarden plan` lists each domain with its commands.",
        fix: Fix::Manual,
        frameworks: &[
            (AwsFsbp, &["Opensearch.4", "Opensearch.5"]),
            (Nist80053, &["AU-2", "AU-12"]),
        ],
    },
    eval: logging,
}];

pub fn logging(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let Some(domains) = listed(a, r, &r.data.opensearch.domains, "OpenSearch domains", out)
        else {
            return;
        };
        for d in domains {
            let (status, msg, partial) = match &ctx.b.opensearch_logging {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "OpenSearch log publishing"),
                    false,
                ),
                Some(want) => judge(want, d, r),
            };
            let resource = match d.details.value() {
                Some(x) if !x.arn.is_empty() => x.arn.clone(),
                _ => d.name.clone(),
            };
            let mut raw = Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                resource,
                msg,
            );
            raw.partial = partial;
            out.push(raw);
        }
    })
}

/// The asked types a domain publishes and those it lacks.
pub fn split(want: &OpenSearchLoggingBaseline, d: &DomainDetails) -> (Vec<LogType>, Vec<LogType>) {
    want.asked(d.fine_grained_access_control)
        .into_iter()
        .partition(|t| d.published.contains_key(t.aws()))
}

/// The log group a published type writes to, in the region's listing.
fn group<'a>(r: &'a RegionInventory, d: &DomainDetails, t: LogType) -> Option<&'a LogGroup> {
    let arn = d.published.get(t.aws())?;
    let (_, _, name) = crate::sources::cloudwatch_logs::checks::group_of(arn)?;
    r.data
        .cloudwatch_logs
        .groups
        .value()?
        .iter()
        .find(|g| g.name == name)
}

fn names(types: &[LogType]) -> String {
    types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn judge(
    want: &OpenSearchLoggingBaseline,
    d: &Domain,
    r: &RegionInventory,
) -> (Status, String, bool) {
    let x = match d.details.as_result() {
        Ok(x) => x,
        Err(e) => {
            return (
                Status::Unknown,
                format!(
                    "the log publishing of OpenSearch domain {} {}",
                    d.name,
                    unknown_because(e)
                ),
                false,
            )
        }
    };
    let (on, off) = split(want, x);
    let fgac = if !x.fine_grained_access_control && want.log_types.contains(&LogType::Audit) {
        " (no audit log asked: fine-grained access control is off, and only it can write one)"
    } else {
        ""
    };
    let kept: Vec<String> = on
        .iter()
        .filter_map(|t| {
            let g = group(r, x, *t)?;
            Some(match g.retention_days {
                Some(days) => format!("{} to {} kept {days} days", t.as_str(), g.name),
                None => format!("{} to {} (never expires)", t.as_str(), g.name),
            })
        })
        .collect();
    let lands = if kept.is_empty() {
        String::new()
    } else {
        format!(" ({})", kept.join("; "))
    };
    let what = format!("OpenSearch domain {}", d.name);
    if off.is_empty() {
        (
            Status::Pass,
            format!("{what} publishes {}{lands}{fgac}", names(&on)),
            false,
        )
    } else if on.is_empty() {
        (
            Status::Fail,
            format!("{what} publishes none of {}{fgac}", names(&off)),
            false,
        )
    } else {
        (
            Status::Fail,
            format!(
                "{what} publishes {} but not {}{lands}{fgac}",
                names(&on),
                names(&off)
            ),
            true,
        )
    }
}

/// How far back each account's domain logs can answer: the domain that reaches back least (0
/// for one publishing none of the asked types; otherwise the shortest reach of its published
/// groups). Accounts whose domains or log groups could not be read are left out.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.opensearch_logging else {
        return vec![];
    };
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        let mut out = Vec::new();
        for d in r.data.opensearch.domains.value()? {
            let x = d.details.value()?;
            let (on, off) = split(want, x);
            if on.is_empty() {
                if !off.is_empty() {
                    out.push((
                        0,
                        format!(
                            "OpenSearch domain {} in {} publishes none of {}",
                            d.name,
                            r.region,
                            names(&off)
                        ),
                    ));
                }
                continue;
            }
            r.data.cloudwatch_logs.groups.value()?;
            for t in on {
                if let Some((days, why)) = group(r, x, t)
                    .and_then(|g| crate::sources::cloudwatch_logs::checks::reach(ctx, g, &r.region))
                {
                    out.push((days, format!("OpenSearch domain {}: {why}", d.name)));
                }
            }
        }
        Some(out)
    })
}
