//! Security Lake's plan: never a lake (Security Lake is optional and billed), and never a
//! change made by logwarden. Where a lake exists and misses sources, a manual step in the
//! delegated administrator's account with the exact `create-aws-log-source` command (the
//! accounts and sources filled in); where it keeps objects less long than the profile asks, a
//! manual step naming `update-data-lake` (which takes the lake's whole configuration, so a
//! person assembles it from `list-data-lakes`).

use super::checks::{lakes, listing, missing};
use crate::plan::AttrChange;
use crate::sources::{Change, PlanCtx};
use serde_json::json;
use std::collections::BTreeMap;

/// The version of the AWS sources `create-aws-log-source` asks for (Security Lake's OCSF 1.1
/// sources).
const SOURCE_VERSION: &str = "2.0";

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.security_lake.clone() else {
        return;
    };
    let inv = ctx.inv;
    let mut steps = Vec::new();
    for (holder, l) in lakes(inv) {
        let address = format!("security_lake.{}.{}", holder.account_id, l.region);
        let sources = match listing(holder) {
            Ok(s) => s,
            Err(_) => {
                if let Some(e) = holder
                    .data
                    .security_lake
                    .sources
                    .as_ref()
                    .and_then(|c| c.error())
                {
                    steps.push(Err((
                        address,
                        holder.account_id.clone(),
                        l.region.clone(),
                        e.clone(),
                    )));
                }
                continue;
            }
        };
        let lacking = missing(inv, &want, sources, &l.region);
        if !lacking.is_empty() {
            // Source → the accounts that do not send it.
            let mut by_source: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (acct, s) in &lacking {
                for src in s {
                    by_source.entry(src).or_default().push(acct);
                }
            }
            let body: Vec<_> = by_source
                .iter()
                .map(|(s, accts)| {
                    json!({"sourceName": s, "sourceVersion": SOURCE_VERSION, "accounts": accts, "regions": [l.region]})
                })
                .collect();
            steps.push(Ok(Change::manual_step(
                format!("{address}.sources"),
                holder.account_id.clone(),
                l.region.clone(),
                AttrChange::new(
                    "missing_sources",
                    None::<String>,
                    lacking
                        .iter()
                        .map(|(a, s)| format!("{a}: {}", s.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                "Security Lake bills per GB ingested and normalized, and its sources are the delegated administrator's to choose",
                format!(
                    "aws securitylake create-aws-log-source --region {} --sources '{}'   # in account {}",
                    l.region,
                    serde_json::Value::Array(body),
                    holder.account_id
                ),
            )));
        }
        if let Some(d) = l
            .expiration_days
            .filter(|d| *d < 0 || (*d as u32) < want.min_retention_days)
        {
            steps.push(Ok(Change::manual_step(
                format!("{address}.expiration"),
                holder.account_id.clone(),
                l.region.clone(),
                AttrChange::new(
                    "expiration_days",
                    Some(d.to_string()),
                    want.min_retention_days.to_string(),
                ),
                "update-data-lake replaces the region's whole configuration (encryption, transitions, replication): assemble it from list-data-lakes, raising only the expiration",
                format!(
                    "aws securitylake list-data-lakes --region {r} --regions {r}   # then: aws securitylake update-data-lake --region {r} --configurations '[{{\"region\":\"{r}\",\"lifecycleConfiguration\":{{\"expiration\":{{\"days\":{days}}}, ...}}, ...}}]'   # in account {a}",
                    r = l.region,
                    days = want.min_retention_days,
                    a = holder.account_id
                ),
            )));
        }
    }
    for s in steps {
        match s {
            Ok(c) => ctx.push(c),
            Err((address, account, region, e)) => {
                ctx.unknown(&address, &account, &region, "the Security Lake sources", &e)
            }
        }
    }
}
