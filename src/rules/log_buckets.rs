//! Which buckets receive logs (so they are never asked for S3 data events or to log to
//! themselves), and, as doubts, the failed reads that could have named more; the scopes where a
//! listing failed.

use super::Raw;
use crate::finding::Status;
use std::collections::BTreeSet;

/// Buckets that receive logs, as far as the inventory tells, and the reads that failed and
/// could have named more: a bucket not in `names` is known not to receive logs only if no
/// doubt covers it.
#[derive(Debug, Clone, Default)]
pub struct LogBuckets {
    pub names: BTreeSet<String>,
    pub doubts: Vec<Doubt>,
}

/// A failed read that could have named a log bucket, and which buckets it could have named.
#[derive(Debug, Clone)]
pub struct Doubt {
    pub scope: DoubtScope,
    /// What could not be read, for a message ("the trails of account X in R could not be
    /// read: ...").
    pub reason: String,
}

/// Which buckets a failed read could have named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DoubtScope {
    /// Any bucket (trails and flow logs may deliver across accounts and regions).
    Anywhere,
    /// Buckets in this region (ELB and Resolver query logs deliver in their region).
    Region(String),
    /// Buckets of this account in this region, or in any region when `None` (a server access
    /// log target is in the source bucket's account and region).
    Account(String, Option<String>),
}

impl LogBuckets {
    /// None known, no doubt.
    pub const fn new() -> LogBuckets {
        LogBuckets {
            names: BTreeSet::new(),
            doubts: Vec::new(),
        }
    }

    pub fn insert(&mut self, name: impl Into<String>) {
        self.names.insert(name.into());
    }

    pub fn doubt(&mut self, scope: DoubtScope, reason: impl Into<String>) {
        self.doubts.push(Doubt {
            scope,
            reason: reason.into(),
        });
    }

    /// Whether the bucket is known to receive logs.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Why a bucket (of `account`, in `region` when known) not in the list may still receive
    /// logs; `None` when it is known not to.
    pub fn doubt_about(&self, account: &str, region: Option<&str>) -> Option<&str> {
        self.doubts
            .iter()
            .find(|d| match &d.scope {
                DoubtScope::Anywhere => true,
                DoubtScope::Region(r) => region.is_none_or(|x| x == r),
                DoubtScope::Account(a, r) => {
                    a == account && (r.is_none() || region.is_none() || r.as_deref() == region)
                }
            })
            .map(|d| d.reason.as_str())
    }
}

/// A scope where a listing failed: an account (`region` None) or an account × region.
#[derive(Debug, Clone)]
pub struct Gap {
    pub account_id: String,
    pub region: Option<String>,
    /// Why, for a message ("could not be read: ... grant ...").
    pub reason: String,
}

impl Gap {
    /// The resource an `unknown` finding for this gap names: `ACCOUNT` or `ACCOUNT:REGION`.
    pub fn resource(&self) -> String {
        match &self.region {
            Some(r) => format!("{}:{r}", self.account_id),
            None => self.account_id.clone(),
        }
    }

    /// The `unknown` finding for this gap: `what` names what could not be judged.
    pub fn unknown(&self, what: &str) -> Raw {
        let place = match &self.region {
            Some(r) => format!("account {} in {r}", self.account_id),
            None => format!("account {}", self.account_id),
        };
        Raw::new(
            Status::Unknown,
            Some(&self.account_id),
            self.region.as_deref(),
            self.resource(),
            format!("{what} of {place} are not judged: {}", self.reason),
        )
    }
}
