//! Network Firewall logging: every firewall sends the log types the profile names to a
//! destination; and how far back each account's firewall logs can answer.

use super::model::{Firewall, LogDestination};
use super::profile::NetworkFirewallLoggingBaseline;
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, unknown_because, CheckInfo,
    Fix, Raw, Resource, Subject,
};
use crate::sources::{CheckDef, Ctx, RegionInventory};

/// Network Firewall firewalls, judged one by one.
pub static FIREWALL: Resource = Resource {
    id: "network_firewall",
    label: "Network Firewall firewall",
    cloudformation_type: "AWS::NetworkFirewall::Firewall",
    asff_type: "AwsNetworkFirewallFirewall",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "network_firewall.logging",
        title: "Every AWS Network Firewall firewall sends its alert and flow logs to a destination",
        severity: Severity::Medium,
        scope: Subject::Resource(&FIREWALL),
        looks_at: "ListFirewalls (once per account and region) and DescribeLoggingConfiguration (once per firewall; the service has no batch call): the log types in the firewall's LogDestinationConfigs and where each lands",
        rationale: "A firewall's alert log is the record of the traffic its rules caught (command and control, exfiltration, scans) and its flow log the record of every connection it passed. Network Firewall keeps neither unless told where to send it, and nothing can be recovered afterwards.",
        remediation: "Add each missing type, one per call: `aws network-firewall update-logging-configuration --firewall-arn FIREWALL_ARN --logging-configuration '{\"LogDestinationConfigs\":[EXISTING..., {\"LogType\":\"FLOW\",\"LogDestinationType\":\"S3\",\"LogDestination\":{\"bucketName\":\"BUCKET\"}}]}'` (`logwarden plan` proposes it to the log archive bucket, keeping existing destinations).",
        fix: Fix::Plan,
        frameworks: &[
            (AwsFsbp, &["NetworkFirewall.2"]),
            (Nist80053, &["AU-2", "AU-12", "SI-4"]),
        ],
    },
    eval: logging,
}];

pub fn logging(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let Some(firewalls) = listed(
            a,
            r,
            &r.data.network_firewall.firewalls,
            "Network Firewall firewalls",
            out,
        ) else {
            return;
        };
        for f in firewalls {
            let (status, msg) = match &ctx.b.network_firewall_logging {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "Network Firewall logging"),
                ),
                Some(want) => judge(want, f),
            };
            let mut raw = Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                f.arn.clone(),
                msg,
            );
            // Sending some of the types still captures part of the traffic's record.
            raw.partial =
                status == Status::Fail && f.logging.value().is_some_and(|d| !d.is_empty());
            out.push(raw);
        }
    })
}

/// The log types a firewall sends, each once, in AWS's order.
pub fn logged(dests: &[LogDestination]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for d in dests {
        if !out.contains(&d.log_type.as_str()) {
            out.push(d.log_type.as_str());
        }
    }
    out
}

pub fn judge(want: &NetworkFirewallLoggingBaseline, f: &Firewall) -> (Status, String) {
    let dests = match f.logging.as_result() {
        Ok(d) => d,
        Err(e) => {
            return (
                Status::Unknown,
                format!(
                    "the logging of Network Firewall firewall {} {}",
                    f.name,
                    unknown_because(e)
                ),
            )
        }
    };
    let missing: Vec<&str> = want
        .missing(&logged(dests))
        .iter()
        .map(|t| t.as_str())
        .collect();
    if dests.is_empty() {
        return (
            Status::Fail,
            format!(
                "Network Firewall firewall {} sends no logs: {} not logged",
                f.name,
                missing.join(", ")
            ),
        );
    }
    let sends: Vec<String> = dests
        .iter()
        .map(|d| format!("{} to {}", d.log_type, d.describe()))
        .collect();
    if missing.is_empty() {
        (
            Status::Pass,
            format!(
                "Network Firewall firewall {} sends {}",
                f.name,
                sends.join(", ")
            ),
        )
    } else {
        (
            Status::Fail,
            format!(
                "Network Firewall firewall {} sends {} but not {}",
                f.name,
                sends.join(", "),
                missing.join(", ")
            ),
        )
    }
}

/// What reports say of this source's lookback.
pub const LOOKBACK_NOTE: &str = "Network Firewall: the firewall whose wanted log types reach back least (its bucket's lifecycle for the account's network-firewall keys, or its log group's retention, the group's age when younger; 0 for a firewall missing a type; Firehose destinations are not counted)";

/// How far back each account's firewall logs can answer: per firewall, the wanted type that
/// reaches back least (each type at its best destination); the account's lookback is the
/// firewall that reaches back least. Accounts whose firewalls could not be read are left out.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.network_firewall_logging else {
        return vec![];
    };
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let firewalls = r.data.network_firewall.firewalls.value()?;
        let mut out = Vec::new();
        for f in firewalls {
            let dests = f.logging.value()?;
            let missing = want.missing(&logged(dests));
            if let Some(t) = missing.first() {
                out.push((
                    0,
                    format!(
                        "Network Firewall firewall {} in {} sends no {} logs",
                        f.name,
                        r.region,
                        t.as_str()
                    ),
                ));
                continue;
            }
            for t in &want.log_types {
                let best = dests
                    .iter()
                    .filter(|d| d.log_type == t.as_str())
                    .filter_map(|d| reach(ctx, &a.account_id, r, d))
                    .max_by_key(|(d, _)| *d);
                if let Some((days, why)) = best {
                    out.push((days, format!("firewall {} {}: {why}", f.name, t.as_str())));
                }
            }
        }
        Some(out)
    })
}

/// How long one destination keeps a firewall's logs; `None` when not known.
fn reach(
    ctx: &Ctx,
    account: &str,
    r: &RegionInventory,
    d: &LogDestination,
) -> Option<(u32, String)> {
    match d.destination_type.as_str() {
        "S3" => {
            let bucket = d.destination.get("bucketName")?;
            let prefix = match d.destination.get("prefix").map(|p| p.trim_matches('/')) {
                Some(p) if !p.is_empty() => format!("{p}/"),
                _ => String::new(),
            };
            // Network Firewall's key layout: PREFIX/AWSLogs/ACCOUNT/network-firewall/TYPE/REGION/.
            let key = format!(
                "{prefix}AWSLogs/{account}/network-firewall/{}/{}/",
                d.log_type.to_ascii_lowercase(),
                r.region
            );
            let k = crate::sources::s3_access_logs::buckets::keeps(ctx, bucket, &key)??;
            Some((k, format!("bucket {bucket} keeps them {k} days")))
        }
        "CloudWatchLogs" => {
            let name = d.destination.get("logGroup")?;
            crate::sources::cloudwatch_logs::checks::reach_named(ctx, r, name)
        }
        _ => None,
    }
}
