//! Route 53 public zone query logging: every public hosted zone logs the DNS queries it
//! answers; and how far back each account's query logs can answer.

use super::model::{HostedZone, QueryLoggingConfig};
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    lookback_per_account, need, not_required, per_account_listed, CheckInfo, Fix, Raw, Resource,
    Subject,
};
use crate::sources::cloudwatch_logs::model::LogGroup;
use crate::sources::{AccountInventory, CheckDef, Ctx};

/// Public hosted zones, judged one by one.
pub static ZONE: Resource = Resource {
    id: "route53_hosted_zone",
    label: "Route 53 public hosted zone",
    cloudformation_type: "AWS::Route53::HostedZone",
    asff_type: "AwsRoute53HostedZone",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "route53.query_logging",
        title: "Every Route 53 public hosted zone logs the DNS queries it answers",
        severity: Severity::Low,
        scope: Subject::Resource(&ZONE),
        looks_at: "ListHostedZones and ListQueryLoggingConfigs (once per account, at the global endpoint; never a call per zone): a query logging configuration for each public zone, and the retention of its us-east-1 log group from the CloudWatch Logs listing. Private zones are left out: Route 53 Resolver query logs record their queries",
        rationale: "Public DNS query logs show who resolved an organization's names and when: reconnaissance of its hosts, the first lookups of a new subdomain, a takeover attempt. Route 53 keeps no record of queries unless a zone is configured to log them.",
        remediation: "Create a log group in us-east-1, a CloudWatch Logs resource policy letting route53.amazonaws.com write to it, then `aws route53 create-query-logging-config --hosted-zone-id ZONE_ID --cloud-watch-logs-log-group-arn arn:aws:logs:us-east-1:ACCOUNT:log-group:NAME:*` (`logwarden plan` proposes all three, the policy narrowed to the zones).",
        fix: Fix::Plan,
        frameworks: &[
            (AwsFsbp, &["Route53.2"]),
            (Nist80053, &["AU-2", "AU-12", "SI-4"]),
        ],
    },
    eval: query_logging,
}];

/// The region Route 53's query logs land in (AWS requires the partition's global region).
fn home(ctx: &Ctx) -> &'static str {
    crate::arn::Partition(&ctx.inv.partition).global_region()
}

/// The account's log groups in the global region, when read.
fn groups<'a>(a: &'a AccountInventory, region: &str) -> Option<&'a Vec<LogGroup>> {
    a.regions
        .iter()
        .find(|r| r.region == region)?
        .data
        .cloudwatch_logs
        .groups
        .value()
}

pub fn query_logging(ctx: &Ctx) -> Vec<Raw> {
    let region = home(ctx);
    per_account_listed(
        ctx,
        region,
        "Route 53 public hosted zones",
        |a| &a.data.route53_public_zones.zones,
        |a, zones, out| {
            let configs = need(&a.data.route53_public_zones.configs);
            for z in zones {
                let (status, msg) = match (&ctx.b.route53_query_logging, &configs) {
                    (None, _) => (
                        Status::NotApplicable,
                        not_required(ctx, "Route 53 public zone query logging"),
                    ),
                    (Some(_), Err(e)) => (
                        Status::Unknown,
                        format!("the query logging of public hosted zone {} {e}", z.name),
                    ),
                    (Some(_), Ok(configs)) => judge(z, configs, groups(a, region)),
                };
                out.push(Raw::new(
                    status,
                    Some(a.account_id.as_str()),
                    Some(region),
                    super::zone_arn(&ctx.inv.partition, &z.id),
                    msg,
                ));
            }
        },
    )
}

pub fn judge(
    z: &HostedZone,
    configs: &[QueryLoggingConfig],
    groups: Option<&Vec<LogGroup>>,
) -> (Status, String) {
    let Some(c) = configs.iter().find(|c| c.zone_id == z.id) else {
        return (
            Status::Fail,
            format!(
                "public hosted zone {} ({}) logs no DNS queries",
                z.name, z.id
            ),
        );
    };
    let name = c.log_group();
    let kept = match groups.and_then(|gs| gs.iter().find(|g| g.name == name)) {
        Some(g) => match g.retention_days {
            Some(d) => format!(" (kept {d} days)"),
            None => " (never expires)".into(),
        },
        None => String::new(),
    };
    (
        Status::Pass,
        format!(
            "public hosted zone {} ({}) logs DNS queries to log group {name}{kept}",
            z.name, z.id
        ),
    )
}

/// What reports say of this source's lookback.
pub const LOOKBACK_NOTE: &str = "Route 53 public zones: the zone whose query logs reach back least (its us-east-1 log group's retention, or the group's age when younger; 0 for a zone that logs nothing)";

/// How far back each account's public DNS query logs can answer: the zone that reaches back
/// least. Accounts whose zones, configurations or us-east-1 log groups could not be read are left
/// out (their findings are `unknown`).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if ctx.b.route53_query_logging.is_none() {
        return vec![];
    }
    let region = home(ctx);
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        if r.region != region {
            return Some(vec![]);
        }
        let d = &a.data.route53_public_zones;
        let (zones, configs) = (d.zones.value()?, d.configs.value()?);
        let mut out = Vec::new();
        for z in zones {
            let Some(c) = configs.iter().find(|c| c.zone_id == z.id) else {
                out.push((
                    0,
                    format!("public hosted zone {} logs no DNS queries", z.name),
                ));
                continue;
            };
            let name = c.log_group();
            if let Some(g) = r
                .data
                .cloudwatch_logs
                .groups
                .value()?
                .iter()
                .find(|g| g.name == name)
            {
                if let Some((days, why)) =
                    crate::sources::cloudwatch_logs::checks::reach(ctx, g, region)
                {
                    out.push((days, format!("public hosted zone {}: {why}", z.name)));
                }
            }
        }
        Some(out)
    })
}
