//! SCP protection: the policy reader (actions, wildcards, NotAction, resources, conditions),
//! the check over an organization's tree, and the manual step of the plan.

use super::model::*;
use super::policy::{action_matches, treatment, Treatment};
use crate::finding::Status;
use crate::inventory::Collected;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::evaluate;
use crate::rules::testutil::*;
use serde_json::json;

const ROOT: &str = "r-root";
const OU: &str = "ou-root-prod";

fn scp(name: &str, statement: serde_json::Value, targets: &[&str]) -> Scp {
    Scp {
        id: format!("p-{name}"),
        name: name.into(),
        aws_managed: false,
        content: json!({"Version": "2012-10-17", "Statement": statement}).to_string(),
        targets: targets.iter().map(|t| t.to_string()).collect(),
    }
}

fn full_access() -> Scp {
    let mut p = scp(
        "FullAWSAccess",
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
        &[ROOT],
    );
    p.aws_managed = true;
    p
}

fn deny(actions: serde_json::Value) -> serde_json::Value {
    json!({"Effect": "Deny", "Action": actions, "Resource": "*"})
}

#[test]
fn actions_match_like_iam() {
    for (p, a, want) in [
        ("cloudtrail:StopLogging", "cloudtrail:StopLogging", true),
        ("CloudTrail:stoplogging", "cloudtrail:StopLogging", true),
        ("cloudtrail:*", "cloudtrail:StopLogging", true),
        ("cloudtrail:Stop*", "cloudtrail:StopLogging", true),
        ("cloudtrail:Delete*", "cloudtrail:StopLogging", false),
        ("*", "ec2:DeleteFlowLogs", true),
        ("ec2:Delete?lowLogs", "ec2:DeleteFlowLogs", true),
        ("ec2:*Flow*", "ec2:DeleteFlowLogs", true),
        ("config:*Recorder", "config:StopConfigurationRecorder", true),
        (
            "config:*Recorder",
            "config:StopConfigurationRecorderStatus",
            false,
        ),
        ("s3:*", "cloudtrail:StopLogging", false),
        (
            "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            false,
        ),
    ] {
        assert_eq!(action_matches(p, a), want, "{p} vs {a}");
    }
}

#[test]
fn a_statement_counts_only_when_it_denies_on_every_resource_for_all_but_exempted_principals() {
    let doc = |s: serde_json::Value| json!({"Statement": s}).to_string();
    let a = "cloudtrail:StopLogging";
    let cases: Vec<(&str, serde_json::Value, Treatment)> = vec![
        (
            "plain",
            deny(json!(a)),
            Treatment::Denied { exempt: vec![] },
        ),
        (
            "one statement object",
            deny(json!(["cloudtrail:*"])),
            Treatment::Denied { exempt: vec![] },
        ),
        (
            "allow",
            json!({"Effect": "Allow", "Action": a, "Resource": "*"}),
            Treatment::Allowed,
        ),
        (
            "other action",
            deny(json!("cloudtrail:DeleteTrail")),
            Treatment::Allowed,
        ),
        (
            "NotAction around it",
            json!({"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*"}),
            Treatment::Denied { exempt: vec![] },
        ),
        (
            "NotAction naming it",
            json!({"Effect": "Deny", "NotAction": ["cloudtrail:*"], "Resource": "*"}),
            Treatment::Allowed,
        ),
        (
            "break-glass role exempt",
            json!({"Effect": "Deny", "Action": a, "Resource": "*", "Condition": {"ArnNotLike": {"aws:PrincipalARN": "arn:aws:iam::*:role/BreakGlass"}}}),
            Treatment::Denied {
                exempt: vec!["aws:PrincipalARN arn:aws:iam::*:role/BreakGlass".into()],
            },
        ),
        (
            "one trail only",
            json!({"Effect": "Deny", "Action": a, "Resource": "arn:aws:cloudtrail:*:*:trail/org"}),
            Treatment::Narrowed("only on resources arn:aws:cloudtrail:*:*:trail/org".into()),
        ),
        (
            "one region only",
            json!({"Effect": "Deny", "Action": a, "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}),
            Treatment::Narrowed("only when StringEquals aws:RequestedRegion \"us-east-1\"".into()),
        ),
        (
            "a narrowed and a full statement",
            json!([
                {"Effect": "Deny", "Action": a, "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}},
                deny(json!("cloudtrail:*"))
            ]),
            Treatment::Denied { exempt: vec![] },
        ),
    ];
    for (name, statements, want) in cases {
        assert_eq!(treatment(&doc(statements), a), want, "{name}");
    }
    assert!(matches!(treatment("not json", a), Treatment::Unreadable(_)));
    assert!(matches!(
        treatment("{\"Statement\": 3}", a),
        Treatment::Unreadable(_)
    ));
}

/// An organization whose member sits in OU under the root, with these SCPs.
fn org_with(enabled: bool, policies: Vec<Scp>) -> crate::sources::Inventory {
    let mut inv = org();
    acct(&mut inv, MGMT).data.scp.policies = Some(Collected::ok(Scps {
        enabled,
        policies,
        ancestors: [
            (MGMT.to_string(), vec![ROOT.to_string()]),
            (MEMBER.to_string(), vec![OU.to_string(), ROOT.to_string()]),
        ]
        .into(),
    }));
    inv
}

fn with_protection() -> crate::sources::Baseline {
    let mut b = recommended();
    b.scp_protection = Some(Default::default());
    b
}

fn verdict(inv: &crate::sources::Inventory) -> (Status, String) {
    let e = evaluate(inv, &with_protection());
    let f = find(&e, "scp.protects_logging", MEMBER, None);
    assert_eq!(f.len(), 1, "{f:#?}");
    (f[0].status, f[0].message.clone())
}

#[test]
fn a_member_is_protected_by_denies_attached_above_it_and_only_those() {
    let all = json!([
        "cloudtrail:StopLogging",
        "cloudtrail:DeleteTrail",
        "config:StopConfigurationRecorder",
        "config:DeleteConfigurationRecorder",
        "config:DeleteDeliveryChannel",
        "ec2:DeleteFlowLogs",
        "guardduty:DeleteDetector"
    ]);
    // On the OU above the member: protected.
    let (s, m) = verdict(&org_with(
        true,
        vec![
            full_access(),
            scp("protect", json!([deny(all.clone())]), &[OU]),
        ],
    ));
    assert_eq!(s, Status::Pass, "{m}");
    assert!(
        m.starts_with("SCP 'protect' (on ou-root-prod) denies cloudtrail:StopLogging"),
        "{m}"
    );
    // On the member itself, split in two policies, one exempting a role: protected, named.
    let (s, m) = verdict(&org_with(
        true,
        vec![
            full_access(),
            scp("trail", json!([deny(json!("cloudtrail:*"))]), &[MEMBER]),
            scp(
                "rest",
                json!([{"Effect": "Deny", "Action": ["config:Stop*", "config:Delete*", "ec2:DeleteFlowLogs", "guardduty:DeleteDetector"], "Resource": "*",
                        "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass"}}}]),
                &[ROOT],
            ),
        ],
    ));
    assert_eq!(s, Status::Pass, "{m}");
    assert!(
        m.contains("(except aws:PrincipalArn arn:aws:iam::*:role/BreakGlass)"),
        "{m}"
    );
    // Attached to another unit: not in force here.
    let (s, m) = verdict(&org_with(
        true,
        vec![
            full_access(),
            scp("elsewhere", json!([deny(all.clone())]), &["ou-root-dev"]),
        ],
    ));
    assert_eq!(s, Status::Fail);
    assert!(
        m.starts_with("no SCP in force denies cloudtrail:StopLogging, cloudtrail:DeleteTrail"),
        "{m}"
    );
    assert!(m.contains("(in force: FullAWSAccess)"), "{m}");
    // Only some actions, and one only in a region: the missing ones named, the narrowing said.
    let (s, m) = verdict(&org_with(
        true,
        vec![
            full_access(),
            scp(
                "trail",
                json!([deny(json!([
                    "cloudtrail:StopLogging",
                    "cloudtrail:DeleteTrail",
                    "config:*",
                    "guardduty:*"
                ]))]),
                &[ROOT],
            ),
            scp(
                "flow",
                json!([{"Effect": "Deny", "Action": "ec2:DeleteFlowLogs", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}]),
                &[ROOT],
            ),
        ],
    ));
    assert_eq!(s, Status::Fail);
    assert!(
        m.starts_with("no SCP in force denies ec2:DeleteFlowLogs"),
        "{m}"
    );
    assert!(
        m.contains(
            "SCP 'flow' denies ec2:DeleteFlowLogs only when StringEquals aws:RequestedRegion"
        ),
        "{m}"
    );
    // A policy in force that cannot be read: unknown, not a guessed fail.
    let mut broken = scp("broken", json!([]), &[ROOT]);
    broken.content = "{not json".into();
    let (s, m) = verdict(&org_with(true, vec![full_access(), broken]));
    assert_eq!(s, Status::Unknown, "{m}");
    assert!(m.contains("SCP 'broken' could not be judged"), "{m}");
    // SCPs not enabled: nothing is in force.
    let (s, m) = verdict(&org_with(
        false,
        vec![scp("protect", json!([deny(all)]), &[ROOT])],
    ));
    assert_eq!(s, Status::Fail);
    assert!(m.contains("not enabled"), "{m}");
}

#[test]
fn the_management_account_is_not_judged_and_unreadable_policies_are_unknown() {
    let e = evaluate(&org_with(true, vec![full_access()]), &with_protection());
    let f = find(&e, "scp.protects_logging", MGMT, None);
    assert_eq!(f[0].status, Status::NotApplicable);
    assert!(
        f[0].message
            .contains("never restrict the management account"),
        "{}",
        f[0].message
    );
    let mut inv = org();
    acct(&mut inv, MGMT).data.scp.policies = Some(denied(
        MGMT,
        None,
        "ListPolicies",
        "organizations:ListPolicies",
    ));
    let (s, m) = verdict(&inv);
    assert_eq!(s, Status::Unknown);
    assert!(m.contains("organizations:ListPolicies"), "{m}");
    // An account missing from the tree (it joined after the read) is unknown, not failed.
    let mut inv = org_with(true, vec![full_access()]);
    if let Some(Collected::Ok { value }) = &mut acct(&mut inv, MGMT).data.scp.policies {
        value.ancestors.remove(MEMBER);
    }
    assert_eq!(verdict(&inv).0, Status::Unknown);
    // Not asked for: not applicable.
    let mut b = recommended();
    b.scp_protection = None;
    let e = evaluate(&org_with(true, vec![]), &b);
    assert_eq!(
        find(&e, "scp.protects_logging", MEMBER, None)[0].status,
        Status::NotApplicable
    );
}

#[test]
fn plan_gives_the_policy_to_attach_as_a_manual_step_and_nothing_once_protected() {
    let plan = |inv: &crate::sources::Inventory| {
        let mut inv = inv.clone();
        inv.managed = managed_org().managed;
        acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
        crate::plan::testutil::plan(&profile("scp_protection: {}\n"), "t.yaml", &inv, NOW).unwrap()
    };
    let p = plan(&org_with(true, vec![full_access()]));
    let c = change(&p, "scp.protect_logging");
    assert_eq!(c.action, Action::Manual);
    let m = c.manual.as_ref().unwrap();
    assert!(
        m.reason
            .starts_with("1 member account(s) can turn their logging off (222222222222)"),
        "{}",
        m.reason
    );
    assert!(
        m.command.contains(
            "create-policy --type SERVICE_CONTROL_POLICY --name logwarden-protect-logging"
        ),
        "{}",
        m.command
    );
    assert!(
        m.command.contains("\"cloudtrail:StopLogging\""),
        "{}",
        m.command
    );
    // The document it gives protects the member once attached to the root.
    let doc = super::plan::document(&super::profile::default_actions());
    let mut protected = Scp {
        id: "p-lw".into(),
        name: "logwarden-protect-logging".into(),
        aws_managed: false,
        content: doc.to_string(),
        targets: vec![ROOT.into()],
    };
    let p = plan(&org_with(true, vec![full_access(), protected.clone()]));
    assert!(
        !addresses(&p).contains(&"scp.protect_logging"),
        "{:?}",
        addresses(&p)
    );
    assert_eq!(
        verdict(&org_with(true, vec![full_access(), protected.clone()])).0,
        Status::Pass
    );
    // A policy in force that cannot be read: nothing planned on a guess.
    let mut broken = protected.clone();
    broken.content = "{not json".into();
    let p = plan(&org_with(true, vec![full_access(), broken]));
    assert!(
        !addresses(&p).contains(&"scp.protect_logging"),
        "{:?}",
        addresses(&p)
    );
    // Disabled policy type: the step enables it first.
    protected.targets.clear();
    let p = plan(&org_with(false, vec![protected]));
    assert!(change(&p, "scp.protect_logging")
        .manual
        .as_ref()
        .unwrap()
        .command
        .starts_with("aws organizations enable-policy-type"));
}

#[test]
fn bad_actions_are_refused_with_their_position() {
    let text = "version: 1\nname: t\nscp_protection:\n  actions: [StopLogging]\n";
    let e = crate::rules::testutil::parse_profile(text, "t.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`StopLogging` is not an IAM action") && e.contains("t.yaml:4"),
        "{e}"
    );
}
