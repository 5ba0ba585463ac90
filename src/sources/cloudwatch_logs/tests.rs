//! Log-group retention: the verdict per account and region, which groups count, and the plan
//! that raises a retention and never shortens one.

use super::model::*;
use super::profile::GroupScope;
use crate::finding::Status as Verdict;
use crate::inventory::Collected;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::{Inventory, Op, Plan};

fn group(name: &str, days: Option<i32>) -> LogGroup {
    LogGroup::sample(name, days, None)
}

/// A Delivery-class group: CloudWatch Logs keeps its events one day, on their way to S3.
fn delivery(name: &str) -> LogGroup {
    LogGroup {
        class: Some("DELIVERY".into()),
        ..group(name, Some(1))
    }
}

/// The organization with the member's first region holding these groups (every other region
/// none).
fn org_with(groups: Collected<Vec<LogGroup>>) -> Inventory {
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = groups;
    inv
}

/// The organization with the member's first region holding these groups, and its trails
/// unreadable (so which groups hold logs is in doubt).
fn trails_unread(groups: Vec<LogGroup>) -> Inventory {
    let mut inv = org_with(ok(groups));
    acct(&mut inv, MEMBER).regions[0].data.cloudtrail.trails = denied(
        MEMBER,
        Some(R1),
        "DescribeTrails",
        "cloudtrail:DescribeTrails",
    );
    inv
}

/// Whether the plan says the member's first region's log groups could not be weighed.
fn region_unknown(p: &Plan) -> bool {
    p.unknown
        .iter()
        .any(|n| n.resource == "cloudwatch_log_group.222222222222.us-east-1")
}

fn baseline(extra: &str) -> crate::sources::Baseline {
    profile(extra)
}

/// A case: name, the region's groups, extra profile text, verdict, message part.
type Case<'a> = (&'a str, Collected<Vec<LogGroup>>, &'a str, Verdict, &'a str);

/// Each case's region judged (with `default` as the profile when the case gives none), after
/// `setup` adds what names the groups.
fn judge(cases: Vec<Case>, default: &str, setup: impl Fn(&mut Inventory)) {
    judge_by("cloudwatch_logs.retention", cases, default, setup)
}

/// [`judge`], by the check `id`.
fn judge_by(id: &str, cases: Vec<Case>, default: &str, setup: impl Fn(&mut Inventory)) {
    for (name, groups, extra, want, needle) in cases {
        let mut inv = org_with(groups);
        setup(&mut inv);
        let b = baseline(if extra.is_empty() { default } else { extra });
        let e = evaluate(&inv, &b);
        let f = find(&e, id, MEMBER, Some(R1));
        assert_eq!(f.len(), 1, "{name}: {f:#?}");
        assert_eq!(f[0].status, want, "{name}: {}", f[0].message);
        assert!(f[0].message.contains(needle), "{name}: {}", f[0].message);
    }
}

#[test]
fn under_groups_sources_a_region_is_judged_by_the_groups_that_hold_logs() {
    let trail_group = "org-trail-events";
    let cases: Vec<Case> = vec![
        (
            "nothing holds logs",
            ok(vec![group("my-app", Some(1))]),
            "",
            Verdict::NotApplicable,
            "none of the 1 log group(s) here holds a source's logs",
        ),
        (
            "lambda short",
            ok(vec![
                group("/aws/lambda/orders", Some(7)),
                group("/aws/lambda/billing", Some(400)),
                group("scratch", Some(1)),
            ]),
            "",
            Verdict::Fail,
            "1 of 2 log group(s) holding logs are not kept the baseline's 365 days: /aws/lambda/orders (7 days; Lambda)",
        ),
        (
            "the trail's group, by its ARN",
            ok(vec![group(trail_group, Some(90))]),
            "",
            Verdict::Fail,
            "org-trail-events (90 days; trail 'member-trail')",
        ),
        (
            "a Network Firewall's group, by its destination",
            ok(vec![group("/nfw/flow", Some(30))]),
            "",
            Verdict::Fail,
            "/nfw/flow (30 days; Network Firewall edge (FLOW))",
        ),
        (
            "long enough and never expiring",
            ok(vec![
                group("/aws/eks/prod/cluster", None),
                LogGroup {
                    kms_key_id: Some("arn:aws:kms:us-east-1:222222222222:key/k".into()),
                    ..group("/aws/rds/instance/db/audit", Some(731))
                },
            ]),
            "",
            Verdict::Pass,
            "2 log group(s) holding logs keep them at least 365 days (1 never expire; 1 encrypted with a KMS key)",
        ),
        (
            "never expiring, flagged",
            ok(vec![group("/aws/eks/prod/cluster", None)]),
            "log_group_retention: {groups: sources, min_days: 365, never_expire: flag}\n",
            Verdict::Fail,
            "/aws/eks/prod/cluster (never expires",
        ),
        (
            "a shorter baseline",
            ok(vec![group("/aws/lambda/orders", Some(30))]),
            "log_group_retention: {groups: sources, min_days: 30}\n",
            Verdict::Pass,
            "at least 30 days",
        ),
        (
            "unreadable",
            denied(MEMBER, Some(R1), "DescribeLogGroups", "logs:DescribeLogGroups"),
            "",
            Verdict::Unknown,
            "logs:DescribeLogGroups",
        ),
    ];
    judge(cases, "log_group_retention: {groups: sources}\n", |inv| {
        let mut t = trail(MEMBER, "member-trail", R1, true, false);
        t.cloudwatch_logs_log_group_arn = Some(format!(
            "arn:aws:logs:{R1}:{MEMBER}:log-group:{trail_group}:*"
        ));
        acct(inv, MEMBER).data.cloudtrail.trails.push(t);
        acct(inv, MEMBER).regions[0].data.network_firewall.firewalls =
            ok(vec![crate::sources::network_firewall::model::Firewall {
                name: "edge".into(),
                arn: format!("arn:aws:network-firewall:{R1}:{MEMBER}:firewall/edge"),
                logging: ok(vec![
                    crate::sources::network_firewall::model::LogDestination {
                        log_type: "FLOW".into(),
                        destination_type: "CloudWatchLogs".into(),
                        destination: [("logGroup".to_string(), "/nfw/flow".to_string())].into(),
                    },
                ]),
            }]);
    });
}

#[test]
fn by_default_every_group_workload_logs_included_keeps_the_baseline_days() {
    let cases: Vec<Case> = vec![
        (
            "an application's group",
            ok(vec![group("my-app", Some(1))]),
            "",
            Verdict::Fail,
            "1 of 1 log group(s) holding logs are not kept the baseline's 365 days: my-app (1 days; other logs)",
        ),
        (
            "named and unnamed groups together",
            ok(vec![
                group("/aws/lambda/orders", Some(7)),
                group("/aws/lambda/billing", Some(400)),
                group("scratch", Some(14)),
            ]),
            "",
            Verdict::Fail,
            "2 of 3 log group(s) holding logs are not kept the baseline's 365 days: /aws/lambda/orders (7 days; Lambda), scratch (14 days; other logs)",
        ),
        (
            "long enough",
            ok(vec![group("my-app", Some(400)), group("audit", None)]),
            "",
            Verdict::Pass,
            "2 log group(s) holding logs keep them at least 365 days (1 never expire",
        ),
        (
            "no groups",
            ok(vec![]),
            "",
            Verdict::NotApplicable,
            "no log groups here",
        ),
        (
            "a Delivery-class group only: its one day is by design",
            ok(vec![delivery("/aws/lambda/to-s3")]),
            "",
            Verdict::NotApplicable,
            "no log groups here; 1 Delivery-class group(s) not judged",
        ),
        (
            "a Delivery-class group beside a short one: only the short one fails",
            ok(vec![delivery("/aws/lambda/to-s3"), group("my-app", Some(7))]),
            "",
            Verdict::Fail,
            "1 of 1 log group(s) holding logs are not kept the baseline's 365 days: my-app (7 days; other logs); 1 Delivery-class group(s) not judged",
        ),
        (
            "the same, spelled out",
            ok(vec![group("my-app", Some(30))]),
            "log_group_retention: {groups: all, min_days: 30}\n",
            Verdict::Pass,
            "at least 30 days",
        ),
    ];
    judge(cases, "log_group_retention: {}\n", |_| {});
}

#[test]
fn retention_is_judged_only_when_the_profile_asks_and_the_bundled_profiles_say_so() {
    let e = evaluate(
        &org_with(ok(vec![group("/aws/lambda/x", Some(1))])),
        &profile(""),
    );
    let f = find(&e, "cloudwatch_logs.retention", MEMBER, Some(R1));
    assert_eq!(f[0].status, Verdict::NotApplicable);
    assert!(f[0].message.contains("not required"), "{}", f[0].message);
    let want = crate::sources::load_baseline("recommended")
        .unwrap()
        .baseline
        .log_group_retention
        .unwrap();
    assert_eq!((want.min_days, want.groups), (365, GroupScope::All));
    let minimal = crate::sources::load_baseline("minimal")
        .unwrap()
        .baseline
        .log_group_retention
        .unwrap();
    assert_eq!(
        (minimal.min_days, minimal.groups),
        (90, GroupScope::Sources)
    );
}

#[test]
fn a_group_another_section_creates_shorter_than_the_floor_is_refused() {
    let e = parse_profile(
        "version: 1\nname: t\nlog_group_retention: {min_days: 400}\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("organization_trail.cloudwatch_logs.retention_days is 365 days, shorter than log_group_retention.min_days (400)"),
        "{e}"
    );
    assert!(e.contains("hint: set it to 400 or more"), "{e}");
    let e = parse_profile(
        "version: 1\nname: t\nlog_group_retention: {min_days: 30}\nvpc_flow_logs:\n  destination: cloudwatch_logs\n  cloudwatch_logs: {retention_days: 14}\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:6:"), "{e}");
    assert!(
        e.contains("vpc_flow_logs.cloudwatch_logs.retention_days is 14 days"),
        "{e}"
    );
}

#[test]
fn a_retention_cloudwatch_logs_refuses_is_refused_with_its_position() {
    let e = parse_profile(
        "version: 1\nname: t\nlog_group_retention:\n  min_days: 100\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("does not accept a retention of 100 days"), "{e}");
}

fn planned(inv: &Inventory, extra: &str) -> Plan {
    let mut inv = inv.clone();
    inv.managed = managed_org().managed;
    crate::plan::testutil::plan(&profile(extra), "t.yaml", &inv, NOW).unwrap()
}

#[test]
fn plan_raises_short_retentions_and_never_shortens_one() {
    let inv = org_with(ok(vec![
        group("/aws/lambda/orders", Some(7)),
        group("/aws/lambda/billing", Some(731)),
        group("/aws/lambda/year", Some(365)),
        group("/aws/eks/prod/cluster", None),
        group("scratch", Some(1)),
        // Never raised: its one day is fixed, its events kept where they are delivered.
        delivery("/aws/lambda/to-s3"),
    ]));
    let mine = |p: &Plan| -> Vec<String> {
        addresses(p)
            .into_iter()
            .filter(|a| a.starts_with("cloudwatch_log_group.222222222222."))
            .map(String::from)
            .collect()
    };
    // Every group: the application's scratch group too.
    let p = planned(&inv, "log_group_retention: {min_days: 365}\n");
    assert_eq!(
        mine(&p),
        vec![
            "cloudwatch_log_group.222222222222.us-east-1./aws/lambda/orders",
            "cloudwatch_log_group.222222222222.us-east-1.scratch"
        ]
    );
    let p = planned(
        &inv,
        "log_group_retention: {groups: sources, min_days: 365}\n",
    );
    let mine = mine(&p);
    assert_eq!(
        mine,
        vec!["cloudwatch_log_group.222222222222.us-east-1./aws/lambda/orders"]
    );
    let c = change(&p, &mine[0]);
    assert_eq!(c.action, Action::Update);
    assert_eq!(c.attributes[0].before.as_deref(), Some("7 days"));
    assert_eq!(c.attributes[0].after, "365 days");
    assert!(matches!(
        &c.ops[0],
        Op::CloudwatchLogs(super::apply::Op::PutRetention { name, days: 365 }) if name == "/aws/lambda/orders"
    ));
    // Flagged, a group that never expires is a manual step: never shortened by apply.
    let p = planned(
        &inv,
        "log_group_retention: {min_days: 365, never_expire: flag}\n",
    );
    let c = change(
        &p,
        "cloudwatch_log_group.222222222222.us-east-1./aws/eks/prod/cluster",
    );
    assert_eq!(c.action, Action::Manual);
    assert!(c.ops.is_empty());
    assert!(
        c.manual
            .as_ref()
            .unwrap()
            .command
            .contains("--retention-in-days 365"),
        "{c:?}"
    );
    // Unreadable groups: nothing planned, the gap named.
    let p = planned(
        &org_with(denied(
            MEMBER,
            Some(R1),
            "DescribeLogGroups",
            "logs:DescribeLogGroups",
        )),
        "log_group_retention: {}\n",
    );
    assert!(!addresses(&p)
        .iter()
        .any(|a| a.starts_with("cloudwatch_log_group.222")));
    assert!(region_unknown(&p), "{:#?}", p.unknown);
}

#[test]
fn a_failed_read_that_names_groups_leaves_a_pass_unknown_never_a_fail() {
    for (groups, want) in [
        (vec![group("/aws/lambda/ok", Some(400))], Verdict::Unknown),
        (vec![group("unnamed", Some(1))], Verdict::Unknown),
        (vec![group("/aws/lambda/short", Some(1))], Verdict::Fail),
    ] {
        let inv = trails_unread(groups);
        let e = evaluate(&inv, &profile("log_group_retention: {groups: sources}\n"));
        let f = find(&e, "cloudwatch_logs.retention", MEMBER, Some(R1));
        assert_eq!(f[0].status, want, "{}", f[0].message);
        if want == Verdict::Unknown {
            assert!(
                f[0].message.contains("cloudtrail DescribeTrails"),
                "{}",
                f[0].message
            );
        }
    }
}

#[test]
fn under_groups_all_which_source_delivers_where_does_not_matter() {
    // Every group counts whatever its name: an unread trail list leaves nothing in doubt.
    for (groups, want) in [
        (vec![group("unnamed", Some(400))], Verdict::Pass),
        (vec![group("unnamed", Some(1))], Verdict::Fail),
    ] {
        let inv = trails_unread(groups);
        let e = evaluate(&inv, &profile("log_group_retention: {}\n"));
        let f = find(&e, "cloudwatch_logs.retention", MEMBER, Some(R1));
        assert_eq!(f[0].status, want, "{}", f[0].message);
        let p = planned(&inv, "log_group_retention: {}\n");
        assert!(!region_unknown(&p), "{:#?}", p.unknown);
    }
}

#[test]
fn lookback_is_the_group_that_reaches_back_least() {
    let mut inv = org_with(ok(vec![
        group("/aws/lambda/week", Some(7)),
        LogGroup {
            created: Some("2025-12-01T12:00:00Z".into()),
            ..group("/aws/eks/prod/cluster", None)
        },
        group("scratch", Some(1)),
    ]));
    let e = evaluate(&inv, &profile("log_group_retention: {groups: sources}\n"));
    let l = e
        .lookback
        .iter()
        .find(|l| l.account_id == MEMBER && l.source == "cloudwatch_logs")
        .unwrap_or_else(|| panic!("{:#?}", e.lookback));
    assert_eq!(l.days, 7, "{l:?}");
    assert!(
        l.basis
            .contains("/aws/lambda/week in us-east-1 keeps 7 days"),
        "{l:?}"
    );
    // A young group reaches back only to its creation.
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = ok(vec![LogGroup {
        created: Some("2025-12-15T00:00:00Z".into()),
        ..group("/aws/lambda/new", Some(365))
    }]);
    let e = evaluate(&inv, &profile("log_group_retention: {}\n"));
    let l = e
        .lookback
        .iter()
        .find(|l| l.account_id == MEMBER && l.source == "cloudwatch_logs")
        .unwrap();
    assert_eq!(l.days, 17, "{l:?}");
    assert!(
        l.basis
            .contains("/aws/lambda/new in us-east-1 was created 17 days ago"),
        "{l:?}"
    );
    // Not asked, not reported.
    let e = evaluate(&inv, &profile(""));
    assert!(!e.lookback.iter().any(|l| l.source == "cloudwatch_logs"));
}

#[test]
fn a_lambda_functions_custom_group_holds_logs_and_its_unread_list_leaves_doubt() {
    let mut inv = org_with(ok(vec![group("/apps/billing", Some(7))]));
    acct(&mut inv, MEMBER).regions[0].data.lambda.functions =
        ok(vec![crate::sources::lambda::model::Function {
            name: "billing".into(),
            arn: format!("arn:aws:lambda:{R1}:{MEMBER}:function:billing"),
            runtime: None,
            log_group: "/apps/billing".into(),
            custom_log_group: true,
            log_format: Some("JSON".into()),
            application_log_level: None,
            system_log_level: None,
        }]);
    let b = baseline("log_group_retention: {groups: sources}\n");
    let e = evaluate(&inv, &b);
    let f = &find(&e, "cloudwatch_logs.retention", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Verdict::Fail, "{}", f.message);
    assert!(
        f.message
            .contains("/apps/billing (7 days; Lambda function billing)"),
        "{}",
        f.message
    );
    // The functions could not be listed: a group not known by its name may hold logs.
    let mut inv = org_with(ok(vec![group("/apps/billing", Some(7))]));
    acct(&mut inv, MEMBER).regions[0].data.lambda.functions =
        denied(MEMBER, Some(R1), "ListFunctions", "lambda:ListFunctions");
    let e = evaluate(&inv, &b);
    let f = &find(&e, "cloudwatch_logs.retention", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Verdict::Unknown, "{}", f.message);
    assert!(f.message.contains("lambda:ListFunctions"), "{}", f.message);
}

/// A group with deletion protection on.
fn protected(name: &str) -> LogGroup {
    LogGroup {
        deletion_protection: true,
        ..group(name, Some(400))
    }
}

const PROTECT: &str = "log_group_retention: {deletion_protection: true}\n";

#[test]
fn deletion_protection_is_judged_on_the_groups_that_hold_logs() {
    let cases: Vec<Case> = vec![
        (
            "not asked",
            ok(vec![group("/aws/lambda/orders", Some(400))]),
            "log_group_retention: {}\n",
            Verdict::NotApplicable,
            "deletion protection on log groups is not required",
        ),
        (
            "every group holding logs protected; the application's own is not judged",
            ok(vec![
                protected("/aws/lambda/orders"),
                protected("org-trail-events"),
                group("my-app", Some(400)),
            ]),
            "",
            Verdict::Pass,
            "2 log group(s) holding logs are protected from deletion",
        ),
        (
            "the trail's group unprotected",
            ok(vec![
                protected("/aws/lambda/orders"),
                group("org-trail-events", Some(400)),
            ]),
            "",
            Verdict::Fail,
            "1 of 2 log group(s) holding logs can be deleted (no deletion protection): org-trail-events (trail 'member-trail')",
        ),
        (
            "under groups: all, still only the groups holding logs",
            ok(vec![group("my-app", Some(400))]),
            "log_group_retention: {groups: all, deletion_protection: true}\n",
            Verdict::NotApplicable,
            "none of the 1 log group(s) here holds a source's logs",
        ),
        (
            "a Delivery-class group is not judged",
            ok(vec![delivery("/aws/vendedlogs/cf")]),
            "",
            Verdict::NotApplicable,
            "none of the 1 log group(s) here holds a source's logs",
        ),
        (
            "groups unreadable",
            denied(
                MEMBER,
                Some(R1),
                "DescribeLogGroups",
                "logs:DescribeLogGroups",
            ),
            "",
            Verdict::Unknown,
            "logs:DescribeLogGroups",
        ),
    ];
    judge_by(
        "cloudwatch_logs.deletion_protection",
        cases,
        PROTECT,
        |inv| {
            let mut t = trail(MEMBER, "member-trail", R1, true, false);
            t.cloudwatch_logs_log_group_arn = Some(format!(
                "arn:aws:logs:{R1}:{MEMBER}:log-group:org-trail-events:*"
            ));
            acct(inv, MEMBER).data.cloudtrail.trails.push(t);
        },
    );
}

#[test]
fn deletion_protection_is_unknown_not_passed_when_a_read_that_names_groups_failed() {
    for (groups, want) in [
        (vec![protected("/aws/lambda/ok")], Verdict::Unknown),
        (vec![group("unnamed", Some(400))], Verdict::Unknown),
        (vec![group("/aws/lambda/open", Some(400))], Verdict::Fail),
    ] {
        let inv = trails_unread(groups);
        let e = evaluate(&inv, &profile(PROTECT));
        let f = find(&e, "cloudwatch_logs.deletion_protection", MEMBER, Some(R1));
        assert_eq!(f[0].status, want, "{}", f[0].message);
        // Its plan says what it could not weigh instead of guessing.
        let p = planned(&inv, PROTECT);
        assert!(region_unknown(&p), "{:#?}", p.unknown);
    }
}

#[test]
fn plan_protects_the_groups_holding_logs_and_never_unprotects_one() {
    let inv = org_with(ok(vec![
        group("/aws/lambda/orders", Some(400)),
        protected("/aws/eks/prod/cluster"),
        group("scratch", Some(400)),
    ]));
    let protecting: Vec<String> = addresses(&planned(&inv, PROTECT))
        .into_iter()
        .filter(|a| a.starts_with("cloudwatch_log_group_protection."))
        .map(String::from)
        .collect();
    assert_eq!(
        protecting,
        vec!["cloudwatch_log_group_protection.222222222222.us-east-1./aws/lambda/orders"]
    );
    let p = planned(&inv, PROTECT);
    let c = change(&p, &protecting[0]);
    assert_eq!(c.action, Action::Update);
    assert_eq!(c.attributes[0].before.as_deref(), Some("off"));
    assert_eq!(c.attributes[0].after, "on");
    assert_eq!(c.attributes[1].after, "Lambda");
    assert!(
        matches!(
            &c.ops[..],
            [Op::CloudwatchLogs(super::apply::Op::ProtectFromDeletion { name })] if name == "/aws/lambda/orders"
        ),
        "{:?}",
        c.ops
    );
    // Not asked: nothing protected, and nothing ever unprotected.
    assert!(!addresses(&planned(&inv, "log_group_retention: {}\n"))
        .iter()
        .any(|a| a.starts_with("cloudwatch_log_group_protection.")));
}

#[test]
fn this_section_plans_last_so_it_sees_every_group_the_plan_creates() {
    let last = crate::sources::SOURCES
        .iter()
        .rfind(|s| s.plan.is_some())
        .map(|s| s.id);
    assert_eq!(last, Some("cloudwatch_logs"));
}
