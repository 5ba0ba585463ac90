//! What the audit knows about an account's buckets: every bucket with its region and server
//! access logging, and, for the buckets trails deliver to and the buckets `plan` manages, the
//! settings that protect the logs in them.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

pub use crate::inventory::bucket::*;

/// What is read once per account (ListBuckets is global).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    pub buckets: Collected<Vec<Bucket>>,
}

impl Fallible for AccountData {
    fn failed(e: &CallError) -> Self {
        AccountData {
            buckets: Collected::failed(e),
        }
    }
}

#[cfg(test)]
impl AccountData {
    /// Nothing configured, every read successful.
    pub fn empty() -> AccountData {
        AccountData {
            buckets: Collected::ok(vec![]),
        }
    }
}
