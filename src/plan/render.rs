//! The plan as people read it: Terraform's symbols (`+` create, `~` update, `!` manual), one
//! block per change with `before → after` attributes, then what is kept, what cannot be
//! managed, what could not be read, and the summary line.

use super::{Action, Plan};
use crate::shape::Shape;
use std::fmt::Write;

/// The plan text in colour, as Terraform shows it on a terminal: creates green, updates
/// yellow, manual steps magenta, unreadable resources red, section titles and the summary bold.
/// For a terminal only (the caller checks it, and `NO_COLOR`).
pub fn colored(text: &str) -> String {
    const GREEN: &str = "\x1b[32m";
    const YELLOW: &str = "\x1b[33m";
    const MAGENTA: &str = "\x1b[35m";
    const RED: &str = "\x1b[31m";
    const BOLD: &str = "\x1b[1m";
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut unreadable = false;
    for line in text.lines() {
        let style = if line.starts_with("  + ") {
            Some(GREEN)
        } else if line.starts_with("  ~ ") {
            Some(YELLOW)
        } else if line.starts_with("  ! ") {
            Some(MAGENTA)
        } else if line.starts_with("  = ") && unreadable {
            Some(RED)
        } else if !line.is_empty() && !line.starts_with(' ') {
            unreadable = line.starts_with("Could not be read");
            Some(BOLD)
        } else {
            None
        };
        match style {
            Some(s) => {
                let _ = writeln!(out, "{s}{line}{RESET}");
            }
            None => {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out
}

/// Whether stdout takes colour: a terminal, and no `NO_COLOR`.
pub fn color_wanted() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

pub fn text<S: Shape>(plan: &Plan<S>) -> String {
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
        if c.organization_policy {
            flags.push_str("  [organization policy: needs --allow-scp]");
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_plan_is_coloured_as_terraform_colours_it() {
        let text = "logwarden plan: organization o-1 against t.yaml\n\n  + kms_key.alias/x  (1 us-east-1)\n      alias: x\n  ~ s3_bucket.b  (1 us-east-1)\n  ! budget.b  (1 -)\n\nKept (more):\n  = a  (1 r): kept\n\nCould not be read (nothing planned):\n  = b  (1 r): denied\n\nPlan: 1 to add, 1 to change, 1 manual.\n";
        let c = super::colored(text);
        assert!(c.contains("\x1b[32m  + kms_key.alias/x"));
        assert!(c.contains("\x1b[33m  ~ s3_bucket.b"));
        assert!(c.contains("\x1b[35m  ! budget.b"));
        assert!(c.contains("\n      alias: x\n"), "attributes stay plain");
        assert!(
            c.contains("\n  = a  (1 r): kept\n"),
            "kept notes stay plain"
        );
        assert!(
            c.contains("\x1b[31m  = b  (1 r): denied"),
            "unreadable in red"
        );
        assert!(c.contains("\x1b[1mPlan: 1 to add"));
        // Without the escapes, the same text.
        let plain: String = c
            .replace("\x1b[32m", "")
            .replace("\x1b[33m", "")
            .replace("\x1b[35m", "")
            .replace("\x1b[31m", "")
            .replace("\x1b[1m", "")
            .replace("\x1b[0m", "");
        assert_eq!(plain, text);
    }
}
