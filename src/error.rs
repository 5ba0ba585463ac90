//! The one error type of the command line: each variant knows its exit code and says what to do next.

use crate::baseline::ProfileError;
use crate::inventory::CallError;

/// Exit codes (documented in `--help` and the README).
pub mod exit {
    /// No failing finding at or above `--fail-on`.
    pub const OK: i32 = 0;
    /// Failing findings at or above `--fail-on`.
    pub const FINDINGS: i32 = 1;
    /// The audit could not run: bad arguments, bad profile, no credentials.
    pub const ERROR: i32 = 2;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("invalid baseline profile\n{0}")]
    Profile(Box<ProfileError>),
    #[error("no usable AWS credentials: {} returned {}: {}\n  hint: configure credentials (`aws configure`, AWS_PROFILE or --profile, or environment variables) for the management account or a delegated administrator", .0.iam_action, .0.code, .0.message)]
    Credentials(Box<CallError>),
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a logwarden inventory: {message}\n  hint: pass a file written by `logwarden audit --save-inventory`")]
    Inventory { path: String, message: String },
}

impl From<ProfileError> for Error {
    fn from(e: ProfileError) -> Self {
        Error::Profile(Box::new(e))
    }
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        exit::ERROR
    }
}
