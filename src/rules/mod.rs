//! Pure checks over inventory + baseline: what a check is ([`CheckDef`]: a stable ID, metadata,
//! framework references and a function from [`Ctx`] to [`Raw`] findings) and the helpers check
//! authors share. What could not be read is `unknown` with the reason; an error never becomes a
//! pass or a fail. The checks themselves live with their sources; `crate::engine::evaluate` runs
//! them and turns [`Raw`] findings into reported ones.
//!
//! Generic over the registry's [`Shape`]: nothing here names a source.

mod ctx;
mod log_buckets;
mod lookback;
mod registry;

pub use ctx::{
    account_unreachable, every_account, listed, need, not_required, per_account_listed,
    per_account_region, per_enabled_region, region_not_enabled, unknown_because, Ctx,
};
pub use log_buckets::{Doubt, DoubtScope, Gap, LogBuckets};
pub use lookback::{age_days, lookback_per_account};
pub use registry::{CheckDef, CheckInfo, Fix, FrameworkRefs, Resource, Subject};

use crate::finding::{CoverageCell, Finding, Lookback, Status};

/// What a check function returns; `crate::engine::evaluate` turns it into a [`Finding`].
#[derive(Debug, Clone)]
pub struct Raw {
    pub status: Status,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub resource: String,
    pub message: String,
    /// Coverage nuance for the matrix: a failing finding that still captures part of the source.
    pub partial: bool,
    /// The items the verdict is made of, when the check judges several at once.
    pub breakdown: Vec<crate::finding::Part>,
}

impl Raw {
    pub fn new(
        status: Status,
        account: Option<&str>,
        region: Option<&str>,
        resource: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Raw {
            status,
            account_id: account.map(String::from),
            region: region.map(String::from),
            resource: resource.into(),
            message: message.into(),
            partial: false,
            breakdown: Vec::new(),
        }
    }

    /// With the items its verdict is made of.
    pub fn with_breakdown(mut self, parts: Vec<crate::finding::Part>) -> Self {
        self.breakdown = parts;
        self
    }
}

/// The evaluated result: findings (registry order, then account, region, resource) and coverage.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    pub coverage: Vec<CoverageCell>,
    pub lookback: Vec<Lookback>,
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod check_tests;
