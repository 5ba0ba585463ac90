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
