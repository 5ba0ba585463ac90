//! Route 53 public zone query logging: the check, table-driven; the lookback; the plan and the
//! resource policy it writes (narrowed, merged with what an earlier policy allowed).

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::cloudwatch_logs::model::LogGroup;

fn zone(id: &str, name: &str) -> HostedZone {
    HostedZone {
        id: id.into(),
        name: name.into(),
    }
}

fn config(zone_id: &str, group: &str) -> QueryLoggingConfig {
    QueryLoggingConfig {
        id: format!("q-{zone_id}"),
        zone_id: zone_id.into(),
        log_group_arn: format!("arn:aws:logs:us-east-1:{MEMBER}:log-group:{group}:*"),
    }
}

fn org_with(zones: Vec<HostedZone>, configs: Vec<QueryLoggingConfig>) -> crate::sources::Inventory {
    let mut inv = org();
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    let a = acct(&mut inv, MEMBER);
    a.data.route53_public_zones.zones = ok(zones);
    a.data.route53_public_zones.configs = ok(configs);
    a.regions[0].data.cloudwatch_logs.groups = ok(vec![LogGroup::sample(
        "/aws/route53/example.com",
        Some(30),
        "2025-01-01T00:00:00Z",
    )]);
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String)> {
    find(&evaluate(inv, b), "route53.query_logging", MEMBER, Some(R1))
        .iter()
        .map(|f| (f.status, f.message.clone()))
        .collect()
}

#[test]
fn a_public_zone_is_judged_by_its_query_logging_configuration() {
    let b = recommended();
    let inv = org_with(
        vec![zone("Z1", "example.com."), zone("Z2", "example.org.")],
        vec![config("Z1", "/aws/route53/example.com")],
    );
    let v = verdicts(&inv, &b);
    assert_eq!(
        v,
        vec![
            (
                Status::Pass,
                "public hosted zone example.com. (Z1) logs DNS queries to log group /aws/route53/example.com (kept 30 days)".to_string()
            ),
            (
                Status::Fail,
                "public hosted zone example.org. (Z2) logs no DNS queries".to_string()
            ),
        ]
    );
    // The finding's resource is the zone's ARN.
    let e = evaluate(&inv, &b);
    let f = find(&e, "route53.query_logging", MEMBER, Some(R1));
    assert_eq!(f[0].resource, "arn:aws:route53:::hostedzone/Z1");
    // Without the section: not applicable.
    let v = verdicts(&inv, &profile(""));
    assert!(v.iter().all(|(s, _)| *s == Status::NotApplicable), "{v:?}");
}

#[test]
fn what_could_not_be_read_is_unknown() {
    let b = recommended();
    let mut inv = org_with(vec![zone("Z1", "example.com.")], vec![]);
    acct(&mut inv, MEMBER).data.route53_public_zones.configs = denied(
        MEMBER,
        Some(R1),
        "ListQueryLoggingConfigs",
        "route53:ListQueryLoggingConfigs",
    );
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].0, Status::Unknown);
    assert!(
        v[0].1.contains("route53:ListQueryLoggingConfigs"),
        "{}",
        v[0].1
    );
    let mut inv = org_with(vec![], vec![]);
    acct(&mut inv, MEMBER).data.route53_public_zones.zones = denied(
        MEMBER,
        Some(R1),
        "ListHostedZones",
        "route53:ListHostedZones",
    );
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("route53:ListHostedZones"), "{}", v[0].1);
}

#[test]
fn lookback_is_the_zone_that_reaches_back_least() {
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &recommended())
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "route53_public_zones")
            .map(|l| (l.days, l.basis))
    };
    let inv = org_with(
        vec![zone("Z1", "example.com.")],
        vec![config("Z1", "/aws/route53/example.com")],
    );
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 30, "{basis}");
    assert!(
        basis.contains("example.com.: log group /aws/route53/example.com"),
        "{basis}"
    );
    let inv = org_with(
        vec![zone("Z1", "example.com."), zone("Z2", "example.org.")],
        vec![config("Z1", "/aws/route53/example.com")],
    );
    assert_eq!(days(&inv).unwrap().0, 0);
    let mut inv = org_with(vec![zone("Z1", "example.com.")], vec![]);
    acct(&mut inv, MEMBER).data.route53_public_zones.configs = denied(
        MEMBER,
        Some(R1),
        "ListQueryLoggingConfigs",
        "route53:ListQueryLoggingConfigs",
    );
    assert_eq!(days(&inv), None);
}

const ADDRESS: &str = "route53_query_logging.222222222222";

#[test]
fn plan_gives_silent_zones_a_group_a_narrow_policy_and_a_configuration() {
    let inv = org_with(
        vec![zone("Z1", "example.com."), zone("Z2", "example.org.")],
        vec![config("Z1", "/aws/route53/example.com")],
    );
    let p = planned(
        &inv,
        "route53_query_logging: {}\nlog_group_retention: {min_days: 365}\n",
    );
    let c = change(&p, ADDRESS);
    assert_eq!(c.action, Action::Create);
    assert_eq!(c.region, "us-east-1");
    let group =
        format!("arn:aws:logs:us-east-1:{MEMBER}:log-group:/aws/route53/logwarden-public-zones:*");
    match &c.ops[..] {
        [Op::CloudwatchLogs(LogsOp::EnsureLogGroup {
            name,
            retention_days: 365,
        }), Op::Route53PublicZones(super::apply::Op::PutQueryLoggingPolicy {
            name: pname,
            policy,
        }), Op::Route53PublicZones(super::apply::Op::CreateQueryLoggingConfigs {
            zone_ids,
            log_group_arn,
        })] => {
            assert_eq!(name, "/aws/route53/logwarden-public-zones");
            assert_eq!(pname, "logwarden-route53-query-logging");
            assert_eq!(zone_ids, &["Z2"]);
            assert_eq!(log_group_arn, &group);
            let s = &policy["Statement"][0];
            assert_eq!(s["Principal"]["Service"], "route53.amazonaws.com");
            assert_eq!(s["Resource"], group);
            assert_eq!(
                s["Condition"]["ArnLike"]["aws:SourceArn"],
                serde_json::json!(["arn:aws:route53:::hostedzone/Z2"])
            );
            assert_eq!(s["Condition"]["StringEquals"]["aws:SourceAccount"], MEMBER);
        }
        other => panic!("{other:?}"),
    }
    // Converged: nothing when every public zone logs.
    let p = planned(
        &org_with(
            vec![zone("Z1", "example.com.")],
            vec![config("Z1", "/aws/route53/example.com")],
        ),
        "route53_query_logging: {}\n",
    );
    assert!(!addresses(&p).contains(&ADDRESS));
    // Unreadable: unknown, nothing planned.
    let mut inv = org_with(vec![zone("Z2", "example.org.")], vec![]);
    acct(&mut inv, MEMBER).data.route53_public_zones.configs = denied(
        MEMBER,
        Some(R1),
        "ListQueryLoggingConfigs",
        "route53:ListQueryLoggingConfigs",
    );
    let p = planned(&inv, "route53_query_logging: {}\n");
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(p.unknown.iter().any(|n| n.resource == ADDRESS));
}

#[test]
fn the_policy_keeps_the_zones_an_earlier_one_allowed() {
    use super::plan::{merged, policy, MAX_LISTED_ZONES};
    let group = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/route53/x:*";
    let new = policy("aws", MEMBER, group, &["Z2".to_string()]);
    let old = policy("aws", MEMBER, group, &["Z1".to_string(), "Z2".to_string()]).to_string();
    let m = merged(&new, &old);
    assert_eq!(
        m["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"],
        serde_json::json!([
            "arn:aws:route53:::hostedzone/Z1",
            "arn:aws:route53:::hostedzone/Z2"
        ])
    );
    // Nothing earlier, or something that is not logwarden's: the new document as it is.
    assert_eq!(merged(&new, ""), new);
    assert_eq!(
        merged(&new, "{\"Statement\": [{\"Sid\": \"Theirs\"}]}"),
        new
    );
    // Too many zones for the policy's size: every zone of the account, still one account.
    let many: Vec<String> = (0..=MAX_LISTED_ZONES).map(|i| format!("Z{i}")).collect();
    let p = policy("aws", MEMBER, group, &many);
    assert_eq!(
        p["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"],
        "arn:aws:route53:::hostedzone/*"
    );
    assert_eq!(
        p["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"],
        MEMBER
    );
    assert!(p.to_string().len() < 5120);
}

#[test]
fn a_log_group_name_that_is_not_one_is_refused_at_its_line() {
    let e = parse_profile(
        "version: 1\nname: t\nroute53_query_logging:\n  log_group: \"bad name!\"\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("is not a log group name"), "{e}");
}
