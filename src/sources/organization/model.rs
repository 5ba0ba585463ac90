//! What `plan` reads of the organization: the services it trusts.

use crate::inventory::Collected;
use serde::{Deserialize, Serialize};

/// The organization's plan-time reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanData {
    /// Service principals with trusted access (read in the management account; empty outside
    /// an organization).
    pub trusted_access: Collected<Vec<String>>,
}
