//! Subcommand orchestration: settings in, output written, exit code out.

pub mod audit;
pub mod checks;
pub mod diff;
pub mod frameworks;
pub mod profiles;

use crate::cli::{Cli, Command};
use crate::error::Error;
use std::io::{IsTerminal, Write};

/// Run the parsed command line; returns the exit code for a successful run.
pub fn run(cli: Cli, stdout: &mut dyn Write) -> Result<i32, Error> {
    match cli.command {
        Command::Checks(args) => checks::run(&args, stdout),
        Command::Diff(args) => diff::run(&args, stdout),
        Command::Frameworks(args) => frameworks::run(&args, stdout),
        Command::Profiles(args) => profiles::run(&args, stdout),
        Command::Schema => {
            audit::write_stdout(stdout, &crate::report::json_schema())?;
            Ok(0)
        }
        Command::Audit(args) => {
            let cfg = crate::config::AuditConfig::from_args(args, std::io::stdout().is_terminal())?;
            let show_progress = !cli.quiet
                && !cli.no_progress
                && cli.verbose == 0
                && std::io::stderr().is_terminal();
            audit::run(cfg, show_progress, cli.quiet, stdout)
        }
    }
}
