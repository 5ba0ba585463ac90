//! EKS control-plane logging: every cluster sends the log types the profile names to
//! CloudWatch Logs; and how far back each account's cluster logs can answer.

use super::model::Cluster;
use super::profile::EksBaseline;
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, unknown_because, CheckInfo,
    Fix, Raw, Resource, Subject,
};
use crate::sources::cloudwatch_logs::model::LogGroup;
use crate::sources::{CheckDef, Ctx, RegionInventory};

/// EKS clusters, judged one by one.
pub static CLUSTER: Resource = Resource {
    id: "eks_cluster",
    label: "EKS cluster",
    cloudformation_type: "AWS::EKS::Cluster",
    asff_type: "AwsEksCluster",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "eks.control_plane_logging",
        title: "Every EKS cluster sends the baseline's control-plane log types (api, audit, authenticator) to CloudWatch Logs",
        severity: Severity::Medium,
        scope: Subject::Resource(&CLUSTER),
        looks_at: "ListClusters (once per account and region) and DescribeCluster (once per cluster; EKS has no batch call): the log types enabled in the cluster's `logging.clusterLogging`, and the retention of `/aws/eks/<cluster>/cluster` from the CloudWatch Logs listing",
        rationale: "The Kubernetes audit log is the only record of who did what inside a cluster (exec into a pod, read a secret, create a privileged workload); the authenticator log ties each Kubernetes identity to an IAM principal. EKS writes neither unless asked, and nothing can be recovered afterwards.",
        remediation: "Enable the types: `aws eks update-cluster-config --name CLUSTER --logging '{\"clusterLogging\":[{\"types\":[\"api\",\"audit\",\"authenticator\"],\"enabled\":true}]}'` (types already enabled stay enabled; `logwarden plan` proposes it, creating `/aws/eks/CLUSTER/cluster` first with the profile's retention). CloudWatch Logs ingestion is billed; the audit log is the largest.",
        fix: Fix::Plan,
        frameworks: &[
            (AwsFsbp, &["EKS.8"]),
            (Nist80053, &["AU-2", "AU-12"]),
        ],
    },
    eval: control_plane_logging,
}];

pub fn control_plane_logging(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let Some(clusters) = listed(a, r, &r.data.eks.clusters, "EKS clusters", out) else {
            return;
        };
        for c in clusters {
            let (status, msg) = match &ctx.b.eks {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "EKS control-plane logging"),
                ),
                Some(want) => judge(want, c, r),
            };
            // The cluster's ARN where it was described (ASFF and OCSF resources), its name
            // otherwise.
            let resource = match c.details.value() {
                Some(d) if !d.arn.is_empty() => d.arn.clone(),
                _ => c.name.clone(),
            };
            out.push(Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                resource,
                msg,
            ));
        }
    })
}

/// The cluster's log group in the region's CloudWatch Logs listing (`None` when the listing
/// failed or holds no such group).
fn group<'a>(r: &'a RegionInventory, cluster: &str) -> Option<&'a LogGroup> {
    let name = super::log_group(cluster);
    r.data
        .cloudwatch_logs
        .groups
        .value()?
        .iter()
        .find(|g| g.name == name)
}

/// Where the cluster's logs land, for a message.
fn lands(r: &RegionInventory, cluster: &str) -> String {
    let name = super::log_group(cluster);
    match group(r, cluster).map(|g| g.retention_days) {
        Some(Some(d)) => format!("log group {name} (kept {d} days)"),
        Some(None) => format!("log group {name} (never expires)"),
        None => format!("log group {name}"),
    }
}

fn judge(want: &EksBaseline, c: &Cluster, r: &RegionInventory) -> (Status, String) {
    let d = match c.details.as_result() {
        Ok(d) => d,
        Err(e) => {
            return (
                Status::Unknown,
                format!(
                    "the logging configuration of EKS cluster {} {}",
                    c.name,
                    unknown_because(e)
                ),
            )
        }
    };
    let state = if d.status.as_str() == "ACTIVE" {
        String::new()
    } else {
        format!(" (cluster {})", d.status)
    };
    let missing: Vec<&str> = want
        .missing(&d.enabled_log_types)
        .iter()
        .map(|t| t.as_str())
        .collect();
    if d.enabled_log_types.is_empty() {
        return (
            Status::Fail,
            format!(
                "EKS cluster {} sends no control-plane logs{state}: {} not enabled",
                c.name,
                missing.join(", ")
            ),
        );
    }
    let sends = d.enabled_log_types.join(", ");
    if missing.is_empty() {
        (
            Status::Pass,
            format!(
                "EKS cluster {} sends {sends} to {}{state}",
                c.name,
                lands(r, &c.name)
            ),
        )
    } else {
        (
            Status::Fail,
            format!(
                "EKS cluster {} sends {sends} but not {}{state} (to {})",
                c.name,
                missing.join(", "),
                lands(r, &c.name)
            ),
        )
    }
}

/// How far back each account's EKS control-plane logs can answer: the cluster that reaches
/// back least (0 days for one that sends nothing; otherwise its log group's retention, or the
/// group's age when younger). Accounts whose clusters or log groups could not be read are left
/// out (their findings are `unknown`).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if ctx.b.eks.is_none() {
        return vec![];
    }
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        let clusters = r.data.eks.clusters.value()?;
        let mut out = Vec::new();
        for c in clusters {
            let d = c.details.value()?;
            if d.enabled_log_types.is_empty() {
                out.push((
                    0,
                    format!(
                        "EKS cluster {} in {} sends no control-plane logs",
                        c.name, r.region
                    ),
                ));
                continue;
            }
            r.data.cloudwatch_logs.groups.value()?;
            if let Some((days, why)) = group(r, &c.name)
                .and_then(|g| crate::sources::cloudwatch_logs::checks::reach(ctx, g, &r.region))
            {
                out.push((days, format!("EKS cluster {}: {why}", c.name)));
            }
        }
        Some(out)
    })
}
