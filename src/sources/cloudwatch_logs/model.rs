//! A log group logs are delivered to, as `plan` reads it.

use serde::{Deserialize, Serialize};

/// An existing log group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedLogGroup {
    pub arn: String,
    /// `None`: never expire.
    pub retention_days: Option<i32>,
}
