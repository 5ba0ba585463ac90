//! What the audit knows about the organization's service control policies: whether the policy
//! type is enabled, every SCP with its document and targets, and the organizational units above
//! each account. Read in the management account only.

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
    pub policies: Vec<Scp>,
    /// For each account, the units above it and the root, nearest first.
    pub ancestors: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scp {
    pub id: String,
    pub name: String,
    pub aws_managed: bool,
    /// The policy document as AWS returns it (JSON text).
    pub content: String,
    /// Root, unit and account ids the policy is attached to.
    pub targets: Vec<String>,
}

#[cfg(test)]
impl AccountData {
    /// Nothing configured, every read successful.
    pub fn empty() -> AccountData {
        AccountData { policies: None }
    }
}
