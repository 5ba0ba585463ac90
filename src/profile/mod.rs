//! What every profile section may use: the [`Issue`] a section's validation reports, the
//! bucket-name [`templates`], the [`scope`] of accounts and regions, and a few AWS facts that
//! several sections check against. The profile itself (`crate::sources::Baseline`) is made of
//! the sections the source registry lists; [`crate::baseline`] loads and validates it.

pub mod access;
pub mod scope;
pub mod templates;

use serde::{Deserialize, Serialize};

pub use access::Access;
pub use scope::Scope;

/// What the machinery reads of a profile, whatever sections the registry gives it: its name,
/// the accounts and regions it governs, the roles to assume, and how long exceptions may last.
/// The registry's `Baseline` implements it.
pub trait Profile:
    Clone
    + std::fmt::Debug
    + PartialEq
    + Serialize
    + serde::de::DeserializeOwned
    + schemars::JsonSchema
    + Send
    + Sync
    + 'static
{
    fn version(&self) -> u32;
    fn name(&self) -> &str;
    fn scope(&self) -> &Scope;
    fn access(&self) -> &Access;
    fn exceptions(&self) -> &ExceptionPolicy;
}

/// A contradiction or bad value a section's validation found, at a key path
/// (`["vpc_flow_logs", "cloudwatch_logs", "retention_days"]`): the loader turns the path into
/// a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub path: Vec<&'static str>,
    pub message: String,
    pub hint: String,
    /// Where to point instead when no key of `path` is in the file (a section left at its
    /// defaults that contradicts a key another section sets): that other key.
    pub otherwise: Vec<&'static str>,
}

impl Issue {
    pub fn at(path: &[&'static str], message: impl Into<String>, hint: impl Into<String>) -> Issue {
        Issue {
            path: path.to_vec(),
            message: message.into(),
            hint: hint.into(),
            otherwise: Vec::new(),
        }
    }
    /// The key to point at when `path` is wholly absent from the file.
    pub fn otherwise_at(mut self, path: &[&'static str]) -> Issue {
        self.otherwise = path.to_vec();
        self
    }
}

/// CloudWatch Logs accepts only these retention periods.
pub const LOG_RETENTION_DAYS: &[u32] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// A retention CloudWatch Logs accepts, or the issue at `path`.
pub fn check_log_retention(days: u32, path: &[&'static str]) -> Result<(), Issue> {
    if LOG_RETENTION_DAYS.contains(&days) {
        return Ok(());
    }
    Err(Issue::at(
        path,
        format!("CloudWatch Logs does not accept a retention of {days} days"),
        format!(
            "use one of {}",
            LOG_RETENTION_DAYS
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

/// A region code, or the issue at `path`.
pub fn check_region(region: &str, path: &[&'static str]) -> Result<(), Issue> {
    if crate::arn::valid_region(region) {
        return Ok(());
    }
    Err(Issue::at(
        path,
        format!("`{region}` is not a region name"),
        "use a region code such as us-east-1",
    ))
}

/// `serde(default)` for settings that are on unless a profile turns them off.
pub fn yes() -> bool {
    true
}

/// The profile's `exceptions` section: how long an exception may last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionPolicy {
    /// An exception may expire at most this many days after the day it is read (1-3650).
    #[serde(default = "default_max_days")]
    pub max_days: u32,
}

fn default_max_days() -> u32 {
    365
}

impl Default for ExceptionPolicy {
    fn default() -> Self {
        ExceptionPolicy {
            max_days: default_max_days(),
        }
    }
}

impl ExceptionPolicy {
    pub fn validate(&self) -> Result<(), Issue> {
        if !(1..=3650).contains(&self.max_days) {
            return Err(Issue::at(
                &["exceptions", "max_days"],
                format!("max_days {} is outside 1-3650", self.max_days),
                "exceptions should be reviewed at least every few years; 365 is the default",
            ));
        }
        Ok(())
    }
}
