//! What the audit knows about the organization's service and resource control policies: whether
//! each policy type is enabled, every SCP and RCP with its document and targets, and the
//! organizational units above each account. Read in the management account only.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    /// `None` in every account but the management account.
    #[serde(default)]
    pub policies: Option<Collected<Scps>>,
}

impl Fallible for AccountData {
    fn failed(e: &CallError) -> Self {
        AccountData {
            policies: Some(Collected::failed(e)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scps {
    /// Whether the SERVICE_CONTROL_POLICY type is enabled on the root (SCPs apply at all).
    pub enabled: bool,
    /// Whether the RESOURCE_CONTROL_POLICY type is enabled on the root (RCPs apply at all; their
    /// policies are listed only then).
    #[serde(default)]
    pub rcps_enabled: bool,
    /// The SCPs, and the RCPs when they are enabled.
    pub policies: Vec<Scp>,
    /// For each account, the units above it and the root, nearest first.
    pub ancestors: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scp {
    /// An SCP (limits the principals of the accounts below it) or an RCP (limits the resources).
    #[serde(default)]
    pub kind: PolicyKind,
    pub id: String,
    pub name: String,
    pub aws_managed: bool,
    /// The policy document as AWS returns it (JSON text).
    pub content: String,
    /// Root, unit and account ids the policy is attached to.
    pub targets: Vec<String>,
}

/// The organization policy types that limit permissions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    #[default]
    Scp,
    Rcp,
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Scp => "SCP",
            PolicyKind::Rcp => "RCP",
        }
    }
}

#[cfg(test)]
impl AccountData {
    /// Nothing configured, every read successful.
    pub fn empty() -> AccountData {
        AccountData { policies: None }
    }
}
