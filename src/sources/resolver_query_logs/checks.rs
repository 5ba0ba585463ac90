//! Route 53 Resolver query logging: every VPC in scope has an ACTIVE association with a
//! query-logging configuration; and how far back each account's DNS logs can answer.

use super::model::{AssociationStatus, QueryLogConfig, RegionData, ShareStatus};
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::Nist80053;
use crate::rules::{
    age_days, listed, lookback_per_account, not_required, per_enabled_region, unknown_because,
    CheckInfo, Fix, Raw, Subject,
};
use crate::sources::security_lake::checks::LakeCopies;
use crate::sources::{CheckDef, Ctx};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
    id: "route53_resolver.query_logs",
    title: "Every VPC logs its DNS queries (Route 53 Resolver query logging)",
    severity: Severity::Medium,
    scope: Subject::Resource(&crate::sources::vpc_flow_logs::checks::VPC),
    looks_at: "DescribeVpcs, ListResolverQueryLogConfigs and ListResolverQueryLogConfigAssociations (each once per account and region): an ACTIVE association of each VPC with a query-logging configuration of the account, or one shared with it through AWS RAM. A VPC whose subnets another account shares with this one (its OwnerId) is judged in that owner's account, the only one that can associate it. Security Lake's own copy (its ROUTE53 source, taken from the service independently of the account's own logging) does not pass the check, and a failing finding names the lake that holds it",
    rationale: "DNS queries show which domains a compromised workload resolved: command-and-control, exfiltration over DNS, the first contact with attacker infrastructure. No other log records them, and no other auditor checks for them.",
    remediation: "Create a query-logging configuration that delivers to the log archive and associate the VPC: `aws route53resolver create-resolver-query-log-config --name logwarden-dns-query-logs --destination-arn arn:aws:s3:::LOG_ARCHIVE_BUCKET --creator-request-id ID`, then `aws route53resolver associate-resolver-query-log-config --resolver-query-log-config-id CONFIG_ID --resource-id VPC_ID` (`logwarden plan` proposes both).",
    fix: Fix::Plan,
    frameworks: &[(Nist80053, &["AU-2", "AU-12", "SI-4"])],
    },
    eval: query_logs,
}];

pub fn query_logs(ctx: &Ctx) -> Vec<Raw> {
    let lake = LakeCopies::of(ctx.inv);
    per_enabled_region(ctx, |a, r, out| {
        let acct = Some(a.account_id.as_str());
        let reg = Some(r.region.as_str());
        let Some(vpcs) = listed(a, r, &r.data.vpc_flow_logs.vpcs, "VPCs", out) else {
            return;
        };
        for v in vpcs {
            let owner = crate::sources::vpc_flow_logs::checks::judged_by_owner(
                ctx,
                &a.account_id,
                v,
                "DNS query logging",
            );
            let (status, msg) = match (&ctx.b.resolver_query_logs, owner) {
                (None, _) => (
                    Status::NotApplicable,
                    not_required(ctx, "DNS query logging"),
                ),
                (Some(_), Some(owner)) => owner,
                (Some(want), None) if !want.selects(&v.tags) => (
                    Status::NotApplicable,
                    format!(
                        "VPC {} lacks the tags the baseline selects VPCs by ({})",
                        v.id,
                        want.vpc_tags
                            .iter()
                            .map(|(k, val)| format!("{k}={val}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                (Some(_), None) => judge(&v.id, &r.data.resolver_query_logs),
            };
            let note = lake.note(&a.account_id, &r.region, "ROUTE53");
            let msg = match note {
                Some(note) if status == Status::Fail => msg + &note,
                _ => msg,
            };
            out.push(Raw::new(status, acct, reg, v.id.clone(), msg));
        }
    })
}

/// Where a configuration delivers, for a message.
fn destination(c: &QueryLogConfig) -> String {
    let shared = match c.share_status {
        ShareStatus::SharedWithMe => format!(" (a configuration shared by account {})", c.owner_id),
        _ => String::new(),
    };
    let kind = match crate::arn::Arn::parse(&c.destination_arn) {
        Some(a) if a.service == "s3" => "S3 bucket",
        Some(a) if a.service == "logs" => "CloudWatch Logs group",
        Some(a) if a.service == "firehose" => "Firehose stream",
        _ => "destination",
    };
    format!("{kind} {}{shared}", c.destination_arn)
}

fn judge(vpc: &str, d: &RegionData) -> (Status, String) {
    let associations = match d.associations.as_result() {
        Err(e) => {
            return (
                Status::Unknown,
                format!("query-logging associations {}", unknown_because(e)),
            )
        }
        Ok(v) => v,
    };
    let mine: Vec<_> = associations
        .iter()
        .filter(|a| a.resource_id == vpc)
        .collect();
    if let Some(a) = mine.iter().find(|a| a.status == AssociationStatus::Active) {
        let to = match d.configs.as_result() {
            Ok(configs) => match configs.iter().find(|c| c.id == a.config_id) {
                Some(c) => format!(" to {}", destination(c)),
                None => " (its configuration is not visible to this account)".into(),
            },
            Err(e) => format!(" (the configuration's destination {})", unknown_because(e)),
        };
        return (
            Status::Pass,
            format!(
                "DNS queries of VPC {vpc} are logged by configuration {}{to}",
                a.config_id
            ),
        );
    }
    if mine.is_empty() {
        return (Status::Fail, format!("VPC {vpc} has no DNS query logging"));
    }
    let states: Vec<String> = mine
        .iter()
        .map(|a| {
            let why = match (&a.error, &a.error_message) {
                (Some(e), Some(m)) => format!(": {e} ({m})"),
                (Some(e), None) => format!(": {e}"),
                (None, Some(m)) => format!(": {m}"),
                (None, None) => String::new(),
            };
            format!("{} {}{why}", a.id, a.status)
        })
        .collect();
    (
        Status::Fail,
        format!(
            "VPC {vpc} has query-logging associations but none is active ({})",
            states.join("; ")
        ),
    )
}

/// How far back each account's DNS query logs can answer: the VPC in scope with the shortest
/// history (0 days for one without logging), bounded by how long the destination keeps logs
/// where that can be read (the lifecycle of an S3 destination read in detail). Accounts whose
/// VPCs or associations could not be read are left out (their findings are `unknown`).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.resolver_query_logs else {
        return vec![];
    };
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let d = &r.data.resolver_query_logs;
        let vpcs = r.data.vpc_flow_logs.vpcs.value()?;
        let associations = d.associations.value()?;
        let mut out = Vec::new();
        for v in vpcs
            .iter()
            .filter(|v| v.shared_by(&a.account_id).is_none() && want.selects(&v.tags))
        {
            let active = associations
                .iter()
                .find(|x| x.resource_id == v.id && x.status == AssociationStatus::Active);
            let Some(x) = active else {
                out.push((
                    0,
                    format!("VPC {} in {} has no DNS query logging", v.id, r.region),
                ));
                continue;
            };
            let age = age_days(ctx, x.creation_time.as_deref());
            let config = d
                .configs
                .value()
                .and_then(|cs| cs.iter().find(|c| c.id == x.config_id));
            let keeps = config.and_then(|c| destination_expiration(ctx, c));
            out.push(match (age, keeps) {
                (Some(age), Some(exp)) if exp < age => (
                    exp,
                    format!(
                        "VPC {} in {}: its destination expires logs after {exp} days",
                        v.id, r.region
                    ),
                ),
                (Some(age), _) => (
                    age,
                    format!(
                        "VPC {} in {}: logged for {age} days{}",
                        v.id,
                        r.region,
                        if keeps.is_none() {
                            " (how long the destination keeps them was not read)"
                        } else {
                            ""
                        }
                    ),
                ),
                (None, Some(exp)) => (
                    exp,
                    format!(
                        "VPC {} in {}: its destination keeps logs {exp} days",
                        v.id, r.region
                    ),
                ),
                (None, None) => continue,
            });
        }
        Some(out)
    })
}

/// Days after which an S3 destination expires the logs (from the bucket's lifecycle, when the
/// bucket was read in detail); `None` when unknown or kept indefinitely.
fn destination_expiration(ctx: &Ctx, c: &QueryLogConfig) -> Option<u32> {
    let arn = crate::arn::Arn::parse(&c.destination_arn)?;
    let bucket = arn.s3_bucket()?;
    let prefix = arn
        .resource
        .strip_prefix(bucket)
        .unwrap_or("")
        .trim_start_matches('/');
    crate::sources::s3_access_logs::buckets::keeps(ctx, bucket, &format!("{prefix}AWSLogs/"))
        .flatten()
}
