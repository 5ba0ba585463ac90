//! `logwarden profiles list|show|validate|schema`.

use crate::baseline;
use crate::cli::{ProfilesArgs, ProfilesCommand};
use crate::engine::Registry;
use crate::error::Error;
use crate::sources::{load_baseline, Baseline, Sources};
use std::io::Write;

pub fn run(args: &ProfilesArgs, out: &mut dyn Write) -> Result<i32, Error> {
    let text = match &args.command {
        ProfilesCommand::List => baseline::BUNDLED
            .iter()
            .map(|(name, text)| {
                let description = baseline::parse::<Baseline>(text, name, Sources::validate)
                    .map(|b| b.description)
                    .unwrap_or_default();
                format!("{name:<12} {description}\n")
            })
            .collect(),
        ProfilesCommand::Show { profile } => {
            let loaded = load_baseline(profile)?;
            serde_json::to_string_pretty(&loaded.baseline).expect("serializes") + "\n"
        }
        ProfilesCommand::Validate { profiles } => {
            let mut text = String::new();
            let mut failed = false;
            for p in profiles {
                match load_baseline(p) {
                    Ok(b) => text.push_str(&format!("ok: {p} ({})\n", b.baseline.name)),
                    Err(e) => {
                        failed = true;
                        eprintln!("error: {e}");
                    }
                }
            }
            crate::io::write_stdout(out, &text)?;
            return Ok(if failed { crate::error::exit::ERROR } else { 0 });
        }
        ProfilesCommand::Schema => baseline::json_schema::<Baseline>(),
    };
    crate::io::write_stdout(out, &text)?;
    Ok(0)
}
