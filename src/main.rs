//! The `logwarden` binary: parse, run, exit. Everything else is in the library.

use clap::Parser;
use logwarden::{cli::Cli, commands, error::exit};

/// mimalloc, not glibc's malloc: the SDK allocates for every call, and at 1,000 accounts × 17
/// regions glibc's malloc and free took about a quarter of the CPU (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            // LOGWARDEN_LOG, else the usual RUST_LOG, else -v / -q.
            tracing_subscriber::EnvFilter::try_from_env("LOGWARDEN_LOG")
                .or_else(|_| tracing_subscriber::EnvFilter::try_from_env("RUST_LOG"))
                .unwrap_or_else(|_| {
                    tracing_subscriber::EnvFilter::new(format!("logwarden={level}"))
                }),
        )
        .without_time()
        .with_ansi(
            std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::env::var_os("NO_COLOR").is_none(),
        )
        .init();
    let code = match commands::run(cli, &mut std::io::stdout().lock()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(if code == 0 { exit::OK } else { code });
}
