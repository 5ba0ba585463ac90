//! The `step_functions_logging` section: the least level every Step Functions state machine
//! logs its executions at, and whether the logs carry each state's input and output.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

/// A logging level other than `OFF`, ordered by how much it logs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum LogLevel {
    /// Only the events of executions that fail (`ExecutionFailed`, aborted, timed out).
    Fatal,
    /// Every error and every failed execution.
    Error,
    /// Every event: each state entered and left, each task scheduled and completed.
    All,
}

impl LogLevel {
    /// AWS's name.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Fatal => "FATAL",
            LogLevel::Error => "ERROR",
            LogLevel::All => "ALL",
        }
    }

    /// The level AWS names `s`; `None` for `OFF` (or anything else: nothing logged).
    pub fn from_aws(s: &str) -> Option<LogLevel> {
        match s {
            "FATAL" => Some(LogLevel::Fatal),
            "ERROR" => Some(LogLevel::Error),
            "ALL" => Some(LogLevel::All),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepFunctionsLoggingBaseline {
    /// The least level every state machine logs at: FATAL (failed executions), ERROR (every
    /// error too; the default), ALL (every state transition: what an execution did, step by
    /// step).
    #[serde(default = "default_level")]
    pub level: LogLevel,
    /// The logs carry each state's input and output (what the execution handled; data a
    /// responder may need, and data the log group must then protect).
    #[serde(default)]
    pub include_execution_data: bool,
}

fn default_level() -> LogLevel {
    LogLevel::Error
}

impl Default for StepFunctionsLoggingBaseline {
    fn default() -> Self {
        StepFunctionsLoggingBaseline {
            level: default_level(),
            include_execution_data: false,
        }
    }
}

/// The section's bad values: none beyond what its types refuse (an unknown level is a parse
/// error with the accepted names).
pub fn validate(_: &Baseline) -> Result<(), Issue> {
    Ok(())
}
