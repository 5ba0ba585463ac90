//! A role a log-delivery service assumes, as `plan` reads it.

use crate::inventory::Collected;
use serde::{Deserialize, Serialize};

/// A role of the name logwarden gives it: whether it exists, and whom it trusts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedRole {
    pub name: String,
    /// The role's ARN, or `None` when it does not exist.
    pub arn: Collected<Option<String>>,
    /// The trust policy of the existing role (JSON), to compare with what logwarden writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<String>,
}
