//! Behaviour every check shares: regions that are not enabled, accounts that could not be
//! reached, and a finding from every check.

use crate::finding::*;
use crate::inventory::*;
use crate::rules::testutil::*;
use crate::sources::elb_access_logs::model::*;
use crate::sources::vpc_flow_logs::model::*;

#[test]
fn a_region_that_is_not_enabled_is_not_applicable_and_an_unreachable_account_is_unknown() {
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[1].enabled = Collected::Failed {
        error: CallError {
            account_id: MEMBER.into(),
            region: Some(R2.into()),
            service: "ec2".into(),
            operation: "DescribeRegions".into(),
            code: "RegionNotEnabled".into(),
            message: "".into(),
            iam_action: "ec2:DescribeRegions".into(),
            attempts: 0,
            throttled_attempts: 0,
        },
    };
    acct(&mut inv, MGMT).access = denied(MGMT, None, "AssumeRole", "sts:AssumeRole");
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R2)),
        Status::NotApplicable
    );
    assert_eq!(
        status(&e, "config.recorder", MEMBER, Some(R2)),
        Status::NotApplicable
    );
    let f = &find(&e, "cloudtrail.coverage", MGMT, Some(R1))[0];
    assert_eq!(f.status, Status::Unknown);
    assert!(f.message.contains("sts:AssumeRole"), "{}", f.message);
    assert!(inv.errors().iter().all(|e| e.code != "RegionNotEnabled"));
}

#[test]
fn every_check_reports_on_a_small_organization() {
    let mut inv = org();
    add_trail(&mut inv, trail(MGMT, "org", R1, true, true));
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.vpc_flow_logs.vpcs = ok(vec![Vpc {
        tags: Default::default(),
        id: "vpc-1".into(),
        is_default: true,
        owner_id: None,
    }]);
    r.data.elb_access_logs.load_balancers = ok(vec![LoadBalancer {
        id: "alb".into(),
        name: "alb".into(),
        kind: LoadBalancerKind::Application,
        access_logs_enabled: ok(true),
        access_logs_bucket: None,
        access_logs_prefix: None,
    }]);
    r.data.eks.clusters = ok(vec![crate::sources::eks::model::Cluster {
        name: "prod".into(),
        details: ok(crate::sources::eks::model::ClusterDetails {
            arn: "arn:aws:eks:us-east-1:222222222222:cluster/prod".into(),
            status: crate::sources::eks::model::ClusterStatus::Active,
            version: None,
            created: None,
            enabled_log_types: vec!["audit".into()],
        }),
    }]);
    let database = |id: &str, engine: &str| crate::sources::rds::model::Database {
        id: id.into(),
        arn: format!("arn:aws:rds:us-east-1:222222222222:db:{id}"),
        engine: engine.into(),
        engine_version: None,
        status: "available".into(),
        cluster: None,
        created: None,
        log_exports: vec![],
    };
    let api = |id: &str, protocol: &str| crate::sources::api_gateway::model::Api {
        id: id.into(),
        name: id.into(),
        protocol: protocol.into(),
        stages: ok(vec![crate::sources::api_gateway::model::Stage {
            name: "prod".into(),
            created: None,
            access_log_destination: None,
            access_log_format: None,
            execution_logging: None,
            execution_logging_off: Vec::new(),
        }]),
    };
    r.data.api_gateway.rest_apis = ok(vec![api("r1", "REST")]);
    r.data.api_gateway.v2_apis = ok(vec![api("h1", "HTTP"), api("w1", "WEBSOCKET")]);
    r.data.opensearch.domains = ok(vec![crate::sources::opensearch::model::Domain {
        name: "search".into(),
        details: ok(crate::sources::opensearch::model::DomainDetails {
            arn: "arn:aws:es:us-east-1:222222222222:domain/search".into(),
            engine_version: None,
            fine_grained_access_control: true,
            processing: false,
            published: Default::default(),
        }),
    }]);
    r.data.rds.instances = ok(vec![database("orders", "postgres")]);
    r.data.rds.clusters = ok(vec![database("ledger", "aurora-mysql")]);
    r.data.waf.web_acls = ok(vec![crate::sources::waf::model::WebAcl {
        name: "api".into(),
        id: "1".into(),
        arn: "arn:aws:wafv2:us-east-1:222222222222:regional/webacl/api/1".into(),
        scope: "REGIONAL".into(),
    }]);
    r.data.network_firewall.firewalls =
        ok(vec![crate::sources::network_firewall::model::Firewall {
            name: "edge".into(),
            arn: "arn:aws:network-firewall:us-east-1:222222222222:firewall/edge".into(),
            logging: ok(vec![]),
        }]);
    r.data.client_vpn.endpoints = ok(vec![crate::sources::client_vpn::model::Endpoint {
        id: "cvpn-endpoint-1".into(),
        description: None,
        status: Some("available".into()),
        connection_logging: false,
        log_group: None,
        log_stream: None,
    }]);
    r.data.redshift.clusters = ok(vec![crate::sources::redshift::model::Cluster {
        id: "warehouse".into(),
        status: Some("available".into()),
        parameter_group: Some("default.redshift-1.0".into()),
        parameter_status: Some("in-sync".into()),
        logging: ok(crate::sources::redshift::model::LoggingStatus::default()),
        user_activity_logging: ok(Some(false)),
    }]);
    r.data.step_functions.state_machines =
        ok(vec![crate::sources::step_functions::model::StateMachine {
            name: "export".into(),
            arn: format!("arn:aws:states:{R1}:{MEMBER}:stateMachine:export"),
            kind: "STANDARD".into(),
            logging: ok(crate::sources::step_functions::model::Logging {
                level: "OFF".into(),
                ..Default::default()
            }),
        }]);
    r.data.transit_gateway.gateways = ok(vec![
        crate::sources::transit_gateway::model::TransitGateway {
            id: "tgw-1".into(),
            arn: String::new(),
            owner_id: MEMBER.into(),
            state: "available".into(),
        },
    ]);
    r.data.cloudtrail_lake.stores = ok(vec![
        crate::sources::cloudtrail_lake::model::EventDataStore {
            arn: "arn:aws:cloudtrail:us-east-1:222222222222:eventdatastore/e".into(),
            name: "e".into(),
            details: ok(crate::sources::cloudtrail_lake::model::StoreDetails {
                status: crate::sources::cloudtrail_lake::model::StoreStatus::Enabled,
                organization: false,
                multi_region: true,
                retention_days: Some(365),
                termination_protection: true,
                kms_key_id: None,
                created: None,
                management_events: true,
            }),
        },
    ]);
    r.data.lambda.functions = ok(vec![crate::sources::lambda::model::Function {
        name: "orders".into(),
        arn: "arn:aws:lambda:us-east-1:222222222222:function:orders".into(),
        runtime: None,
        log_group: "/aws/lambda/orders".into(),
        custom_log_group: false,
        log_format: None,
        application_log_level: None,
        system_log_level: None,
    }]);
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![bucket("app", R1)]);
    acct(&mut inv, MEMBER).data.cloudfront.distributions =
        ok(vec![crate::sources::cloudfront::model::Distribution {
            id: "E1".into(),
            arn: "arn:aws:cloudfront::222222222222:distribution/E1".into(),
            domain_name: "e1.cloudfront.net".into(),
            enabled: true,
            realtime_log_configs: vec![],
            legacy: None,
        }]);
    acct(&mut inv, MEMBER).data.route53_public_zones.zones = ok(vec![
        crate::sources::route53_public_zones::model::HostedZone {
            id: "Z1".into(),
            name: "example.com.".into(),
        },
    ]);
    let e = evaluate(&inv, &recommended());
    for def in <crate::sources::Sources as crate::engine::Registry>::checks() {
        assert!(
            e.findings.iter().any(|f| f.check_id == def.id),
            "{} emitted nothing",
            def.id
        );
    }
    for f in &e.findings {
        assert!(!f.remediation.is_empty());
        assert!(!f.message.is_empty(), "{f:?}");
    }
}

/// A listing that failed leaves an `unknown` finding for every check that would have judged what
/// it lists, at the scope it covers; nothing disappears.
#[test]
fn trails_that_could_not_be_listed_leave_unknown_per_trail_and_per_bucket_findings() {
    let per_trail = [
        "cloudtrail.logging",
        "cloudtrail.log_file_validation",
        "cloudtrail.kms_encryption",
        "cloudtrail.kms_key_rotation",
        "cloudtrail.cloudwatch_logs",
        "cloudtrail.insights",
        "trail_bucket.access_logging",
        "trail_bucket.mfa_delete",
        "trail_bucket.versioning",
        "trail_bucket.public_access",
        "trail_bucket.lifecycle",
        "trail_bucket.object_lock",
        "trail_bucket.tls_only",
    ];
    // The member's trails could not be listed in R2; the management account was not reached.
    let mut inv = org();
    add_trail(&mut inv, trail(MEMBER, "local", R1, false, false));
    acct(&mut inv, MEMBER).regions[1].data.cloudtrail.trails = denied(
        MEMBER,
        Some(R2),
        "DescribeTrails",
        "cloudtrail:DescribeTrails",
    );
    acct(&mut inv, MGMT).access = denied(MGMT, None, "AssumeRole", "sts:AssumeRole");
    let e = evaluate(&inv, &recommended());
    for check in per_trail {
        let gap = find(&e, check, MEMBER, Some(R2));
        assert_eq!(gap.len(), 1, "{check}: {gap:#?}");
        assert_eq!(gap[0].status, Status::Unknown, "{check}");
        assert!(
            gap[0].message.contains("cloudtrail:DescribeTrails"),
            "{check}: {}",
            gap[0].message
        );
        let unreached = find(&e, check, MGMT, None);
        assert!(
            unreached.iter().any(|f| f.status == Status::Unknown
                && f.region.is_none()
                && f.message.contains("sts:AssumeRole")),
            "{check}: {unreached:#?}"
        );
    }
    // The trail that was read is still judged.
    assert_eq!(
        find(&e, "cloudtrail.logging", MEMBER, Some(R1))[0].status,
        Status::Pass
    );
}

#[test]
fn an_account_wide_unknown_makes_every_region_of_its_coverage_column_unknown() {
    let mut inv = org();
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets =
        denied(MEMBER, None, "ListBuckets", "s3:ListAllMyBuckets");
    let e = evaluate(&inv, &recommended());
    for r in [R1, R2] {
        assert_eq!(
            cov(&e, MEMBER, r, "s3_access_logs"),
            CoverageState::Unknown,
            "{r}"
        );
    }
}

#[test]
fn a_bucket_whose_logging_could_not_be_read_leaves_only_its_own_account_and_region_in_doubt() {
    let mut inv = org();
    let mut src = bucket("source", R1);
    src.logging = denied(MEMBER, Some(R1), "GetBucketLogging", "s3:GetBucketLogging");
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![
        src,
        bucket("same-region", R1),
        bucket("other-region", R2),
    ]);
    acct(&mut inv, MGMT).data.s3_access_logs.buckets = ok(vec![bucket("other-account", R1)]);
    let e = evaluate(&inv, &recommended());
    let verdict = |account: &str, name: &str| {
        e.findings
            .iter()
            .find(|f| {
                f.check_id == "s3.access_logging"
                    && f.account_id.as_deref() == Some(account)
                    && f.resource.ends_with(name)
            })
            .map(|f| (f.status, f.message.clone()))
            .unwrap()
    };
    assert_eq!(verdict(MEMBER, "source").0, Status::Unknown);
    // It may be the unread bucket's target: unknown, not a failure.
    let (status, msg) = verdict(MEMBER, "same-region");
    assert_eq!(status, Status::Unknown, "{msg}");
    assert!(
        msg.contains("may be an access-log target") && msg.contains("s3:GetBucketLogging"),
        "{msg}"
    );
    // A target is in the source's account and region: these are known not to be.
    assert_eq!(verdict(MEMBER, "other-region").0, Status::Fail);
    assert_eq!(verdict(MGMT, "other-account").0, Status::Fail);
}
