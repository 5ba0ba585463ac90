//! OpenSearch log publishing: the check, table-driven over what a domain publishes and whether
//! it can write audit logs; the lookback; the profile section; and the plan's manual steps.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::model::LogGroup;
use std::collections::BTreeMap;

fn domain(name: &str, fgac: bool, published: &[(&str, &str)]) -> Domain {
    Domain {
        name: name.into(),
        details: ok(DomainDetails {
            arn: format!("arn:aws:es:{R1}:{MEMBER}:domain/{name}"),
            engine_version: Some("OpenSearch_2.13".into()),
            fine_grained_access_control: fgac,
            processing: false,
            published: published
                .iter()
                .map(|(t, g)| {
                    (
                        t.to_string(),
                        format!("arn:aws:logs:{R1}:{MEMBER}:log-group:{g}"),
                    )
                })
                .collect::<BTreeMap<_, _>>(),
        }),
    }
}

fn org_with(domains: Vec<Domain>, groups: Vec<LogGroup>) -> crate::sources::Inventory {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.opensearch.domains = ok(domains);
    r.data.cloudwatch_logs.groups = ok(groups);
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String)> {
    let e = evaluate(inv, b);
    find(&e, "opensearch.logging", MEMBER, Some(R1))
        .iter()
        .map(|f| (f.status, f.message.clone()))
        .collect()
}

#[test]
fn a_domain_is_judged_by_what_it_publishes_and_can_publish() {
    let b = recommended();
    let denied_describe = Domain {
        name: "logs".into(),
        details: denied(MEMBER, Some(R1), "DescribeDomains", "es:DescribeDomains"),
    };
    let both = [
        ("AUDIT_LOGS", "/os/audit"),
        ("ES_APPLICATION_LOGS", "/os/app"),
    ];
    let cases: Vec<(&str, Domain, Status, &str)> = vec![
        ("both, with FGAC", domain("logs", true, &both), Status::Pass, "OpenSearch domain logs publishes audit, error (audit to /os/audit kept 400 days; error to /os/app (never expires))"),
        ("error only, with FGAC", domain("logs", true, &[("ES_APPLICATION_LOGS", "/os/app")]), Status::Fail, "OpenSearch domain logs publishes error but not audit"),
        ("error only, without FGAC", domain("logs", false, &[("ES_APPLICATION_LOGS", "/os/app")]), Status::Pass, "publishes error (error to /os/app (never expires)) (no audit log asked: fine-grained access control is off, and only it can write one)"),
        ("slow logs only", domain("logs", true, &[("INDEX_SLOW_LOGS", "/os/slow")]), Status::Fail, "OpenSearch domain logs publishes none of audit, error"),
        ("description denied", denied_describe, Status::Unknown, "the log publishing of OpenSearch domain logs could not be read: es DescribeDomains returned AccessDenied"),
    ];
    let groups = vec![
        LogGroup::sample("/os/audit", Some(400), "2025-01-01T00:00:00Z"),
        LogGroup::sample("/os/app", None, "2025-01-01T00:00:00Z"),
    ];
    for (name, d, status, needle) in cases {
        let v = verdicts(&org_with(vec![d], groups.clone()), &b);
        assert_eq!(v.len(), 1, "{name}: {v:?}");
        assert_eq!(v[0].0, status, "{name}: {}", v[0].1);
        assert!(v[0].1.contains(needle), "{name}: {}", v[0].1);
    }
    // Partial publishing is partial coverage.
    let e = evaluate(
        &org_with(
            vec![domain("logs", true, &[("ES_APPLICATION_LOGS", "/os/app")])],
            vec![],
        ),
        &b,
    );
    assert_eq!(cov(&e, MEMBER, R1, "opensearch"), CoverageState::Partial);
    // Not asked: not applicable; the listing failed: unknown.
    let mut b2 = recommended();
    b2.opensearch_logging = None;
    let v = verdicts(&org_with(vec![domain("logs", true, &[])], vec![]), &b2);
    assert_eq!(v[0].0, Status::NotApplicable, "{v:?}");
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.opensearch.domains =
        denied(MEMBER, Some(R1), "ListDomainNames", "es:ListDomainNames");
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("es:ListDomainNames"), "{v:?}");
}

#[test]
fn published_groups_count_for_retention_and_lookback() {
    let b = recommended();
    let inv = org_with(
        vec![domain(
            "logs",
            true,
            &[
                ("AUDIT_LOGS", "team/audit"),
                ("ES_APPLICATION_LOGS", "team/app"),
            ],
        )],
        vec![
            LogGroup::sample("team/audit", Some(30), "2025-01-01T00:00:00Z"),
            LogGroup::sample("team/app", Some(400), "2025-01-01T00:00:00Z"),
        ],
    );
    let e = evaluate(&inv, &b);
    let f = find(&e, "cloudwatch_logs.retention", MEMBER, Some(R1));
    assert_eq!(f[0].status, Status::Fail, "{f:?}");
    assert!(
        f[0].message
            .contains("team/audit (30 days; OpenSearch domain logs (AUDIT_LOGS))"),
        "{}",
        f[0].message
    );
    let l = e
        .lookback
        .iter()
        .find(|l| l.account_id == MEMBER && l.source == "opensearch")
        .unwrap();
    assert_eq!(l.days, 30, "{}", l.basis);
    assert!(
        l.basis
            .starts_with("OpenSearch domain logs: log group team/audit"),
        "{}",
        l.basis
    );
    let inv = org_with(vec![domain("quiet", false, &[])], vec![]);
    let l = evaluate(&inv, &b)
        .lookback
        .into_iter()
        .find(|l| l.account_id == MEMBER && l.source == "opensearch")
        .unwrap();
    assert_eq!(
        (l.days, l.basis.as_str()),
        (
            0,
            "OpenSearch domain quiet in us-east-1 publishes none of error"
        )
    );
}

#[test]
fn profile_section_defaults_and_bad_values() {
    let b = parse_profile("version: 1\nname: t\nopensearch_logging: {}\n", "t.yaml").unwrap();
    let o = b.opensearch_logging.unwrap();
    let names: Vec<&str> = o.asked(true).iter().map(|t| t.as_str()).collect();
    assert_eq!(names, ["audit", "error"]);
    let names: Vec<&str> = o.asked(false).iter().map(|t| t.as_str()).collect();
    assert_eq!(names, ["error"]);
    let e = parse_profile(
        "version: 1\nname: t\nopensearch_logging:\n  log_types: []\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("remove the `opensearch_logging` section"), "{e}");
}

#[test]
fn plan_lists_the_policy_and_the_domain_change_and_makes_the_groups_first() {
    let inv = org_with(
        vec![
            domain("logs", true, &[("ES_APPLICATION_LOGS", "/os/app")]),
            domain("done", false, &[("ES_APPLICATION_LOGS", "/os/app")]),
        ],
        vec![],
    );
    let p = planned(
        &inv,
        "opensearch_logging: {}\nlog_group_retention: {min_days: 365}\n",
    );
    let c = change(&p, "opensearch_domain.222222222222.us-east-1.logs");
    assert_eq!(c.action, Action::Manual);
    assert_eq!(
        c.attributes[0].before.as_deref(),
        Some("ES_APPLICATION_LOGS")
    );
    assert_eq!(c.attributes[0].after, "ES_APPLICATION_LOGS, AUDIT_LOGS");
    let m = c.manual.as_ref().unwrap();
    assert!(m.command.contains("aws opensearch update-domain-config --region us-east-1 --domain-name logs --log-publishing-options 'AUDIT_LOGS={CloudWatchLogsLogGroupArn=arn:aws:logs:us-east-1:222222222222:log-group:/aws/OpenSearchService/domains/logs/audit-logs,Enabled=true}'   # in account 222222222222"), "{}", m.command);
    // The policy: only es.amazonaws.com, only the two write actions, only this domain's group,
    // only for this domain.
    let doc = m.command.split('\'').nth(1).unwrap();
    let policy: serde_json::Value = serde_json::from_str(doc).unwrap();
    let st = &policy["Statement"][0];
    assert_eq!(st["Principal"]["Service"], "es.amazonaws.com");
    assert_eq!(
        st["Action"],
        serde_json::json!(["logs:CreateLogStream", "logs:PutLogEvents"])
    );
    assert_eq!(st["Resource"], serde_json::json!(["arn:aws:logs:us-east-1:222222222222:log-group:/aws/OpenSearchService/domains/logs/audit-logs:*"]));
    assert_eq!(
        st["Condition"]["ArnLike"]["aws:SourceArn"],
        "arn:aws:es:us-east-1:222222222222:domain/logs"
    );
    assert_eq!(
        st["Condition"]["StringEquals"]["aws:SourceAccount"],
        "222222222222"
    );
    assert!(m.reason.contains("Dashboards"), "{}", m.reason);
    let g = change(&p, "cloudwatch_log_group.222222222222.us-east-1./aws/OpenSearchService/domains/logs/audit-logs");
    assert_eq!(g.action, Action::Create);
    // The domain without FGAC publishing its error log: nothing to do.
    assert!(!addresses(&p).contains(&"opensearch_domain.222222222222.us-east-1.done"));
    // A description that failed: unknown, nothing planned.
    let inv = org_with(
        vec![Domain {
            name: "logs".into(),
            details: denied(MEMBER, Some(R1), "DescribeDomains", "es:DescribeDomains"),
        }],
        vec![],
    );
    let p = planned(&inv, "opensearch_logging: {}\n");
    assert!(!addresses(&p).contains(&"opensearch_domain.222222222222.us-east-1.logs"));
    assert!(p
        .unknown
        .iter()
        .any(|n| n.resource == "opensearch_domain.222222222222.us-east-1.logs"));
}
