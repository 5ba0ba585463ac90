//! The engine: what the shared machinery knows of a source ([`SourceDef`]), what the registry
//! must give it ([`Registry`]), and the three drivers that run every source in registry order:
//! [`collect`] (read AWS into the inventory), [`evaluate`] (judge it) and [`plan`] (propose the
//! changes). Generic over the registry: the engine never names a source; `crate::sources`
//! implements [`Registry`] at the top.

pub mod collect;
pub mod evaluate;
pub mod plan;

use crate::aws::collect::{AccountCtx, Org, PlanReadCtx, RegionCtx};
use crate::finding::Lookback;
use crate::inventory::Inventory;
use crate::plan::PlanCtx;
use crate::profile::{Issue, Profile};
use crate::query::{Contribution, QueryCtx};
use crate::report::{Catalog, Coverage, SourceInfo};
use crate::rules::{CheckDef, Ctx, LogBuckets};
use crate::shape::Shape;
use futures::future::BoxFuture;

pub use evaluate::evaluate;

/// What the registry gives the engine: its sources in report order, and the collectors of the
/// data it assembles (one call runs every source's, concurrently).
pub trait Registry: Shape {
    /// Every source, in report order.
    fn sources() -> &'static [&'static SourceDef<Self>];
    /// Every source's region collector, concurrently.
    fn collect_region<'a>(ctx: &'a RegionCtx<'a>) -> BoxFuture<'a, Self::RegionData>;
    /// Every source's account collector, concurrently.
    fn collect_account<'a>(ctx: &'a AccountCtx<'a>) -> BoxFuture<'a, Self::AccountData>;

    /// Every source's plan-time reads (what the profile names beyond the audit), concurrently;
    /// an error says why plan cannot go on.
    fn collect_plan<'a>(
        ctx: &'a PlanReadCtx<'a, Self::Baseline>,
    ) -> BoxFuture<'a, Result<Self::PlanData, String>>;

    /// Every check, in report order (sources in registry order).
    fn checks() -> impl Iterator<Item = &'static CheckDef<Self>> {
        Self::sources().iter().flat_map(|s| s.checks.iter())
    }

    /// Validate a parsed profile: the common sections, then every source's, in registry order.
    fn validate(b: &Self::Baseline) -> Result<(), Issue> {
        b.scope().validate()?;
        b.access().validate()?;
        b.exceptions().validate()?;
        for s in Self::sources() {
            (s.validate)(b)?;
        }
        Ok(())
    }

    /// What reports say of the sources and their checks.
    fn catalog() -> Catalog {
        Catalog {
            checks: Self::checks().map(|c| c.info).collect(),
            sources: Self::sources()
                .iter()
                .map(|s| SourceInfo {
                    id: s.id,
                    title: s.title,
                    coverage: s.coverage,
                    lookback: s.lookback.is_some(),
                    lookback_note: s.lookback_note,
                    short_label: s.coverage.map(|c| c.label).or(s.short_label),
                })
                .collect(),
        }
    }
}

/// How far back a source's logs can answer, per account.
pub type LookbackFn<R> = fn(&Ctx<R>) -> Vec<Lookback>;

/// What the shared machinery knows about a source.
pub struct SourceDef<R: Registry> {
    /// Stable id: the coverage column and the `source` of coverage cells in reports.
    pub id: &'static str,
    /// One line for people.
    pub title: &'static str,
    /// The checks, in report order.
    pub checks: &'static [CheckDef<R>],
    /// The coverage matrix column this source fills, if any.
    pub coverage: Option<Coverage>,
    /// Buckets this source delivers logs to, as the inventory shows them: they are log buckets
    /// (never required to have S3 data events, never asked to log to themselves); and, as
    /// doubts, the reads that failed and could have named more.
    pub log_buckets: fn(&Inventory<R>, &mut LogBuckets),
    /// Facts the source publishes for the checks (its own and other sources'), before any
    /// check runs: indexes of what it read, where its listings failed.
    pub facts: Option<fn(&mut Ctx<R>)>,
    /// How far back the source's logs can answer, per account.
    pub lookback: Option<LookbackFn<R>>,
    /// What reports say of the lookback (what it counts, what a floor means).
    pub lookback_note: Option<&'static str>,
    /// A short column name for narrow tables, for a source without a coverage column (one
    /// with a column uses its coverage label).
    pub short_label: Option<&'static str>,
    /// Reads across the organization the source makes beside the accounts' (they may share
    /// the accounts' reads); the collection waits for them.
    pub organization: Option<for<'a> fn(&'a Org) -> BoxFuture<'a, ()>>,
    /// Contradictions and bad values in the source's profile sections serde cannot see.
    pub validate: fn(&R::Baseline) -> Result<(), Issue>,
    /// Facts the source publishes for the planners (its own and later sources'), before any
    /// planner runs: where the baseline builds, what it adopts.
    pub plan_facts: Option<fn(&mut PlanCtx<R>)>,
    /// What `plan` proposes for the source, given what the sources before it planned.
    pub plan: Option<fn(&mut PlanCtx<R>)>,
    /// AWS Control Tower owns this source where it is deployed: nothing is planned for it then.
    pub control_tower_managed: bool,
    /// The service principal that needs trusted access in the organization for this source's
    /// organization-wide resources, if the profile asks for them.
    pub trusted_access: fn(&R::Baseline) -> Option<&'static str>,
    /// Statements this source needs in the log archive bucket's policy (its delivery service).
    pub archive_bucket_statements: fn(&PlanCtx<R>) -> Vec<serde_json::Value>,
    /// Statements this source needs in the log archive key's policy.
    pub archive_key_statements: fn(&PlanCtx<R>) -> Vec<serde_json::Value>,
    /// Bucket name templates of the buckets `plan` manages for this source (read in detail).
    pub buckets: fn(&R::Baseline) -> Vec<String>,
    /// The Athena tables, starter queries and Logs Insights queries over this source's logs
    /// where the inventory says they land (`logwarden query`).
    pub query: Option<fn(&Inventory<R>, &QueryCtx) -> Contribution>,
}

impl<R: Registry> SourceDef<R> {
    /// A source with nothing but an id, title and validation: the fields a source does not
    /// use, spelled once (`..SourceDef::NONE`).
    pub const NONE: SourceDef<R> = SourceDef {
        id: "",
        title: "",
        checks: &[],
        coverage: None,
        log_buckets: |_, _| {},
        facts: None,
        lookback: None,
        lookback_note: None,
        short_label: None,
        organization: None,
        validate: |_| Ok(()),
        plan_facts: None,
        plan: None,
        control_tower_managed: false,
        trusted_access: |_| None,
        archive_bucket_statements: |_| vec![],
        archive_key_statements: |_| vec![],
        buckets: |_| vec![],
        query: None,
    };
}

/// Every source's tables and queries over the inventory's logs, in registry order.
pub fn query<R: Registry>(inv: &Inventory<R>, ctx: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    for s in R::sources() {
        if let Some(f) = s.query {
            out.extend(f(inv, ctx));
        }
    }
    out
}
