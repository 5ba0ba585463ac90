//! `logwarden apply`: plan (or check a saved plan is still current), confirm, then make each
//! change in dependency order, independent changes concurrently, and report every outcome.

use super::collect_inventory;
use crate::apply::{execute, staleness, Outcome, Status};
use crate::aws::apply::Executor;
use crate::aws::runtime;
use crate::config::ApplyConfig;
use crate::error::Error;
use crate::io::write_stdout;
use crate::plan::render;
use crate::sources::{Plan, Sources};
use std::io::{BufRead, IsTerminal, Write};

pub fn run(
    cfg: ApplyConfig,
    show_progress: bool,
    quiet: bool,
    stdout: &mut dyn Write,
) -> Result<i32, Error> {
    let inventory = collect_inventory(&cfg.request, &cfg.baseline.baseline, show_progress, quiet)?;
    let plan = crate::engine::plan::plan::<Sources>(
        &cfg.baseline.baseline,
        &cfg.baseline.source,
        &inventory,
        time::OffsetDateTime::now_utc(),
    )
    .map_err(|e| Error::Usage(e.to_string()))?;
    let plan = match &cfg.saved {
        None => plan,
        Some(saved) => {
            if let Some(why) = staleness(saved, &plan) {
                let path = cfg
                    .saved_path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "plan.json".into());
                eprintln!(
                    "error: the saved plan {path} is stale: the organization changed since it was made:\n{why}\n  hint: make the plan again for the same scope, review it, and apply it:\n    logwarden plan{} --out {path}",
                    replan_args(saved)
                );
                return Ok(1);
            }
            // Exactly the reviewed operations (the re-plan only proved they still hold).
            saved.clone()
        }
    };
    if !quiet {
        eprintln!("{}", super::identity(&plan));
    }
    let text = render::text(&plan);
    let text = if render::color_wanted() {
        render::colored(&text)
    } else {
        text
    };
    write_stdout(stdout, &text)?;
    if !plan.unknown.is_empty() {
        eprintln!(
            "error: refusing to apply: {} item(s) could not be read, so the plan may be incomplete or wrong for them (listed above under \"Could not be read\").\n  hint: grant the IAM actions named there and apply again, or leave those accounts or regions out with --accounts / --exclude-accounts / --regions",
            plan.unknown.len()
        );
        return Ok(1);
    }
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
    // The log archive's account too: keys named by alias are resolved there.
    if let Some(m) = &inventory.managed {
        accounts.push(m.log_archive.account_id.clone());
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
        cfg.allow_scp,
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

/// The flags that make a plan again for a saved plan's profile and scope.
fn replan_args(saved: &Plan) -> String {
    let mut out = String::new();
    if let Some(name) = saved.baseline_source.strip_prefix("bundled:") {
        out.push_str(&format!(" --baseline {name}"));
    } else {
        out.push_str(&format!(" --baseline {}", saved.baseline_source));
    }
    if let Some(a) = &saved.scope.accounts {
        out.push_str(&format!(" --accounts {}", a.join(",")));
    }
    if !saved.scope.exclude_accounts.is_empty() {
        out.push_str(&format!(
            " --exclude-accounts {}",
            saved.scope.exclude_accounts.join(",")
        ));
    }
    if let Some(r) = &saved.scope.regions {
        out.push_str(&format!(" --regions {}", r.join(",")));
    }
    out
}
