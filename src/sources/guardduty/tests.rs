//! GuardDuty's checks, lookback and plan, table-driven over small inventories.

use super::model::*;
use crate::finding::{CoverageState, Status as Verdict};
use crate::inventory::Collected;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::evaluate;
use crate::rules::testutil::*;
use crate::sources::Inventory;
use crate::sources::{Op, Plan};

fn with_guardduty(features: &[&str]) -> crate::sources::Baseline {
    let mut b = recommended();
    b.guardduty = Some(super::profile::GuardDutyBaseline {
        features: features.iter().map(|f| f.to_string()).collect(),
        delegated_admin: true,
    });
    b
}

fn detector(status: Status, features: &[(&str, Status)], admin: Option<&str>) -> Detector {
    Detector {
        id: "det1".into(),
        status,
        created_at: Some("2026-11-21T00:00:00.000Z".into()),
        finding_publishing_frequency: Some("SIX_HOURS".into()),
        features: features
            .iter()
            .map(|(n, s)| Feature {
                name: n.to_string(),
                status: s.clone(),
            })
            .collect(),
        administrator: ok(admin.map(String::from)),
    }
}

/// The organization with the member's first region holding these detectors (the second
/// region an enabled detector with every plan).
fn org_with(detectors: Collected<Vec<Detector>>) -> Inventory {
    let mut inv = org();
    let all: Vec<(&str, Status)> = super::profile::FEATURES
        .iter()
        .map(|f| (*f, Status::Enabled))
        .collect();
    for a in &mut inv.accounts {
        for r in &mut a.regions {
            r.data.guardduty.detectors = ok(vec![detector(Status::Enabled, &all, None)]);
        }
    }
    acct(&mut inv, MEMBER).regions[0].data.guardduty.detectors = detectors;
    inv
}

/// A case: name, the region's detectors, the plans the baseline names, verdict, message part.
type Case<'a> = (
    &'a str,
    Collected<Vec<Detector>>,
    &'a [&'a str],
    Verdict,
    &'a str,
);

#[test]
fn a_region_is_judged_by_its_detector() {
    use Status::*;
    let cases: Vec<Case> = vec![
        (
            "no detector",
            ok(vec![]),
            &[],
            Verdict::Fail,
            "not enabled (no detector)",
        ),
        (
            "suspended",
            ok(vec![detector(Disabled, &[], None)]),
            &[],
            Verdict::Fail,
            "det1 is DISABLED",
        ),
        (
            "enabled",
            ok(vec![detector(Enabled, &[], None)]),
            &[],
            Verdict::Pass,
            "det1 is enabled since 2026-11-21",
        ),
        (
            "administered",
            ok(vec![detector(Enabled, &[], Some(MGMT))]),
            &[],
            Verdict::Pass,
            "administered by account 111111111111",
        ),
        (
            "enabled, a plan off: judged by guardduty.protection_plans",
            ok(vec![detector(
                Enabled,
                &[("S3_DATA_EVENTS", Disabled)],
                None,
            )]),
            &["S3_DATA_EVENTS"],
            Verdict::Pass,
            "det1 is enabled",
        ),
        (
            "unreadable",
            denied(MEMBER, Some(R1), "ListDetectors", "guardduty:ListDetectors"),
            &[],
            Verdict::Unknown,
            "guardduty:ListDetectors",
        ),
    ];
    for (name, detectors, features, want, needle) in cases {
        let e = evaluate(&org_with(detectors), &with_guardduty(features));
        let f = find(&e, "guardduty.enabled", MEMBER, Some(R1));
        assert_eq!(f.len(), 1, "{name}: {f:#?}");
        assert_eq!(f[0].status, want, "{name}: {}", f[0].message);
        assert!(f[0].message.contains(needle), "{name}: {}", f[0].message);
        let cell = cov(&e, MEMBER, R1, "guardduty");
        let want_cell = match want {
            Verdict::Pass => CoverageState::Covered,
            Verdict::Unknown => CoverageState::Unknown,
            _ => CoverageState::Missing,
        };
        assert_eq!(cell, want_cell, "{name}");
    }
}

#[test]
fn an_enabled_detector_is_judged_by_the_plans_the_baseline_names() {
    use Status::*;
    let cases: Vec<Case> = vec![
        (
            "a plan off",
            ok(vec![detector(
                Enabled,
                &[("S3_DATA_EVENTS", Enabled), ("EKS_AUDIT_LOGS", Disabled)],
                None,
            )]),
            &["S3_DATA_EVENTS", "EKS_AUDIT_LOGS"],
            Verdict::Fail,
            "det1 lacks protection plans the baseline names: EKS_AUDIT_LOGS",
        ),
        (
            "a plan off, managed",
            ok(vec![detector(Enabled, &[], Some(MGMT))]),
            &["RDS_LOGIN_EVENTS"],
            Verdict::Fail,
            "RDS_LOGIN_EVENTS (the administrator account manages them)",
        ),
        (
            "plans on",
            ok(vec![detector(
                Enabled,
                &[("S3_DATA_EVENTS", Enabled)],
                None,
            )]),
            &["S3_DATA_EVENTS"],
            Verdict::Pass,
            "det1 runs S3_DATA_EVENTS",
        ),
        (
            "EKS Runtime Monitoring asked, Runtime Monitoring (which includes it) running",
            ok(vec![detector(
                Enabled,
                &[
                    ("EKS_RUNTIME_MONITORING", Disabled),
                    ("RUNTIME_MONITORING", Enabled),
                ],
                None,
            )]),
            &["EKS_RUNTIME_MONITORING"],
            Verdict::Pass,
            "det1 runs EKS_RUNTIME_MONITORING",
        ),
        (
            "Runtime Monitoring asked, only EKS Runtime Monitoring running",
            ok(vec![detector(
                Enabled,
                &[
                    ("EKS_RUNTIME_MONITORING", Enabled),
                    ("RUNTIME_MONITORING", Disabled),
                ],
                None,
            )]),
            &["RUNTIME_MONITORING"],
            Verdict::Fail,
            "lacks protection plans the baseline names: RUNTIME_MONITORING",
        ),
        (
            "no plan named",
            ok(vec![detector(Enabled, &[], None)]),
            &[],
            Verdict::NotApplicable,
            "not required",
        ),
        (
            "no detector: guardduty.enabled says so",
            ok(vec![]),
            &["S3_DATA_EVENTS"],
            Verdict::NotApplicable,
            "see guardduty.enabled",
        ),
        (
            "suspended",
            ok(vec![detector(
                Disabled,
                &[("S3_DATA_EVENTS", Enabled)],
                None,
            )]),
            &["S3_DATA_EVENTS"],
            Verdict::NotApplicable,
            "no enabled GuardDuty detector here",
        ),
        (
            "unreadable",
            denied(MEMBER, Some(R1), "ListDetectors", "guardduty:ListDetectors"),
            &["S3_DATA_EVENTS"],
            Verdict::Unknown,
            "guardduty:ListDetectors",
        ),
    ];
    for (name, detectors, features, want, needle) in cases {
        let e = evaluate(&org_with(detectors), &with_guardduty(features));
        let f = find(&e, "guardduty.protection_plans", MEMBER, Some(R1));
        assert_eq!(f.len(), 1, "{name}: {f:#?}");
        assert_eq!(f[0].status, want, "{name}: {}", f[0].message);
        assert!(f[0].message.contains(needle), "{name}: {}", f[0].message);
    }
}

#[test]
fn guardduty_is_judged_only_when_the_profile_asks() {
    let mut b = recommended();
    b.guardduty = None;
    let e = evaluate(&org_with(ok(vec![])), &b);
    let f = find(&e, "guardduty.enabled", MEMBER, Some(R1));
    assert_eq!(f[0].status, Verdict::NotApplicable);
    assert!(f[0].message.contains("not required"), "{}", f[0].message);
    assert_eq!(
        find(&e, "guardduty.delegated_admin", MGMT, None)[0].status,
        Verdict::NotApplicable
    );
}

#[test]
fn the_delegated_administrator_is_read_in_the_management_account_per_region() {
    let admin = |id: &str, status: &str| AdminAccount {
        account_id: id.into(),
        status: status.into(),
    };
    let cases: Vec<(&str, Collected<Vec<AdminAccount>>, Verdict, &str)> = vec![
        (
            "none",
            ok(vec![]),
            Verdict::Fail,
            "no delegated GuardDuty administrator in us-east-1",
        ),
        (
            "member",
            ok(vec![admin(MEMBER, "ENABLED")]),
            Verdict::Pass,
            "account 222222222222 administers GuardDuty",
        ),
        (
            "management",
            ok(vec![admin(MGMT, "ENABLED")]),
            Verdict::Fail,
            "AWS recommends a member",
        ),
        (
            "leaving",
            ok(vec![admin(MEMBER, "DISABLE_IN_PROGRESS")]),
            Verdict::Fail,
            "being removed",
        ),
        (
            "unreadable",
            denied(
                MGMT,
                Some(R1),
                "ListOrganizationAdminAccounts",
                "guardduty:ListOrganizationAdminAccounts",
            ),
            Verdict::Unknown,
            "guardduty:ListOrganizationAdminAccounts",
        ),
    ];
    for (name, admins, want, needle) in cases {
        let mut inv = org_with(ok(vec![]));
        for r in &mut acct(&mut inv, MGMT).regions {
            r.data.guardduty.admin_accounts = Some(ok(vec![admin(MEMBER, "ENABLED")]));
        }
        acct(&mut inv, MGMT).regions[0]
            .data
            .guardduty
            .admin_accounts = Some(admins);
        let e = evaluate(&inv, &with_guardduty(&[]));
        let f: Vec<_> = e
            .findings
            .iter()
            .filter(|f| {
                f.check_id == "guardduty.delegated_admin" && f.region.as_deref() == Some(R1)
            })
            .collect();
        assert_eq!(f.len(), 1, "{name}: {f:#?}");
        assert_eq!(f[0].status, want, "{name}: {}", f[0].message);
        assert!(f[0].message.contains(needle), "{name}: {}", f[0].message);
        // The other region is judged on its own.
        let other: Vec<_> = e
            .findings
            .iter()
            .filter(|f| {
                f.check_id == "guardduty.delegated_admin" && f.region.as_deref() == Some(R2)
            })
            .collect();
        assert_eq!(other[0].status, Verdict::Pass, "{name}");
    }
    // A single-account audit cannot judge it.
    let mut inv = org_with(ok(vec![]));
    inv.organization = None;
    inv.mode = crate::inventory::ScopeMode::Accounts;
    let e = evaluate(&inv, &with_guardduty(&[]));
    assert_eq!(
        find(&e, "guardduty.delegated_admin", MGMT, None)[0].status,
        Verdict::NotApplicable
    );
}

#[test]
fn lookback_is_the_youngest_detector_at_most_the_90_days_findings_are_kept() {
    let days = |inv: &Inventory| {
        evaluate(inv, &with_guardduty(&[]))
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "guardduty")
            .map(|l| (l.days, l.basis))
    };
    let mut inv = org_with(ok(vec![detector(Status::Enabled, &[], None)]));
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 10, "{basis}");
    assert!(basis.contains("us-east-1"), "{basis}");
    let mut old = detector(Status::Enabled, &[], None);
    old.created_at = Some("2024-01-01T00:00:00.000Z".into());
    for r in &mut acct(&mut inv, MEMBER).regions {
        r.data.guardduty.detectors = ok(vec![old.clone()]);
    }
    assert_eq!(days(&inv).unwrap().0, 90);
    acct(&mut inv, MEMBER).regions[1].data.guardduty.detectors = ok(vec![]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 0);
    assert!(
        basis.contains("not enabled in us-west-2") || basis.contains("not enabled in"),
        "{basis}"
    );
    // Unreadable detectors leave the account out rather than guess.
    acct(&mut inv, MEMBER).regions[1].data.guardduty.detectors =
        denied(MEMBER, Some(R2), "ListDetectors", "guardduty:ListDetectors");
    assert!(days(&inv).is_none());
}

fn planned(inv: &Inventory, extra: &str) -> Plan {
    let mut inv = inv.clone();
    inv.managed = managed_org().managed;
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
    crate::plan::testutil::plan(&profile(extra), "t.yaml", &inv, NOW).unwrap()
}

fn ensure(p: &Plan, address: &str) -> (Action, Vec<String>) {
    let c = change(p, address);
    match &c.ops[..] {
        [Op::GuardDuty(super::apply::Op::EnsureDetector { features })] => {
            (c.action, features.clone())
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn plan_creates_enables_and_completes_detectors_and_never_turns_a_plan_off() {
    let profile = "guardduty: {features: [S3_DATA_EVENTS, EKS_AUDIT_LOGS]}\n";
    let addr = format!("guardduty_detector.{MEMBER}.{R1}");
    // None: created, with the plans.
    let p = planned(&org_with(ok(vec![])), profile);
    assert_eq!(
        ensure(&p, &addr),
        (
            Action::Create,
            vec!["S3_DATA_EVENTS".into(), "EKS_AUDIT_LOGS".into()]
        )
    );
    // Suspended, one plan on: enabled, the missing plan added.
    let d = detector(
        Status::Disabled,
        &[("S3_DATA_EVENTS", Status::Enabled)],
        None,
    );
    let p = planned(&org_with(ok(vec![d])), profile);
    assert_eq!(
        ensure(&p, &addr),
        (Action::Update, vec!["EKS_AUDIT_LOGS".into()])
    );
    let c = change(&p, &addr);
    assert!(c.attributes.iter().any(|a| a.name == "status"), "{c:?}");
    // Complete: nothing planned for it, and nothing for the other accounts' complete regions.
    let d = detector(
        Status::Enabled,
        &[
            ("S3_DATA_EVENTS", Status::Enabled),
            ("EKS_AUDIT_LOGS", Status::Enabled),
        ],
        None,
    );
    let p = planned(&org_with(ok(vec![d])), profile);
    assert!(
        !addresses(&p)
            .iter()
            .any(|a| a.starts_with("guardduty_detector.")),
        "{:?}",
        addresses(&p)
    );
    // Not asked for: nothing.
    let p = planned(&org_with(ok(vec![])), "");
    assert!(
        !addresses(&p).iter().any(|a| a.starts_with("guardduty")),
        "{:?}",
        addresses(&p)
    );
}

#[test]
fn plan_never_guesses_and_an_administrators_plans_are_manual() {
    let profile = "guardduty: {features: [RDS_LOGIN_EVENTS]}\n";
    let addr = format!("guardduty_detector.{MEMBER}.{R1}");
    let p = planned(
        &org_with(denied(
            MEMBER,
            Some(R1),
            "ListDetectors",
            "guardduty:ListDetectors",
        )),
        profile,
    );
    assert!(!addresses(&p).contains(&addr.as_str()));
    assert!(
        p.unknown.iter().any(|n| n.resource == addr),
        "{:?}",
        p.unknown
    );
    // A member detector managed by the administrator: the plans are a manual step there.
    let p = planned(
        &org_with(ok(vec![detector(Status::Enabled, &[], Some(MGMT))])),
        profile,
    );
    assert!(
        !addresses(&p).contains(&addr.as_str()),
        "{:?}",
        addresses(&p)
    );
    let c = change(&p, &format!("{addr}.features"));
    assert_eq!(c.action, Action::Manual);
    let cmd = &c.manual.as_ref().unwrap().command;
    assert!(
        cmd.contains("update-member-detectors")
            && cmd.contains(MEMBER)
            && cmd.contains("Name=RDS_LOGIN_EVENTS,Status=ENABLED"),
        "{cmd}"
    );
    // The administrator's reading failed: unknown, no change.
    let mut d = detector(Status::Enabled, &[], None);
    d.administrator = denied(
        MEMBER,
        Some(R1),
        "GetAdministratorAccount",
        "guardduty:GetAdministratorAccount",
    );
    let p = planned(&org_with(ok(vec![d])), profile);
    assert!(!addresses(&p).iter().any(|a| a.starts_with(&addr)));
    assert!(p.unknown.iter().any(|n| n.resource == addr));
}

#[test]
fn a_missing_delegated_administrator_is_a_manual_step_in_the_management_account() {
    let p = planned(&org_with(ok(vec![])), "guardduty: {}\n");
    let c = change(&p, &format!("guardduty_organization_admin.{R1}"));
    assert_eq!(c.action, Action::Manual);
    assert_eq!(c.account_id, MGMT);
    assert!(c
        .manual
        .as_ref()
        .unwrap()
        .command
        .contains("enable-organization-admin-account"));
    let p = planned(
        &org_with(ok(vec![])),
        "guardduty: {delegated_admin: false}\n",
    );
    assert!(!addresses(&p)
        .iter()
        .any(|a| a.starts_with("guardduty_organization_admin")));
}

#[test]
fn an_unknown_protection_plan_is_refused_with_its_position() {
    let text = "version: 1\nname: t\nguardduty:\n  features: [S3_DATA_EVENT]\n";
    let e = crate::rules::testutil::parse_profile(text, "t.yaml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("S3_DATA_EVENT") && e.contains("t.yaml:4"), "{e}");
    assert!(e.contains("S3_DATA_EVENTS"), "{e}");
}

#[test]
fn an_update_request_sends_back_only_what_a_request_may_carry() {
    use super::model::update_request;
    let owned = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(n, e)| (n.to_string(), *e)).collect()
    };
    // What AWS's GetDetector lists: the foundational sources too, and both runtime plans.
    let current = owned(&[
        ("CLOUD_TRAIL", true),
        ("DNS_LOGS", true),
        ("FLOW_LOGS", true),
        ("S3_DATA_EVENTS", true),
        ("EKS_AUDIT_LOGS", false),
        ("EKS_RUNTIME_MONITORING", false),
        ("RUNTIME_MONITORING", true),
    ]);
    assert_eq!(
        update_request(&current, &["EKS_AUDIT_LOGS".to_string()]),
        owned(&[
            ("S3_DATA_EVENTS", true),
            ("RUNTIME_MONITORING", true),
            ("EKS_AUDIT_LOGS", true),
        ])
    );
    // Turning Runtime Monitoring on beside a running EKS Runtime Monitoring: only the one
    // being enabled is named (AWS refuses the two in one request).
    let current = owned(&[
        ("EKS_RUNTIME_MONITORING", true),
        ("RUNTIME_MONITORING", false),
    ]);
    assert_eq!(
        update_request(&current, &["RUNTIME_MONITORING".to_string()]),
        owned(&[("RUNTIME_MONITORING", true)])
    );
    // EKS Runtime Monitoring running, Runtime Monitoring off, another plan asked: the running
    // one is sent back, the other left out.
    assert_eq!(
        update_request(&current, &["S3_DATA_EVENTS".to_string()]),
        owned(&[("EKS_RUNTIME_MONITORING", true), ("S3_DATA_EVENTS", true)])
    );
}

#[test]
fn a_profile_naming_both_runtime_plans_is_refused() {
    let e = parse_profile(
        "version: 1\nname: t\nguardduty:\n  features: [EKS_RUNTIME_MONITORING, RUNTIME_MONITORING]\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("GuardDuty refuses the two together"), "{e}");
    assert!(e.contains("name RUNTIME_MONITORING alone"), "{e}");
}
