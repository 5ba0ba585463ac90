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

// The source folders, declared outside `registry!` so that rustfmt and every tool that follows
// `mod` declarations sees them; the registry below lists them in report order.
pub mod budgets;
pub mod cloudtrail;
pub mod cloudwatch_logs;
pub mod config;
pub mod control_tower;
pub mod delivery_roles;
pub mod elb_access_logs;
pub mod guardduty;
pub mod log_archive;
pub mod organization;
pub mod resolver_query_logs;
pub mod s3_access_logs;
pub mod scp;
pub mod security_hub;
pub mod trail_bucket;
pub mod vpc_flow_logs;

use crate::aws::collect::{AccountCtx, Org, RegionCtx};
use crate::finding::Lookback;
use crate::inventory::{CallError, Fallible, Inventory};
use crate::plan::engine::PlanCtx;
use crate::profile::{Access, Issue, Scope};
use crate::rules::{CheckDef, Ctx, LogBuckets};
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

/// Declares the sources, in report order: the profile sections each owns (YAML key: type), and
/// the data it collects per account × region and per account (read by
/// `<source>::collect::region` and `<source>::collect::account`). It makes [`SOURCES`], the
/// [`Baseline`] profile type, and the inventory's [`RegionData`] and [`AccountData`].
macro_rules! registry {
    ($( $src:ident {
        profile { $( $(#[$doc:meta])* $key:ident : $ty:ty ),* $(,)? }
        $(, region: $rty:ty)?
        $(, account: $aty:ty)?
        $(, apply: $var:ident)?
        $(,)?
    } ),* $(,)?) => {
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
            /// The roles logwarden assumes in each account (read, write).
            #[serde(default)]
            pub access: Access,
            /// How long an exception may last.
            #[serde(default)]
            pub exceptions: crate::profile::ExceptionPolicy,
            $( $( $(#[$doc])* #[serde(default)] pub $key: $ty, )* )*
        }

        /// What each source read in one account × region.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct RegionData {
            $( $( #[serde(default = "crate::inventory::not_collected")] pub $src: $rty, )? )*
        }

        impl Fallible for RegionData {
            fn failed(e: &CallError) -> Self {
                RegionData { $( $( $src: <$rty as Fallible>::failed(e), )? )* }
            }
        }

        impl RegionData {
            /// Every source's region collector, concurrently.
            pub async fn collect(ctx: &RegionCtx<'_>) -> RegionData {
                let ( $( $( registry!(@bind $src $rty), )? )* ) =
                    tokio::join!( $( $( registry!(@call $src region $rty, ctx), )? )* );
                RegionData { $( $( $src: registry!(@bind $src $rty), )? )* }
            }
        }

        /// What each source read account-wide.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct AccountData {
            $( $( #[serde(default = "crate::inventory::not_collected")] pub $src: $aty, )? )*
        }

        impl Fallible for AccountData {
            fn failed(e: &CallError) -> Self {
                AccountData { $( $( $src: <$aty as Fallible>::failed(e), )? )* }
            }
        }

        impl AccountData {
            /// Every source's account collector, concurrently.
            pub async fn collect(ctx: &AccountCtx<'_>) -> AccountData {
                let ( $( $( registry!(@bind $src $aty), )? )* ) =
                    tokio::join!( $( $( registry!(@call $src account $aty, ctx), )? )* );
                AccountData { $( $( $src: registry!(@bind $src $aty), )? )* }
            }
        }

        /// An operation `apply` performs: one source's (serialized as that source's, with its
        /// `op` tag).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(untagged)]
        pub enum Op {
            $( $( $var($src::apply::Op), )? )*
        }

        $( $(
            impl From<$src::apply::Op> for Op {
                fn from(o: $src::apply::Op) -> Op {
                    Op::$var(o)
                }
            }
        )? )*

        impl Op {
            /// The IAM action the operation needs.
            pub fn iam_action(&self) -> &'static str {
                match self {
                    $( $( Op::$var(o) => o.iam_action(), )? )*
                }
            }

            /// Make the change (see [`crate::aws::apply::Executor::run`]).
            pub async fn run(&self, x: &crate::aws::apply::Apply<'_>) -> Result<(), CallError> {
                match self {
                    $( $( Op::$var(o) => o.run(x).await, )? )*
                }
            }
        }
    };
    (@bind $src:ident $t:ty) => { $src };
    (@call $src:ident $f:ident $t:ty, $ctx:ident) => { $src::collect::$f($ctx) };
}

registry! {
    control_tower { profile {} },
    organization { profile {}, apply: Organization },
    log_archive {
        profile {
            /// Where the central log-archive bucket lives.
            log_archive: log_archive::profile::LogArchiveBaseline,
        },
        apply: LogArchive,
    },
    delivery_roles { profile {}, apply: DeliveryRoles },
    cloudwatch_logs { profile {}, apply: CloudwatchLogs },
    cloudtrail {
        profile {
            cloudtrail: cloudtrail::profile::CloudTrailBaseline,
            /// The organization trail `apply` creates or completes.
            organization_trail: cloudtrail::profile::OrganizationTrailBaseline,
        },
        region: cloudtrail::model::RegionData,
        account: cloudtrail::model::AccountData,
        apply: Cloudtrail,
    },
    trail_bucket {
        profile { trail_bucket: trail_bucket::profile::TrailBucketBaseline },
    },
    config {
        profile { config: config::profile::ConfigBaseline },
        region: config::model::RegionData,
        apply: Config,
    },
    vpc_flow_logs {
        profile { vpc_flow_logs: Option<vpc_flow_logs::profile::FlowLogBaseline> },
        region: vpc_flow_logs::model::RegionData,
        apply: VpcFlowLogs,
    },
    elb_access_logs {
        profile { elb_access_logs: elb_access_logs::profile::ElbBaseline },
        region: elb_access_logs::model::RegionData,
        apply: ElbAccessLogs,
    },
    s3_access_logs {
        profile { s3_access_logs: Option<s3_access_logs::profile::S3AccessLogBaseline> },
        account: s3_access_logs::model::AccountData,
        apply: Buckets,
    },
    budgets {
        profile { budgets: budgets::profile::BudgetBaseline },
        account: budgets::model::AccountData,
        apply: Budgets,
    },
    resolver_query_logs {
        profile { resolver_query_logs: Option<resolver_query_logs::profile::ResolverQueryLogsBaseline> },
        region: resolver_query_logs::model::RegionData,
        apply: ResolverQueryLogs,
    },
    guardduty {
        profile { guardduty: Option<guardduty::profile::GuardDutyBaseline> },
        region: guardduty::model::RegionData,
        apply: GuardDuty,
    },
    security_hub {
        profile { security_hub: Option<security_hub::profile::SecurityHubBaseline> },
        region: security_hub::model::RegionData,
        apply: SecurityHub,
    },
    scp {
        profile {
            /// Actions a service control policy must deny in every member account.
            scp_protection: Option<scp::profile::ScpProtection>,
        },
        account: scp::model::AccountData,
    },
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
    /// (never required to have S3 data events, never asked to log to themselves); and, as
    /// doubts, the reads that failed and could have named more.
    pub log_buckets: fn(&Inventory, &mut LogBuckets),
    /// How far back the source's logs can answer, per account.
    pub lookback: Option<fn(&Ctx) -> Vec<Lookback>>,
    /// Reads across the organization the source makes beside the accounts' (they may share
    /// the accounts' reads); the collection waits for them.
    pub organization: Option<for<'a> fn(&'a Org) -> BoxFuture<'a, ()>>,
    /// Contradictions and bad values in the source's profile sections serde cannot see.
    pub validate: fn(&Baseline) -> Result<(), Issue>,
    /// What `plan` proposes for the source, given what the sources before it planned.
    pub plan: Option<fn(&mut PlanCtx)>,
    /// AWS Control Tower owns this source where it is deployed: nothing is planned for it then.
    pub control_tower_managed: bool,
    /// The service principal that needs trusted access in the organization for this source's
    /// organization-wide resources, if the profile asks for them.
    pub trusted_access: fn(&Baseline) -> Option<&'static str>,
    /// Statements this source needs in the log archive bucket's policy (its delivery service).
    pub archive_bucket_statements: fn(&PlanCtx) -> Vec<serde_json::Value>,
    /// Statements this source needs in the log archive key's policy.
    pub archive_key_statements: fn(&PlanCtx) -> Vec<serde_json::Value>,
    /// Bucket name templates of the buckets `plan` manages for this source (read in detail).
    pub buckets: fn(&Baseline) -> Vec<String>,
    /// IAM roles (in the management account) `plan` reads for this source.
    pub roles: fn(&Baseline) -> Vec<String>,
}

/// A [`SourceDef`] with nothing but an id, title and validation: the fields a source does not
/// use, spelled once (`..SourceDef::NONE`).
impl SourceDef {
    pub const NONE: SourceDef = SourceDef {
        id: "",
        title: "",
        checks: &[],
        coverage: None,
        log_buckets: no_log_buckets,
        lookback: None,
        organization: None,
        validate: |_| Ok(()),
        plan: None,
        control_tower_managed: false,
        trusted_access: |_| None,
        archive_bucket_statements: |_| vec![],
        archive_key_statements: |_| vec![],
        buckets: |_| vec![],
        roles: |_| vec![],
    };
}

/// A column of the coverage matrix.
#[derive(Debug, Clone, Copy)]
pub struct Coverage {
    /// A short column label for narrow terminals.
    pub label: &'static str,
    /// The check whose findings decide the cells.
    pub check: &'static str,
    /// Whether reports also draw this source per account × region.
    pub region_matrix: bool,
}

/// For sources that deliver to no bucket the inventory shows.
pub fn no_log_buckets(_: &Inventory, _: &mut LogBuckets) {}

/// Validate a parsed profile: the scope, then every source's sections, in registry order.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    b.scope.validate()?;
    b.access.validate()?;
    b.exceptions.validate()?;
    for s in SOURCES {
        (s.validate)(b)?;
    }
    Ok(())
}

/// The sources with a column in the coverage matrix, in order.
pub fn coverage_columns() -> impl Iterator<Item = (&'static str, Coverage)> {
    SOURCES.iter().filter_map(|s| s.coverage.map(|c| (s.id, c)))
}
