//! What reports say of the registry's sources and checks ([`Catalog`]): made once from the
//! registry and carried in the [`super::Report`], so no renderer looks anything up elsewhere
//! and a new source or check never touches a renderer.

use crate::rules::CheckInfo;

/// A column of the coverage matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// A short column label for narrow terminals.
    pub label: &'static str,
    /// The checks whose findings decide the cells (a source that judges two kinds of resource,
    /// such as RDS instances and clusters, has one check per kind).
    pub checks: &'static [&'static str],
}

/// What reports say of the registry's sources and checks: carried in the report, so no
/// renderer looks anything up elsewhere.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    /// Every check, in report order.
    pub checks: Vec<CheckInfo>,
    /// Every source, in registry order.
    pub sources: Vec<SourceInfo>,
}

/// One source, as reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceInfo {
    pub id: &'static str,
    pub title: &'static str,
    pub coverage: Option<Coverage>,
    /// Whether the source reports a lookback.
    pub lookback: bool,
    /// What reports say of its lookback (what it counts, what a grey bar means).
    pub lookback_note: Option<&'static str>,
    /// Its short column name for narrow tables (its coverage label, when it has a column).
    pub short_label: Option<&'static str>,
}

impl Catalog {
    /// The check with this id.
    pub fn check(&self, id: &str) -> Option<&CheckInfo> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// The sources with a column in the coverage matrix, in order.
    pub fn coverage_columns(&self) -> impl Iterator<Item = (&'static str, Coverage)> + '_ {
        self.sources
            .iter()
            .filter_map(|s| s.coverage.map(|c| (s.id, c)))
    }

    /// The ids of the sources with a lookback.
    pub fn lookback_sources(&self) -> Vec<&'static str> {
        self.sources
            .iter()
            .filter(|s| s.lookback)
            .map(|s| s.id)
            .collect()
    }
}
