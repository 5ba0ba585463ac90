//! Logs Insights queries over the Client VPN endpoints' connection logs (JSON records in the
//! endpoint's log group; AWS's field names carry hyphens, so they are quoted with backticks):
//! who connected from which device address, and the failed attempts.

use crate::query::{Contribution, LogGroupRef, QueryCtx};
use crate::sources::{read_for_query, Inventory};

/// Who connected (the certificate's common name, the user), from which public address of the
/// device, how often, first and last.
const CONNECTIONS: &str = "fields @timestamp, `client-vpn-endpoint-id`, username, `common-name`, `device-ip`, `client-ip`\n| filter `connection-log-type` = \"connection-attempt\" and `connection-attempt-status` = \"successful\"\n| stats count(*) as connections, min(@timestamp) as first_seen, max(@timestamp) as last_seen by `client-vpn-endpoint-id`, username, `common-name`, `device-ip`\n| sort connections desc\n| limit 200";

/// Failed attempts by identity, device address and reason: guessing, a revoked certificate, a
/// stolen credential tried from somewhere new.
const FAILED: &str = "fields @timestamp, `client-vpn-endpoint-id`, username, `common-name`, `device-ip`, `connection-attempt-failure-reason`\n| filter `connection-attempt-status` = \"failed\"\n| stats count(*) as attempts, min(@timestamp) as first_seen, max(@timestamp) as last_seen by username, `common-name`, `device-ip`, `connection-attempt-failure-reason`\n| sort attempts desc\n| limit 200";

pub fn query(inv: &Inventory, _: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    let mut groups: Vec<LogGroupRef> = Vec::new();
    for a in &inv.accounts {
        for r in &a.regions {
            let endpoints = &r.data.client_vpn.endpoints;
            let what = "the Client VPN endpoints";
            let at = (a.account_id.as_str(), r.region.as_str());
            let Some(endpoints) = read_for_query(&mut out, endpoints, at, what) else {
                continue;
            };
            for e in endpoints.iter().filter(|e| e.connection_logging) {
                let Some(name) = &e.log_group else { continue };
                groups.push(LogGroupRef {
                    account: a.account_id.clone(),
                    region: r.region.clone(),
                    name: name.clone(),
                });
            }
        }
    }
    out.insights_over(
        super::SOURCE.id,
        groups,
        &[
            (
                "client_vpn_connections",
                "Who connected to Client VPN, from which device address",
                CONNECTIONS,
            ),
            (
                "client_vpn_failed_attempts",
                "Failed Client VPN connection attempts by identity, address and reason",
                FAILED,
            ),
        ],
    );
    out
}
