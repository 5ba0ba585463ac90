//! Security Hub: the check over the three states a region can be in, the lookback, and the
//! plan (enable where not enabled, never guess).

use super::model::*;
use crate::finding::Status;
use crate::inventory::Collected;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::evaluate;
use crate::rules::testutil::*;
use crate::sources::Inventory;
use crate::sources::Op;

fn hub(since: &str) -> Option<Hub> {
    Some(Hub {
        arn: format!("arn:aws:securityhub:{R1}:{MEMBER}:hub/default"),
        subscribed_at: Some(since.into()),
        auto_enable_controls: Some(true),
    })
}

/// Every region has a hub enabled a year ago but the member's first, which has `first`.
fn org_with(first: Collected<Option<Hub>>) -> Inventory {
    let mut inv = org();
    for a in &mut inv.accounts {
        for r in &mut a.regions {
            r.data.security_hub.hub = ok(hub("2025-12-01T00:00:00.000Z"));
        }
    }
    acct(&mut inv, MEMBER).regions[0].data.security_hub.hub = first;
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    inv
}

fn with_hub() -> crate::sources::Baseline {
    let mut b = recommended();
    b.security_hub = Some(Default::default());
    b
}

#[test]
fn a_region_passes_with_a_hub_fails_without_and_is_unknown_when_unreadable() {
    let cases: Vec<(&str, Collected<Option<Hub>>, Status, &str)> = vec![
        (
            "enabled",
            ok(hub("2026-11-01T00:00:00.000Z")),
            Status::Pass,
            "Security Hub is enabled since 2026-11-01",
        ),
        (
            "not enabled",
            ok(None),
            Status::Fail,
            "Security Hub is not enabled",
        ),
        (
            "denied",
            denied(MEMBER, Some(R1), "DescribeHub", "securityhub:DescribeHub"),
            Status::Unknown,
            "securityhub:DescribeHub",
        ),
    ];
    for (name, first, want, needle) in cases {
        let e = evaluate(&org_with(first), &with_hub());
        let f = find(&e, "securityhub.enabled", MEMBER, Some(R1));
        assert_eq!(f.len(), 1, "{name}");
        assert_eq!(f[0].status, want, "{name}: {}", f[0].message);
        assert!(f[0].message.contains(needle), "{name}: {}", f[0].message);
        assert_eq!(
            find(&e, "securityhub.enabled", MEMBER, Some(R2))[0].status,
            Status::Pass
        );
    }
    let mut b = recommended();
    b.security_hub = None;
    let e = evaluate(&org_with(ok(None)), &b);
    assert_eq!(
        find(&e, "securityhub.enabled", MEMBER, Some(R1))[0].status,
        Status::NotApplicable
    );
}

#[test]
fn lookback_is_the_youngest_hub_at_most_90_days() {
    let days = |inv: &Inventory| {
        evaluate(inv, &with_hub())
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "security_hub")
            .map(|l| l.days)
    };
    assert_eq!(
        days(&org_with(ok(hub("2026-11-21T00:00:00.000Z")))),
        Some(10)
    );
    assert_eq!(
        days(&org_with(ok(hub("2020-01-01T00:00:00.000Z")))),
        Some(90)
    );
    assert_eq!(days(&org_with(ok(None))), Some(0));
    assert_eq!(
        days(&org_with(denied(
            MEMBER,
            Some(R1),
            "DescribeHub",
            "securityhub:DescribeHub"
        ))),
        None
    );
}

#[test]
fn plan_enables_the_hub_where_it_is_off_and_never_guesses() {
    let plan = |inv: &Inventory, extra: &str| {
        let mut inv = inv.clone();
        inv.managed = managed_org().managed;
        acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
        crate::plan::testutil::plan(&profile(extra), "t.yaml", &inv, NOW).unwrap()
    };
    let addr = format!("securityhub_hub.{MEMBER}.{R1}");
    let p = plan(
        &org_with(ok(None)),
        "security_hub: {enable_default_standards: false}\n",
    );
    let c = change(&p, &addr);
    assert_eq!(c.action, Action::Create);
    assert!(matches!(
        &c.ops[..],
        [Op::SecurityHub(super::apply::Op::EnableHub {
            enable_default_standards: false
        })]
    ));
    assert_eq!(
        addresses(&p)
            .iter()
            .filter(|a| a.starts_with("securityhub_hub."))
            .count(),
        1
    );
    let p = plan(
        &org_with(denied(
            MEMBER,
            Some(R1),
            "DescribeHub",
            "securityhub:DescribeHub",
        )),
        "security_hub: {}\n",
    );
    assert!(!addresses(&p).contains(&addr.as_str()));
    assert!(p.unknown.iter().any(|n| n.resource == addr));
    let p = plan(&org_with(ok(None)), "");
    assert!(!addresses(&p).iter().any(|a| a.starts_with("securityhub")));
}
