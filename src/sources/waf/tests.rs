//! AWS WAF logging: the check, table-driven over logging configurations and filters; and the
//! plan.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;

fn acl(name: &str) -> WebAcl {
    WebAcl {
        name: name.into(),
        id: "id-1".into(),
        arn: format!("arn:aws:wafv2:{R1}:{MEMBER}:regional/webacl/{name}/id-1"),
        scope: "REGIONAL".into(),
    }
}

fn rule(keep: bool, actions: &[&str], labels: &[&str]) -> FilterRule {
    FilterRule {
        keep,
        meets_all: false,
        actions: actions.iter().map(|a| a.to_string()).collect(),
        labels: labels.iter().map(|a| a.to_string()).collect(),
    }
}

fn config(name: &str, filter: Option<LogFilter>) -> LoggingConfig {
    LoggingConfig {
        resource_arn: acl(name).arn,
        destinations: vec![format!(
            "arn:aws:logs:{R1}:{MEMBER}:log-group:aws-waf-logs-api"
        )],
        redacted_fields: vec!["SingleHeader authorization".into()],
        managed_by_firewall_manager: false,
        filter,
    }
}

fn org_with(acls: Vec<WebAcl>, logging: Vec<LoggingConfig>) -> crate::sources::Inventory {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.waf.web_acls = ok(acls);
    r.data.waf.logging = ok(logging);
    inv
}

fn verdicts(inv: &crate::sources::Inventory) -> Vec<(Status, String)> {
    find(
        &evaluate(inv, &recommended()),
        "waf.logging",
        MEMBER,
        Some(R1),
    )
    .iter()
    .map(|f| (f.status, f.message.clone()))
    .collect()
}

#[test]
fn a_web_acl_is_judged_by_its_logging_configuration_and_filter() {
    let drop_all = LogFilter {
        default_keep: false,
        filters: vec![],
    };
    let only_block = LogFilter {
        default_keep: false,
        filters: vec![rule(true, &["BLOCK"], &[])],
    };
    let no_allow = LogFilter {
        default_keep: true,
        filters: vec![rule(false, &["ALLOW"], &[])],
    };
    let no_count = LogFilter {
        default_keep: true,
        filters: vec![rule(false, &["COUNT"], &[])],
    };
    let by_label = LogFilter {
        default_keep: true,
        filters: vec![rule(
            false,
            &[],
            &["awswaf:managed:aws:bot-control:bot:verified"],
        )],
    };
    let cases: Vec<(&str, Vec<LoggingConfig>, Status, &str)> = vec![
        ("everything", vec![config("api", None)], Status::Pass, "web ACL api (REGIONAL) logs to log group arn:aws:logs:us-east-1:222222222222:log-group:aws-waf-logs-api (redacts SingleHeader authorization)"),
        ("nothing", vec![], Status::Fail, "web ACL api (REGIONAL) logs nothing"),
        ("drops every request", vec![config("api", Some(drop_all))], Status::Fail, "its filter leaves out ALLOW and BLOCK requests"),
        ("keeps only BLOCK", vec![config("api", Some(only_block))], Status::Fail, "leaves out ALLOW requests (redacts SingleHeader authorization; ALLOW, COUNT, CAPTCHA, CHALLENGE requests are not logged)"),
        ("drops ALLOW", vec![config("api", Some(no_allow))], Status::Fail, "leaves out ALLOW requests"),
        ("drops COUNT: said, not a gap", vec![config("api", Some(no_count))], Status::Pass, "COUNT requests are not logged"),
        ("drops a label: said", vec![config("api", Some(by_label))], Status::Pass, "requests with label awswaf:managed:aws:bot-control:bot:verified are dropped"),
    ];
    for (name, logging, status, needle) in cases {
        let v = verdicts(&org_with(vec![acl("api")], logging));
        assert_eq!(v.len(), 1, "{name}: {v:?}");
        assert_eq!(v[0].0, status, "{name}: {}", v[0].1);
        assert!(v[0].1.contains(needle), "{name}: {}", v[0].1);
    }
    // Firewall Manager's ACL without logging: said where to fix it.
    let v = verdicts(&org_with(vec![acl("FMManagedWebACLV2-shield")], vec![]));
    assert!(v[0].1.contains("Firewall Manager manages it"), "{v:?}");
}

#[test]
fn what_could_not_be_read_is_unknown() {
    let mut inv = org_with(vec![acl("api")], vec![]);
    acct(&mut inv, MEMBER).regions[0].data.waf.logging = denied(
        MEMBER,
        Some(R1),
        "ListLoggingConfigurations",
        "wafv2:ListLoggingConfigurations",
    );
    let v = verdicts(&inv);
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("wafv2:ListLoggingConfigurations"), "{v:?}");
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.waf.web_acls =
        denied(MEMBER, Some(R1), "ListWebACLs", "wafv2:ListWebACLs");
    let v = verdicts(&inv);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].0, Status::Unknown);
}

const ADDRESS: &str = "waf_logging.222222222222.us-east-1";

#[test]
fn plan_logs_silent_acls_keeps_existing_configurations_and_leaves_firewall_manager_to_a_person() {
    let inv = org_with(
        vec![acl("api"), acl("admin"), acl("FMManagedWebACLV2-x")],
        vec![config(
            "admin",
            Some(LogFilter {
                default_keep: false,
                filters: vec![rule(true, &["BLOCK"], &[])],
            }),
        )],
    );
    let p = planned(
        &inv,
        "waf_logging: {}\nlog_group_retention: {min_days: 365}\n",
    );
    let c = change(&p, ADDRESS);
    assert_eq!(c.action, Action::Create);
    match &c.ops[..] {
        [Op::CloudwatchLogs(LogsOp::EnsureLogGroup {
            name,
            retention_days: 365,
        }), Op::Waf(super::apply::Op::PutLoggingConfigurations {
            web_acl_arns,
            destination_arn,
        })] => {
            assert_eq!(name, "aws-waf-logs-logwarden");
            assert_eq!(web_acl_arns, &[acl("api").arn]);
            assert_eq!(
                destination_arn,
                &format!("arn:aws:logs:{R1}:{MEMBER}:log-group:aws-waf-logs-logwarden")
            );
        }
        other => panic!("{other:?}"),
    }
    // The filtered configuration is kept and named; Firewall Manager's ACL is a manual step.
    assert!(
        p.kept
            .iter()
            .any(|n| n.message.contains("web ACL admin") && n.message.contains("kept as it is")),
        "{:?}",
        p.kept
    );
    let m = change(
        &p,
        &format!(
            "waf_logging_configuration.{}",
            acl("FMManagedWebACLV2-x").arn
        ),
    );
    assert_eq!(m.action, Action::Manual);
    // Converged: nothing when every ACL logs.
    let p = planned(
        &org_with(vec![acl("api")], vec![config("api", None)]),
        "waf_logging: {}\n",
    );
    assert!(!addresses(&p).contains(&ADDRESS));
    // Unreadable: unknown, nothing planned.
    let mut inv = org_with(vec![acl("api")], vec![]);
    acct(&mut inv, MEMBER).regions[0].data.waf.logging = denied(
        MEMBER,
        Some(R1),
        "ListLoggingConfigurations",
        "wafv2:ListLoggingConfigurations",
    );
    let p = planned(&inv, "waf_logging: {}\n");
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(p.unknown.iter().any(|n| n.resource == ADDRESS));
}

#[test]
fn a_log_group_waf_cannot_deliver_to_is_refused() {
    let e = parse_profile(
        "version: 1\nname: t\nwaf_logging:\n  log_group: /waf/logs\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("aws-waf-logs-"), "{e}");
}

#[test]
fn lookback_is_the_acl_whose_destination_keeps_least_and_zero_for_a_silent_one() {
    use crate::sources::cloudwatch_logs::model::LogGroup;
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &recommended())
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "waf")
            .map(|l| (l.days, l.basis))
    };
    let with_group = |retention: Option<i32>| {
        let mut inv = org_with(vec![acl("api")], vec![config("api", None)]);
        inv.collected_at = "2026-12-01T00:00:00Z".into();
        acct(&mut inv, MEMBER).regions[0]
            .data
            .cloudwatch_logs
            .groups = ok(vec![LogGroup::sample(
            "aws-waf-logs-api",
            retention,
            "2025-01-01T00:00:00Z",
        )]);
        inv
    };
    let (d, basis) = days(&with_group(Some(30))).unwrap();
    assert_eq!(d, 30, "{basis}");
    assert!(
        basis.contains("web ACL api: log group aws-waf-logs-api"),
        "{basis}"
    );
    // Never expires: the group's age.
    assert_eq!(days(&with_group(None)).unwrap().0, 699);
    // An ACL that logs nothing answers nothing.
    let mut inv = with_group(Some(30));
    acct(&mut inv, MEMBER).regions[0].data.waf.web_acls = ok(vec![acl("api"), acl("admin")]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 0);
    assert!(
        basis.contains("web ACL admin in us-east-1 logs nothing"),
        "{basis}"
    );
    // Unreadable logging: no figure for the account, never a guess.
    let mut inv = with_group(Some(30));
    acct(&mut inv, MEMBER).regions[0].data.waf.logging = denied(
        MEMBER,
        Some(R1),
        "ListLoggingConfigurations",
        "wafv2:ListLoggingConfigurations",
    );
    assert_eq!(days(&inv), None);
}

#[test]
fn a_filtered_configuration_is_partial_coverage_and_none_is_missing() {
    use crate::finding::CoverageState;
    let b = recommended();
    let only_block = LogFilter {
        default_keep: false,
        filters: vec![rule(true, &["BLOCK"], &[])],
    };
    let e = evaluate(
        &org_with(vec![acl("api")], vec![config("api", Some(only_block))]),
        &b,
    );
    assert_eq!(cov(&e, MEMBER, R1, "waf"), CoverageState::Partial);
    let e = evaluate(&org_with(vec![acl("api")], vec![]), &b);
    assert_eq!(cov(&e, MEMBER, R1, "waf"), CoverageState::Missing);
    let e = evaluate(&org_with(vec![acl("api")], vec![config("api", None)]), &b);
    assert_eq!(cov(&e, MEMBER, R1, "waf"), CoverageState::Covered);
}
