//! CloudTrail Lake: the check, table-driven over a store's protection and ingestion; the
//! lookback an organization store gives every account; and the manual steps.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::Plan;

const ARN: &str = "arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore/eds-1";

fn store(status: StoreStatus, protected: bool, organization: bool) -> EventDataStore {
    EventDataStore {
        arn: ARN.into(),
        name: "org-events".into(),
        details: ok(StoreDetails {
            status,
            organization,
            multi_region: true,
            retention_days: Some(2557),
            termination_protection: protected,
            kms_key_id: None,
            created: Some("2025-12-01T00:00:00Z".into()),
            management_events: true,
        }),
    }
}

fn org_with(s: EventDataStore) -> crate::sources::Inventory {
    let mut inv = org();
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    acct(&mut inv, MGMT).regions[0].data.cloudtrail_lake.stores = ok(vec![s]);
    inv
}

fn with_lake() -> crate::sources::Baseline {
    let mut b = recommended();
    b.cloudtrail_lake = Some(Default::default());
    b
}

#[test]
fn a_store_is_judged_by_its_protection_and_ingestion() {
    let denied_get = EventDataStore {
        arn: ARN.into(),
        name: "org-events".into(),
        details: denied(
            MGMT,
            Some(R1),
            "GetEventDataStore",
            "cloudtrail:GetEventDataStore",
        ),
    };
    let cases: Vec<(&str, EventDataStore, Status, &str)> = vec![
        ("protected, ingesting", store(StoreStatus::Enabled, true, true), Status::Pass, "event data store org-events (organization, multi-region, kept 2557 days, AWS owned key) is protected and ingesting"),
        ("unprotected", store(StoreStatus::Enabled, false, true), Status::Fail, "termination protection is off"),
        ("stopped", store(StoreStatus::StoppedIngestion, true, false), Status::Fail, "(account, multi-region, kept 2557 days, AWS owned key): it is STOPPED_INGESTION (it records nothing new)"),
        ("description denied", denied_get, Status::Unknown, "cloudtrail:GetEventDataStore"),
    ];
    for (name, s, status, needle) in cases {
        let e = evaluate(&org_with(s), &with_lake());
        let f = find(&e, "cloudtrail_lake.event_data_stores", MGMT, Some(R1));
        assert_eq!(f.len(), 1, "{name}: {f:?}");
        assert_eq!(f[0].status, status, "{name}: {}", f[0].message);
        assert!(f[0].message.contains(needle), "{name}: {}", f[0].message);
    }
    // No stores anywhere: no finding (Lake is never recommended).
    let e = evaluate(&org(), &with_lake());
    assert!(find(&e, "cloudtrail_lake.event_data_stores", MGMT, Some(R1)).is_empty());
    // A listing that failed: unknown, naming the action.
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudtrail_lake
        .stores = denied(
        MEMBER,
        Some(R1),
        "ListEventDataStores",
        "cloudtrail:ListEventDataStores",
    );
    let e = evaluate(&inv, &with_lake());
    let f = find(&e, "cloudtrail_lake.event_data_stores", MEMBER, Some(R1));
    assert_eq!(f[0].status, Status::Unknown);
    assert!(
        f[0].message.contains("cloudtrail:ListEventDataStores"),
        "{}",
        f[0].message
    );
}

#[test]
fn an_organization_store_gives_every_account_its_lookback() {
    let days = |inv: &crate::sources::Inventory, account: &str| {
        evaluate(inv, &with_lake())
            .lookback
            .into_iter()
            .find(|l| l.account_id == account && l.source == "cloudtrail_lake")
            .map(|l| (l.days, l.basis))
    };
    // Created a year before the collection, keeps 2,557 days: 365 for the member too.
    let inv = org_with(store(StoreStatus::Enabled, true, true));
    let (d, basis) = days(&inv, MEMBER).unwrap();
    assert_eq!(d, 365, "{basis}");
    assert!(
        basis.contains("event data store org-events in us-east-1 created 365 days ago"),
        "{basis}"
    );
    // An account store covers only its account.
    let inv = org_with(store(StoreStatus::Enabled, true, false));
    assert_eq!(days(&inv, MGMT).unwrap().0, 365);
    assert_eq!(days(&inv, MEMBER), None);
    // A stopped store answers only until its events age out: it no longer counts.
    let inv = org_with(store(StoreStatus::StoppedIngestion, true, true));
    assert_eq!(days(&inv, MEMBER), None);
}

fn planned(inv: &crate::sources::Inventory) -> Plan {
    let mut inv = inv.clone();
    inv.managed = managed_org().managed;
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
    plan(&profile("cloudtrail_lake: {}\n"), "t.yaml", &inv, NOW).unwrap()
}

#[test]
fn plan_lists_manual_steps_and_never_creates_a_store() {
    let p = planned(&org_with(store(StoreStatus::StoppedIngestion, false, true)));
    let protect = change(
        &p,
        &format!("cloudtrail_event_data_store.{ARN}.termination_protection"),
    );
    assert_eq!(protect.action, Action::Manual);
    assert!(protect
        .manual
        .as_ref()
        .unwrap()
        .command
        .contains("--termination-protection-enabled"));
    let restart = change(&p, &format!("cloudtrail_event_data_store.{ARN}.ingestion"));
    assert!(restart
        .manual
        .as_ref()
        .unwrap()
        .command
        .contains("start-event-data-store-ingestion"));
    assert!(restart.ops.is_empty() && protect.ops.is_empty());
    // Nothing to do for a protected, ingesting store; no store is ever proposed.
    let p = planned(&org_with(store(StoreStatus::Enabled, true, true)));
    assert!(
        !addresses(&p).iter().any(|a| a.contains("event_data_store")),
        "{:?}",
        addresses(&p)
    );
    let p = planned(&org());
    assert!(!addresses(&p).iter().any(|a| a.contains("event_data_store")));
}

#[test]
fn profile_section_that_asks_nothing_is_refused() {
    let e = parse_profile(
        "version: 1\nname: t\ncloudtrail_lake:\n  termination_protection: false\n  ingesting: false\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("remove the `cloudtrail_lake` section"), "{e}");
}
