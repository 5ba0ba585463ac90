//! Security Lake: where a data lake exists, each of its regions collects the profile's sources
//! from every account in scope and keeps them at least the profile's days; and how far back the
//! lake can answer for each account.

use super::model::{AccountSources, DataLake};
use super::profile::{LakeSource, SecurityLakeBaseline};
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::Nist80053;
use crate::rules::{
    account_unreachable, lookback_per_account, not_required, unknown_because, CheckInfo, Fix, Raw,
    Resource, Subject,
};
use crate::sources::{AccountInventory, CheckDef, Ctx, Inventory};
use std::collections::BTreeMap;

/// Security Lake data lakes (one per region), judged one by one.
pub static DATA_LAKE: Resource = Resource {
    id: "security_lake_data_lake",
    label: "Security Lake data lake",
    cloudformation_type: "AWS::SecurityLake::DataLake",
    asff_type: "Other",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "security_lake.collection",
        title: "Where a Security Lake data lake exists, it collects the baseline's sources from every account and keeps them long enough",
        severity: Severity::Low,
        scope: Subject::Resource(&DATA_LAKE),
        looks_at: "ListDataLakes (once per account, for its enabled regions: the lakes, their bucket, encryption, expiration and replication) and, in the account holding lakes (the delegated administrator), ListLogSources (every account's sources per region); for the CLOUD_TRAIL_MGMT source, the organization's trails as CloudTrail's checks read them (Security Lake collects CloudTrail management events only where a logging multi-Region organization trail records read and write management events)",
        rationale: "A responder querying Security Lake sees only the accounts, regions and sources it collects, and only as far back as its expiration: an account left out, or a source not collected, is a blind spot that looks like silence. Security Lake is optional; where an organization pays for one, it should answer for all of it.",
        remediation: "In the delegated administrator's account: `aws securitylake create-aws-log-source --sources '[{\"sourceName\":\"VPC_FLOW\",\"sourceVersion\":\"2.0\",\"accounts\":[\"ACCOUNT\"],\"regions\":[\"REGION\"]}]'` for what is missing, and raise the expiration with `aws securitylake update-data-lake` (giving the lake's whole configuration: encryption, transitions, replication). `logwarden plan` lists both with the accounts and sources filled in.",
        fix: Fix::Manual,
        frameworks: &[(Nist80053, &["AU-6", "AU-11", "SI-4"])],
    },
    eval: collection,
}];

/// Every data lake of the organization, with the account holding it.
pub fn lakes(inv: &Inventory) -> Vec<(&AccountInventory, &DataLake)> {
    inv.accounts
        .iter()
        .filter(|a| a.access.error().is_none())
        .flat_map(|a| {
            a.data
                .security_lake
                .lakes
                .value()
                .into_iter()
                .flatten()
                .map(move |l| (a, l))
        })
        .collect()
}

/// The wanted sources each account in scope with `region` enabled does not send to the lake
/// there (accounts missing nothing left out), from the holder's source listing.
pub fn missing<'a>(
    inv: &'a Inventory,
    want: &SecurityLakeBaseline,
    sources: &[AccountSources],
    region: &str,
) -> BTreeMap<&'a str, Vec<&'static str>> {
    let mut out = BTreeMap::new();
    for a in &inv.accounts {
        let enabled = a
            .regions
            .iter()
            .any(|r| r.region == region && r.enabled.value().is_some());
        if a.access.error().is_some() || !enabled {
            continue;
        }
        let sent = sources
            .iter()
            .find(|s| s.account == a.account_id && s.region == region);
        let lacks: Vec<&'static str> = want
            .sources
            .iter()
            .map(|s| s.as_str())
            .filter(|s| !sent.is_some_and(|x| x.sources.iter().any(|y| y == s)))
            .collect();
        if !lacks.is_empty() {
            out.insert(a.account_id.as_str(), lacks);
        }
    }
    out
}

/// The source listing of the account holding lakes (`Err`: why it is unknown).
pub fn listing(holder: &AccountInventory) -> Result<&[AccountSources], String> {
    match &holder.data.security_lake.sources {
        Some(c) => match c.as_result() {
            Ok(v) => Ok(v),
            Err(e) => Err(unknown_because(e)),
        },
        None => Err("were not read".into()),
    }
}

/// What Security Lake collects, by account and region, for the checks of the sources it can
/// copy on its own. Security Lake takes VPC flow logs and Resolver query logs from the service
/// through a stream of its own, independent of the account's flow logs and query-logging
/// associations, and WAF logs through a logging configuration of its own scope (which the
/// listing of the account's configurations leaves out). Those
/// checks stay about the resource (as the controls they map to are), and a failing finding
/// says where the logs are all the same, so a responder is not told they do not exist.
pub struct LakeCopies<'a> {
    by: BTreeMap<(&'a str, &'a str), (&'a AccountSources, &'a str, Option<i32>)>,
}

impl<'a> LakeCopies<'a> {
    /// Built once per check from every lake holder's source listing (a holder whose listing
    /// could not be read adds nothing: the finding is judged without it, as before).
    pub fn of(inv: &'a Inventory) -> LakeCopies<'a> {
        let mut by = BTreeMap::new();
        for (holder, lake) in lakes(inv) {
            let Ok(sources) = listing(holder) else {
                continue;
            };
            for s in sources.iter().filter(|s| s.region == lake.region) {
                by.insert(
                    (s.account.as_str(), s.region.as_str()),
                    (s, holder.account_id.as_str(), lake.expiration_days),
                );
            }
        }
        LakeCopies { by }
    }

    /// For a failing finding about `account` and `region`: that Security Lake takes its own
    /// copy of `source` (`VPC_FLOW`, `ROUTE53`, `WAF`) there, into which lake, for how long.
    /// `None` when no lake collects it there.
    pub fn note(&self, account: &str, region: &str, source: &str) -> Option<String> {
        let (sent, holder, days) = self.by.get(&(account, region))?;
        if !sent.sources.iter().any(|s| s == source) {
            return None;
        }
        let keeps = match days {
            Some(d) => format!(", kept {d} days"),
            None => String::new(),
        };
        Some(format!(
            " (but Security Lake's data lake in account {holder} takes this account's {source} logs in {region} itself{keeps})"
        ))
    }
}

/// Whether Security Lake's `CLOUD_TRAIL_MGMT` source has anything to collect. AWS documents
/// that it needs at least one logging multi-Region organization trail that records read and
/// write management events: without one the lake's CloudTrail tables stay empty however many
/// accounts "send" the source. `Ok(None)`: such a trail exists (or, outside an organization,
/// not judged: the requirement is written for organizations); `Ok(Some(why))`: none does;
/// `Err(why)`: unknown (the management account's trails, or a candidate's status or
/// selectors, could not be read).
pub fn cloudtrail_feed(ctx: &Ctx) -> Result<Option<String>, String> {
    use crate::sources::cloudtrail::checks::{serves, Serves};
    use crate::sources::cloudtrail::{self as ct, model::EventSelectors, selectors};
    let Some(org) = ctx.inv.organization.as_ref().filter(|_| ctx.in_org()) else {
        return Ok(None);
    };
    let probes = selectors::management_probes(&EventSelectors::default(), true, &[]);
    let mut why = Vec::new();
    let mut unknown = Vec::new();
    for t in ct::trails(ctx).filter(|t| t.is_organization_trail && t.is_multi_region) {
        match serves(t, &probes, ctx.now) {
            Serves::Fully => return Ok(None),
            Serves::Partly(missing) => {
                let what: Vec<&str> = missing.iter().map(|(m, _)| m.as_str()).collect();
                why.push(format!(
                    "organization trail '{}' misses {}",
                    t.name,
                    what.join(", ")
                ));
            }
            Serves::Stopped(reason) => why.push(reason),
            Serves::Unknown(reason) => unknown.push(reason),
        }
    }
    let holder = ctx
        .inv
        .accounts
        .iter()
        .find(|a| a.account_id == org.management_account_id);
    match holder.map(ct::listing_error) {
        None => unknown.push(format!(
            "the trails of the management account {} were not read (it was left out of the audit)",
            org.management_account_id
        )),
        Some(Some(e)) => unknown.push(format!(
            "the trails of the management account {} {}",
            org.management_account_id,
            unknown_because(e)
        )),
        Some(None) => {}
    }
    if !unknown.is_empty() {
        return Err(unknown.join("; "));
    }
    if why.is_empty() {
        why.push("the organization has no multi-Region organization trail".into());
    }
    Ok(Some(why.join("; ")))
}

fn describe(l: &DataLake) -> String {
    let mut parts = Vec::new();
    if let Some(b) = &l.bucket_arn {
        parts.push(format!("bucket {b}"));
    }
    parts.push(match l.expiration_days {
        Some(d) => format!("expires after {d} days"),
        None => "never expires".into(),
    });
    if !l.replication_regions.is_empty() {
        parts.push(format!(
            "replicates to {}",
            l.replication_regions.join(", ")
        ));
    }
    format!(
        "Security Lake data lake in {} ({})",
        l.region,
        parts.join("; ")
    )
}

pub fn collection(ctx: &Ctx) -> Vec<Raw> {
    let found = lakes(ctx.inv);
    let mut out = Vec::new();
    if found.is_empty() {
        // No lake seen: where an account could not be read, whether it holds one is unknown.
        let mut unknown = false;
        for a in &ctx.inv.accounts {
            if let Some(raw) = account_unreachable(a, None, &a.account_id) {
                out.push(raw);
                unknown = true;
            } else if let Some(e) = a.data.security_lake.lakes.error() {
                out.push(Raw::new(
                    Status::Unknown,
                    Some(&a.account_id),
                    None,
                    a.account_id.clone(),
                    format!(
                        "whether this account holds a Security Lake data lake {}",
                        unknown_because(e)
                    ),
                ));
                unknown = true;
            }
        }
        if !unknown {
            out.push(Raw::new(
                Status::NotApplicable,
                None,
                None,
                "organization",
                "no Security Lake data lake in the organization (Security Lake is optional; logwarden never asks for one)",
            ));
        }
        return out;
    }
    // Security Lake has one delegated administrator per organization: once its lakes are
    // found, an account that could not be read cannot hold another.
    for (a, l) in found {
        let (status, msg) = match &ctx.b.security_lake {
            None => (
                Status::NotApplicable,
                not_required(ctx, "Security Lake collection"),
            ),
            Some(want) => judge(ctx, want, a, l),
        };
        out.push(Raw::new(
            status,
            Some(&a.account_id),
            Some(&l.region),
            l.arn.clone(),
            msg,
        ));
    }
    out
}

fn judge(
    ctx: &Ctx,
    want: &SecurityLakeBaseline,
    holder: &AccountInventory,
    l: &DataLake,
) -> (Status, String) {
    let what = describe(l);
    let sources = match listing(holder) {
        Ok(s) => s,
        Err(why) => {
            return (
                Status::Unknown,
                format!("{what}: the sources it collects {why}"),
            )
        }
    };
    let lacking = missing(ctx.inv, want, sources, &l.region);
    let mut gaps = Vec::new();
    if let Some(d) = l
        .expiration_days
        .filter(|d| *d < 0 || (*d as u32) < want.min_retention_days)
    {
        gaps.push(format!(
            "it keeps objects {d} days, not the baseline's {}",
            want.min_retention_days
        ));
    }
    if !lacking.is_empty() {
        let list: Vec<String> = lacking
            .iter()
            .map(|(acct, s)| format!("{acct} ({})", s.join(", ")))
            .collect();
        gaps.push(format!(
            "{} account(s) do not send every source: {}",
            lacking.len(),
            list.join(", ")
        ));
    }
    // A known gap fails the lake even where the trail feeding it is unknown.
    let mut doubt = None;
    if want.sources.contains(&LakeSource::CloudTrailMgmt) {
        match cloudtrail_feed(ctx) {
            Ok(None) => {}
            Ok(Some(why)) => gaps.push(format!(
                "its CLOUD_TRAIL_MGMT source has nothing to collect: Security Lake needs a logging multi-Region organization trail recording read and write management events, and {why}"
            )),
            Err(why) => doubt = Some(why),
        }
    }
    let asked: Vec<&str> = want.sources.iter().map(|s| s.as_str()).collect();
    if let (true, Some(why)) = (gaps.is_empty(), &doubt) {
        return (
            Status::Unknown,
            format!("{what}: whether a trail feeds its CLOUD_TRAIL_MGMT source is unknown: {why}"),
        );
    }
    if gaps.is_empty() {
        (
            Status::Pass,
            format!(
                "{what} collects {} from every account in scope",
                asked.join(", ")
            ),
        )
    } else {
        (Status::Fail, format!("{what}: {}", gaps.join("; ")))
    }
}

/// How far back Security Lake can answer for each account: the lake region that keeps least
/// (its expiration; 0 where the lake collects none of the baseline's sources from the account).
/// A lake that never expires gives no figure (its start is not known). Without any lake, or
/// with the source listing unreadable, no row.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.security_lake else {
        return vec![];
    };
    let found = lakes(ctx.inv);
    let Some(sources) = found.first().and_then(|(a, _)| listing(a).ok()) else {
        return vec![];
    };
    let by_region: BTreeMap<&str, &DataLake> =
        found.iter().map(|(_, l)| (l.region.as_str(), *l)).collect();
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let Some(l) = by_region.get(r.region.as_str()) else {
            return Some(vec![]);
        };
        let sent = sources
            .iter()
            .find(|s| s.account == a.account_id && s.region == r.region);
        let any = want
            .sources
            .iter()
            .any(|w| sent.is_some_and(|s| s.sources.iter().any(|x| x == w.as_str())));
        Some(if !any {
            vec![(
                0,
                format!(
                    "Security Lake in {} collects none of the baseline's sources from this account",
                    r.region
                ),
            )]
        } else {
            match l.expiration_days.and_then(|d| u32::try_from(d).ok()) {
                Some(d) => vec![(
                    d,
                    format!(
                        "Security Lake data lake in {} expires objects after {d} days",
                        r.region
                    ),
                )],
                None => vec![],
            }
        })
    })
}
