//! Pure checks over inventory + baseline, with stable IDs in one registry.
//!
//! Every check is a function from an evaluation context to raw findings; [`evaluate`] runs the
//! registry and attaches severity, remediation and framework references from the check's
//! definition, so no check can forget them. What could not be read is `unknown` with the reason;
//! an error never becomes a pass or a fail. The coverage matrix is derived from the findings, so
//! every output format tells the same story.

mod registry;

pub use registry::{registry, CheckDef, Fix, FrameworkRefs, Scope};

use crate::baseline::Baseline;
use crate::finding::{CoverageCell, CoverageState, Finding, Lookback, Status};
use crate::inventory::{
    AccountInventory, CallError, Collected, Inventory, RegionInventory, ScopeMode,
};
use crate::sources::cloudtrail::model::Trail;
use crate::sources::s3_access_logs::model::Bucket;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The lookback of `source` per account: the smallest of the (days, basis) candidates `f` gives
/// for each enabled region of each reachable account. `f` answers `None` when the region could
/// not be read: the account is then left out (its findings are `unknown`), never guessed.
pub fn lookback_per_account<'a>(
    ctx: &Ctx<'a>,
    source: &str,
    mut f: impl FnMut(&'a AccountInventory, &'a RegionInventory) -> Option<Vec<(u32, String)>>,
) -> Vec<Lookback> {
    let mut out = Vec::new();
    'accounts: for a in &ctx.inv.accounts {
        if a.access.error().is_some() {
            continue;
        }
        let mut worst: Option<(u32, String)> = None;
        for r in ctx.enabled_regions(a) {
            let Some(candidates) = f(a, r) else {
                continue 'accounts;
            };
            for c in candidates {
                if worst.as_ref().is_none_or(|(d, _)| c.0 < *d) {
                    worst = Some(c);
                }
            }
        }
        if let Some((days, basis)) = worst {
            out.push(Lookback {
                account_id: a.account_id.clone(),
                source: source.into(),
                days,
                basis,
            });
        }
    }
    out
}

/// Days since `since` (ISO 8601) at the audit's time, when both are known.
pub fn age_days(ctx: &Ctx, since: Option<&str>) -> Option<u32> {
    match (ctx.now, since.and_then(crate::timefmt::parse)) {
        (Some(n), Some(t)) => Some((n - t).whole_days().max(0) as u32),
        _ => None,
    }
}

/// What a check function returns; [`evaluate`] turns it into a [`Finding`].
#[derive(Debug, Clone)]
pub struct Raw {
    pub status: Status,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub resource: String,
    pub message: String,
    /// Coverage nuance for the matrix: a failing finding that still captures part of the source.
    pub partial: bool,
}

impl Raw {
    pub fn new(
        status: Status,
        account: Option<&str>,
        region: Option<&str>,
        resource: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Raw {
            status,
            account_id: account.map(String::from),
            region: region.map(String::from),
            resource: resource.into(),
            message: message.into(),
            partial: false,
        }
    }
}

/// The evaluated result: findings (registry order, then account, region, resource) and coverage.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    pub coverage: Vec<CoverageCell>,
    pub lookback: Vec<Lookback>,
}

/// Run every check of the registry.
pub fn evaluate(inv: &Inventory, baseline: &Baseline) -> Evaluation {
    let ctx = Ctx::new(inv, baseline);
    let mut findings = Vec::new();
    let mut partial_keys = BTreeSet::new();
    for def in registry() {
        let mut raws = (def.eval)(&ctx);
        raws.sort_by(|a, b| {
            (&a.account_id, &a.region, &a.resource).cmp(&(&b.account_id, &b.region, &b.resource))
        });
        for r in raws {
            if r.partial {
                partial_keys.insert((
                    def.id,
                    r.account_id.clone(),
                    r.region.clone(),
                    r.resource.clone(),
                ));
            }
            findings.push(Finding {
                check_id: def.id.to_string(),
                status: r.status,
                severity: def.severity,
                account_id: r.account_id,
                region: r.region,
                resource: r.resource,
                message: r.message,
                remediation: def.remediation.to_string(),
                frameworks: def.to_frameworks(),
                exception: None,
            });
        }
    }
    let coverage = coverage(inv, &findings, &partial_keys);
    let lookback = crate::sources::SOURCES
        .iter()
        .filter_map(|s| s.lookback)
        .flat_map(|f| f(&ctx))
        .collect();
    Evaluation {
        findings,
        coverage,
        lookback,
    }
}

type PartialKey = (&'static str, Option<String>, Option<String>, String);

fn coverage(
    inv: &Inventory,
    findings: &[Finding],
    partial: &BTreeSet<PartialKey>,
) -> Vec<CoverageCell> {
    let mut cells = Vec::new();
    for a in &inv.accounts {
        for r in &inv.regions {
            for (source, cov) in crate::sources::coverage_columns() {
                let states = findings
                    .iter()
                    .filter(|f| {
                        f.check_id == cov.check
                            && f.account_id.as_deref() == Some(a.account_id.as_str())
                            // An account-wide unknown (a listing that failed) is unknown in
                            // every region of the account.
                            && (f.region.as_deref() == Some(r.as_str())
                                || (f.region.is_none() && f.status == Status::Unknown))
                    })
                    .map(|f| match f.status {
                        Status::Pass | Status::Excepted => CoverageState::Covered,
                        Status::Unknown => CoverageState::Unknown,
                        Status::NotApplicable => CoverageState::NotApplicable,
                        Status::Fail => {
                            let key = (
                                cov.check,
                                f.account_id.clone(),
                                f.region.clone(),
                                f.resource.clone(),
                            );
                            if partial.contains(&key) {
                                CoverageState::Partial
                            } else {
                                CoverageState::Missing
                            }
                        }
                    });
                cells.push(CoverageCell {
                    account_id: a.account_id.clone(),
                    region: r.clone(),
                    source: source.to_string(),
                    state: CoverageState::combine(states),
                });
            }
        }
    }
    cells
}

/// Indexes shared by the checks, built once per evaluation.
pub struct Ctx<'a> {
    pub inv: &'a Inventory,
    pub b: &'a Baseline,
    /// Every trail whose details were read, once, by ARN (the owner's read preferred).
    pub trails: BTreeMap<&'a str, &'a Trail>,
    /// Bucket name → (owning account, bucket).
    pub buckets: HashMap<&'a str, (&'a AccountInventory, &'a Bucket)>,
    /// Buckets that receive logs: trail buckets, access-log targets, flow-log and ELB log
    /// buckets; and where that list may be incomplete.
    pub log_buckets: LogBuckets,
    /// Buckets that are themselves server-access-log targets; and where that list may be
    /// incomplete (a bucket's logging could not be read: its target, in the same account and
    /// region, is unknown).
    pub access_log_targets: LogBuckets,
    /// Where trails could not be listed (an unreachable account, a region whose trails or
    /// whose status could not be read): the trails of [`Ctx::trails`] are complete everywhere
    /// else. Checks over trails, or over what trails name (their buckets), report each gap as
    /// `unknown`, so nothing they would have judged silently disappears.
    pub trail_gaps: Vec<Gap>,
    /// When the inventory was collected: the "now" of every judgement about time (stale
    /// deliveries, ages), so a saved inventory is judged as of its collection.
    pub now: Option<time::OffsetDateTime>,
}

/// Buckets that receive logs, as far as the inventory tells, and the reads that failed and
/// could have named more: a bucket not in `names` is known not to receive logs only if no
/// doubt covers it.
#[derive(Debug, Clone, Default)]
pub struct LogBuckets {
    pub names: BTreeSet<String>,
    pub doubts: Vec<Doubt>,
}

/// A failed read that could have named a log bucket, and which buckets it could have named.
#[derive(Debug, Clone)]
pub struct Doubt {
    pub scope: DoubtScope,
    /// What could not be read, for a message ("the trails of account X in R could not be
    /// read: ...").
    pub reason: String,
}

/// Which buckets a failed read could have named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DoubtScope {
    /// Any bucket (trails and flow logs may deliver across accounts and regions).
    Anywhere,
    /// Buckets in this region (ELB and Resolver query logs deliver in their region).
    Region(String),
    /// Buckets of this account in this region, or in any region when `None` (a server access
    /// log target is in the source bucket's account and region).
    Account(String, Option<String>),
}

impl LogBuckets {
    pub fn insert(&mut self, name: impl Into<String>) {
        self.names.insert(name.into());
    }

    pub fn doubt(&mut self, scope: DoubtScope, reason: impl Into<String>) {
        self.doubts.push(Doubt {
            scope,
            reason: reason.into(),
        });
    }

    /// Whether the bucket is known to receive logs.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Why a bucket (of `account`, in `region` when known) not in the list may still receive
    /// logs; `None` when it is known not to.
    pub fn doubt_about(&self, account: &str, region: Option<&str>) -> Option<&str> {
        self.doubts
            .iter()
            .find(|d| match &d.scope {
                DoubtScope::Anywhere => true,
                DoubtScope::Region(r) => region.is_none_or(|x| x == r),
                DoubtScope::Account(a, r) => {
                    a == account && (r.is_none() || region.is_none() || r.as_deref() == region)
                }
            })
            .map(|d| d.reason.as_str())
    }
}

/// A scope where a listing failed: an account (`region` None) or an account × region.
#[derive(Debug, Clone)]
pub struct Gap {
    pub account_id: String,
    pub region: Option<String>,
    /// Why, for a message ("could not be read: ... grant ...").
    pub reason: String,
}

impl Gap {
    /// The resource an `unknown` finding for this gap names: `ACCOUNT` or `ACCOUNT:REGION`.
    pub fn resource(&self) -> String {
        match &self.region {
            Some(r) => format!("{}:{r}", self.account_id),
            None => self.account_id.clone(),
        }
    }

    /// The `unknown` finding for this gap: `what` names what could not be judged.
    pub fn unknown(&self, what: &str) -> Raw {
        let place = match &self.region {
            Some(r) => format!("account {} in {r}", self.account_id),
            None => format!("account {}", self.account_id),
        };
        Raw::new(
            Status::Unknown,
            Some(&self.account_id),
            self.region.as_deref(),
            self.resource(),
            format!("{what} of {place} are not judged: {}", self.reason),
        )
    }
}

/// Where the trails could not be listed.
fn trail_gaps(inv: &Inventory) -> Vec<Gap> {
    let mut out = Vec::new();
    for a in &inv.accounts {
        if let Some(e) = a.access.error() {
            out.push(Gap {
                account_id: a.account_id.clone(),
                region: None,
                reason: format!(
                    "the account was not audited ({} failed: {}: {})",
                    e.iam_action, e.code, e.message
                ),
            });
            continue;
        }
        for r in &a.regions {
            let failed = match r.enabled.error() {
                Some(e) if e.code == "RegionNotEnabled" => continue,
                Some(e) => Some(e),
                None => r.data.cloudtrail.trails.error(),
            };
            if let Some(e) = failed {
                out.push(Gap {
                    account_id: a.account_id.clone(),
                    region: Some(r.region.clone()),
                    reason: format!("its trails {}", unknown_because(e)),
                });
            }
        }
    }
    out
}

impl<'a> Ctx<'a> {
    pub fn new(inv: &'a Inventory, b: &'a Baseline) -> Self {
        let mut trails: BTreeMap<&str, &Trail> = BTreeMap::new();
        for a in &inv.accounts {
            for t in &a.data.cloudtrail.trails {
                let owned = crate::arn::account_of(&t.arn) == Some(a.account_id.as_str());
                if owned || !trails.contains_key(t.arn.as_str()) {
                    trails.insert(t.arn.as_str(), t);
                }
            }
        }
        let mut buckets = HashMap::new();
        for a in &inv.accounts {
            if let Some(list) = a.data.s3_access_logs.buckets.value() {
                for bk in list {
                    buckets.insert(bk.name.as_str(), (a, bk));
                }
            }
        }
        let mut access_log_targets = LogBuckets::default();
        crate::sources::s3_access_logs::access_log_targets(inv, &mut access_log_targets);
        let mut log_buckets = LogBuckets::default();
        for s in crate::sources::SOURCES {
            (s.log_buckets)(inv, &mut log_buckets);
        }
        Ctx {
            inv,
            b,
            trails,
            buckets,
            log_buckets,
            access_log_targets,
            trail_gaps: trail_gaps(inv),
            now: crate::timefmt::parse(&inv.collected_at),
        }
    }

    pub fn in_org(&self) -> bool {
        self.inv.mode == ScopeMode::Organization && self.inv.organization.is_some()
    }

    /// The enabled regions of an account, with their inventory.
    pub fn enabled_regions(
        &self,
        a: &'a AccountInventory,
    ) -> impl Iterator<Item = &'a RegionInventory> {
        a.regions.iter().filter(|r| r.enabled.value().is_some())
    }
}

/// Why something is unknown, for a message.
pub fn unknown_because(e: &CallError) -> String {
    format!(
        "could not be read: {} {} returned {} ({}); {}",
        e.service,
        e.operation,
        e.code,
        e.message,
        e.advice()
    )
}

/// `unknown` findings for an account whose role could not be assumed, or `not_applicable` ones
/// for regions that are not enabled. Checks call this so every account appears in the report.
pub fn account_unreachable(
    a: &AccountInventory,
    region: Option<&str>,
    resource: &str,
) -> Option<Raw> {
    let e = a.access.error()?;
    Some(Raw::new(
        Status::Unknown,
        Some(&a.account_id),
        region,
        resource,
        format!(
            "account not audited: {} failed ({}: {}); {}",
            e.operation,
            e.code,
            e.message,
            e.advice()
        ),
    ))
}

/// The verdict for a region that is not enabled, if it is not.
pub fn region_not_enabled(
    a: &AccountInventory,
    r: &RegionInventory,
    resource: &str,
) -> Option<Raw> {
    let e = r.enabled.error()?;
    Some(if e.code == "RegionNotEnabled" {
        Raw::new(
            Status::NotApplicable,
            Some(&a.account_id),
            Some(&r.region),
            resource,
            format!("region {} is not enabled for this account", r.region),
        )
    } else {
        Raw::new(
            Status::Unknown,
            Some(&a.account_id),
            Some(&r.region),
            resource,
            format!("whether the region is enabled {}", unknown_because(e)),
        )
    })
}

/// Walk every account × region: emits the right `unknown` / `not_applicable` finding for
/// unreachable accounts and regions that are not enabled, and lets `f` push the findings of each
/// reachable, enabled region (one per region, or one per resource in it).
pub fn per_enabled_region<'a>(
    ctx: &Ctx<'a>,
    mut f: impl FnMut(&'a AccountInventory, &'a RegionInventory, &mut Vec<Raw>),
) -> Vec<Raw> {
    let mut out = Vec::new();
    for a in &ctx.inv.accounts {
        for r in &a.regions {
            let res = format!("{}:{}", a.account_id, r.region);
            if let Some(raw) = account_unreachable(a, Some(&r.region), &res) {
                out.push(raw);
            } else if let Some(raw) = region_not_enabled(a, r, &res) {
                out.push(raw);
            } else {
                f(a, r, &mut out);
            }
        }
    }
    out
}

/// One finding per account × region (resource `ACCOUNT:REGION`).
pub fn per_account_region<'a>(
    ctx: &Ctx<'a>,
    mut f: impl FnMut(&'a AccountInventory, &'a RegionInventory) -> Raw,
) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| out.push(f(a, r)))
}

/// The resources a region lists, or one `unknown` finding for the region when the list failed.
pub fn listed<'v, T>(
    a: &AccountInventory,
    r: &RegionInventory,
    list: &'v Collected<Vec<T>>,
    what: &str,
    out: &mut Vec<Raw>,
) -> Option<&'v Vec<T>> {
    match need(list) {
        Ok(v) => Some(v),
        Err(e) => {
            let res = format!("{}:{}", a.account_id, r.region);
            out.push(Raw::new(
                Status::Unknown,
                Some(&a.account_id),
                Some(&r.region),
                res,
                format!("{what} {e}"),
            ));
            None
        }
    }
}

/// The account-level findings when a check is not required by the baseline.
pub fn not_required(ctx: &Ctx, what: &str) -> String {
    format!("{what} is not required by baseline '{}'", ctx.b.name)
}

/// Turn a collected value into a verdict or an `unknown` finding.
pub fn need<T>(c: &Collected<T>) -> Result<&T, String> {
    c.as_result().map_err(unknown_because)
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod check_tests;
