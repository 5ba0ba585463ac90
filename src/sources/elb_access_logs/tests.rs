//! Load balancer access-log checks.

use crate::finding::*;
use crate::rules::testutil::*;
use crate::sources::elb_access_logs::model::*;

#[test]
fn load_balancers_nlb_only_when_the_baseline_asks() {
    let mut inv = org();
    let lb = |id: &str, kind, on: bool| LoadBalancer {
        id: id.into(),
        name: id.into(),
        kind,
        access_logs_enabled: ok(on),
        access_logs_bucket: None,
        access_logs_prefix: None,
    };
    acct(&mut inv, MEMBER).regions[0]
        .data
        .elb_access_logs
        .load_balancers = ok(vec![
        lb("alb-off", LoadBalancerKind::Application, false),
        lb("alb-on", LoadBalancerKind::Application, true),
        lb("nlb-off", LoadBalancerKind::Network, false),
        lb("clb-off", LoadBalancerKind::Classic, false),
    ]);
    let e = evaluate(&inv, &recommended());
    let st = |id: &str| {
        find(&e, "elb.access_logs", MEMBER, Some(R1))
            .iter()
            .find(|f| f.resource == id)
            .unwrap()
            .status
    };
    assert_eq!(st("alb-off"), Status::Fail);
    assert_eq!(st("alb-on"), Status::Pass);
    assert_eq!(st("nlb-off"), Status::NotApplicable);
    assert_eq!(st("clb-off"), Status::Fail);
    assert_eq!(
        cov(&e, MEMBER, R1, "elb_access_logs"),
        CoverageState::Partial
    );
    let mut b = recommended();
    b.elb_access_logs.nlb = true;
    let e = evaluate(&inv, &b);
    assert_eq!(
        find(&e, "elb.access_logs", MEMBER, Some(R1))
            .iter()
            .find(|f| f.resource == "nlb-off")
            .unwrap()
            .status,
        Status::Fail
    );
}

#[test]
fn lookback_is_the_buckets_expiration_for_the_load_balancers_prefix() {
    use crate::inventory::bucket::LifecycleRule;
    let b = recommended();
    let rule = LifecycleRule::expiring;
    let mut logs = bucket("lb-logs", R1);
    let mut details = protected_details();
    details.lifecycle_rules = ok(vec![
        rule("web/AWSLogs/", 90),
        rule(&format!("AWSLogs/{MEMBER}/"), 30),
    ]);
    logs.details = Some(details);
    let lb = |name: &str, on: bool, prefix: Option<&str>| LoadBalancer {
        id: name.into(),
        name: name.into(),
        kind: LoadBalancerKind::Application,
        access_logs_enabled: ok(on),
        access_logs_bucket: on.then(|| "lb-logs".to_string()),
        access_logs_prefix: prefix.map(String::from),
    };
    let days = |lbs: Vec<LoadBalancer>| {
        let mut inv = org();
        acct(&mut inv, MGMT).data.s3_access_logs.buckets = ok(vec![logs.clone()]);
        acct(&mut inv, MEMBER).regions[0]
            .data
            .elb_access_logs
            .load_balancers = ok(lbs);
        evaluate(&inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "elb_access_logs")
            .map(|l| (l.days, l.basis))
    };
    assert_eq!(
        days(vec![lb("web", true, Some("web"))]),
        Some((90, "ALB web: bucket lb-logs keeps its logs 90 days".into()))
    );
    assert_eq!(
        days(vec![lb("web", true, Some("web/")), lb("api", true, None)]),
        Some((30, "ALB api: bucket lb-logs keeps its logs 30 days".into()))
    );
    assert_eq!(
        days(vec![lb("web", true, Some("web")), lb("old", false, None)]),
        Some((0, "ALB old in us-east-1 writes no access logs".into()))
    );
}
