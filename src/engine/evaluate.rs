//! Judge an inventory: every source publishes its facts, then every check runs (registry order),
//! its raw findings become reported ones (severity, remediation and framework references from the
//! check's definition, so no check can forget them), and the coverage matrix and lookbacks are
//! derived from them, so every output format tells the same story.

use super::Registry;
use crate::finding::{CoverageCell, CoverageState, Finding, Status};
use crate::inventory::Inventory;
use crate::rules::{Ctx, Evaluation, LogBuckets};
use std::collections::{BTreeSet, HashMap};

/// The evaluation context of an inventory: the log buckets every source names, and the facts
/// every source publishes, in registry order.
pub fn context<'a, R: Registry>(inv: &'a Inventory<R>, b: &'a R::Baseline) -> Ctx<'a, R> {
    let mut log_buckets = LogBuckets::default();
    for s in R::sources() {
        (s.log_buckets)(inv, &mut log_buckets);
    }
    let mut ctx = Ctx {
        inv,
        b,
        facts: Default::default(),
        log_buckets,
        now: crate::timefmt::parse(&inv.collected_at),
    };
    for publish in R::sources().iter().filter_map(|s| s.facts) {
        publish(&mut ctx);
    }
    ctx
}

/// Run every check of the registry.
pub fn evaluate<R: Registry>(inv: &Inventory<R>, baseline: &R::Baseline) -> Evaluation {
    evaluate_in(&context(inv, baseline))
}

/// Run every check of the registry in an evaluation context made by [`context`].
pub fn evaluate_in<R: Registry>(ctx: &Ctx<R>) -> Evaluation {
    let (findings, partial_keys) = findings_in(ctx);
    let coverage = coverage::<R>(ctx.inv, &findings, &partial_keys);
    let lookback = R::sources()
        .iter()
        .filter_map(|s| s.lookback)
        .flat_map(|f| f(ctx))
        .collect();
    Evaluation {
        findings,
        coverage,
        lookback,
    }
}

/// Every check's findings, without the coverage grid and lookbacks: what the planners read (at
/// 1,000 accounts × 17 regions the grid alone is half a million cells).
pub fn verdicts_in<R: Registry>(ctx: &Ctx<R>) -> Evaluation {
    Evaluation {
        findings: findings_in(ctx).0,
        coverage: Vec::new(),
        lookback: Vec::new(),
    }
}

fn findings_in<R: Registry>(ctx: &Ctx<R>) -> (Vec<Finding>, BTreeSet<PartialKey>) {
    let mut findings = Vec::new();
    let mut partial_keys = BTreeSet::new();
    for def in R::checks() {
        let mut raws = (def.eval)(ctx);
        // One copy per check, shared by its findings.
        let remediation: std::sync::Arc<str> = def.remediation.into();
        let frameworks = def.to_frameworks();
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
                remediation: remediation.clone(),
                frameworks: frameworks.clone(),
                exception: None,
                breakdown: r.breakdown,
            });
        }
    }
    (findings, partial_keys)
}

type PartialKey = (&'static str, Option<String>, Option<String>, String);

/// One cell per account × region × coverage column: the column's checks' findings there,
/// combined (an account-wide `unknown`, a listing that failed, is unknown in every region).
/// The findings are indexed by check, account and region first, so the cost grows with the
/// findings and the cells, never with their product (17,000 account-regions stay seconds).
fn coverage<R: Registry>(
    inv: &Inventory<R>,
    findings: &[Finding],
    partial: &BTreeSet<PartialKey>,
) -> Vec<CoverageCell> {
    let columns: Vec<_> = R::sources()
        .iter()
        .filter_map(|s| s.coverage.map(|c| (s.id, c)))
        .collect();
    let wanted: BTreeSet<&str> = columns
        .iter()
        .flat_map(|(_, c)| c.checks.iter().copied())
        .collect();
    // (check, account) → (region → its findings, the account-wide unknowns).
    type Index<'f> =
        HashMap<(&'f str, &'f str), (HashMap<&'f str, Vec<&'f Finding>>, Vec<&'f Finding>)>;
    let mut index: Index = HashMap::new();
    for f in findings {
        let (Some(&check), Some(account)) =
            (wanted.get(f.check_id.as_str()), f.account_id.as_deref())
        else {
            continue;
        };
        let entry = index.entry((check, account)).or_default();
        match f.region.as_deref() {
            Some(r) => entry.0.entry(r).or_default().push(f),
            None if f.status == Status::Unknown => entry.1.push(f),
            None => {}
        }
    }
    let state = |check: &'static str, f: &Finding| match f.status {
        Status::Pass | Status::Excepted => CoverageState::Covered,
        Status::Unknown => CoverageState::Unknown,
        Status::NotApplicable => CoverageState::NotApplicable,
        Status::Fail => {
            let key = (
                check,
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
    };
    let mut cells = Vec::new();
    for a in &inv.accounts {
        for r in &inv.regions {
            for (source, cov) in &columns {
                let mut states = Vec::new();
                for check in cov.checks {
                    let Some((by_region, account_wide)) =
                        index.get(&(*check, a.account_id.as_str()))
                    else {
                        continue;
                    };
                    let here = by_region.get(r.as_str()).into_iter().flatten();
                    states.extend(here.chain(account_wide).map(|f| state(check, f)));
                }
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
