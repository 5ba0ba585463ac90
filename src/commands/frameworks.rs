//! `logwarden frameworks list|show`: the crosswalk between frameworks' controls and checks.

use crate::cli::{ChecksFormat, FrameworksArgs, FrameworksCommand};
use crate::engine::Registry;
use crate::error::Error;
use crate::frameworks::Framework;
use crate::report::crosswalk::{checks_for, docs_markdown, markdown};
use crate::rules::CheckInfo;
use crate::sources::Sources;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use std::io::Write;

fn table(catalog: &[CheckInfo], fw: Framework) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(crate::io::terminal_width().unwrap_or(crate::report::FILE_WIDTH))
        .set_header(vec!["control", "title", "logwarden checks"]);
    for c in fw.controls() {
        let checks = checks_for(catalog, fw, c.id);
        t.add_row(vec![
            c.id.to_string(),
            c.title.to_string(),
            if checks.is_empty() {
                "not covered".to_string()
            } else {
                checks.join(", ")
            },
        ]);
    }
    format!("{} ({})\n{t}\n", fw.title(), fw.name())
}

fn json(catalog: &[CheckInfo], fw: Framework) -> serde_json::Value {
    serde_json::json!({
        "framework": fw.name(),
        "title": fw.title(),
        "controls": fw.controls().iter().map(|c| serde_json::json!({
            "control": c.id, "title": c.title, "checks": checks_for(catalog, fw, c.id),
        })).collect::<Vec<_>>(),
    })
}

pub fn run(args: &FrameworksArgs, out: &mut dyn Write) -> Result<i32, Error> {
    let text = match &args.command {
        FrameworksCommand::List => Framework::ALL
            .iter()
            .map(|f| format!("{:<12} {}\n", f.name(), f.title()))
            .collect(),
        FrameworksCommand::Show { name, all, format } => {
            let list: Vec<Framework> = match (all, name) {
                (true, _) => Framework::ALL.to_vec(),
                (false, Some(f)) => vec![*f],
                (false, None) => {
                    return Err(Error::Usage(format!(
                        "which framework? `frameworks show` takes one of: {}\n  hint: `logwarden frameworks show {}`, or `logwarden frameworks show --all` for every framework",
                        Framework::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", "),
                        Framework::ALL[0].name()
                    )))
                }
            };
            let catalog = Sources::catalog().checks;
            match format {
                ChecksFormat::Markdown if *all => docs_markdown(&catalog),
                ChecksFormat::Markdown => list.iter().map(|f| markdown(&catalog, *f)).collect(),
                ChecksFormat::Json => {
                    serde_json::to_string_pretty(
                        &list.iter().map(|f| json(&catalog, *f)).collect::<Vec<_>>(),
                    )
                    .expect("serializes")
                        + "\n"
                }
                ChecksFormat::Table => list.iter().map(|f| table(&catalog, *f)).collect(),
            }
        }
    };
    crate::io::write_stdout(out, &text)?;
    Ok(0)
}
