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
    /// Nothing the gate counts fails, but some of it could not be judged.
    pub const UNJUDGED: i32 = 3;

    /// The exit code of an audit's gate.
    pub fn of(gate: crate::report::Gate) -> i32 {
        match gate {
            crate::report::Gate::Pass => OK,
            crate::report::Gate::Failing => FINDINGS,
            crate::report::Gate::Unjudged => UNJUDGED,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("invalid baseline profile\n{0}")]
    Profile(Box<ProfileError>),
    #[error("invalid exceptions file\n{0}")]
    Exceptions(Box<ProfileError>),
    /// Who the caller is could not be learnt (sts:GetCallerIdentity): no credentials, rejected
    /// credentials, an unreachable endpoint, or no answer.
    #[error("{}", caller_message(.0))]
    Credentials(Box<CallError>),
    #[error("cannot read the organization: {} in account {} returned {}: {}\n  hint: {}", .0.iam_action, .0.account_id, .0.code, .0.message, organization_hint(.0))]
    Organization(Box<CallError>),
    #[error(transparent)]
    File(#[from] crate::io::FileError),
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a logwarden inventory: {message}\n  hint: pass a file written by `logwarden audit --save-inventory`")]
    Inventory { path: String, message: String },
    /// `diff` reads either: a file that is neither.
    #[error("{path} is neither a logwarden report nor a saved inventory: {message}\n  hint: pass two JSON reports (`logwarden audit --format json --output FILE`) or two saved inventories (`logwarden audit --save-inventory FILE`)")]
    NotComparable { path: String, message: String },
}

/// The first call failed: say which of the causes it was, and what to do.
fn caller_message(e: &CallError) -> String {
    use crate::inventory::ErrorKind::*;
    let (what, hint) = match e.kind() {
        Network => (
            "cannot reach AWS",
            "check the network and proxy settings (HTTPS_PROXY), the region (--region, AWS_REGION) and any endpoint override (--endpoint-url, AWS_ENDPOINT_URL)",
        ),
        Timeout => (
            "AWS did not answer in time",
            "check the network path to the endpoint, or raise --call-timeout",
        ),
        Throttled | Server => (
            "AWS STS did not answer successfully",
            "run again in a moment, or raise --max-attempts",
        ),
        _ => (
            "no usable AWS credentials",
            "configure credentials for the management account or a delegated administrator (`aws configure`, `aws sso login`, AWS_PROFILE or --profile, or environment variables)",
        ),
    };
    format!(
        "{what}: {} returned {}: {}\n  hint: {hint}",
        e.iam_action, e.code, e.message
    )
}

/// What to do when the organization could not be read, by the kind of failure.
fn organization_hint(e: &CallError) -> String {
    let fallback =
        "or name the accounts to audit with --accounts (each is entered through --role-name)";
    match e.kind() {
        crate::inventory::ErrorKind::Denied => format!(
            "grant {} (and organizations:ListAccounts) to the caller, run from the management account or a delegated administrator, {fallback}",
            e.iam_action
        ),
        _ => format!("{}; {fallback}", e.advice()),
    }
}

impl From<crate::inventory::LoadError> for Error {
    fn from(e: crate::inventory::LoadError) -> Self {
        match e {
            crate::inventory::LoadError::File(f) => Error::File(f),
            crate::inventory::LoadError::Invalid { path, message } => {
                Error::Inventory { path, message }
            }
        }
    }
}

impl From<crate::plan::LoadError> for Error {
    fn from(e: crate::plan::LoadError) -> Self {
        match e {
            crate::plan::LoadError::File(f) => Error::File(f),
            crate::plan::LoadError::Invalid(message) => Error::Usage(message),
        }
    }
}

impl From<crate::aws::Failure> for Error {
    fn from(e: crate::aws::Failure) -> Self {
        use crate::aws::Failure;
        match e {
            Failure::Credentials(e) => Error::Credentials(e),
            Failure::Organization(e) => Error::Organization(e),
            Failure::Usage(m) => Error::Usage(m),
            Failure::Runtime(source) => Error::Io {
                action: "start",
                path: "the async runtime".into(),
                source,
            },
        }
    }
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
