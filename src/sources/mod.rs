//! The log sources, one folder each, and the registry that lists them.
//!
//! A source is everything logwarden knows about one kind of log: its profile section, what it
//! reads from AWS, its inventory types, its checks (with their IDs, metadata and framework
//! references), what `plan` proposes for it and what `apply` does. The shared machinery
//! (sessions and fan-out in [`crate::aws`], the checks' context in [`crate::rules`], the drivers
//! in [`crate::engine`], the report, the plan context and the apply executor) is generic over
//! the [`Registry`] this file implements: it knows sources only through [`SourceDef`] and the
//! types `registry!` assembles.
//!
//! The order of the registry is the order of checks in every report and of columns in the
//! coverage matrix. `docs/adding-a-source.md` walks through adding one.

// The source folders, declared outside `registry!` so that rustfmt and every tool that follows
// `mod` declarations sees them; the registry below lists them in report order.
pub mod api_gateway;
pub mod budgets;
pub mod client_vpn;
pub mod cloudfront;
pub mod cloudtrail;
pub mod cloudtrail_lake;
pub mod cloudwatch_logs;
pub mod config;
pub mod control_tower;
pub mod delivery_roles;
pub mod eks;
pub mod elb_access_logs;
pub mod guardduty;
pub mod lambda;
pub mod log_archive;
pub mod monitoring;
pub mod network_firewall;
pub mod opensearch;
pub mod organization;
pub mod rds;
pub mod redshift;
pub mod resolver_query_logs;
pub mod route53_public_zones;
pub mod s3_access_logs;
pub mod scp;
pub mod security_hub;
pub mod security_lake;
pub mod step_functions;
pub mod trail_bucket;
pub mod transit_gateway;
pub mod vpc_flow_logs;
pub mod waf;

use crate::aws::apply::{Apply, Operation};
use crate::aws::collect::{AccountCtx, RegionCtx};
use crate::engine::Registry;
use crate::inventory::{CallError, Fallible};
use crate::profile::{Access, ExceptionPolicy, Profile, Scope};
use crate::shape::Shape;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

/// The registry: the assembled types of every source, which the shared machinery is generic
/// over ([`Shape`], [`Registry`]). It has no values; it names the sources' types once.
#[derive(Debug, Clone, PartialEq)]
pub enum Sources {}

/// The inventory of this registry's sources.
pub type Inventory = crate::inventory::Inventory<Sources>;
pub type AccountInventory = crate::inventory::AccountInventory<Sources>;
pub type RegionInventory = crate::inventory::RegionInventory<Sources>;
/// What a check gets.
pub type Ctx<'a> = crate::rules::Ctx<'a, Sources>;
pub type CheckDef = crate::rules::CheckDef<Sources>;
/// What a source's plan-time reads get.
pub type PlanReadCtx<'a> = crate::aws::collect::PlanReadCtx<'a, Baseline>;
/// What a planner gets.
pub type PlanCtx<'a> = crate::plan::PlanCtx<'a, Sources>;
pub type Plan = crate::plan::Plan<Sources>;
pub type Change = crate::plan::Change<Sources>;
/// What the machinery knows of one source.
pub type SourceDef = crate::engine::SourceDef<Sources>;
pub type LoadedBaseline = crate::baseline::LoadedBaseline<Baseline>;

/// For a source's `query`: what one account and region read (`what`: "the load balancers"), or
/// `None` with a note in `out` naming the account, region and IAM action when it could not be
/// read (the tables and queries over it may be missing). A region that is not enabled is not
/// noted.
pub fn read_for_query<'v, T>(
    out: &mut crate::query::Contribution,
    c: &'v crate::inventory::Collected<T>,
    (account, region): (&str, &str),
    what: &str,
) -> Option<&'v T> {
    if let Some(e) = c.error().filter(|e| e.code != "RegionNotEnabled") {
        out.notes.push(format!(
            "{what} of account {account} in {region} could not be read ({}: {}): the tables and queries over them may be missing",
            e.iam_action, e.code
        ));
    }
    c.value()
}

/// Load `--baseline NAME|PATH` and validate it with every source's validation.
pub fn load_baseline(name_or_path: &str) -> Result<LoadedBaseline, crate::baseline::ProfileError> {
    crate::baseline::load(name_or_path, Sources::validate)
}

/// Declares the sources, in report order: the profile sections each owns (YAML key: type), and
/// the data it collects per account × region and per account (read by
/// `<source>::collect::region` and `<source>::collect::account`) and its operations. It makes
/// [`SOURCES`], the [`Baseline`] profile type, the inventory's [`RegionData`] and
/// [`AccountData`], the operations' [`Op`], and the [`Shape`] and [`Registry`] of [`Sources`].
macro_rules! registry {
    ($( $src:ident {
        profile { $( $(#[$doc:meta])* $key:ident : $ty:ty ),* $(,)? }
        $(, region: $rty:ty)?
        $(, account: $aty:ty)?
        $(, apply: $var:ident)?
        $(, plan: $pty:ty)?
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
            pub exceptions: ExceptionPolicy,
            $( $( $(#[$doc])* #[serde(default)] pub $key: $ty, )* )*
        }

        impl Profile for Baseline {
            fn version(&self) -> u32 {
                self.version
            }
            fn name(&self) -> &str {
                &self.name
            }
            fn scope(&self) -> &Scope {
                &self.scope
            }
            fn access(&self) -> &Access {
                &self.access
            }
            fn exceptions(&self) -> &ExceptionPolicy {
                &self.exceptions
            }
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

            /// Nothing configured anywhere, every read successful (for tests).
            #[cfg(test)]
            pub fn empty() -> RegionData {
                RegionData { $( $( $src: <$rty>::empty(), )? )* }
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

            /// Nothing configured anywhere, every read successful (for tests).
            #[cfg(test)]
            pub fn empty() -> AccountData {
                AccountData { $( $( $src: <$aty>::empty(), )? )* }
            }
        }

        /// What each source reads for `plan` beyond the audit (read by
        /// `<source>::collect::plan`).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct PlanData {
            $( $( pub $src: $pty, )? )*
        }

        impl PlanData {
            /// Every source's plan-time reads, concurrently; the first that cannot be made (an
            /// account plan must reach, in registry order) stops the plan.
            pub async fn collect(ctx: &PlanReadCtx<'_>) -> Result<PlanData, String> {
                let ( $( $( registry!(@bind $src $pty), )? )* ) =
                    tokio::join!( $( $( registry!(@call $src plan $pty, ctx), )? )* );
                Ok(PlanData { $( $( $src: registry!(@bind $src $pty)?, )? )* })
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

        impl Operation for Op {
            fn iam_action(&self) -> &'static str {
                match self {
                    $( $( Op::$var(o) => o.iam_action(), )? )*
                }
            }

            fn run<'a>(&'a self, x: &'a Apply<'a>) -> BoxFuture<'a, Result<(), CallError>> {
                Box::pin(async move {
                    match self {
                        $( $( Op::$var(o) => o.run(x).await, )? )*
                    }
                })
            }
        }

        impl Shape for Sources {
            type Baseline = Baseline;
            type AccountData = AccountData;
            type RegionData = RegionData;
            type PlanData = PlanData;
            type Op = Op;
        }

        impl Registry for Sources {
            fn sources() -> &'static [&'static SourceDef] {
                SOURCES
            }
            fn collect_region<'a>(ctx: &'a RegionCtx<'a>) -> BoxFuture<'a, RegionData> {
                Box::pin(RegionData::collect(ctx))
            }
            fn collect_account<'a>(ctx: &'a AccountCtx<'a>) -> BoxFuture<'a, AccountData> {
                Box::pin(AccountData::collect(ctx))
            }
            fn collect_plan<'a>(
                ctx: &'a PlanReadCtx<'a>,
            ) -> BoxFuture<'a, Result<PlanData, String>> {
                Box::pin(PlanData::collect(ctx))
            }
        }
    };
    (@bind $src:ident $t:ty) => { $src };
    (@call $src:ident $f:ident $t:ty, $ctx:ident) => { $src::collect::$f($ctx) };
}

registry! {
    control_tower { profile {} },
    organization { profile {}, apply: Organization, plan: organization::model::PlanData },
    log_archive {
        profile {
            /// Where the central log-archive bucket lives.
            log_archive: log_archive::profile::LogArchiveBaseline,
        },
        apply: LogArchive,
        plan: log_archive::model::PlanData,
    },
    delivery_roles { profile {}, apply: DeliveryRoles },
    cloudtrail {
        profile {
            cloudtrail: cloudtrail::profile::CloudTrailBaseline,
            /// The organization trail `apply` creates or completes.
            organization_trail: cloudtrail::profile::OrganizationTrailBaseline,
        },
        region: cloudtrail::model::RegionData,
        account: cloudtrail::model::AccountData,
        apply: Cloudtrail,
        plan: cloudtrail::model::PlanData,
    },
    trail_bucket {
        profile { trail_bucket: trail_bucket::profile::TrailBucketBaseline },
    },
    cloudtrail_lake {
        profile {
            /// What existing CloudTrail Lake event data stores must be (none is ever created).
            cloudtrail_lake: Option<cloudtrail_lake::profile::CloudTrailLakeBaseline>,
        },
        region: cloudtrail_lake::model::RegionData,
    },
    security_lake {
        profile {
            /// Where a Security Lake data lake exists: what it collects and how long it keeps it.
            security_lake: Option<security_lake::profile::SecurityLakeBaseline>,
        },
        account: security_lake::model::AccountData,
    },
    config {
        profile { config: config::profile::ConfigBaseline },
        region: config::model::RegionData,
        account: config::model::AccountData,
        apply: Config,
        plan: config::model::PlanData,
    },
    vpc_flow_logs {
        profile { vpc_flow_logs: Option<vpc_flow_logs::profile::FlowLogBaseline> },
        region: vpc_flow_logs::model::RegionData,
        apply: VpcFlowLogs,
    },
    transit_gateway {
        profile {
            /// Every transit gateway an account owns has an active flow log.
            transit_gateway_flow_logs: Option<transit_gateway::profile::TransitGatewayFlowLogsBaseline>,
        },
        region: transit_gateway::model::RegionData,
        apply: TransitGateway,
    },
    cloudfront {
        profile {
            /// Every CloudFront distribution writes access logs.
            cloudfront_logging: Option<cloudfront::profile::CloudFrontLoggingBaseline>,
        },
        account: cloudfront::model::AccountData,
        apply: Cloudfront,
    },
    waf {
        profile {
            /// Every AWS WAF web ACL logs its requests.
            waf_logging: Option<waf::profile::WafLoggingBaseline>,
        },
        region: waf::model::RegionData,
        apply: Waf,
    },
    network_firewall {
        profile {
            /// The log types every AWS Network Firewall firewall sends to a destination.
            network_firewall_logging: Option<network_firewall::profile::NetworkFirewallLoggingBaseline>,
        },
        region: network_firewall::model::RegionData,
        apply: NetworkFirewall,
    },
    client_vpn {
        profile {
            /// Every AWS Client VPN endpoint logs its client connections.
            client_vpn_logging: Option<client_vpn::profile::ClientVpnLoggingBaseline>,
        },
        region: client_vpn::model::RegionData,
        apply: ClientVpn,
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
    route53_public_zones {
        profile {
            /// Every Route 53 public hosted zone logs the DNS queries it answers.
            route53_query_logging: Option<route53_public_zones::profile::Route53QueryLoggingBaseline>,
        },
        account: route53_public_zones::model::AccountData,
        apply: Route53PublicZones,
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
        apply: Scp,
    },
    monitoring {
        profile {
            /// Detective controls every account must have (CIS monitoring, tampering).
            tamper_protection: Option<monitoring::profile::TamperProtection>,
        },
        region: monitoring::model::RegionData,
        apply: Monitoring,
    },
    eks {
        profile {
            /// The control-plane log types every EKS cluster sends to CloudWatch Logs.
            eks: Option<eks::profile::EksBaseline>,
        },
        region: eks::model::RegionData,
        apply: Eks,
    },
    rds {
        profile {
            /// The log types every RDS DB instance and cluster exports, per engine.
            rds_logs: Option<rds::profile::RdsLogsBaseline>,
        },
        region: rds::model::RegionData,
    },
    redshift {
        profile {
            /// Every Redshift provisioned cluster writes its audit logs.
            redshift_audit_logging: Option<redshift::profile::RedshiftAuditLoggingBaseline>,
        },
        region: redshift::model::RegionData,
        apply: Redshift,
    },
    api_gateway {
        profile {
            /// Every API Gateway REST, HTTP and WebSocket stage writes access logs.
            api_gateway_logging: Option<api_gateway::profile::ApiGatewayLoggingBaseline>,
        },
        region: api_gateway::model::RegionData,
    },
    opensearch {
        profile {
            /// The log types every OpenSearch Service domain publishes to CloudWatch Logs.
            opensearch_logging: Option<opensearch::profile::OpenSearchLoggingBaseline>,
        },
        region: opensearch::model::RegionData,
    },
    lambda {
        profile {
            /// Every Lambda function's log group exists (its logs kept from the first invocation).
            lambda: Option<lambda::profile::LambdaBaseline>,
        },
        region: lambda::model::RegionData,
    },
    step_functions {
        profile {
            /// The least level every Step Functions state machine logs its executions at.
            step_functions_logging: Option<step_functions::profile::StepFunctionsLoggingBaseline>,
        },
        region: step_functions::model::RegionData,
    },
    cloudwatch_logs {
        profile {
            /// Log groups that hold a source's logs keep them at least this long.
            log_group_retention: Option<cloudwatch_logs::profile::LogGroupRetentionBaseline>,
        },
        region: cloudwatch_logs::model::RegionData,
        apply: CloudwatchLogs,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Ids are a public contract: `namespace.name`, lower case, unique across the catalogue.
    fn well_formed(id: &str) -> bool {
        let mut parts = id.split('.');
        let ok = |p: Option<&str>| {
            p.is_some_and(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
        };
        ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
    }

    #[test]
    fn the_registry_is_well_formed() {
        let (mut sources, mut checks) = (BTreeSet::new(), BTreeSet::new());
        for s in SOURCES {
            assert!(sources.insert(s.id), "source {} listed twice", s.id);
            assert!(!s.title.is_empty(), "{} has no title", s.id);
            for c in s.checks {
                assert!(checks.insert(c.id), "check {} defined twice", c.id);
                assert!(well_formed(c.id), "check id {} is not namespace.name", c.id);
                assert!(
                    !c.title.is_empty() && !c.rationale.is_empty() && !c.remediation.is_empty()
                );
            }
            // A coverage column is decided by some of the source's own checks.
            if let Some(cov) = s.coverage {
                assert!(
                    !cov.checks.is_empty()
                        && cov
                            .checks
                            .iter()
                            .all(|k| s.checks.iter().any(|c| c.id == *k)),
                    "{}: coverage checks {:?} are not all its own",
                    s.id,
                    cov.checks
                );
            }
            assert!(
                s.lookback_note.is_none() || s.lookback.is_some(),
                "{}: a lookback note without a lookback",
                s.id
            );
        }
        for bad in ["cloudtrail", "CloudTrail.logging", "a.b.c", "a..b", ".a"] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
