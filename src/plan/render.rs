//! The plan as people read it: Terraform's symbols (`+` create, `~` update, `!` manual), one
//! block per change with `before → after` attributes, then what is kept, what cannot be
//! managed, what could not be read, and the summary line.

use super::{Action, Plan};
use std::fmt::Write;

pub fn text(plan: &Plan) -> String {
    let mut out = String::new();
    let org = plan
        .organization_id
        .as_deref()
        .map(|o| format!("organization {o}"))
        .unwrap_or_else(|| format!("account {}", plan.caller_account_id));
    let _ = writeln!(
        out,
        "logwarden plan: {org} against {}\n",
        plan.baseline_source
    );
    for c in &plan.changes {
        let mut flags = String::new();
        if c.irreversible {
            flags.push_str("  [irreversible: needs --allow-irreversible]");
        }
        let _ = writeln!(
            out,
            "  {} {}  ({} {}){flags}",
            c.action.symbol(),
            c.address,
            c.account_id,
            c.region
        );
        for a in &c.attributes {
            match &a.before {
                None => {
                    let _ = writeln!(out, "      {}: {}", a.name, a.after);
                }
                Some(b) => {
                    let _ = writeln!(out, "      {}: {} → {}", a.name, b, a.after);
                }
            }
        }
        if let Some(m) = &c.manual {
            let _ = writeln!(out, "      why: {}", m.reason);
            let _ = writeln!(out, "      run: {}", m.command);
        }
        out.push('\n');
    }
    let section = |out: &mut String, title: &str, notes: &[super::Note]| {
        if notes.is_empty() {
            return;
        }
        let _ = writeln!(out, "{title}:");
        for n in notes {
            let _ = writeln!(
                out,
                "  = {}  ({} {}): {}",
                n.resource, n.account_id, n.region, n.message
            );
        }
        out.push('\n');
    };
    section(
        &mut out,
        "Kept (the organization has more than the baseline asks, or logwarden does not move it)",
        &plan.kept,
    );
    section(&mut out, "Not manageable", &plan.not_manageable);
    section(
        &mut out,
        "Could not be read (nothing planned)",
        &plan.unknown,
    );
    let _ = writeln!(out, "{}", plan.summary());
    if plan.changes.iter().any(|c| c.action == Action::Manual) {
        let _ = writeln!(
            out,
            "Manual steps (!) are not made by apply: run the commands shown."
        );
    }
    if !plan.unknown.is_empty() {
        let _ = writeln!(
            out,
            "warning: {} item(s) could not be read; grant the IAM actions named above and plan again.",
            plan.unknown.len()
        );
    }
    out
}
