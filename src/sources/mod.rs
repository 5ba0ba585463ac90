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

pub mod budgets;
pub mod cloudtrail;
pub mod config;
pub mod elb_access_logs;
pub mod s3_access_logs;
pub mod trail_bucket;
pub mod vpc_flow_logs;

use crate::inventory::Inventory;
use crate::rules::{CheckDef, Ctx, Lookback};
use std::collections::BTreeSet;

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

/// Every source, in report order.
pub static SOURCES: &[&SourceDef] = &[
    &cloudtrail::SOURCE,
    &trail_bucket::SOURCE,
    &config::SOURCE,
    &vpc_flow_logs::SOURCE,
    &elb_access_logs::SOURCE,
    &s3_access_logs::SOURCE,
    &budgets::SOURCE,
];

/// The sources with a column in the coverage matrix, in order.
pub fn coverage_columns() -> impl Iterator<Item = (&'static str, Coverage)> {
    SOURCES.iter().filter_map(|s| s.coverage.map(|c| (s.id, c)))
}
