//! Log-group retention: every CloudWatch Logs group (or, with `groups: sources`, every group
//! that holds a source's logs) keeps its logs at least the profile's days. A group holds a
//! source's logs when a trail, a flow log or a Resolver query log configuration delivers to it,
//! or when AWS names it for a service's logs (Lambda, EKS, RDS, Redshift, API Gateway, OpenSearch, WAF,
//! vended logs, Route 53); the others are workload or other logs. Deletion protection, when the
//! profile asks it, is judged on the groups that hold a source's logs.

use super::model::LogGroup;
use super::profile::{GroupScope, NeverExpire};
use crate::finding::Lookback;
use crate::finding::{Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    age_days, listed, lookback_per_account, not_required, per_enabled_region, CheckInfo, Fix, Raw,
    Subject,
};
use crate::sources::{CheckDef, Ctx, Inventory};
use std::collections::BTreeMap;

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "cloudwatch_logs.retention",
        title: "Log groups keep their logs at least the baseline's days",
        severity: Severity::Medium,
        scope: Subject::AccountRegion,
        looks_at: "DescribeLogGroups in each account and region (every page, never a call per group): the retention of every group, workload logs included (`log_group_retention.groups: all`, the default), or only of each group a trail, flow log or Resolver query log delivers to or that AWS names for a service's logs (/aws/lambda/, /aws/eks/, /aws/rds/, /aws/redshift/, API Gateway, OpenSearch, WAF, vended logs, Route 53) (`groups: sources`); and its KMS key. A Delivery-class group (one day by design, its events kept where they are delivered: S3 or Firehose) is counted, not judged",
        rationale: "CloudWatch Logs deletes events older than a group's retention: a Lambda, EKS or trail group left at AWS's defaults of a few days answers nothing about an intrusion found weeks later. Investigations routinely reach back months.",
        remediation: "Raise each group's retention: `aws logs put-retention-policy --log-group-name NAME --retention-in-days 365` (`logwarden plan` proposes it, never shortening one).",
        fix: Fix::Plan,
        frameworks: &[(AwsFsbp, &["CloudWatch.16"]), (Nist80053, &["AU-11"])],
    },
    eval: retention,
},
CheckDef {
    info: CheckInfo {
        id: "cloudwatch_logs.deletion_protection",
        title: "Log groups holding a source's logs are protected from deletion (when the baseline asks)",
        severity: Severity::Medium,
        scope: Subject::AccountRegion,
        looks_at: "The same DescribeLogGroups listing (no extra call): `deletionProtectionEnabled` of each group a trail, flow log, Resolver query log or other source delivers to, or that AWS names for a service's logs, when `log_group_retention.deletion_protection` is on. Delivery-class groups are not judged",
        rationale: "Deleting a log group deletes every event in it at once, whatever its retention: an intruder who can call logs:DeleteLogGroup erases the trail's, the flow logs' or the DNS logs' copy in CloudWatch Logs. With deletion protection on, CloudWatch Logs refuses the deletion until protection is turned off first, a second, separate call that an SCP can deny and an alarm can notice.",
        remediation: "`aws logs put-log-group-deletion-protection --log-group-identifier NAME --deletion-protection-enabled` (`logwarden plan` proposes it, and creates its own groups protected); deny `logs:PutLogGroupDeletionProtection` in the logging SCP (`scp_protection.actions`).",
        fix: Fix::Plan,
        frameworks: &[(Nist80053, &["AU-9"])],
    },
    eval: deletion_protection,
}];

/// Names AWS gives the log groups of a service's logs, and the service.
const AWS_NAMED: &[(&str, &str)] = &[
    ("/aws/lambda/", "Lambda"),
    ("/aws/eks/", "EKS control plane"),
    ("/aws/rds/", "RDS"),
    ("/aws/redshift/", "Redshift audit logs"),
    ("/aws/apigateway/", "API Gateway"),
    ("api-gateway-execution-logs_", "API Gateway execution"),
    ("/aws/opensearchservice/", "OpenSearch"),
    ("/aws/aes/", "OpenSearch"),
    ("aws-waf-logs-", "WAF"),
    ("/aws/vendedlogs/", "vended logs"),
    ("/aws/route53/", "Route 53 query logs"),
    ("/aws/network-firewall/", "Network Firewall"),
];

/// (account, region, group name) → what delivers to it, from the inventory's trails, flow logs,
/// Resolver query log configurations, Route 53 public zones' query logging, CloudFront's v2
/// deliveries, Network Firewall destinations, API Gateway stages' access logs, OpenSearch
/// domains' published logs, Step Functions state machines' groups and Lambda functions' custom
/// groups.
pub type Named = BTreeMap<(String, String, String), String>;

/// The log group a delivery names (an ARN `arn:...:logs:REGION:ACCOUNT:log-group:NAME[:*]`).
pub fn group_of(arn: &str) -> Option<(String, String, String)> {
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    if parts.len() < 7 || parts[2] != "logs" || !parts[5].starts_with("log-group") {
        return None;
    }
    let name = parts[6].strip_suffix(":*").unwrap_or(parts[6]);
    Some((parts[4].to_string(), parts[3].to_string(), name.to_string()))
}

/// Every log group some source of the inventory delivers to.
pub fn named(inv: &Inventory) -> Named {
    let mut out = Named::new();
    for a in &inv.accounts {
        for t in &a.data.cloudtrail.trails {
            if let Some(g) = t
                .cloudwatch_logs_log_group_arn
                .as_deref()
                .and_then(group_of)
            {
                out.insert(g, format!("trail '{}'", t.name));
            }
        }
        // Route 53 public zones' query log groups (in the partition's global region).
        for c in a
            .data
            .route53_public_zones
            .configs
            .value()
            .into_iter()
            .flatten()
        {
            if let Some(g) = group_of(&c.log_group_arn) {
                out.insert(g, format!("Route 53 query logs of zone {}", c.zone_id));
            }
        }
        // CloudFront's standard logging v2 deliveries to CloudWatch Logs.
        for d in a.data.cloudfront.deliveries.value().into_iter().flatten() {
            if let (true, Some(g)) = (d.destination_type == "CWL", group_of(&d.destination)) {
                out.insert(g, format!("CloudFront {}", d.distribution_arn));
            }
        }
        for r in &a.regions {
            for f in r.data.vpc_flow_logs.flow_logs.value().into_iter().flatten() {
                let Some(d) = f.destination.as_deref() else {
                    continue;
                };
                let g = group_of(d)
                    .unwrap_or_else(|| (a.account_id.clone(), r.region.clone(), d.to_string()));
                if f.destination_type.as_ref().map(|t| t.as_str()) == Some("cloud-watch-logs") {
                    out.insert(g, format!("flow log {}", f.id));
                }
            }
            for c in r
                .data
                .resolver_query_logs
                .configs
                .value()
                .into_iter()
                .flatten()
            {
                if let Some(g) = group_of(&c.destination_arn) {
                    out.insert(g, format!("Resolver query log config '{}'", c.name));
                }
            }
            // A Network Firewall's CloudWatch Logs destinations.
            for f in r
                .data
                .network_firewall
                .firewalls
                .value()
                .into_iter()
                .flatten()
            {
                for d in f.logging.value().into_iter().flatten() {
                    if let Some(g) = d.destination.get("logGroup") {
                        out.insert(
                            (a.account_id.clone(), r.region.clone(), g.clone()),
                            format!("Network Firewall {} ({})", f.name, d.log_type),
                        );
                    }
                }
            }
            // Client VPN endpoints' connection-log groups (any name).
            for e in r.data.client_vpn.endpoints.value().into_iter().flatten() {
                if let (true, Some(g)) = (e.connection_logging, &e.log_group) {
                    out.insert(
                        (a.account_id.clone(), r.region.clone(), g.clone()),
                        format!("Client VPN endpoint {}", e.id),
                    );
                }
            }
            // API Gateway stages' access-log groups (any name).
            for apis in [&r.data.api_gateway.rest_apis, &r.data.api_gateway.v2_apis] {
                for api in apis.value().into_iter().flatten() {
                    for s in api.stages.value().into_iter().flatten() {
                        if let Some(g) = s.access_log_destination.as_deref().and_then(group_of) {
                            out.insert(g, format!("API Gateway {} stage {}", api.name, s.name));
                        }
                    }
                }
            }
            // OpenSearch domains' published logs (any name).
            for d in r.data.opensearch.domains.value().into_iter().flatten() {
                for (t, arn) in d
                    .details
                    .value()
                    .map(|x| &x.published)
                    .into_iter()
                    .flatten()
                {
                    if let Some(g) = group_of(arn) {
                        out.insert(g, format!("OpenSearch domain {} ({t})", d.name));
                    }
                }
            }
            // Step Functions state machines' log groups (any name).
            for m in r
                .data
                .step_functions
                .state_machines
                .value()
                .into_iter()
                .flatten()
            {
                for d in m
                    .logging
                    .value()
                    .map(|l| &l.destinations)
                    .into_iter()
                    .flatten()
                {
                    if let Some(g) = group_of(d) {
                        out.insert(g, format!("Step Functions state machine {}", m.name));
                    }
                }
            }
            // A Lambda function's custom group (its default /aws/lambda/ one is known by name).
            for f in r.data.lambda.functions.value().into_iter().flatten() {
                if f.custom_log_group {
                    out.insert(
                        (a.account_id.clone(), r.region.clone(), f.log_group.clone()),
                        format!("Lambda function {}", f.name),
                    );
                }
            }
        }
    }
    out
}

/// What a group that no source delivers to and AWS does not name holds, as the findings say it.
const OTHER_LOGS: &str = "other logs";

/// The groups of `groups` (in `account`, `region`) the retention floor applies to, with what
/// delivers to each: every group under [`GroupScope::All`] (those no source names as
/// [`OTHER_LOGS`]), only those holding a source's logs under [`GroupScope::Sources`]. Never a
/// Delivery-class group: its events pass through to S3 or Firehose, kept there, and its
/// one-day retention is fixed.
pub fn holding<'a>(
    groups: &'a [LogGroup],
    named: &Named,
    account: &str,
    region: &str,
    scope: GroupScope,
) -> Vec<(&'a LogGroup, String)> {
    groups
        .iter()
        .filter(|g| !g.passes_through())
        .filter_map(|g| {
            let key = (account.to_string(), region.to_string(), g.name.clone());
            if let Some(by) = named.get(&key) {
                return Some((g, by.clone()));
            }
            let lower = g.name.to_ascii_lowercase();
            let by = AWS_NAMED
                .iter()
                .find(|(p, _)| lower.starts_with(p))
                .map(|(_, what)| what.to_string());
            match (by, scope) {
                (Some(by), _) => Some((g, by)),
                (None, GroupScope::All) => Some((g, OTHER_LOGS.to_string())),
                (None, GroupScope::Sources) => None,
            }
        })
        .collect()
}

/// The read that would have named more of the groups of `region`, when it failed and the
/// scope makes the naming matter (`groups: sources`: a group not recognised by its name may
/// still hold logs). Under `groups: all` every group counts, named or not.
pub fn doubt_for(
    scope: GroupScope,
    r: &crate::sources::RegionInventory,
) -> Option<&crate::inventory::CallError> {
    match scope {
        GroupScope::All => None,
        GroupScope::Sources => doubt(r),
    }
}

/// The read that would have named more of the groups of `region` as holding logs, when it
/// failed (the region's trails, flow logs, Resolver query log configurations, Lambda
/// functions, Network Firewall firewalls, Client VPN endpoints, API Gateway APIs or OpenSearch
/// domains): then a group
/// not recognised by its name may still hold logs.
fn doubt(r: &crate::sources::RegionInventory) -> Option<&crate::inventory::CallError> {
    r.data
        .cloudtrail
        .trails
        .error()
        .or(r.data.vpc_flow_logs.flow_logs.error())
        .or(r.data.resolver_query_logs.configs.error())
        .or(r.data.lambda.functions.error())
        .or(r.data.network_firewall.firewalls.error())
        .or(r.data.client_vpn.endpoints.error())
        .or(r.data.api_gateway.rest_apis.error())
        .or(r.data.api_gateway.v2_apis.error())
        .or(r.data.opensearch.domains.error())
        .or(r.data.step_functions.state_machines.error())
}

/// The log groups of region `r` of account `a`, when the profile asks something of them
/// (`asked`); otherwise a `not_applicable` finding saying `what` is not required, or an
/// `unknown` one when they could not be listed, goes to `out`.
fn to_judge<'r>(
    ctx: &Ctx,
    a: &crate::sources::AccountInventory,
    r: &'r crate::sources::RegionInventory,
    out: &mut Vec<Raw>,
    asked: bool,
    what: &str,
) -> Option<&'r Vec<LogGroup>> {
    if !asked {
        out.push(Raw::new(
            Status::NotApplicable,
            Some(&a.account_id),
            Some(&r.region),
            format!("{}:{}", a.account_id, r.region),
            not_required(ctx, what),
        ));
        return None;
    }
    listed(
        a,
        r,
        &r.data.cloudwatch_logs.groups,
        "CloudWatch Logs groups",
        out,
    )
}

/// A verdict on the groups of `r` that hold logs, made `unknown` when it is not a failure and a
/// failed read may have named more groups as holding logs (under `scope`).
fn unsure(
    scope: GroupScope,
    r: &crate::sources::RegionInventory,
    status: Status,
    msg: String,
) -> (Status, String) {
    match doubt_for(scope, r) {
        Some(e) if status != Status::Fail => (
            Status::Unknown,
            format!(
                "{msg}; but which groups hold logs is not known: the region's trails, flow logs or Resolver query logs {}",
                crate::rules::unknown_because(e)
            ),
        ),
        _ => (status, msg),
    }
}

/// Whether a group keeps its logs long enough: `Some(why not)` when it does not.
pub fn short(g: &LogGroup, min_days: u32, never: NeverExpire) -> Option<String> {
    match g.retention_days {
        Some(d) if d < 0 || (d as u32) < min_days => Some(format!("{d} days")),
        None if never == NeverExpire::Flag => {
            Some("never expires (the baseline flags unbounded retention)".into())
        }
        _ => None,
    }
}

pub fn retention(ctx: &Ctx) -> Vec<Raw> {
    let named = named(ctx.inv);
    per_enabled_region(ctx, |a, r, out| {
        let (acct, reg) = (Some(a.account_id.as_str()), Some(r.region.as_str()));
        let res = format!("{}:{}", a.account_id, r.region);
        let want = ctx.b.log_group_retention.as_ref();
        let asked = want.is_some();
        let (Some(want), Some(groups)) = (
            want,
            to_judge(ctx, a, r, out, asked, "a log-group retention"),
        ) else {
            return;
        };
        let held = holding(groups, &named, &a.account_id, &r.region, want.groups);
        let through = groups.iter().filter(|g| g.passes_through()).count();
        let note = if through > 0 {
            format!("; {through} Delivery-class group(s) not judged: their events pass through to S3 or Firehose and are kept there")
        } else {
            String::new()
        };
        let unsure = |status: Status, msg: String| unsure(want.groups, r, status, msg);
        if held.is_empty() {
            let msg = match want.groups {
                GroupScope::All => format!("no log groups here{note}"),
                GroupScope::Sources => format!(
                    "none of the {} log group(s) here holds a source's logs{note}",
                    groups.len()
                ),
            };
            let (status, msg) = unsure(Status::NotApplicable, msg);
            out.push(Raw::new(status, acct, reg, res, msg));
            return;
        }
        let bad: Vec<String> = held
            .iter()
            .filter_map(|(g, by)| {
                short(g, want.min_days, want.never_expire)
                    .map(|why| format!("{} ({why}; {by})", g.name))
            })
            .collect();
        let never = held
            .iter()
            .filter(|(g, _)| g.retention_days.is_none())
            .count();
        let kms = held.iter().filter(|(g, _)| g.kms_key_id.is_some()).count();
        let (status, msg) = if bad.is_empty() {
            (
                Status::Pass,
                format!(
                    "{} log group(s) holding logs keep them at least {} days ({never} never expire; {kms} encrypted with a KMS key){note}",
                    held.len(),
                    want.min_days
                ),
            )
        } else {
            let more = bad.len().saturating_sub(5);
            (
                Status::Fail,
                format!(
                    "{} of {} log group(s) holding logs are not kept the baseline's {} days: {}{}{note}",
                    bad.len(),
                    held.len(),
                    want.min_days,
                    bad.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ),
            )
        };
        let (status, msg) = unsure(status, msg);
        out.push(Raw::new(status, acct, reg, res, msg));
    })
}

/// Deletion protection on every group of each account and region that holds a source's logs
/// (whatever `groups` says), when the profile asks it.
pub fn deletion_protection(ctx: &Ctx) -> Vec<Raw> {
    let named = named(ctx.inv);
    per_enabled_region(ctx, |a, r, out| {
        let (acct, reg) = (Some(a.account_id.as_str()), Some(r.region.as_str()));
        let res = format!("{}:{}", a.account_id, r.region);
        let asked = ctx
            .b
            .log_group_retention
            .as_ref()
            .is_some_and(|l| l.deletion_protection);
        let Some(groups) = to_judge(ctx, a, r, out, asked, "deletion protection on log groups")
        else {
            return;
        };
        let held = holding(
            groups,
            &named,
            &a.account_id,
            &r.region,
            GroupScope::Sources,
        );
        let open: Vec<String> = held
            .iter()
            .filter(|(g, _)| !g.deletion_protection)
            .map(|(g, by)| format!("{} ({by})", g.name))
            .collect();
        let (status, msg) = if held.is_empty() {
            (
                Status::NotApplicable,
                format!(
                    "none of the {} log group(s) here holds a source's logs",
                    groups.len()
                ),
            )
        } else if open.is_empty() {
            (
                Status::Pass,
                format!(
                    "{} log group(s) holding logs are protected from deletion",
                    held.len()
                ),
            )
        } else {
            (
                Status::Fail,
                format!(
                    "{} of {} log group(s) holding logs can be deleted (no deletion protection): {}",
                    open.len(),
                    held.len(),
                    crate::inventory::first_few(&open)
                ),
            )
        };
        let (status, msg) = unsure(GroupScope::Sources, r, status, msg);
        out.push(Raw::new(status, acct, reg, res, msg));
    })
}

/// How far back each account's log groups can answer: the group in scope (every group, or
/// each holding a source's logs) that reaches back least (its retention, or its age when younger; a group that never expires
/// reaches back to its creation).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.log_group_retention else {
        return vec![];
    };
    let named = named(ctx.inv);
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let groups = r.data.cloudwatch_logs.groups.value()?;
        Some(
            holding(groups, &named, &a.account_id, &r.region, want.groups)
                .into_iter()
                .filter_map(|(g, _)| reach(ctx, g, &r.region))
                .collect(),
        )
    })
}

/// [`reach`] of the group named `name` in region `r` (from its listing); `None` when the
/// groups could not be listed or none has that name.
pub fn reach_named(
    ctx: &Ctx,
    r: &crate::sources::RegionInventory,
    name: &str,
) -> Option<(u32, String)> {
    let groups = r.data.cloudwatch_logs.groups.value()?;
    reach(ctx, groups.iter().find(|g| g.name == name)?, &r.region)
}

/// How far back the log group `g` in `region` reaches today: its retention, or its age when
/// younger (a group that never expires reaches back to its creation); `None` when neither is
/// known. With the reason, for the lookback table.
pub fn reach(ctx: &Ctx, g: &LogGroup, region: &str) -> Option<(u32, String)> {
    let age = age_days(ctx, g.created.as_deref());
    let kept = g.retention_days.and_then(|d| u32::try_from(d).ok());
    match (kept, age) {
        (Some(k), Some(age)) if age < k => Some((
            age,
            format!(
                "log group {} in {region} was created {age} days ago",
                g.name
            ),
        )),
        (Some(k), _) => Some((
            k,
            format!("log group {} in {region} keeps {k} days", g.name),
        )),
        (None, Some(age)) => Some((
            age,
            format!(
                "log group {} in {region} never expires; created {age} days ago",
                g.name
            ),
        )),
        (None, None) => None,
    }
}
