//! Builders for the planners' unit tests: a profile with a budget, an organization with the
//! managed state `plan` reads, and lookups into a plan.

use crate::engine::Registry;
use crate::plan::*;
use crate::rules::testutil::*;
use crate::sources::config::plan::AGGREGATOR_ROLE;
use crate::sources::delivery_roles::model::ManagedRole;
pub use crate::sources::Op;
use crate::sources::{Baseline, Change, Inventory, Plan, PlanData, Sources};

pub const NOW: time::OffsetDateTime = time::macros::datetime!(2026-12-01 12:00:00 UTC);

pub fn profile(extra: &str) -> Baseline {
    let text = format!(
        "version: 1\nname: t\nbudgets:\n  logging_cost: true\n  amount: 50\n  notifications: [{{type: actual, threshold_percent: 80, emails: [ops@example.com]}}]\n{extra}"
    );
    crate::baseline::parse(&text, "t.yaml", Sources::validate).unwrap_or_else(|e| panic!("{e}"))
}

pub fn managed_org() -> Inventory {
    let mut inv = org();
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
    inv.managed = Some(PlanData {
        organization: crate::sources::organization::model::PlanData {
            trusted_access: ok(vec![]),
        },
        log_archive: crate::sources::log_archive::model::PlanData {
            account_id: MGMT.into(),
            region: R1.into(),
            key: ok(None),
        },
        cloudtrail: crate::sources::cloudtrail::model::PlanData {
            trail_region: R1.into(),
            log_group: Some(ok(None)),
            role: Some(ManagedRole {
                name: "logwarden-cloudtrail-cloudwatch-logs".into(),
                arn: ok(None),
                trust: None,
            }),
        },
        config: crate::sources::config::model::PlanData {
            aggregator_role: Some(ManagedRole {
                name: AGGREGATOR_ROLE.into(),
                arn: ok(None),
                trust: None,
            }),
        },
    });
    inv
}

/// Plan `b` over `inv` at [`NOW`]'s clock (`now`).
pub fn plan(
    b: &Baseline,
    source: &str,
    inv: &Inventory,
    now: time::OffsetDateTime,
) -> Result<Plan, PlanError> {
    crate::engine::plan::plan::<Sources>(b, source, inv, now)
}

pub fn addresses(p: &Plan) -> Vec<&str> {
    p.changes.iter().map(|c| c.address.as_str()).collect()
}

pub fn change<'a>(p: &'a Plan, address: &str) -> &'a Change {
    p.changes
        .iter()
        .find(|c| c.address == address)
        .unwrap_or_else(|| panic!("no {address} in {:?}", addresses(p)))
}

pub fn pos(p: &Plan, address: &str) -> usize {
    addresses(p).iter().position(|a| *a == address).unwrap()
}

pub const ARCHIVE: &str = "o-example-logs-111111111111";

/// The plan of `inv` (made manageable, its management account's budgets read) under the test
/// profile with `extra` sections: what the sources' plan tests compare.
pub fn planned(inv: &Inventory, extra: &str) -> Plan {
    use crate::rules::testutil::{acct, ok, MGMT};
    let mut inv = inv.clone();
    inv.managed = managed_org().managed;
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
    plan(&profile(extra), "t.yaml", &inv, NOW).unwrap()
}
