//! Route 53 Resolver query logging: the check, table-driven over the associations a VPC can
//! have; the lookback; and the plan.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::vpc_flow_logs::model::Vpc;
use crate::sources::{Op, Plan};

const VPC: &str = "vpc-0a";

fn with_query_logs() -> crate::sources::Baseline {
    let mut b = recommended();
    b.resolver_query_logs = Some(Default::default());
    b
}

fn config(id: &str, owner: &str, share: ShareStatus, dest: &str) -> QueryLogConfig {
    QueryLogConfig {
        id: id.into(),
        name: "dns".into(),
        owner_id: owner.into(),
        status: ConfigStatus::Created,
        share_status: share,
        destination_arn: dest.into(),
    }
}

fn association(
    config: &str,
    status: AssociationStatus,
    error: Option<&str>,
) -> QueryLogAssociation {
    QueryLogAssociation {
        id: format!("rslvr-qla-{config}"),
        config_id: config.into(),
        resource_id: VPC.into(),
        status,
        error: error.map(String::from),
        error_message: error.map(|_| "the bucket does not exist".into()),
        creation_time: Some("2025-12-01T00:00:00Z".into()),
    }
}

/// An organization whose member has one VPC in us-east-1 with these configurations and
/// associations.
fn org_with(
    configs: Vec<QueryLogConfig>,
    associations: Vec<QueryLogAssociation>,
) -> crate::sources::Inventory {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.vpc_flow_logs.vpcs = ok(vec![Vpc {
        id: VPC.into(),
        is_default: false,
        tags: [("env".to_string(), "prod".to_string())].into(),
        owner_id: None,
    }]);
    r.data.resolver_query_logs.configs = ok(configs);
    r.data.resolver_query_logs.associations = ok(associations);
    inv
}

fn verdict(inv: &crate::sources::Inventory, b: &crate::sources::Baseline) -> (Status, String) {
    let e = evaluate(inv, b);
    let f = find(&e, "route53_resolver.query_logs", MEMBER, Some(R1));
    assert_eq!(f.len(), 1, "{f:#?}");
    (f[0].status, f[0].message.clone())
}

#[test]
fn a_vpc_is_judged_by_its_active_association_whoever_owns_the_configuration() {
    let own = config("own", MEMBER, ShareStatus::NotShared, "arn:aws:s3:::logs");
    let shared = config(
        "net",
        MGMT,
        ShareStatus::SharedWithMe,
        "arn:aws:logs:us-east-1:111111111111:log-group:/dns:*",
    );
    let cases: Vec<(&str, Vec<QueryLogAssociation>, Status, &str)> = vec![
        ("own, active", vec![association("own", AssociationStatus::Active, None)], Status::Pass, "to S3 bucket arn:aws:s3:::logs"),
        ("shared through RAM, active", vec![association("net", AssociationStatus::Active, None)], Status::Pass, "to CloudWatch Logs group arn:aws:logs:us-east-1:111111111111:log-group:/dns:* (a configuration shared by account 111111111111)"),
        ("broken destination", vec![association("own", AssociationStatus::ActionNeeded, Some("DESTINATION_NOT_FOUND"))], Status::Fail, "ACTION_NEEDED: DESTINATION_NOT_FOUND"),
        ("one broken, one active", vec![association("own", AssociationStatus::Failed, Some("ACCESS_DENIED")), association("net", AssociationStatus::Active, None)], Status::Pass, "by configuration net"),
        ("being created", vec![association("own", AssociationStatus::Creating, None)], Status::Fail, "none is active"),
        ("no association", vec![], Status::Fail, "has no DNS query logging"),
    ];
    for (name, associations, status, needle) in cases {
        let inv = org_with(vec![own.clone(), shared.clone()], associations);
        let (got, msg) = verdict(&inv, &with_query_logs());
        assert_eq!(got, status, "{name}: {msg}");
        assert!(msg.contains(needle), "{name}: {msg}");
    }
}

#[test]
fn unreadable_associations_are_unknown_and_a_hidden_configuration_still_logs() {
    let mut inv = org_with(vec![], vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .resolver_query_logs
        .associations = denied(
        MEMBER,
        Some(R1),
        "ListResolverQueryLogConfigAssociations",
        "route53resolver:ListResolverQueryLogConfigAssociations",
    );
    let (status, msg) = verdict(&inv, &with_query_logs());
    assert_eq!(status, Status::Unknown);
    assert!(
        msg.contains("route53resolver:ListResolverQueryLogConfigAssociations"),
        "{msg}"
    );

    // The association is ACTIVE, the configuration list could not be read: it logs.
    let mut inv = org_with(
        vec![],
        vec![association("own", AssociationStatus::Active, None)],
    );
    acct(&mut inv, MEMBER).regions[0]
        .data
        .resolver_query_logs
        .configs = denied(
        MEMBER,
        Some(R1),
        "ListResolverQueryLogConfigs",
        "route53resolver:ListResolverQueryLogConfigs",
    );
    let (status, msg) = verdict(&inv, &with_query_logs());
    assert_eq!(status, Status::Pass, "{msg}");
    assert!(msg.contains("destination"), "{msg}");
}

#[test]
fn only_the_profiles_vpcs_are_judged_and_only_when_it_asks() {
    let inv = org_with(vec![], vec![]);
    let (status, msg) = verdict(
        &inv,
        &crate::sources::load_baseline("minimal").unwrap().baseline,
    );
    assert_eq!(status, Status::NotApplicable, "{msg}");
    let mut b = with_query_logs();
    b.resolver_query_logs.as_mut().unwrap().vpc_tags =
        [("env".to_string(), "dev".to_string())].into();
    let (status, msg) = verdict(&inv, &b);
    assert_eq!(status, Status::NotApplicable);
    assert!(msg.contains("env=dev"), "{msg}");
    let e = evaluate(&inv, &with_query_logs());
    assert_eq!(
        cov(&e, MEMBER, R1, "resolver_query_logs"),
        CoverageState::Missing
    );
}

#[test]
fn lookback_is_the_least_covered_vpc_bounded_by_the_destination() {
    let b = with_query_logs();
    let mut inv = org_with(
        vec![config(
            "own",
            MEMBER,
            ShareStatus::NotShared,
            "arn:aws:s3:::logs",
        )],
        vec![association("own", AssociationStatus::Active, None)],
    );
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "resolver_query_logs")
            .map(|l| (l.days, l.basis))
    };
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 365, "{basis}");
    assert!(basis.contains("was not read"), "{basis}");
    // The destination bucket expires logs after 30 days.
    let mut logs = bucket("logs", R1);
    logs.details = Some(crate::sources::s3_access_logs::model::BucketDetails {
        lifecycle_rules: ok(vec![crate::sources::s3_access_logs::model::LifecycleRule {
            tag_filtered: false,
            expiration_date: None,
            size_filtered: false,
            id: Some("short".into()),
            enabled: true,
            prefix: "".into(),
            transitions: vec![],
            expiration_days: Some(30),
            noncurrent_expiration_days: None,
            abort_incomplete_upload_days: None,
        }]),
        ..protected_details()
    });
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![logs]);
    assert_eq!(days(&inv).unwrap().0, 30);
    // A second VPC without logging makes the account's lookback 0.
    acct(&mut inv, MEMBER).regions[1].data.vpc_flow_logs.vpcs = ok(vec![Vpc {
        id: "vpc-0b".into(),
        is_default: true,
        tags: Default::default(),
        owner_id: None,
    }]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 0);
    assert!(basis.contains("vpc-0b"), "{basis}");
}

fn planned(inv: &crate::sources::Inventory) -> Plan {
    let mut inv = inv.clone();
    let m = managed_org();
    inv.managed = m.managed;
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
    plan_of(&inv, "resolver_query_logs: {}\n")
}

fn plan_of(inv: &crate::sources::Inventory, extra: &str) -> Plan {
    crate::plan::testutil::plan(&profile(extra), "t.yaml", inv, NOW).unwrap()
}

#[test]
fn plan_creates_the_configuration_and_associates_the_vpcs_that_lack_one() {
    let p = planned(&org_with(vec![], vec![]));
    let c = change(&p, &format!("resolver_query_logs.{MEMBER}.{R1}"));
    assert_eq!(c.action, Action::Create);
    assert!(
        c.depends_on.iter().any(|d| d.starts_with("s3_bucket.")),
        "{c:?}"
    );
    match &c.ops[..] {
        [Op::ResolverQueryLogs(super::apply::Op::EnsureQueryLogging {
            config_name,
            destination_arn,
            vpc_ids,
        })] => {
            assert_eq!(config_name, "logwarden-dns-query-logs");
            assert_eq!(destination_arn, &format!("arn:aws:s3:::{ARCHIVE}"));
            assert_eq!(vpc_ids, &vec![VPC.to_string()]);
        }
        other => panic!("{other:?}"),
    }
    // The archive bucket lets log delivery write, for the organization only.
    let bucket = change(&p, &format!("s3_bucket.{ARCHIVE}"));
    let statements = serde_json::to_string(&bucket.ops).unwrap();
    assert!(
        statements.contains("LogwardenResolverQueryLogsWrite"),
        "{statements}"
    );
    // Only under each account's query-log prefix, never the rest of AWSLogs/.
    assert!(
        statements.contains(&format!("{ARCHIVE}/AWSLogs/{MEMBER}/vpcdnsquerylogs/*")),
        "{statements}"
    );
    assert!(!statements.contains("/AWSLogs/*\""), "{statements}");
    assert!(statements.contains("\"aws:SourceOrgID\":\"o-example\""));

    // An existing configuration of that name is used; an active VPC needs nothing.
    let mut existing = config(
        "own",
        MEMBER,
        ShareStatus::NotShared,
        "arn:aws:s3:::elsewhere",
    );
    existing.name = "logwarden-dns-query-logs".into();
    let p = planned(&org_with(vec![existing.clone()], vec![]));
    let c = change(&p, &format!("resolver_query_logs.{MEMBER}.{R1}"));
    assert_eq!(c.action, Action::Update);
    assert!(p
        .kept
        .iter()
        .any(|n| n.message.contains("arn:aws:s3:::elsewhere")));
    let p = planned(&org_with(
        vec![existing],
        vec![association("own", AssociationStatus::Active, None)],
    ));
    assert!(!addresses(&p)
        .iter()
        .any(|a| a.starts_with(&format!("resolver_query_logs.{MEMBER}"))));
}

#[test]
fn plan_never_guesses_and_broken_associations_are_manual() {
    let mut inv = org_with(vec![], vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .resolver_query_logs
        .associations = denied(
        MEMBER,
        Some(R1),
        "ListResolverQueryLogConfigAssociations",
        "route53resolver:ListResolverQueryLogConfigAssociations",
    );
    let p = planned(&inv);
    assert!(!addresses(&p).contains(&format!("resolver_query_logs.{MEMBER}.{R1}").as_str()));
    assert!(p
        .unknown
        .iter()
        .any(|n| n.resource == format!("resolver_query_logs.{MEMBER}.{R1}")));

    let p = planned(&org_with(
        vec![],
        vec![association(
            "own",
            AssociationStatus::ActionNeeded,
            Some("DESTINATION_NOT_FOUND"),
        )],
    ));
    let c = change(&p, "resolver_query_log_association.rslvr-qla-own");
    assert_eq!(c.action, Action::Manual);
    assert!(c
        .manual
        .as_ref()
        .unwrap()
        .command
        .contains("disassociate-resolver-query-log-config"));
}
