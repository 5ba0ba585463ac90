//! The log sources, one folder each, and the registry that lists them.
//!
//! A source is everything logwarden knows about one kind of log: its profile section, what it
//! reads from AWS, its inventory types, its checks (with their IDs, metadata and framework
//! references), what `plan` proposes for it and what `apply` does. The shared machinery
//! (sessions and fan-out in [`crate::aws`], evaluation in [`crate::rules`], the report, the plan
//! engine and the apply executor) knows sources only through [`SourceDef`] and [`SOURCES`].
//!
//! The order of [`SOURCES`] is the order of checks in every report and of columns in the
//! coverage matrix. `docs/adding-a-source.md` walks through adding one.

use crate::inventory::Inventory;
use crate::profile::{Issue, Scope};
use crate::rules::{CheckDef, Ctx, Lookback};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Declares the sources, in report order, with the profile sections each owns (YAML key: type).
/// It makes the `pub mod` of each source, [`SOURCES`], and the [`Baseline`] profile type.
macro_rules! registry {
    ($( $src:ident { $( $(#[$doc:meta])* $key:ident : $ty:ty ),* $(,)? } ),* $(,)?) => {
        $( pub mod $src; )*

        /// Every source, in report order.
        pub static SOURCES: &[&SourceDef] = &[ $( &$src::SOURCE ),* ];

        /// A baseline profile: what logging an organization must have (the sections of the
        /// sources), and where `plan`/`apply` build it. Every section has defaults.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct Baseline {
            pub version: u32,
            pub name: String,
            #[serde(default)]
            pub description: String,
            /// Accounts and regions the profile governs.
            #[serde(default)]
            pub scope: Scope,
            $( $( $(#[$doc])* #[serde(default)] pub $key: $ty, )* )*
        }
    };
}

registry! {
    log_archive {
        /// Where the central log-archive bucket lives.
        log_archive: log_archive::profile::LogArchiveBaseline,
    },
    cloudtrail {
        cloudtrail: cloudtrail::profile::CloudTrailBaseline,
        /// The organization trail `apply` creates or completes.
        organization_trail: cloudtrail::profile::OrganizationTrailBaseline,
    },
    trail_bucket { trail_bucket: trail_bucket::profile::TrailBucketBaseline },
    config { config: config::profile::ConfigBaseline },
    vpc_flow_logs { vpc_flow_logs: Option<vpc_flow_logs::profile::FlowLogBaseline> },
    elb_access_logs { elb_access_logs: elb_access_logs::profile::ElbBaseline },
    s3_access_logs { s3_access_logs: Option<s3_access_logs::profile::S3AccessLogBaseline> },
    budgets { budgets: budgets::profile::BudgetBaseline },
}

/// What the shared machinery knows about a source.
pub struct SourceDef {
    /// Stable id: the coverage column and the `source` of coverage cells in reports.
    pub id: &'static str,
    /// One line for people.
    pub title: &'static str,
    /// The checks, in report order.
    pub checks: &'static [CheckDef],
    /// The coverage matrix column this source fills, if any.
    pub coverage: Option<Coverage>,
    /// Buckets this source delivers logs to, as the inventory shows them: they are log buckets
    /// (never required to have S3 data events, never asked to log to themselves).
    pub log_buckets: fn(&Inventory, &mut BTreeSet<String>),
    /// How far back the source's logs can answer, per account.
    pub lookback: Option<fn(&Ctx) -> Vec<Lookback>>,
    /// Contradictions and bad values in the source's profile sections serde cannot see.
    pub validate: fn(&Baseline) -> Result<(), Issue>,
}

/// A column of the coverage matrix.
#[derive(Debug, Clone, Copy)]
pub struct Coverage {
    /// The check whose findings decide the cells.
    pub check: &'static str,
    /// Whether reports also draw this source per account × region.
    pub region_matrix: bool,
}

/// For sources that deliver to no bucket the inventory shows.
pub fn no_log_buckets(_: &Inventory, _: &mut BTreeSet<String>) {}

/// Validate a parsed profile: the scope, then every source's sections, in registry order.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    b.scope.validate()?;
    for s in SOURCES {
        (s.validate)(b)?;
    }
    Ok(())
}

/// The sources with a column in the coverage matrix, in order.
pub fn coverage_columns() -> impl Iterator<Item = (&'static str, Coverage)> {
    SOURCES.iter().filter_map(|s| s.coverage.map(|c| (s.id, c)))
}
