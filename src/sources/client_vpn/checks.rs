//! AWS Client VPN: every endpoint logs its client connections to CloudWatch Logs; and how far
//! back each account's connection logs can answer.

use super::model::Endpoint;
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, CheckInfo, Fix, Raw, Resource,
    Subject,
};
use crate::sources::{CheckDef, Ctx};

/// Client VPN endpoints, judged one by one.
pub static ENDPOINT: Resource = Resource {
    id: "client_vpn_endpoint",
    label: "Client VPN endpoint",
    cloudformation_type: "AWS::EC2::ClientVpnEndpoint",
    asff_type: "AwsEc2ClientVpnEndpoint",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "client_vpn.connection_logging",
        title: "Every AWS Client VPN endpoint logs its client connections",
        severity: Severity::Medium,
        scope: Subject::Resource(&ENDPOINT),
        looks_at: "DescribeClientVpnEndpoints (once per account and region, paginated): each endpoint's ConnectionLogOptions (enabled, and the CloudWatch Logs group it writes to); endpoints being deleted are left out",
        rationale: "Remote access is a favourite way in. Client VPN's connection log is the only record of who connected (the certificate or user), from which address, when, for how long and with what result, including the failed attempts; without it a stolen VPN credential leaves no trace of its use.",
        remediation: "Create a log group and `aws ec2 modify-client-vpn-endpoint --client-vpn-endpoint-id ENDPOINT_ID --connection-log-options Enabled=true,CloudwatchLogGroup=LOG_GROUP` (`logwarden plan` proposes both).",
        fix: Fix::Plan,
        frameworks: &[
            (AwsFsbp, &["EC2.51"]),
            (Nist80053, &["AU-2", "AU-12", "AC-17"]),
        ],
    },
    eval: connection_logging,
}];

/// The verdict on one endpoint.
pub fn judge(e: &Endpoint) -> (Status, String) {
    match (&e.connection_logging, &e.log_group) {
        (true, Some(g)) => (
            Status::Pass,
            format!(
                "{} logs its client connections to log group {g}{}",
                e.label(),
                e.log_stream
                    .as_deref()
                    .map(|s| format!(" (stream {s})"))
                    .unwrap_or_default()
            ),
        ),
        // AWS requires a log group with logging on; an answer without one is not a pass.
        (true, None) => (
            Status::Fail,
            format!(
                "{} has connection logging on but names no log group",
                e.label()
            ),
        ),
        (false, _) => (
            Status::Fail,
            format!("{} does not log its client connections", e.label()),
        ),
    }
}

pub fn connection_logging(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let Some(endpoints) = listed(
            a,
            r,
            &r.data.client_vpn.endpoints,
            "Client VPN endpoints",
            out,
        ) else {
            return;
        };
        for e in endpoints {
            let (status, msg) = match &ctx.b.client_vpn_logging {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "Client VPN connection logging"),
                ),
                Some(_) => judge(e),
            };
            out.push(Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                e.id.clone(),
                msg,
            ));
        }
    })
}

/// What reports say of this source's lookback.
pub const LOOKBACK_NOTE: &str = "Client VPN: the endpoint whose connection log reaches back least (its log group's retention, or the group's age when younger; 0 for an endpoint that logs nothing)";

/// How far back each account's Client VPN connection logs can answer: the endpoint that
/// reaches back least. Accounts whose endpoints could not be read are left out (their findings
/// are `unknown`); a log group not in the account's listing gives no figure.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if ctx.b.client_vpn_logging.is_none() {
        return vec![];
    }
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        let endpoints = r.data.client_vpn.endpoints.value()?;
        let mut out = Vec::new();
        for e in endpoints {
            match (&e.connection_logging, &e.log_group) {
                (true, Some(g)) => out.extend(
                    crate::sources::cloudwatch_logs::checks::reach_named(ctx, r, g)
                        .map(|(days, why)| (days, format!("Client VPN endpoint {}: {why}", e.id))),
                ),
                _ => out.push((
                    0,
                    format!(
                        "Client VPN endpoint {} in {} logs no connections",
                        e.id, r.region
                    ),
                )),
            }
        }
        Some(out)
    })
}
