//! `logwarden apply`: plan (or check a saved plan is still current), confirm, then make each
//! change in dependency order, independent changes concurrently, and report every outcome.

use super::collect_inventory;
use crate::aws::mutate::Executor;
use crate::aws::runtime;
use crate::config::ApplyConfig;
use crate::error::Error;
use crate::io::write_stdout;
use crate::plan::{self, render, Action, Change, Plan};
use futures::stream::{self, StreamExt};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};

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
pub fn staleness(saved: &Plan, now: &Plan) -> Option<String> {
    if saved.fingerprint == now.fingerprint {
        return None;
    }
    fn addrs(p: &Plan) -> BTreeMap<String, &Change> {
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
    Some(diffs.join("; "))
}

pub fn run(
    cfg: ApplyConfig,
    show_progress: bool,
    quiet: bool,
    stdout: &mut dyn Write,
) -> Result<i32, Error> {
    let inventory = collect_inventory(&cfg.request, show_progress, quiet)?;
    let plan = plan::plan(
        &cfg.baseline.baseline,
        &cfg.baseline.source,
        &inventory,
        time::OffsetDateTime::now_utc(),
    )
    .map_err(|e| Error::Usage(e.to_string()))?;
    if let Some(saved) = &cfg.saved {
        if let Some(why) = staleness(saved, &plan) {
            eprintln!(
                "error: the saved plan {} is stale: the organization changed since it was made ({why}).\n  hint: run `logwarden plan --out {}` again, review it, and apply the new plan",
                cfg.saved_path.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
                cfg.saved_path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "plan.json".into()),
            );
            return Ok(1);
        }
    }
    write_stdout(stdout, &render::text(&plan))?;
    if plan.actionable() == 0 {
        return Ok(0);
    }
    if cfg.saved.is_none() && !cfg.auto_approve {
        if !std::io::stdin().is_terminal() {
            eprintln!("error: refusing to apply without confirmation: stdin is not a terminal.\n  hint: review the plan above and pass --auto-approve, or save it with `logwarden plan --out plan.json` and run `logwarden apply plan.json`");
            return Ok(1);
        }
        eprint!("\nDo you want to make these changes? Only 'yes' will be accepted: ");
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if answer.trim() != "yes" {
            eprintln!("Apply cancelled.");
            return Ok(1);
        }
    }
    let mut accounts: Vec<String> = plan.changes.iter().map(|c| c.account_id.clone()).collect();
    if let Some(m) = &inventory.managed {
        accounts.push(m.archive_account_id.clone());
    }
    accounts.sort();
    accounts.dedup();
    let rt = runtime()?;
    let exec = rt.block_on(Executor::connect(
        &cfg.request.aws,
        &accounts,
        cfg.request.concurrency,
    ))?;
    let outcomes = rt.block_on(execute(
        &exec,
        &plan,
        cfg.allow_irreversible,
        cfg.request.concurrency,
        &mut |o: &Outcome| {
            if !quiet {
                let line = match o.status {
                    Status::Done => format!("  done     {}", o.address),
                    Status::Failed => format!(
                        "  FAILED   {}: {}",
                        o.address,
                        o.reason.as_deref().unwrap_or("")
                    ),
                    Status::Skipped => format!(
                        "  skipped  {}: {}",
                        o.address,
                        o.reason.as_deref().unwrap_or("")
                    ),
                    Status::Manual => format!("  manual   {} (see the command above)", o.address),
                };
                eprintln!("{line}");
            }
        },
    ));
    let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
    let summary = format!(
        "\nApply {}: {} done, {} failed, {} skipped, {} manual; {} AWS write call(s).\n",
        if count(Status::Failed) + count(Status::Skipped) == 0 {
            "complete"
        } else {
            "incomplete"
        },
        count(Status::Done),
        count(Status::Failed),
        count(Status::Skipped),
        count(Status::Manual),
        exec.writes.get()
    );
    let mut tail = String::new();
    for o in outcomes
        .iter()
        .filter(|o| matches!(o.status, Status::Failed | Status::Skipped))
    {
        tail.push_str(&format!(
            "  {} {}: {}\n",
            if o.status == Status::Failed {
                "failed "
            } else {
                "skipped"
            },
            o.address,
            o.reason.as_deref().unwrap_or("")
        ));
    }
    write_stdout(stdout, &(summary + &tail))?;
    if count(Status::Failed) + count(Status::Skipped) > 0 {
        write_stdout(
            stdout,
            "Run `logwarden apply` again once the causes are fixed: it picks up where this run stopped.\n",
        )?;
        return Ok(1);
    }
    Ok(0)
}

/// Make the changes: each once its dependencies are done, independent ones concurrently.
pub async fn execute(
    exec: &Executor,
    plan: &Plan,
    allow_irreversible: bool,
    concurrency: usize,
    report: &mut dyn FnMut(&Outcome),
) -> Vec<Outcome> {
    let known: std::collections::BTreeSet<&str> =
        plan.changes.iter().map(|c| c.address.as_str()).collect();
    let mut status: BTreeMap<String, Status> = BTreeMap::new();
    let mut out = Vec::new();
    let mut pending: Vec<&Change> = Vec::new();
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
        let deps_settled = |c: &Change| {
            c.depends_on
                .iter()
                .filter(|d| known.contains(d.as_str()))
                .all(|d| status.contains_key(d))
        };
        let (ready, rest): (Vec<&Change>, Vec<&Change>) =
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
