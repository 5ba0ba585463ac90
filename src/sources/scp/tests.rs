//! SCP protection: the policy reader (actions, wildcards, NotAction, resources, conditions),
//! the check over an organization's tree, and the manual step of the plan.

use super::model::*;
use super::policy::{action_matches, arn_matches, treatment, Request, Target, Treatment};
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
        kind: PolicyKind::Scp,
        id: format!("p-{name}"),
        name: name.into(),
        aws_managed: false,
        content: json!({"Version": "2012-10-17", "Statement": statement}).to_string(),
        targets: targets.iter().map(|t| t.to_string()).collect(),
    }
}

fn rcp(name: &str, statement: serde_json::Value, targets: &[&str]) -> Scp {
    Scp {
        kind: PolicyKind::Rcp,
        ..scp(name, statement, targets)
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
            Treatment::Narrowed("only when StringEquals aws:RequestedRegion \"us-east-1\": an intruder can call another region".into()),
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
        assert_eq!(anywhere(&doc(statements), a), want, "{name}");
    }
    assert!(matches!(anywhere("not json", a), Treatment::Unreadable(_)));
    assert!(matches!(
        anywhere("{\"Statement\": 3}", a),
        Treatment::Unreadable(_)
    ));
}

/// How a document treats `action` on every resource, asked from the member account.
fn anywhere(doc: &str, action: &str) -> Treatment {
    on(doc, action, &[Target::any()])
}

fn on(doc: &str, action: &str, targets: &[Target]) -> Treatment {
    treatment(
        doc,
        &Request {
            action,
            targets,
            account: MEMBER,
            org_id: "o-example",
        },
    )
}

#[test]
fn conditions_are_decided_for_an_intruder_or_left_undecided() {
    let a = "cloudtrail:StopLogging";
    let with = |condition: serde_json::Value| {
        json!({"Statement": [{"Effect": "Deny", "Action": a, "Resource": "*", "Condition": condition}]})
            .to_string()
    };
    let denied = |exempt: &[&str]| Treatment::Denied {
        exempt: exempt.iter().map(|s| s.to_string()).collect(),
    };
    let narrowed = |t: &Treatment| matches!(t, Treatment::Narrowed(_));
    let undecided = |t: &Treatment| matches!(t, Treatment::Undecided(_));
    // Exemptions of named principals are listed, whatever the key's case.
    assert_eq!(
        anywhere(
            &with(json!({"StringNotLike": {"aws:PrincipalTag/team": "security"}})),
            a
        ),
        denied(&["aws:PrincipalTag/team security"])
    );
    assert_eq!(
        anywhere(
            &with(
                json!({"ArnNotLikeIfExists": {"aws:principalarn": ["arn:aws:iam::*:role/A", "arn:aws:iam::*:role/B"]}})
            ),
            a
        ),
        denied(&[
            "aws:principalarn arn:aws:iam::*:role/A",
            "aws:principalarn arn:aws:iam::*:role/B"
        ])
    );
    assert_eq!(
        anywhere(
            &with(json!({"Bool": {"aws:PrincipalIsAWSService": "false"}})),
            a
        ),
        denied(&["AWS services"])
    );
    // The principal's organization or account, decided for the member (AWS's "data perimeter"
    // examples): a Deny for principals outside the organization never reaches an insider.
    assert!(narrowed(&anywhere(
        &with(json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-example"}})),
        a
    )));
    assert_eq!(
        anywhere(
            &with(json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-other"}})),
            a
        ),
        denied(&[])
    );
    assert_eq!(
        anywhere(
            &with(json!({"StringEquals": {"aws:PrincipalAccount": ["222222222222"]}})),
            a
        ),
        denied(&[])
    );
    assert!(narrowed(&anywhere(
        &with(json!({"StringEquals": {"aws:PrincipalAccount": "333333333333"}})),
        a
    )));
    // What an intruder chooses: TLS (always), another region, a call of their own.
    assert!(narrowed(&anywhere(
        &with(json!({"Bool": {"aws:SecureTransport": "false"}})),
        a
    )));
    assert_eq!(
        anywhere(&with(json!({"Bool": {"aws:SecureTransport": "true"}})), a),
        denied(&[])
    );
    assert_eq!(
        anywhere(
            &with(json!({"StringLike": {"aws:RequestedRegion": "*"}})),
            a
        ),
        denied(&[])
    );
    assert!(narrowed(&anywhere(
        &with(json!({"Bool": {"aws:ViaAWSService": "true"}})),
        a
    )));
    // What logwarden cannot know about the intruder's request: never a pass, never a fail.
    for c in [
        json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
        json!({"Bool": {"aws:MultiFactorAuthPresent": "false"}}),
        json!({"StringEquals": {"aws:ResourceTag/protected": "true"}}),
        json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-example"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
    ] {
        let t = anywhere(&with(c.clone()), a);
        // The organization condition that never reaches an insider wins over the undecidable one.
        if c.get("StringNotEquals").is_some() {
            assert!(narrowed(&t), "{c}: {t:?}");
        } else {
            assert!(undecided(&t), "{c}: {t:?}");
        }
    }
    let t = anywhere(
        &with(json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})),
        a,
    );
    assert_eq!(
        t,
        Treatment::Undecided("only when IpAddress aws:SourceIp \"203.0.113.0/24\", which logwarden cannot decide for an intruder's request".into())
    );
    // A full Deny next to an undecidable one: denied.
    let both = json!({"Statement": [
        {"Effect": "Deny", "Action": a, "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
        {"Effect": "Deny", "Action": "cloudtrail:*", "Resource": "*"}
    ]})
    .to_string();
    assert_eq!(anywhere(&both, a), denied(&[]));
}

#[test]
fn resources_are_matched_as_iam_does_and_every_log_resource_must_be_covered() {
    for (p, arn, want) in [
        ("*", "arn:aws:s3:::org-logs", true),
        ("arn:aws:s3:::org-logs*", "arn:aws:s3:::org-logs-111", true),
        ("arn:aws:s3:::Org-Logs", "arn:aws:s3:::org-logs", false),
        ("arn:aws:s3:::org-logs/*", "arn:aws:s3:::org-logs/*", true),
        ("arn:aws:s3:::org-logs", "arn:aws:s3:::org-logs/*", false),
        // A pattern standing for unread buckets is covered only by a pattern as wide.
        ("arn:aws:s3:::*", "arn:aws:s3:::*", true),
        ("arn:aws:s3:::org-*", "arn:aws:s3:::*", false),
        ("arn:aws:s3:::???", "arn:aws:s3:::*", false),
    ] {
        assert_eq!(arn_matches(p, arn), want, "{p} vs {arn}");
    }
    let a = "s3:PutBucketPolicy";
    let logs = Target::known(vec!["arn:aws:s3:::org-logs".into()]);
    let access = Target::known(vec!["arn:aws:s3:::access-logs".into()]);
    let doc = |resource: serde_json::Value| {
        json!({"Statement": [{"Effect": "Deny", "Action": "s3:PutBucket*", "Resource": resource}]})
            .to_string()
    };
    let both = [logs.clone(), access.clone()];
    assert_eq!(
        on(
            &doc(json!(["arn:aws:s3:::org-logs", "arn:aws:s3:::access-*"])),
            a,
            &both
        ),
        Treatment::Denied { exempt: vec![] }
    );
    assert_eq!(
        on(&doc(json!("arn:aws:s3:::org-logs")), a, &both),
        Treatment::Narrowed(
            "on arn:aws:s3:::access-logs: only on resources arn:aws:s3:::org-logs".into()
        )
    );
    let not_resource = json!({"Statement": [{"Effect": "Deny", "Action": a, "NotResource": "arn:aws:s3:::access-logs"}]}).to_string();
    assert_eq!(
        on(&not_resource, a, std::slice::from_ref(&logs)),
        Treatment::Denied { exempt: vec![] }
    );
    assert!(matches!(
        on(&not_resource, a, &both),
        Treatment::Narrowed(_)
    ));
    // A read that failed stands for any bucket: only a Deny on every bucket covers it.
    let unread = Target::unread(
        "arn:aws:s3:::*".into(),
        "the trails of 222222222222 could not be read".into(),
    );
    assert_eq!(
        on(&doc(json!("arn:aws:s3:::org-logs")), a, &[logs.clone(), unread.clone()]),
        Treatment::Undecided("whether it is denied on arn:aws:s3:::* is unknown (the trails of 222222222222 could not be read)".into())
    );
    assert_eq!(
        on(&doc(json!("*")), a, &[logs, unread]),
        Treatment::Denied { exempt: vec![] }
    );
}

/// An organization whose member sits in OU under the root, with these SCPs.
fn org_with(enabled: bool, policies: Vec<Scp>) -> crate::sources::Inventory {
    let mut inv = org();
    acct(&mut inv, MGMT).data.scp.policies = Some(Collected::ok(Scps {
        enabled,
        rcps_enabled: policies.iter().any(|p| p.kind == PolicyKind::Rcp),
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

/// The default actions that act on no particular log resource (the others need a bucket, key or
/// log group in the account to be judged).
fn actions_on_anything() -> Vec<String> {
    super::profile::default_actions()
        .into_iter()
        .filter(|a| super::resources::Kind::of(a).is_none())
        .collect()
}

#[test]
fn the_default_actions_cover_what_an_intruder_turns_off() {
    let all = super::profile::default_actions();
    for a in [
        "cloudtrail:StopLogging",
        "cloudtrail:PutEventSelectors",
        "config:StopConfigurationRecorder",
        "ec2:DeleteFlowLogs",
        "route53resolver:DisassociateResolverQueryLogConfig",
        "logs:PutRetentionPolicy",
        "s3:PutLifecycleConfiguration",
        "s3:DeleteObjectVersion",
        "kms:ScheduleKeyDeletion",
        "guardduty:DisassociateFromAdministratorAccount",
        "securityhub:DisableSecurityHub",
        "organizations:LeaveOrganization",
    ] {
        assert!(all.iter().any(|x| x == a), "{a} missing from {all:?}");
    }
}

#[test]
fn a_member_is_protected_by_denies_attached_above_it_and_only_those() {
    let all = json!(actions_on_anything());
    // On the OU above the member: protected; the kinds of log resource it holds none of said.
    let (s, m) = verdict(&org_with(
        true,
        vec![
            full_access(),
            scp("protect", json!([deny(all.clone())]), &[OU]),
        ],
    ));
    assert_eq!(s, Status::Pass, "{m}");
    assert!(
        m.starts_with(
            "SCP 'protect' (on ou-root-prod) denies cloudtrail:StopLogging, cloudtrail:DeleteTrail"
        ),
        "{m}"
    );
    assert!(
        m.ends_with("nothing to protect here for the actions on log buckets, log encryption keys, trail log groups (the account holds none logwarden found)"),
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
                json!([{"Effect": "Deny", "NotAction": ["cloudtrail:*", "s3:*", "kms:*", "logs:*"], "Resource": "*",
                        "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass"}}}]),
                &[ROOT],
            ),
        ],
    ));
    assert_eq!(s, Status::Pass, "{m}");
    assert!(
        m.contains("SCP 'trail' (on 222222222222) denies cloudtrail:StopLogging"),
        "{m}"
    );
    assert!(
        m.contains("organizations:LeaveOrganization (except aws:PrincipalArn arn:aws:iam::*:role/BreakGlass)"),
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
        m.starts_with("no policy in force denies cloudtrail:StopLogging, cloudtrail:DeleteTrail"),
        "{m}"
    );
    assert!(m.contains("(in force: SCP FullAWSAccess)"), "{m}");
    // Only some actions, and one only in a region: the missing ones named, the narrowing said.
    let mut rest: Vec<String> = actions_on_anything();
    rest.retain(|a| a != "ec2:DeleteFlowLogs");
    let (s, m) = verdict(&org_with(
        true,
        vec![
            full_access(),
            scp("trail", json!([deny(json!(rest))]), &[ROOT]),
            scp(
                "flow",
                json!([{"Effect": "Deny", "Action": "ec2:DeleteFlowLogs", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}]),
                &[ROOT],
            ),
        ],
    ));
    assert_eq!(s, Status::Fail);
    assert!(
        m.starts_with("no policy in force denies ec2:DeleteFlowLogs (in force:"),
        "{m}"
    );
    assert!(
        m.contains(
            "ec2:DeleteFlowLogs: SCP 'flow' (on r-root) denies it only when StringEquals aws:RequestedRegion"
        ),
        "{m}"
    );
    // A policy in force that cannot be read: unknown, not a guessed fail.
    let mut broken = scp("broken", json!([]), &[ROOT]);
    broken.content = "{not json".into();
    let (s, m) = verdict(&org_with(true, vec![full_access(), broken]));
    assert_eq!(s, Status::Unknown, "{m}");
    assert!(
        m.contains("SCP 'broken' (on r-root) could not be judged"),
        "{m}"
    );
    // A condition logwarden cannot decide: unknown, with the condition.
    let (s, m) = verdict(&org_with(
        true,
        vec![
            full_access(),
            scp(
                "ip",
                json!([{"Effect": "Deny", "Action": all.clone(), "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]),
                &[ROOT],
            ),
        ],
    ));
    assert_eq!(s, Status::Unknown, "{m}");
    assert!(
        m.starts_with("whether a policy denies cloudtrail:StopLogging"),
        "{m}"
    );
    assert!(m.contains("NotIpAddress aws:SourceIp"), "{m}");
    // SCPs not enabled: nothing is in force.
    let (s, m) = verdict(&org_with(
        false,
        vec![scp("protect", json!([deny(all)]), &[ROOT])],
    ));
    assert_eq!(s, Status::Fail);
    assert!(m.contains("not enabled"), "{m}");
}

#[test]
fn an_allow_list_scp_denies_what_it_does_not_allow() {
    // The OU allows only EC2 (AWS's allow-list strategy): everything else is denied there,
    // whatever the root allows; the flow logs need their own Deny.
    let allow_ec2 = scp(
        "ec2-only",
        json!([{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]),
        &[OU],
    );
    let (s, m) = verdict(&org_with(true, vec![full_access(), allow_ec2.clone()]));
    assert_eq!(s, Status::Fail, "{m}");
    assert!(
        m.starts_with("no policy in force denies ec2:DeleteFlowLogs (in force:"),
        "{m}"
    );
    // FullAWSAccess on the root and on the account (as AWS attaches it), a Deny beside it on the
    // account: the account's level allows what FullAWSAccess allows.
    let mut full = full_access();
    full.targets.push(MEMBER.into());
    let trails = scp("trails", json!([deny(json!("cloudtrail:*"))]), &[MEMBER]);
    let (s, m) = verdict(&org_with(true, vec![full, trails]));
    assert_eq!(s, Status::Fail, "{m}");
    assert!(
        m.starts_with("no policy in force denies config:StopConfigurationRecorder"),
        "{m}"
    );
    assert!(
        m.contains("(in force: SCP FullAWSAccess, SCP trails)"),
        "{m}"
    );
    let flow = scp("flow", json!([deny(json!("ec2:DeleteFlowLogs"))]), &[ROOT]);
    let (s, m) = verdict(&org_with(true, vec![full_access(), allow_ec2, flow]));
    assert_eq!(s, Status::Pass, "{m}");
    assert!(
        m.contains("no SCP attached to ou-root-prod allows cloudtrail:StopLogging"),
        "{m}"
    );
    assert!(
        m.contains("SCP 'flow' (on r-root) denies ec2:DeleteFlowLogs"),
        "{m}"
    );
}

/// The member holds the organization trail's bucket and key (a log archive account); every
/// action on no particular resource is denied by an SCP on the root.
fn log_archive_member(policies: Vec<Scp>) -> crate::sources::Inventory {
    let mut all = vec![
        full_access(),
        scp(
            "protect",
            json!([deny(json!(actions_on_anything()))]),
            &[ROOT],
        ),
    ];
    all.extend(policies);
    log_archive_org(all)
}

/// The member holds the organization trail's bucket, key and log group; these policies.
fn log_archive_org(policies: Vec<Scp>) -> crate::sources::Inventory {
    let mut inv = org_with(true, policies);
    let mut t = trail(MGMT, "org", R1, true, true);
    t.kms_key_id = Some(format!("arn:aws:kms:{R1}:{MEMBER}:key/k-1"));
    t.cloudwatch_logs_log_group_arn =
        Some(format!("arn:aws:logs:{R1}:{MEMBER}:log-group:org-trail:*"));
    add_trail(&mut inv, t);
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![bucket("org-bucket", R1)]);
    inv
}

#[test]
fn actions_on_log_resources_are_judged_on_the_ones_the_account_holds_scp_or_rcp() {
    let buckets = json!([
        {"Effect": "Deny", "Action": ["s3:Delete*", "s3:Put*"], "Resource": ["arn:aws:s3:::org-*", "arn:aws:s3:::org-*/*"]},
        {"Effect": "Deny", "Action": ["kms:*"], "Resource": "*"}
    ]);
    let groups = scp("groups", json!([deny(json!(["logs:*"]))]), &[ROOT]);
    // An RCP protects the bucket and the key (S3 and KMS are RCP services); an SCP the group.
    let (s, m) = verdict(&log_archive_member(vec![
        rcp("buckets", buckets.clone(), &[ROOT]),
        groups.clone(),
    ]));
    assert_eq!(s, Status::Pass, "{m}");
    assert!(
        m.contains("RCP 'buckets' (on r-root) denies s3:DeleteBucket, s3:PutBucketPolicy"),
        "{m}"
    );
    assert!(
        m.contains("SCP 'groups' (on r-root) denies logs:DeleteLogGroup"),
        "{m}"
    );
    assert!(!m.contains("nothing to protect"), "{m}");
    // The finding's breakdown: one part per action, with its own status and why.
    let e = evaluate(
        &log_archive_member(vec![
            rcp("buckets", buckets.clone(), &[ROOT]),
            groups.clone(),
        ]),
        &with_protection(),
    );
    let f = &find(&e, "scp.protects_logging", MEMBER, None)[0];
    assert_eq!(f.breakdown.len(), super::profile::default_actions().len());
    let part = |a: &str| f.breakdown.iter().find(|p| p.item == a).unwrap();
    assert_eq!(part("s3:PutBucketPolicy").status, Status::Pass);
    assert_eq!(
        part("s3:PutBucketPolicy").note,
        "RCP 'buckets' (on r-root) denies it"
    );
    assert_eq!(part("logs:PutRetentionPolicy").status, Status::Pass);
    // A Deny on other buckets leaves the log bucket open, named.
    let other = json!([{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::other"}, {"Effect": "Deny", "Action": "kms:*", "Resource": "*"}]);
    let (s, m) = verdict(&log_archive_member(vec![
        rcp("buckets", other, &[ROOT]),
        groups.clone(),
    ]));
    assert_eq!(s, Status::Fail, "{m}");
    assert!(
        m.starts_with("no policy in force denies s3:DeleteBucket"),
        "{m}"
    );
    assert!(
        m.contains("s3:PutBucketLogging: RCP 'buckets' (on r-root) denies it on arn:aws:s3:::org-bucket: only on resources arn:aws:s3:::other"),
        "{m}"
    );
    // An RCP denying an action of a service RCPs do not govern counts for nothing.
    let (s, m) = verdict(&log_archive_member(vec![
        rcp("buckets", buckets.clone(), &[ROOT]),
        rcp("groups", json!([deny(json!(["logs:*"]))]), &[ROOT]),
    ]));
    assert_eq!(s, Status::Fail, "{m}");
    assert!(
        m.starts_with("no policy in force denies logs:DeleteLogGroup"),
        "{m}"
    );
    // The member's buckets could not be listed: the bucket actions are unknown, not passed.
    let mut inv = log_archive_member(vec![rcp("buckets", buckets, &[ROOT]), groups]);
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets =
        denied(MEMBER, None, "ListBuckets", "s3:ListAllMyBuckets");
    let (s, m) = verdict(&inv);
    assert_eq!(s, Status::Unknown, "{m}");
    assert!(
        m.starts_with("whether a policy denies s3:DeleteBucket"),
        "{m}"
    );
    assert!(m.contains("s3:ListAllMyBuckets"), "{m}");
    assert!(!m.contains("kms:"), "{m}");
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
    let p = plan(&log_archive_org(vec![full_access()]));
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
        m.reason
            .contains("list break-glass roles in scp_protection.exempt_roles"),
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
    // The document: denies on every resource what acts on none, the rest on the log resources
    // only, each exempting logwarden's apply role.
    let doc = m
        .command
        .split_once("--content '")
        .and_then(|(_, rest)| rest.split_once("'   #"))
        .map(|(doc, _)| doc.to_string())
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let sid = |id: &str| {
        v["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["Sid"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no {id} in {v}"))
    };
    assert_eq!(sid("LogwardenProtectLogging")["Resource"], "*");
    assert!(sid("LogwardenProtectLogging")["Action"]
        .as_array()
        .unwrap()
        .contains(&json!("cloudtrail:StopLogging")));
    assert!(sid("LogwardenProtectLogBuckets")["Resource"]
        .as_array()
        .unwrap()
        .contains(&json!("arn:aws:s3:::org-bucket")));
    assert!(sid("LogwardenProtectLogObjects")["Resource"]
        .as_array()
        .unwrap()
        .contains(&json!("arn:aws:s3:::org-bucket/*")));
    assert_eq!(
        sid("LogwardenProtectLogKeys")["Resource"],
        json!([format!("arn:aws:kms:{R1}:{MEMBER}:key/k-1")])
    );
    assert_eq!(
        sid("LogwardenProtectLogGroups")["Resource"],
        json!([
            format!("arn:aws:logs:{R1}:{MEMBER}:log-group:org-trail"),
            format!("arn:aws:logs:{R1}:{MEMBER}:log-group:org-trail:*")
        ])
    );
    let exempt = &sid("LogwardenProtectLogKeys")["Condition"]["ArnNotLike"]["aws:PrincipalArn"];
    assert!(
        exempt[0]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:iam::*:role/"),
        "{exempt}"
    );
    // Attached to the root, it protects the member: nothing more is planned.
    let mut protected = Scp {
        kind: PolicyKind::Scp,
        id: "p-lw".into(),
        name: "logwarden-protect-logging".into(),
        aws_managed: false,
        content: doc,
        targets: vec![ROOT.into()],
    };
    let inv = log_archive_org(vec![full_access(), protected.clone()]);
    let (s, msg) = verdict(&inv);
    assert_eq!(s, Status::Pass, "{msg}");
    let p = plan(&inv);
    assert!(
        !addresses(&p).contains(&"scp.protect_logging"),
        "{:?}",
        addresses(&p)
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
    assert!(
        p.unknown.iter().any(|n| n.resource == "scp.protect_logging"
            && n.message.contains(
                "whether the policies in force protect the logging of 222222222222 is unknown"
            )),
        "{:#?}",
        p.unknown
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

#[test]
fn exempt_roles_are_role_names_and_land_in_the_document() {
    let text = "version: 1\nname: t\nscp_protection:\n  exempt_roles: ['arn:aws:iam::1:role/x']\n";
    let e = crate::rules::testutil::parse_profile(text, "t.yaml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("is not an IAM role name") && e.contains("t.yaml:4"),
        "{e}"
    );
    let b = crate::rules::testutil::parse_profile(
        "version: 1\nname: t\nscp_protection:\n  exempt_roles: [BreakGlass]\n",
        "t.yaml",
    )
    .unwrap();
    let want = b.scp_protection.unwrap();
    assert_eq!(want.exempt_roles, ["BreakGlass"]);
    let doc = super::plan::document(
        &want.actions,
        &super::resources::LogResources::default(),
        &["arn:aws:iam::*:role/BreakGlass".into()],
    );
    let statements = doc["Statement"].as_array().unwrap();
    // No log resource known: only the statement on every resource.
    assert_eq!(statements.len(), 1, "{doc}");
    assert_eq!(
        statements[0]["Condition"],
        json!({"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/BreakGlass"]}})
    );
}

#[test]
fn a_managed_profile_gets_the_scp_and_the_archives_rcp_as_gated_changes_that_converge() {
    let plan = |inv: &crate::sources::Inventory, extra: &str| {
        let mut inv = inv.clone();
        inv.managed = managed_org().managed;
        acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
        crate::plan::testutil::plan(
            &profile(&format!(
                "scp_protection: {{managed: true, exempt_roles: [BreakGlass]{extra}}}\n"
            )),
            "t.yaml",
            &inv,
            NOW,
        )
        .unwrap()
    };
    let p = plan(&log_archive_org(vec![full_access()]), "");
    assert!(
        !addresses(&p).contains(&"scp.protect_logging"),
        "no manual step"
    );
    let c = change(&p, "organizations_policy.logwarden-protect-logging");
    assert_eq!(c.action, Action::Create);
    assert!(c.organization_policy, "apply needs --allow-scp");
    let text = crate::plan::render::text(&p);
    assert!(
        text.contains("organizations_policy.logwarden-protect-logging  (111111111111 global)  [organization policy: needs --allow-scp]"),
        "{text}"
    );
    let (content, guard) = match &c.ops[..] {
        [crate::plan::testutil::Op::Scp(super::apply::Op::EnsurePolicy {
            kind: PolicyKind::Scp,
            content,
            attach_to: super::apply::AttachTo::Root,
            guard,
            ..
        })] => (content.clone(), guard.clone()),
        other => panic!("{other:?}"),
    };
    // The plan shows the whole document it applies; it exempts the apply role and BreakGlass.
    let shown = c.attributes.iter().find(|a| a.name == "document").unwrap();
    assert_eq!(shown.after, content.to_string());
    assert!(content
        .to_string()
        .contains("arn:aws:iam::*:role/BreakGlass"));
    assert!(
        guard.starts_with(&format!("arn:aws:iam::{MGMT}:role/")),
        "{guard}"
    );
    assert!(!super::apply::denies_principal(&content, &guard));
    // The RCP: the buckets' and keys' statements, for every principal, on the log archive.
    let r = change(&p, "organizations_policy.logwarden-protect-logging-storage");
    let rcp = match &r.ops[..] {
        [crate::plan::testutil::Op::Scp(super::apply::Op::EnsurePolicy {
            kind: PolicyKind::Rcp,
            content,
            attach_to: super::apply::AttachTo::Account(a),
            ..
        })] => {
            assert_eq!(a, MGMT, "the test organization's log archive account");
            content.clone()
        }
        other => panic!("{other:?}"),
    };
    let sids: Vec<&str> = rcp["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap())
        .collect();
    assert_eq!(
        sids,
        [
            "LogwardenProtectLogBuckets",
            "LogwardenProtectLogObjects",
            "LogwardenProtectLogKeys"
        ]
    );
    assert!(rcp["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["Principal"] == "*"));
    // In force with that document: nothing planned.
    let in_force = Scp {
        kind: PolicyKind::Scp,
        id: "p-lw".into(),
        name: "logwarden-protect-logging".into(),
        aws_managed: false,
        content: content.to_string(),
        targets: vec![ROOT.into()],
    };
    let storage = Scp {
        kind: PolicyKind::Rcp,
        id: "p-lws".into(),
        name: "logwarden-protect-logging-storage".into(),
        aws_managed: false,
        content: rcp.to_string(),
        targets: vec![MGMT.into()],
    };
    let p = plan(&log_archive_org(vec![full_access(), in_force, storage]), "");
    assert!(
        !addresses(&p)
            .iter()
            .any(|a| a.starts_with("organizations_policy.") || *a == "scp.protect_logging"),
        "{:?}",
        addresses(&p)
    );
    // A document that would deny the apply role itself is refused.
    let mut doc = content.clone();
    doc["Statement"][0]["Condition"] = json!({});
    assert!(super::apply::denies_principal(&doc, &guard));
}
