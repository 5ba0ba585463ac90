//! RDS log exports: every DB instance, and every Aurora or Multi-AZ DB cluster, exports the log
//! types the profile names for its engine to CloudWatch Logs; and how far back each account's
//! database logs can answer.

use super::model::{Database, Kind};
use super::profile::RdsLogsBaseline;
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, CheckInfo, Fix, Raw, Resource,
    Subject,
};
use crate::sources::cloudwatch_logs::model::LogGroup;
use crate::sources::{CheckDef, Ctx, RegionInventory};

/// RDS DB instances, judged one by one (members of a cluster are judged as the cluster).
pub static INSTANCE: Resource = Resource {
    id: "rds_db_instance",
    label: "RDS DB instance",
    cloudformation_type: "AWS::RDS::DBInstance",
    asff_type: "AwsRdsDbInstance",
};

/// RDS DB clusters (Aurora, Multi-AZ DB clusters, DocumentDB, Neptune), judged one by one.
pub static CLUSTER: Resource = Resource {
    id: "rds_db_cluster",
    label: "RDS DB cluster",
    cloudformation_type: "AWS::RDS::DBCluster",
    asff_type: "AwsRdsDbCluster",
};

const REMEDIATION: &str = "Export the types: `aws rds modify-db-instance --db-instance-identifier DB --cloudwatch-logs-export-configuration '{\"EnableLogTypes\":[\"audit\",\"error\"]}' --apply-immediately` (a cluster: `aws rds modify-db-cluster --db-cluster-identifier DB ...`). Some types need a parameter or option group setting first (MySQL and MariaDB audit: the MARIADB_AUDIT_PLUGIN option; Aurora MySQL: server_audit_logging; slowquery and general: slow_query_log / general_log and log_output = FILE), and a group change can need a restart: `logwarden plan` lists each database as a manual step with its command, and creates the log groups first at the profile's retention.";

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "rds.instance_log_exports",
            title: "Every RDS DB instance exports the baseline's log types for its engine to CloudWatch Logs",
            severity: Severity::Medium,
            scope: Subject::Resource(&INSTANCE),
            looks_at: "DescribeDBInstances (once per account and region, paginated): each instance's engine and `EnabledCloudwatchLogsExports` (instances that belong to a cluster are judged with the cluster), and the retention of `/aws/rds/instance/<id>/<type>` from the CloudWatch Logs listing",
            rationale: "A database keeps its own logs on local storage for days at most and loses them with the instance; only the types exported to CloudWatch Logs can show who connected, which statements ran and what failed. The audit log is the record of data access a responder needs; nothing is exported unless asked.",
            remediation: REMEDIATION,
            fix: Fix::Manual,
            frameworks: &[
                (AwsFsbp, &["RDS.9", "RDS.36", "RDS.40"]),
                (Nist80053, &["AU-2", "AU-12"]),
            ],
        },
        eval: instance_log_exports,
    },
    CheckDef {
        info: CheckInfo {
            id: "rds.cluster_log_exports",
            title: "Every Aurora, Multi-AZ, DocumentDB and Neptune DB cluster exports the baseline's log types for its engine to CloudWatch Logs",
            severity: Severity::Medium,
            scope: Subject::Resource(&CLUSTER),
            looks_at: "DescribeDBClusters (once per account and region, paginated): each cluster's engine and `EnabledCloudwatchLogsExports`, and the retention of `/aws/rds/cluster/<id>/<type>` from the CloudWatch Logs listing",
            rationale: "A cluster's members write their logs where the cluster's export says; without it the audit, error and slow-query logs stay on the instances and are lost with them. The audit log is the record of data access a responder needs.",
            remediation: REMEDIATION,
            fix: Fix::Manual,
            frameworks: &[
                (AwsFsbp, &["RDS.34", "RDS.37"]),
                (Nist80053, &["AU-2", "AU-12"]),
            ],
        },
        eval: cluster_log_exports,
    },
];

pub fn instance_log_exports(ctx: &Ctx) -> Vec<Raw> {
    exports(ctx, Kind::Instance)
}

pub fn cluster_log_exports(ctx: &Ctx) -> Vec<Raw> {
    exports(ctx, Kind::Cluster)
}

/// The databases of `kind` judged on their own in `r`: every cluster; instances that belong
/// to no cluster. `None` when the listing failed.
pub fn judged(r: &RegionInventory, kind: Kind) -> Option<Vec<&Database>> {
    Some(match kind {
        Kind::Cluster => r.data.rds.clusters.value()?.iter().collect(),
        Kind::Instance => r
            .data
            .rds
            .instances
            .value()?
            .iter()
            .filter(|d| d.cluster.is_none())
            .collect(),
    })
}

fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::Instance => "RDS DB instance",
        Kind::Cluster => "RDS DB cluster",
    }
}

fn exports(ctx: &Ctx, kind: Kind) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let (list, what) = match kind {
            Kind::Instance => (&r.data.rds.instances, "RDS DB instances"),
            Kind::Cluster => (&r.data.rds.clusters, "RDS DB clusters"),
        };
        if listed(a, r, list, what, out).is_none() {
            return;
        }
        for d in judged(r, kind).unwrap_or_default() {
            let (status, msg, partial) = match &ctx.b.rds_logs {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "exporting RDS logs"),
                    false,
                ),
                Some(want) => judge(want, kind, d, r),
            };
            let resource = if d.arn.is_empty() { &d.id } else { &d.arn };
            let mut raw = Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                resource.clone(),
                msg,
            );
            raw.partial = partial;
            out.push(raw);
        }
    })
}

/// The database's log group for `log_type` in the region's listing.
fn group<'a>(
    r: &'a RegionInventory,
    kind: Kind,
    d: &Database,
    log_type: &str,
) -> Option<&'a LogGroup> {
    let name = super::log_group(kind, &d.id, log_type);
    r.data
        .cloudwatch_logs
        .groups
        .value()?
        .iter()
        .find(|g| g.name == name)
}

/// Where the exported types land, for a message.
fn lands(r: &RegionInventory, kind: Kind, d: &Database, types: &[String]) -> String {
    let kept: Vec<String> = types
        .iter()
        .filter_map(|t| {
            group(r, kind, d, t).map(|g| match g.retention_days {
                Some(days) => format!("{t} kept {days} days"),
                None => format!("{t} never expires"),
            })
        })
        .collect();
    let base = format!("/aws/rds/{}/{}/", kind.as_str(), d.id);
    if kept.is_empty() {
        format!("log groups under {base}")
    } else {
        format!("log groups under {base} ({})", kept.join(", "))
    }
}

/// The verdict on one database, its message, and whether it captures part of what is asked.
fn judge(
    want: &RdsLogsBaseline,
    kind: Kind,
    d: &Database,
    r: &RegionInventory,
) -> (Status, String, bool) {
    let what = format!("{} {} ({})", label(kind), d.id, d.engine);
    let Some(wanted) = want.wanted(&d.engine) else {
        return (
            Status::NotApplicable,
            format!("{what}: the baseline names no log types for this engine"),
            false,
        );
    };
    let state = if d.status.is_empty() || d.status == "available" {
        String::new()
    } else {
        format!(" (status {})", d.status)
    };
    let missing = want.missing(&d.engine, &d.log_exports);
    let exported: Vec<String> = wanted
        .iter()
        .filter(|t| d.log_exports.contains(t))
        .cloned()
        .collect();
    if missing.is_empty() {
        return (
            Status::Pass,
            format!(
                "{what} exports {} to {}{state}",
                exported.join(", "),
                lands(r, kind, d, &exported)
            ),
            false,
        );
    }
    if exported.is_empty() {
        let others = if d.log_exports.is_empty() {
            "exports no logs to CloudWatch Logs".to_string()
        } else {
            format!("exports only {}", d.log_exports.join(", "))
        };
        return (
            Status::Fail,
            format!(
                "{what} {others}{state}: {} not exported",
                missing.join(", ")
            ),
            false,
        );
    }
    (
        Status::Fail,
        format!(
            "{what} exports {} but not {}{state} (to {})",
            exported.join(", "),
            missing.join(", "),
            lands(r, kind, d, &exported)
        ),
        true,
    )
}

/// How far back each account's database logs can answer: the database that reaches back
/// least (0 days for one exporting none of the baseline's types; otherwise the shortest reach
/// of its exported types' log groups). Accounts whose databases or log groups could not be
/// read are left out (their findings are `unknown`).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.rds_logs else {
        return vec![];
    };
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        let mut out = Vec::new();
        for kind in [Kind::Instance, Kind::Cluster] {
            for d in judged(r, kind)? {
                let Some(wanted) = want.wanted(&d.engine) else {
                    continue;
                };
                let exported: Vec<&String> = wanted
                    .iter()
                    .filter(|t| d.log_exports.contains(t))
                    .collect();
                if exported.is_empty() {
                    out.push((
                        0,
                        format!(
                            "{} {} in {} exports none of {}",
                            label(kind),
                            d.id,
                            r.region,
                            wanted.join(", ")
                        ),
                    ));
                    continue;
                }
                r.data.cloudwatch_logs.groups.value()?;
                for t in exported {
                    if let Some((days, why)) = group(r, kind, d, t).and_then(|g| {
                        crate::sources::cloudwatch_logs::checks::reach(ctx, g, &r.region)
                    }) {
                        out.push((days, format!("{} {}: {why}", label(kind), d.id)));
                    }
                }
            }
        }
        Some(out)
    })
}
