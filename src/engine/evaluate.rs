//! Judge an inventory: every source publishes its facts, then every check runs (registry order),
//! its raw findings become reported ones (severity, remediation and framework references from the
//! check's definition, so no check can forget them), and the coverage matrix and lookbacks are
//! derived from them, so every output format tells the same story.

use super::Registry;
use crate::finding::{CoverageCell, CoverageState, Finding, Status};
use crate::inventory::Inventory;
use crate::rules::{Ctx, Evaluation, LogBuckets};
use std::collections::BTreeSet;

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
    let inv = ctx.inv;
    let mut findings = Vec::new();
    let mut partial_keys = BTreeSet::new();
    for def in R::checks() {
        let mut raws = (def.eval)(ctx);
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
                breakdown: r.breakdown,
            });
        }
    }
    let coverage = coverage::<R>(inv, &findings, &partial_keys);
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

type PartialKey = (&'static str, Option<String>, Option<String>, String);

/// One cell per account × region × coverage column: the column's check's findings there,
/// combined (an account-wide `unknown`, a listing that failed, is unknown in every region).
fn coverage<R: Registry>(
    inv: &Inventory<R>,
    findings: &[Finding],
    partial: &BTreeSet<PartialKey>,
) -> Vec<CoverageCell> {
    let columns: Vec<_> = R::sources()
        .iter()
        .filter_map(|s| s.coverage.map(|c| (s.id, c)))
        .collect();
    let mut cells = Vec::new();
    for a in &inv.accounts {
        for r in &inv.regions {
            for (source, cov) in &columns {
                let states = findings
                    .iter()
                    .filter(|f| {
                        cov.checks.contains(&f.check_id.as_str())
                            && f.account_id.as_deref() == Some(a.account_id.as_str())
                            && (f.region.as_deref() == Some(r.as_str())
                                || (f.region.is_none() && f.status == Status::Unknown))
                    })
                    .map(|f| match f.status {
                        Status::Pass | Status::Excepted => CoverageState::Covered,
                        Status::Unknown => CoverageState::Unknown,
                        Status::NotApplicable => CoverageState::NotApplicable,
                        Status::Fail => {
                            let check = cov.checks.iter().copied().find(|c| *c == f.check_id);
                            let key = (
                                check.unwrap_or_default(),
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
