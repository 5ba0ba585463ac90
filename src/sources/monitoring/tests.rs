//! Detective controls: the filter-pattern language (AWS's documented examples and CIS's own
//! patterns), EventBridge patterns, the controls' samples, and the checks over organizations
//! (alarms on the organization trail's group cover members; an alarm nobody subscribed to does
//! not count; an EventBridge rule alone counts; a failed read is unknown).

use super::controls::{self, as_eventbridge, call, CONTROLS};
use super::event_pattern;
use super::filter_pattern::{parse, FilterPattern};
use super::model::*;
use super::profile::TamperProtection;
use crate::finding::Status;
use crate::rules::testutil::*;
use serde_json::{json, Value};

fn m(pattern: &str, event: &Value) -> Result<bool, String> {
    parse(pattern).map_err(|e| e.to_string())?.matches(event)
}

#[test]
fn filter_patterns_match_as_aws_documents() {
    let e = json!({
        "eventType": "UpdateTrail", "sourceIPAddress": "123.123.1.2", "eventName": "StopLogging",
        "errorCode": "Client.UnauthorizedOperation", "latency": 1200, "ok": true, "none": null,
        "user": {"id": 1, "email": "John.Doe@example.com"},
        "users": [{"id": 2, "email": "a@example.com"}],
        "additionalEventData": {"MFAUsed": "No"}
    });
    for (p, want) in [
        ("", true),
        (r#"{ $.eventType = "UpdateTrail" }"#, true),
        (r#"{ $.eventType = UpdateTrail }"#, true),
        (r#"{ $.eventType = "updatetrail" }"#, false),
        (r#"{ $.sourceIPAddress != 123.123.* }"#, false),
        (r#"{ $.sourceIPAddress != 124.* }"#, true),
        (r#"{ $.errorCode = "*UnauthorizedOperation" }"#, true),
        (r#"{ $.errorCode = "AccessDenied*" }"#, false),
        (r#"{ $.eventName = "*Log*" }"#, true),
        (r#"{ $.latency > 1000 }"#, true),
        (r#"{ $.latency <= 1000 }"#, false),
        (r#"{ $.latency = 1200 }"#, true),
        (
            r#"{ $.user.id = 1 && $.users[0].email = "a@example.com" }"#,
            true,
        ),
        (r#"{ ($.user.id = 2) || ($.users[0].id = 2) }"#, true),
        (r#"{ $.ok IS TRUE }"#, true),
        (r#"{ $.ok IS FALSE }"#, false),
        (r#"{ $.none IS NULL }"#, true),
        (r#"{ $.missing NOT EXISTS }"#, true),
        (r#"{ $.user.id EXISTS }"#, true),
        // A comparison on a missing property is false, `!=` included.
        (r#"{ $.missing != "x" }"#, false),
        (r#"{ $.additionalEventData.MFAUsed != "Yes" }"#, true),
        (r#"{ $.eventName = %Stop[A-Z]% }"#, true),
        (r#"{ $.eventName = %^Start% }"#, false),
        ("StopLogging", true),
        ("\"Client.UnauthorizedOperation\"", true),
        ("StopLogging -UpdateTrail", false),
        ("?Nothing ?StopLogging", true),
        ("?Nothing ?Else", false),
    ] {
        assert_eq!(m(p, &e), Ok(want), "{p}");
    }
}

#[test]
fn malformed_patterns_say_where() {
    for (p, at) in [
        ("{ $.a = }", 8),
        ("{ $.a = 1 ", 10),
        ("{ a = 1 }", 2),
        ("{ ($.a = 1 }", 11),
        ("{ $.a IS MAYBE }", 9),
        ("{ $.a = %[% }", 9),
    ] {
        let e = parse(p).expect_err(p);
        assert_eq!(e.at, at, "{p}: {e}");
    }
    let e = parse("[ip, user, ...]").unwrap_err();
    assert!(e.message.contains("space-delimited"), "{e}");
}

#[test]
fn mixed_and_or_without_parentheses_is_undecided_only_where_the_readings_disagree() {
    // CIS v3's own 4.1 pattern mixes them: A || B && C && D.
    let cis = r#"{($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#;
    let denied = json!({"errorCode": "AccessDenied", "sourceIPAddress": "1.2.3.4", "eventName": "GetObject"});
    assert_eq!(m(cis, &denied), Ok(true));
    let unauthorized = json!({"errorCode": "Client.UnauthorizedOperation", "sourceIPAddress": "delivery.logs.amazonaws.com", "eventName": "X"});
    // `&&` first: true (the first operand); left to right: false (the source IP).
    assert!(m(cis, &unauthorized).is_err());
    assert_eq!(m(cis, &json!({"eventName": "X"})), Ok(false));
}

#[test]
fn event_patterns_match_as_eventbridge_does() {
    let ev = as_eventbridge(
        &call("cloudtrail", "StopLogging"),
        "111122223333",
        "eu-west-1",
    );
    for (p, want) in [
        (json!({"source": ["aws.cloudtrail"]}), true),
        (json!({"source": ["aws.iam"]}), false),
        (
            json!({"detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventName": ["StopLogging", "DeleteTrail"]}}),
            true,
        ),
        (json!({"detail": {"eventName": [{"prefix": "Stop"}]}}), true),
        (
            json!({"detail": {"eventName": [{"suffix": "Trail"}]}}),
            false,
        ),
        (
            json!({"detail": {"eventName": [{"anything-but": ["StartLogging"]}]}}),
            true,
        ),
        (
            json!({"detail": {"eventName": [{"anything-but": {"prefix": "Stop"}}]}}),
            false,
        ),
        (
            json!({"detail": {"eventName": [{"equals-ignore-case": "stoplogging"}]}}),
            true,
        ),
        (
            json!({"detail": {"eventName": [{"wildcard": "*Log*"}]}}),
            true,
        ),
        (json!({"detail": {"errorCode": [{"exists": false}]}}), true),
        (json!({"detail": {"errorCode": [{"exists": true}]}}), false),
        (
            json!({"detail": {"userIdentity": {"type": ["IAMUser"]}}}),
            true,
        ),
        (
            json!({"detail": {"nothere": {"x": [{"exists": false}]}}}),
            true,
        ),
        (
            json!({"$or": [{"source": ["aws.iam"]}, {"detail": {"eventName": ["StopLogging"]}}]}),
            true,
        ),
        (json!({"region": ["us-east-1"]}), false),
        (
            json!({"detail": {"eventVersion": [{"numeric": [">", 1, "<=", 1.09]}]}}),
            false,
        ),
    ] {
        assert_eq!(event_pattern::matches(&p, &ev), Ok(want), "{p}");
    }
    assert!(event_pattern::matches(
        &json!({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/8"}]}}),
        &ev
    )
    .is_err());
}

#[test]
fn every_control_pattern_notices_its_events_and_no_benign_one() {
    for c in CONTROLS {
        let p = parse(c.pattern).unwrap_or_else(|e| panic!("{}: {e}", c.cis));
        let (pos, neg) = c.samples();
        assert!(!pos.is_empty() && !neg.is_empty(), "{}", c.cis);
        for e in &pos {
            assert_eq!(
                p.matches(e),
                Ok(true),
                "{} misses {}",
                c.cis,
                controls::label(e)
            );
        }
        for e in neg.iter().chain(&super::watch::benign()) {
            assert_eq!(
                p.matches(e),
                Ok(false),
                "{} matches {}",
                c.cis,
                controls::label(e)
            );
        }
    }
}

#[test]
fn cis_published_patterns_count_and_narrowed_ones_do_not() {
    let c = |k: &str| CONTROLS.iter().find(|c| c.key == k).unwrap();
    let covers = |pattern: &str, k: &str| {
        let p = parse(pattern).unwrap();
        c(k).samples().0.iter().all(|e| p.matches(e) == Ok(true))
    };
    // CIS v3.0.0's patterns, as the benchmark prints them.
    assert!(covers(
        r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
        "console_signin_without_mfa"
    ));
    assert!(covers(
        r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
        "root_account_usage"
    ));
    assert!(covers(
        r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"#,
        "cloudtrail_changes"
    ));
    assert!(covers(
        r#"{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"#,
        "cmk_disable_or_deletion"
    ));
    // A filter that forgets StopLogging does not cover 4.5.
    assert!(!covers(
        r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) }"#,
        "cloudtrail_changes"
    ));
    // One that watches only failed sign-ins does not cover sign-ins without MFA.
    assert!(!covers(
        r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
        "console_signin_without_mfa"
    ));
    assert!(matches!(parse(""), Ok(FilterPattern::All)));
}

#[test]
fn tampering_events_use_cloudtrails_names() {
    let e = controls::tampering_event("s3:PutLifecycleConfiguration").unwrap();
    assert_eq!(e["eventName"], "PutBucketLifecycle");
    assert_eq!(e["eventSource"], "s3.amazonaws.com");
    assert!(controls::tampering_event("cloudtrail:Delete*").is_none());
    assert!(super::watch::rule_is_relevant(
        r#"{"source":["aws.cloudtrail"],"detail":{"eventName":["StopLogging"]}}"#
    ));
    assert!(!super::watch::rule_is_relevant(
        r#"{"source":["aws.ec2"],"detail-type":["EC2 Instance State-change Notification"]}"#
    ));
    assert!(!super::watch::rule_is_relevant(
        r#"{"source":["aws.cloudtrail"],"account":["999999999999"],"detail":{"eventName":["LookupEvents"]}}"#
    ));
    // A rule pinned to its own account and region still matches the events it watches for.
    assert!(super::watch::rule_is_relevant(
        r#"{"source":["aws.cloudtrail"],"account":["999999999999"],"region":["eu-west-1"],"detail":{"eventName":["StopLogging"]}}"#
    ));
    assert!(super::watch::rule_is_relevant("not json"));
}

// ---- the checks over organizations ----------------------------------------------------------

const TOPIC: &str = "arn:aws:sns:us-east-1:111111111111:secops";

fn baseline() -> crate::sources::Baseline {
    let mut b = recommended();
    b.tamper_protection = Some(TamperProtection::default());
    b
}

/// An organization whose trail (owned by the management account, multi-region) delivers to
/// `org-trail` in the management account's us-east-1.
fn org_with_group() -> crate::sources::Inventory {
    let mut inv = org();
    let mut t = trail(MGMT, "org", R1, true, true);
    t.cloudwatch_logs_log_group_arn =
        Some(format!("arn:aws:logs:{R1}:{MGMT}:log-group:org-trail:*"));
    add_trail(&mut inv, t);
    inv
}

fn mon<'a>(
    inv: &'a mut crate::sources::Inventory,
    account: &str,
    region: &str,
) -> &'a mut RegionData {
    let a = acct(inv, account);
    &mut a
        .regions
        .iter_mut()
        .find(|r| r.region == region)
        .unwrap()
        .data
        .monitoring
}

fn metric(name: &str) -> Metric {
    Metric {
        namespace: "LogMetrics".into(),
        name: name.into(),
    }
}

/// A filter per control on the org trail's group, with this pattern, and an alarm on each
/// notifying the topic.
fn cis_filters_and_alarms(inv: &mut crate::sources::Inventory, subscribed: bool) {
    let m = mon(inv, MGMT, R1);
    let mut filters = vec![];
    let mut alarms = vec![];
    for c in CONTROLS {
        filters.push(MetricFilter {
            name: c.resource_name("x-"),
            log_group: "org-trail".into(),
            pattern: c.pattern.into(),
            metrics: vec![metric(c.key)],
        });
        alarms.push(Alarm {
            name: c.resource_name("x-"),
            arn: format!("arn:aws:cloudwatch:{R1}:{MGMT}:alarm:{}", c.key),
            metrics: vec![metric(c.key)],
            rule: None,
            actions_enabled: true,
            actions: vec![TOPIC.into()],
        });
    }
    m.metric_filters = ok(filters);
    m.alarms = ok(alarms);
    m.topics.insert(
        TOPIC.into(),
        ok(Subscriptions {
            confirmed: if subscribed {
                vec!["email".into()]
            } else {
                vec![]
            },
            pending: usize::from(!subscribed),
            endpoints: vec![],
        }),
    );
}

fn finding(inv: &crate::sources::Inventory, check: &str, account: &str) -> (Status, String) {
    let e = evaluate(inv, &baseline());
    let f = find(&e, check, account, None);
    assert_eq!(f.len(), 1, "{f:#?}");
    (f[0].status, f[0].message.clone())
}

#[test]
fn alarms_on_the_organization_trails_group_cover_every_member() {
    let mut inv = org_with_group();
    cis_filters_and_alarms(&mut inv, true);
    for acct in [MGMT, MEMBER] {
        let (s, msg) = finding(&inv, "monitoring.cloudtrail_changes", acct);
        assert_eq!(s, Status::Pass, "{acct}: {msg}");
        assert!(msg.contains("org-trail") && msg.contains("secops"), "{msg}");
        let (s, msg) = finding(&inv, "monitoring.unauthorized_api_calls", acct);
        assert_eq!(s, Status::Pass, "{acct}: {msg}");
    }
    // Tampering: StopLogging, DeleteTrail... are noticed (4.5's filter); a flow-log deletion is not.
    let (s, msg) = finding(&inv, "monitoring.tampering_noticed", MEMBER);
    assert_eq!(s, Status::Fail, "{msg}");
    assert!(msg.contains("ec2:DeleteFlowLogs"), "{msg}");
    assert!(!msg.contains("cloudtrail:StopLogging"), "{msg}");
    assert!(!msg.contains("kms:DisableKey"), "{msg}");
}

#[test]
fn an_alarm_nobody_confirmed_does_not_count() {
    let mut inv = org_with_group();
    cis_filters_and_alarms(&mut inv, false);
    let (s, msg) = finding(&inv, "monitoring.root_account_usage", MEMBER);
    assert_eq!(s, Status::Fail, "{msg}");
    let e = evaluate(&inv, &baseline());
    let f = find(&e, "monitoring.root_account_usage", MEMBER, None)[0];
    assert!(
        f.breakdown
            .iter()
            .any(|p| p.note.contains("awaiting confirmation")),
        "{:#?}",
        f.breakdown
    );
}

#[test]
fn an_account_without_the_trails_group_is_not_covered_and_a_narrow_filter_says_what_it_misses() {
    let mut inv = org_with_group();
    cis_filters_and_alarms(&mut inv, true);
    // The 4.4 filter forgets DetachUserPolicy.
    let m = mon(&mut inv, MGMT, R1);
    let filters = m.metric_filters.value().unwrap().clone();
    let narrowed: Vec<MetricFilter> = filters
        .into_iter()
        .map(|mut f| {
            if f.name.contains("4-4") {
                f.pattern = f
                    .pattern
                    .replace(r#" || ($.eventName = "DetachUserPolicy")"#, "");
            }
            f
        })
        .collect();
    m.metric_filters = ok(narrowed);
    let (s, msg) = finding(&inv, "monitoring.iam_policy_changes", MEMBER);
    assert_eq!(s, Status::Fail, "{msg}");
    assert!(
        msg.contains("iam:DetachUserPolicy") && !msg.contains("iam:AttachUserPolicy"),
        "{msg}"
    );
}

#[test]
fn an_eventbridge_rule_alone_counts_in_its_account_and_region() {
    let mut inv = org();
    let rule = |targets: Vec<String>| {
        Rule {
        name: "trail-changes".into(),
        arn: "arn:aws:events:x".into(),
        state: "ENABLED".into(),
        event_pattern: json!({"source": ["aws.cloudtrail"], "detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventSource": ["cloudtrail.amazonaws.com"], "eventName": ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"]}}).to_string(),
        targets: ok(targets),
    }
    };
    for r in [R1, R2] {
        mon(&mut inv, MEMBER, r).rules = ok(vec![rule(vec![TOPIC.into()])]);
    }
    mon(&mut inv, MGMT, R1).rules = ok(vec![rule(vec![TOPIC.into()])]);
    let (s, msg) = finding(&inv, "monitoring.cloudtrail_changes", MEMBER);
    assert_eq!(s, Status::Pass, "{msg}");
    assert!(msg.contains("EventBridge rule 'trail-changes'"), "{msg}");
    // The management account has it in one region of two.
    let (s, msg) = finding(&inv, "monitoring.cloudtrail_changes", MGMT);
    assert_eq!(s, Status::Fail, "{msg}");
    assert!(msg.contains(R2), "{msg}");
    // A rule without a target does not count.
    for r in [R1, R2] {
        mon(&mut inv, MEMBER, r).rules = ok(vec![rule(vec![])]);
    }
    let (s, msg) = finding(&inv, "monitoring.cloudtrail_changes", MEMBER);
    assert_eq!(s, Status::Fail, "{msg}");
    assert!(msg.contains("no target"), "{msg}");
}

#[test]
fn a_filter_that_matches_everything_does_not_count() {
    let mut inv = org_with_group();
    cis_filters_and_alarms(&mut inv, true);
    let m = mon(&mut inv, MGMT, R1);
    let mut fs = m.metric_filters.value().unwrap().clone();
    for f in &mut fs {
        f.pattern = "{ $.eventName = * }".into();
    }
    m.metric_filters = ok(fs);
    let (s, msg) = finding(&inv, "monitoring.vpc_changes", MEMBER);
    assert_eq!(s, Status::Fail, "{msg}");
}

#[test]
fn what_could_not_be_read_is_unknown_never_a_verdict() {
    let mut inv = org_with_group();
    cis_filters_and_alarms(&mut inv, true);
    // The alarms could not be read: the filters match, nothing else notices.
    mon(&mut inv, MGMT, R1).alarms = denied(
        MGMT,
        Some(R1),
        "DescribeAlarms",
        "cloudwatch:DescribeAlarms",
    );
    let (s, msg) = finding(&inv, "monitoring.vpc_changes", MEMBER);
    assert_eq!(s, Status::Unknown, "{msg}");
    assert!(
        msg.contains("cloudwatch:DescribeAlarms") || msg.contains("DescribeAlarms"),
        "{msg}"
    );
    // The rules of a region could not be read and nothing else notices: unknown too.
    let mut inv = org();
    mon(&mut inv, MEMBER, R2).rules = denied(MEMBER, Some(R2), "ListRules", "events:ListRules");
    let (s, _) = finding(&inv, "monitoring.vpc_changes", MEMBER);
    assert_eq!(
        s,
        Status::Fail,
        "nothing in R1 is a failure whatever R2 holds"
    );
    // Not required: not applicable.
    let e = evaluate(&org_with_group(), &recommended_without());
    assert_eq!(
        status(&e, "monitoring.vpc_changes", MEMBER, None),
        Status::NotApplicable
    );
}

fn recommended_without() -> crate::sources::Baseline {
    let mut b = recommended();
    b.tamper_protection = None;
    b
}

#[test]
fn a_composite_alarm_with_the_action_counts() {
    let mut inv = org_with_group();
    cis_filters_and_alarms(&mut inv, true);
    let m = mon(&mut inv, MGMT, R1);
    let mut alarms = m.alarms.value().unwrap().clone();
    for a in &mut alarms {
        a.actions.clear();
    }
    alarms.push(Alarm {
        name: "all".into(),
        arn: "arn:aws:cloudwatch:us-east-1:111111111111:alarm:all".into(),
        metrics: vec![],
        rule: Some(format!(
            "ALARM(\"{}\") OR ALARM(other)",
            CONTROLS[13].resource_name("x-")
        )),
        actions_enabled: true,
        actions: vec![TOPIC.into()],
    });
    m.alarms = ok(alarms);
    let (s, msg) = finding(&inv, "monitoring.vpc_changes", MEMBER);
    assert_eq!(s, Status::Pass, "{msg}");
    let (s, _) = finding(&inv, "monitoring.route_table_changes", MEMBER);
    assert_eq!(s, Status::Fail);
}

// ---- plan ------------------------------------------------------------------------------------

use crate::plan::testutil::{addresses, change, managed_org, profile, Op, NOW};
use crate::plan::Action;

fn planned(inv: &crate::sources::Inventory, extra: &str) -> crate::sources::Plan {
    let mut inv = inv.clone();
    inv.managed = managed_org().managed;
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
    crate::plan::testutil::plan(&profile(extra), "t.yaml", &inv, NOW).unwrap()
}

const TP: &str =
    "tamper_protection:\n  subscribers: [{protocol: email, endpoint: secops@example.com}]\n";

#[test]
fn plan_adds_a_filter_and_alarm_per_unnoticed_control_on_the_organization_trails_group() {
    let mut inv = org_with_group();
    // The team's own 4.5 filter and alarm reach a person: nothing planned for 4.5.
    cis_filters_and_alarms(&mut inv, true);
    let m = mon(&mut inv, MGMT, R1);
    let keep = |name: &str| name.contains("4-5");
    let mut fs = m.metric_filters.value().unwrap().clone();
    fs.retain(|f| keep(&f.name));
    m.metric_filters = ok(fs);
    let p = planned(&inv, TP);
    let a = addresses(&p);
    assert!(
        a.contains(&"cloudwatch_metric_alarm.logwarden-cis-4-1-unauthorized-api-calls"),
        "{a:?}"
    );
    assert!(!a.iter().any(|x| x.contains("cis-4-5")), "{a:?}");
    // The topic comes first, with its key, policy and subscriber, and every alarm depends on it.
    let topic = change(&p, "sns_topic.logwarden-security-alarms");
    assert_eq!(topic.action, Action::Create);
    let [Op::Monitoring(super::apply::Op::EnsureAlarmTopic(t))] = &topic.ops[..] else {
        panic!("{:?}", topic.ops)
    };
    assert_eq!(t.key_alias, "alias/logwarden-alarms");
    assert_eq!(
        t.subscribers,
        vec![("email".to_string(), "secops@example.com".to_string())]
    );
    let publish = &t.topic_statements[0];
    assert_eq!(publish["Principal"]["Service"], "cloudwatch.amazonaws.com");
    assert_eq!(
        publish["Condition"]["ArnLike"]["aws:SourceArn"],
        format!("arn:aws:cloudwatch:{R1}:{MGMT}:alarm:logwarden-*")
    );
    assert_eq!(
        publish["Condition"]["StringEquals"]["aws:SourceAccount"],
        MGMT
    );
    assert_eq!(
        t.topic_statements[1]["Condition"]["Bool"]["aws:SecureTransport"],
        "false"
    );
    assert_eq!(
        t.key_policy["Statement"][1]["Condition"]["StringEquals"]["aws:SourceAccount"],
        MGMT
    );
    let alarm = change(
        &p,
        "cloudwatch_metric_alarm.logwarden-cis-4-1-unauthorized-api-calls",
    );
    assert_eq!(
        (alarm.account_id.as_str(), alarm.region.as_str()),
        (MGMT, R1)
    );
    assert!(alarm
        .depends_on
        .contains(&"sns_topic.logwarden-security-alarms".to_string()));
    match &alarm.ops[..] {
        [Op::Monitoring(super::apply::Op::PutMetricFilter {
            log_group, pattern, ..
        }), Op::Monitoring(super::apply::Op::PutMetricAlarm { topic_arn, .. })] => {
            assert_eq!(log_group, "org-trail");
            assert_eq!(pattern, CONTROLS[0].pattern);
            assert_eq!(
                topic_arn,
                &format!("arn:aws:sns:{R1}:{MGMT}:logwarden-security-alarms")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        topic_pos(&p)
            < p.changes
                .iter()
                .position(|c| c.address == alarm.address)
                .unwrap()
    );
}

fn topic_pos(p: &crate::sources::Plan) -> usize {
    p.changes
        .iter()
        .position(|c| c.address == "sns_topic.logwarden-security-alarms")
        .unwrap()
}

#[test]
fn tampering_filters_cover_what_the_controls_miss_and_fit_aws_limits() {
    let t = TamperProtection::default();
    let w = super::plan::wanted(&t, &crate::sources::scp::profile::default_actions());
    let tamper: Vec<_> = w
        .iter()
        .filter(|x| x.check == "monitoring.tampering_noticed")
        .collect();
    assert!(!tamper.is_empty());
    for x in &w {
        assert!(
            x.pattern.len() <= super::plan::MAX_PATTERN,
            "{} is {} long",
            x.name,
            x.pattern.len()
        );
        parse(&x.pattern).unwrap_or_else(|e| panic!("{}: {e}", x.name));
    }
    // Every tampering event is matched by one of the patterns, benign events by none.
    let parsed: Vec<_> = w.iter().map(|x| parse(&x.pattern).unwrap()).collect();
    for a in crate::sources::scp::profile::default_actions() {
        let e = controls::tampering_event(&a).unwrap();
        assert!(parsed.iter().any(|p| p.matches(&e) == Ok(true)), "{a}");
    }
    for e in super::watch::benign() {
        assert!(parsed.iter().all(|p| p.matches(&e) == Ok(false)));
    }
}

#[test]
fn plan_converges_keeps_the_teams_filters_and_asks_a_person_to_confirm() {
    let mut inv = org_with_group();
    cis_filters_and_alarms(&mut inv, false);
    // logwarden's own filters and alarms exist; the topic has a pending subscription only.
    let t = TamperProtection::default();
    let w = super::plan::wanted(&t, &crate::sources::scp::profile::default_actions());
    let topic = format!("arn:aws:sns:{R1}:{MGMT}:logwarden-security-alarms");
    let m = mon(&mut inv, MGMT, R1);
    let mut fs = m.metric_filters.value().unwrap().clone();
    let mut al = m.alarms.value().unwrap().clone();
    for x in &w {
        fs.push(MetricFilter {
            name: x.name.clone(),
            log_group: "org-trail".into(),
            pattern: x.pattern.clone(),
            metrics: vec![metric(&x.name)],
        });
        al.push(Alarm {
            name: x.name.clone(),
            arn: String::new(),
            metrics: vec![metric(&x.name)],
            rule: None,
            actions_enabled: true,
            actions: vec![topic.clone()],
        });
    }
    m.metric_filters = ok(fs);
    m.alarms = ok(al);
    m.topics.insert(
        topic.clone(),
        ok(Subscriptions {
            confirmed: vec![],
            pending: 1,
            endpoints: vec![super::model::endpoint_digest("email", "secops@example.com")],
        }),
    );
    let p = planned(&inv, TP);
    let a = addresses(&p);
    assert!(
        !a.iter().any(|x| x.starts_with("cloudwatch_metric_alarm.")),
        "{a:?}"
    );
    let step = change(&p, "sns_topic.logwarden-security-alarms.subscription");
    assert!(step.manual.is_some());
    // A new subscriber is added to the existing topic, nothing else.
    let p = planned(&inv, "tamper_protection:\n  subscribers: [{protocol: email, endpoint: secops@example.com}, {protocol: https, endpoint: 'https://hooks.example.com/T0KEN'}]\n");
    let c = change(&p, "sns_topic.logwarden-security-alarms");
    assert_eq!(c.action, Action::Update);
    let shown = format!("{:?}", c.attributes);
    assert!(
        shown.contains("https://hooks.example.com/…") && !shown.contains("T0KEN"),
        "{shown}"
    );
    // A read that failed: nothing guessed.
    mon(&mut inv, MGMT, R1).metric_filters = denied(
        MGMT,
        Some(R1),
        "DescribeMetricFilters",
        "logs:DescribeMetricFilters",
    );
    let p = planned(&inv, TP);
    assert!(!addresses(&p)
        .iter()
        .any(|x| x.starts_with("cloudwatch_metric_alarm.") || x.starts_with("sns_topic.")));
    assert!(
        p.unknown
            .iter()
            .any(|n| n.resource == "cloudwatch_metric_filters.organization_trail"),
        "{:?}",
        p.unknown
    );
}

#[test]
fn without_a_log_group_plan_says_how_to_get_one() {
    let mut inv = org();
    add_trail(&mut inv, trail(MGMT, "org", R1, true, true));
    let p = planned(
        &inv,
        "cloudtrail: {cloudwatch_logs: false}\ntamper_protection: {}\n",
    );
    let c = change(&p, "cloudwatch_metric_filters.organization_trail");
    assert!(c.manual.is_some());
    assert!(!addresses(&p)
        .iter()
        .any(|x| x.starts_with("cloudwatch_metric_alarm.")));
}

#[test]
fn a_rule_that_only_forwards_to_another_bus_is_unknown_and_a_failing_delivery_notices_nothing() {
    let mut inv = org();
    let rule = Rule {
        name: "to-central".into(),
        arn: "arn:aws:events:x".into(),
        state: "ENABLED".into(),
        event_pattern: json!({"source": ["aws.ec2"], "detail": {"eventName": ["CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection"]}}).to_string(),
        targets: ok(vec![format!("arn:aws:events:{R1}:{MGMT}:event-bus/central")]),
    };
    for r in [R1, R2] {
        mon(&mut inv, MEMBER, r).rules = ok(vec![rule.clone()]);
    }
    let (s, msg) = finding(&inv, "monitoring.vpc_changes", MEMBER);
    assert_eq!(s, Status::Unknown, "{msg}");
    assert!(msg.contains("forwards to event bus"), "{msg}");
    // The organization trail's alarms would notice, but the trail cannot deliver to its group.
    let mut inv = org_with_group();
    cis_filters_and_alarms(&mut inv, true);
    let t = &mut acct(&mut inv, MGMT).data.cloudtrail.trails[0];
    if let crate::inventory::Collected::Ok { value } = &mut t.status {
        value.latest_cloudwatch_logs_delivery_error = Some("AccessDenied".into());
    }
    let (s, msg) = finding(&inv, "monitoring.vpc_changes", MEMBER);
    assert_eq!(s, Status::Fail, "{msg}");
    assert!(
        msg.contains("fails to deliver to CloudWatch Logs: AccessDenied"),
        "{msg}"
    );
}
