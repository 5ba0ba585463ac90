//! The apply executor: make a plan's changes, each once its dependencies are done, independent
//! ones concurrently, and report every outcome (done, failed with the call and IAM action,
//! skipped with the reason); and tell whether a saved plan still matches the organization.
//! The operations are the sources' (the registry's [`Operation`]s); the sessions are
//! [`Executor`]'s.

use crate::aws::apply::{Executor, Operation};
use crate::plan::{Action, Change, Plan};
use crate::shape::Shape;
use futures::stream::{self, StreamExt};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Failed,
    Skipped,
    Manual,
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub address: String,
    pub status: Status,
    pub reason: Option<String>,
}

/// Why a saved plan no longer matches the organization, or `None` if it does.
pub fn staleness<S: Shape>(saved: &Plan<S>, now: &Plan<S>) -> Option<String> {
    if saved.changes == now.changes {
        return None;
    }
    fn addrs<S: Shape>(p: &Plan<S>) -> BTreeMap<String, &Change<S>> {
        p.changes.iter().map(|c| (c.address.clone(), c)).collect()
    }
    let (a, b) = (addrs(saved), addrs(now));
    let mut diffs = Vec::new();
    for (k, c) in &a {
        match b.get(k) {
            None => diffs.push(format!("{k} is no longer needed")),
            Some(n) if n != c => diffs.push(format!("{k} changed")),
            _ => {}
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        diffs.push(format!("{k} is new"));
    }
    if diffs.is_empty() {
        diffs.push("the order of the changes differs".into());
    }
    // A few lines, not the whole plan.
    const SHOWN: usize = 8;
    let more = diffs.len().saturating_sub(SHOWN);
    diffs.truncate(SHOWN);
    let mut text = diffs
        .iter()
        .map(|d| format!("    {d}"))
        .collect::<Vec<_>>()
        .join("\n");
    if more > 0 {
        text.push_str(&format!("\n    ... and {more} more"));
    }
    Some(text)
}

/// Make the changes: each once its dependencies are done, independent ones concurrently.
pub async fn execute<S: Shape>(
    exec: &Executor,
    plan: &Plan<S>,
    allow_irreversible: bool,
    allow_scp: bool,
    concurrency: usize,
    report: &mut dyn FnMut(&Outcome),
) -> Vec<Outcome>
where
    S::Op: Operation,
{
    let known: std::collections::BTreeSet<&str> =
        plan.changes.iter().map(|c| c.address.as_str()).collect();
    let mut status: BTreeMap<String, Status> = BTreeMap::new();
    let mut out = Vec::new();
    let mut pending: Vec<&Change<S>> = Vec::new();
    for c in &plan.changes {
        if c.action == Action::Manual {
            let o = Outcome {
                address: c.address.clone(),
                status: Status::Manual,
                reason: c.manual.as_ref().map(|m| m.command.clone()),
            };
            report(&o);
            status.insert(c.address.clone(), Status::Manual);
            out.push(o);
        } else {
            pending.push(c);
        }
    }
    while !pending.is_empty() {
        let deps_settled = |c: &Change<S>| {
            c.depends_on
                .iter()
                .filter(|d| known.contains(d.as_str()))
                .all(|d| status.contains_key(d))
        };
        let (ready, rest): (Vec<&Change<S>>, Vec<&Change<S>>) =
            pending.iter().partition(|c| deps_settled(c));
        if ready.is_empty() {
            for c in rest {
                let o = Outcome {
                    address: c.address.clone(),
                    status: Status::Skipped,
                    reason: Some("its dependencies form a cycle".into()),
                };
                report(&o);
                out.push(o);
            }
            break;
        }
        pending = rest;
        let mut runnable = Vec::new();
        for c in ready {
            let failed_dep = c.depends_on.iter().find(|d| {
                matches!(
                    status.get(d.as_str()),
                    Some(Status::Failed | Status::Skipped)
                )
            });
            let skip = if let Some(d) = failed_dep {
                Some(format!("depends on {d}, which was not made"))
            } else if c.irreversible && !allow_irreversible {
                Some(
                    "irreversible (Object Lock): run again with --allow-irreversible to make it"
                        .into(),
                )
            } else if c.organization_policy && !allow_scp {
                Some(
                    "writes an organization policy (SCP/RCP): review the document in the plan, then run again with --allow-scp to make it"
                        .into(),
                )
            } else {
                None
            };
            match skip {
                Some(reason) => {
                    let o = Outcome {
                        address: c.address.clone(),
                        status: Status::Skipped,
                        reason: Some(reason),
                    };
                    report(&o);
                    status.insert(c.address.clone(), Status::Skipped);
                    out.push(o);
                }
                None => runnable.push(c),
            }
        }
        let results: Vec<Outcome> = stream::iter(runnable.into_iter().map(|c| async move {
            for op in &c.ops {
                if let Err(e) = exec.run(&c.account_id, &c.region, op).await {
                    return Outcome {
                        address: c.address.clone(),
                        status: Status::Failed,
                        reason: Some(format!(
                            "{} in account {}{} failed: {}: {}",
                            e.iam_action,
                            e.account_id,
                            e.region
                                .as_deref()
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default(),
                            e.code,
                            e.message
                        )),
                    };
                }
            }
            Outcome {
                address: c.address.clone(),
                status: Status::Done,
                reason: None,
            }
        }))
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
        for o in results {
            report(&o);
            status.insert(o.address.clone(), o.status);
            out.push(o);
        }
    }
    let order: BTreeMap<&str, usize> = plan
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.address.as_str(), i))
        .collect();
    out.sort_by_key(|o| order.get(o.address.as_str()).copied().unwrap_or(usize::MAX));
    out
}
