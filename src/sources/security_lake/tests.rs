//! Security Lake: the check over the organization's lakes (what each collects from every
//! account, how long it keeps it), what it could not read, the lookback, the profile section
//! and the plan's manual steps.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;

fn lake(region: &str, days: Option<i32>) -> DataLake {
    DataLake {
        arn: format!("arn:aws:securitylake:{region}:{MGMT}:data-lake/default"),
        region: region.into(),
        bucket_arn: Some(format!("arn:aws:s3:::aws-security-data-lake-{region}-x")),
        kms_key: None,
        expiration_days: days,
        replication_regions: vec![],
        status: Some("COMPLETED".into()),
    }
}

fn sent(account: &str, region: &str, sources: &[&str]) -> AccountSources {
    AccountSources {
        account: account.into(),
        region: region.into(),
        sources: sources.iter().map(|s| s.to_string()).collect(),
        custom: vec![],
    }
}

const ALL: [&str; 4] = ["CLOUD_TRAIL_MGMT", "ROUTE53", "SH_FINDINGS", "VPC_FLOW"];

/// The management account (the delegated administrator here) holds these lakes and reads
/// these sources; its logging multi-Region organization trail feeds the lake's CloudTrail
/// source.
fn org_with(lakes: Vec<DataLake>, sources: Vec<AccountSources>) -> crate::sources::Inventory {
    let mut inv = org();
    add_trail(&mut inv, trail(MGMT, "org", R1, true, true));
    let m = acct(&mut inv, MGMT);
    m.data.security_lake.lakes = ok(lakes);
    m.data.security_lake.sources = Some(ok(sources));
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String, Option<String>)> {
    evaluate(inv, b)
        .findings
        .into_iter()
        .filter(|f| f.check_id == "security_lake.collection")
        .map(|f| (f.status, f.message, f.region))
        .collect()
}

#[test]
fn a_lake_is_judged_by_what_it_collects_from_every_account_and_how_long_it_keeps_it() {
    let b = recommended();
    // Both accounts send everything in us-east-1, kept 400 days: pass.
    let inv = org_with(
        vec![lake(R1, Some(400))],
        vec![sent(MGMT, R1, &ALL), sent(MEMBER, R1, &ALL)],
    );
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Pass, "{v:?}");
    assert_eq!(v[0].1, "Security Lake data lake in us-east-1 (bucket arn:aws:s3:::aws-security-data-lake-us-east-1-x; expires after 400 days) collects CLOUD_TRAIL_MGMT, VPC_FLOW, ROUTE53, SH_FINDINGS from every account in scope");
    assert_eq!(v[0].2.as_deref(), Some(R1));
    // The member sends only CloudTrail; the lake keeps 30 days.
    let inv = org_with(
        vec![lake(R1, Some(30))],
        vec![
            sent(MGMT, R1, &ALL),
            sent(MEMBER, R1, &["CLOUD_TRAIL_MGMT"]),
        ],
    );
    let v = verdicts(&inv, &b);
    assert_eq!(v[0].0, Status::Fail);
    assert!(v[0].1.ends_with("it keeps objects 30 days, not the baseline's 365; 1 account(s) do not send every source: 222222222222 (VPC_FLOW, ROUTE53, SH_FINDINGS)"), "{}", v[0].1);
    // The source listing failed: unknown, not a guess.
    let mut inv = org_with(vec![lake(R1, None)], vec![]);
    acct(&mut inv, MGMT).data.security_lake.sources = Some(denied(
        MGMT,
        Some(R1),
        "ListLogSources",
        "securitylake:ListLogSources",
    ));
    let v = verdicts(&inv, &b);
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("securitylake:ListLogSources"), "{v:?}");
}

#[test]
fn no_lake_is_not_applicable_unless_an_account_could_not_be_read() {
    let b = recommended();
    let v = verdicts(&org(), &b);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::NotApplicable);
    assert!(
        v[0].1
            .starts_with("no Security Lake data lake in the organization"),
        "{v:?}"
    );
    let mut inv = org();
    acct(&mut inv, MEMBER).data.security_lake.lakes = denied(
        MEMBER,
        Some(R1),
        "ListDataLakes",
        "securitylake:ListDataLakes",
    );
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("securitylake:ListDataLakes"), "{v:?}");
    // Once the delegated administrator's lakes are found, another account's failed read
    // changes nothing (an organization has one Security Lake administrator).
    let mut inv = org_with(
        vec![lake(R1, None)],
        vec![sent(MGMT, R1, &ALL), sent(MEMBER, R1, &ALL)],
    );
    acct(&mut inv, MEMBER).data.security_lake.lakes = denied(
        MEMBER,
        Some(R1),
        "ListDataLakes",
        "securitylake:ListDataLakes",
    );
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Pass, "{v:?}");
}

#[test]
fn lookback_is_the_expiration_and_zero_where_the_lake_collects_nothing() {
    let b = recommended();
    let inv = org_with(
        vec![lake(R1, Some(400)), lake(R2, Some(90))],
        vec![
            sent(MGMT, R1, &ALL),
            sent(MGMT, R2, &ALL),
            sent(MEMBER, R1, &ALL),
        ],
    );
    let e = evaluate(&inv, &b);
    let get = |acct: &str| {
        e.lookback
            .iter()
            .find(|l| l.account_id == acct && l.source == "security_lake")
            .map(|l| (l.days, l.basis.clone()))
    };
    assert_eq!(
        get(MGMT).unwrap(),
        (
            90,
            "Security Lake data lake in eu-west-1 expires objects after 90 days".into()
        )
    );
    assert_eq!(
        get(MEMBER).unwrap(),
        (
            0,
            "Security Lake in eu-west-1 collects none of the baseline's sources from this account"
                .into()
        )
    );
    // No lake: no rows.
    assert!(!evaluate(&org(), &b)
        .lookback
        .iter()
        .any(|l| l.source == "security_lake"));
}

#[test]
fn profile_section_defaults_and_bad_values() {
    let b = parse_profile("version: 1\nname: t\nsecurity_lake: {}\n", "t.yaml").unwrap();
    let s = b.security_lake.unwrap();
    assert_eq!(s.min_retention_days, 365);
    assert_eq!(s.sources.len(), 4);
    let e = parse_profile(
        "version: 1\nname: t\nsecurity_lake:\n  min_retention_days: 0\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    let e = parse_profile(
        "version: 1\nname: t\nsecurity_lake:\n  sources: [CLOUDTRAIL]\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("CLOUDTRAIL"), "{e}");
}

#[test]
fn plan_lists_the_missing_sources_and_the_expiration_as_manual_steps() {
    let inv = org_with(
        vec![lake(R1, Some(30))],
        vec![
            sent(MGMT, R1, &ALL),
            sent(MEMBER, R1, &["CLOUD_TRAIL_MGMT"]),
        ],
    );
    let p = planned(&inv, "security_lake: {}\n");
    let c = change(&p, "security_lake.111111111111.us-east-1.sources");
    assert_eq!(c.action, Action::Manual);
    let m = c.manual.as_ref().unwrap();
    let json = m.command.split('\'').nth(1).unwrap();
    let body: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(body.as_array().unwrap().len(), 3, "{body}");
    assert_eq!(body[0]["sourceName"], "ROUTE53");
    assert_eq!(body[0]["accounts"], serde_json::json!(["222222222222"]));
    assert_eq!(body[0]["regions"], serde_json::json!(["us-east-1"]));
    assert!(
        m.command.ends_with("# in account 111111111111"),
        "{}",
        m.command
    );
    let c = change(&p, "security_lake.111111111111.us-east-1.expiration");
    assert_eq!(c.attributes[0].before.as_deref(), Some("30"));
    assert_eq!(c.attributes[0].after, "365");
    // Converged lake, or no lake: nothing.
    let inv = org_with(
        vec![lake(R1, None)],
        vec![sent(MGMT, R1, &ALL), sent(MEMBER, R1, &ALL)],
    );
    let p = planned(&inv, "security_lake: {}\n");
    assert!(
        !addresses(&p).iter().any(|a| a.starts_with("security_lake")),
        "{:?}",
        addresses(&p)
    );
    let p = planned(&org(), "security_lake: {}\n");
    assert!(!addresses(&p).iter().any(|a| a.starts_with("security_lake")));
}

/// ListDataLakes is asked in the partition's main region where the account has it enabled, not
/// in whichever region comes first (an opt-in region may have no Security Lake endpoint).
#[test]
fn lakes_are_listed_from_the_partitions_main_region_when_enabled() {
    let r = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let home = |regions: &[String], p: &str| super::collect::home(regions, p).cloned();
    assert_eq!(
        home(&r(&["af-south-1", "eu-west-1", "us-east-1"]), "aws").as_deref(),
        Some("us-east-1")
    );
    assert_eq!(
        home(&r(&["af-south-1", "eu-west-1"]), "aws").as_deref(),
        Some("af-south-1")
    );
    assert_eq!(
        home(&r(&["us-gov-east-1", "us-gov-west-1"]), "aws-us-gov").as_deref(),
        Some("us-gov-west-1")
    );
    assert_eq!(home(&[], "aws"), None);
}

/// Security Lake copies VPC flow, Resolver query and WAF logs from the services on its own, with
/// no flow log, association or logging configuration the account sees: those checks still fail
/// the resource (as their controls do), and the message says where the logs are. Only where the
/// lake collects that source from that account and region.
#[test]
fn failing_vpc_dns_and_waf_findings_say_where_security_lake_keeps_its_own_copy() {
    use crate::sources::vpc_flow_logs::model::Vpc;
    use crate::sources::waf::model::WebAcl;
    let mut inv = org_with(
        vec![lake(R1, Some(400)), lake(R2, None)],
        vec![
            sent(MEMBER, R1, &["ROUTE53", "VPC_FLOW", "WAF"]),
            sent(MEMBER, R2, &["CLOUD_TRAIL_MGMT"]),
        ],
    );
    for r in &mut acct(&mut inv, MEMBER).regions {
        let d = &mut r.data;
        d.vpc_flow_logs.vpcs = ok(vec![Vpc {
            id: "vpc-1".into(),
            ..Vpc::default()
        }]);
        d.vpc_flow_logs.flow_logs = ok(vec![]);
        d.resolver_query_logs.configs = ok(vec![]);
        d.resolver_query_logs.associations = ok(vec![]);
        d.waf.web_acls = ok(vec![WebAcl {
            name: "api".into(),
            id: "id-1".into(),
            arn: format!(
                "arn:aws:wafv2:{}:{MEMBER}:regional/webacl/api/id-1",
                r.region
            ),
            scope: "REGIONAL".into(),
        }]);
        d.waf.logging = ok(vec![]);
    }
    let report = evaluate(&inv, &recommended());
    let lake_note = |source: &str| {
        format!(" (but Security Lake's data lake in account {MGMT} takes this account's {source} logs in us-east-1 itself, kept 400 days)")
    };
    let cases = [
        (
            "vpc.flow_logs",
            format!("VPC vpc-1 has no flow log{}", lake_note("VPC_FLOW")),
            "VPC vpc-1 has no flow log",
        ),
        (
            "route53_resolver.query_logs",
            format!("VPC vpc-1 has no DNS query logging{}", lake_note("ROUTE53")),
            "VPC vpc-1 has no DNS query logging",
        ),
        (
            "waf.logging",
            format!(
                "web ACL api (REGIONAL) has no logging configuration of its own{}",
                lake_note("WAF")
            ),
            "web ACL api (REGIONAL) logs nothing",
        ),
    ];
    for (check, collected, not_collected) in cases {
        let f = find(&report, check, MEMBER, Some(R1));
        assert_eq!(f.len(), 1, "{check}: {f:?}");
        assert_eq!(f[0].status, Status::Fail, "{check}");
        assert_eq!(f[0].message, collected, "{check}");
        // eu-west-1's lake gets only CloudTrail from the member: nothing to say there.
        let f = find(&report, check, MEMBER, Some(R2));
        assert_eq!(f.len(), 1, "{check}: {f:?}");
        assert_eq!(
            (f[0].status, f[0].message.as_str()),
            (Status::Fail, not_collected),
            "{check}"
        );
    }
    // An unreadable source listing says nothing either way.
    acct(&mut inv, MGMT).data.security_lake.sources = Some(denied(
        MGMT,
        Some(R1),
        "ListLogSources",
        "securitylake:ListLogSources",
    ));
    let report = evaluate(&inv, &recommended());
    let f = find(&report, "vpc.flow_logs", MEMBER, Some(R1));
    assert_eq!(f[0].message, "VPC vpc-1 has no flow log");
}

#[test]
fn the_cloudtrail_source_needs_a_logging_multi_region_organization_trail_with_read_and_write_events(
) {
    use crate::sources::cloudtrail::model::{BasicSelector, EventSelectors, ReadWriteType};
    let b = recommended();
    let everything = vec![sent(MGMT, R1, &ALL), sent(MEMBER, R1, &ALL)];
    let judged = |inv: &crate::sources::Inventory| {
        let v = verdicts(inv, &b);
        assert_eq!(v.len(), 1, "{v:?}");
        (v[0].0, v[0].1.clone())
    };
    let without_trail = |f: &dyn Fn(&mut crate::sources::Inventory)| {
        let mut inv = org_with(vec![lake(R1, Some(400))], everything.clone());
        acct(&mut inv, MGMT).data.cloudtrail.trails.clear();
        for r in &mut acct(&mut inv, MGMT).regions {
            r.data.cloudtrail.trails = ok(vec![]);
        }
        f(&mut inv);
        inv
    };
    const NEEDS: &str = "its CLOUD_TRAIL_MGMT source has nothing to collect: Security Lake needs a logging multi-Region organization trail recording read and write management events, and ";
    // No trail at all.
    let (s, m) = judged(&without_trail(&|_| {}));
    assert_eq!(s, Status::Fail, "{m}");
    assert!(
        m.ends_with(&format!(
            "{NEEDS}the organization has no multi-Region organization trail"
        )),
        "{m}"
    );
    // Only account trails (one multi-Region): still nothing for the lake.
    let (s, m) = judged(&without_trail(&|inv| {
        add_trail(inv, trail(MGMT, "acct", R1, true, false));
        add_trail(inv, trail(MEMBER, "member", R1, true, false));
    }));
    assert_eq!(s, Status::Fail, "{m}");
    // A stopped organization trail; a single-Region one; a write-only one.
    let (s, m) = judged(&without_trail(&|inv| {
        let mut t = trail(MGMT, "org", R1, true, true);
        if let crate::inventory::Collected::Ok { value } = &mut t.status {
            value.is_logging = false;
        }
        add_trail(inv, t);
        add_trail(inv, trail(MGMT, "regional", R1, false, true));
    }));
    assert_eq!(s, Status::Fail, "{m}");
    assert!(
        m.ends_with(&format!(
            "{NEEDS}trail 'org' (organization, multi-region) is not logging"
        )),
        "{m}"
    );
    let (s, m) = judged(&without_trail(&|inv| {
        let mut t = trail(MGMT, "org", R1, true, true);
        t.selectors = ok(EventSelectors {
            basic: vec![BasicSelector {
                read_write_type: ReadWriteType::WriteOnly,
                include_management_events: true,
                exclude_management_event_sources: vec![],
                data_resources: vec![],
            }],
            advanced: vec![],
        });
        add_trail(inv, t);
    }));
    assert_eq!(s, Status::Fail, "{m}");
    assert!(
        m.ends_with(&format!(
            "{NEEDS}organization trail 'org' misses read management events"
        )),
        "{m}"
    );
    // The management account's trails could not be read: unknown, unless another gap fails it.
    let denied_trails = |inv: &mut crate::sources::Inventory| {
        acct(inv, MGMT).regions[0].data.cloudtrail.trails = denied(
            MGMT,
            Some(R1),
            "DescribeTrails",
            "cloudtrail:DescribeTrails",
        );
    };
    let (s, m) = judged(&without_trail(&denied_trails));
    assert_eq!(s, Status::Unknown, "{m}");
    assert!(
        m.contains("whether a trail feeds its CLOUD_TRAIL_MGMT source is unknown: the trails of the management account 111111111111 could not be read")
            && m.contains("cloudtrail:DescribeTrails"),
        "{m}"
    );
    let mut inv = without_trail(&denied_trails);
    acct(&mut inv, MGMT).data.security_lake.lakes = ok(vec![lake(R1, Some(30))]);
    let (s, m) = judged(&inv);
    assert_eq!(s, Status::Fail, "{m}");
    // A baseline that does not ask for the CloudTrail source does not judge its trail.
    let mut quiet = recommended();
    quiet.security_lake = Some(
        crate::sources::security_lake::profile::SecurityLakeBaseline {
            sources: vec![crate::sources::security_lake::profile::LakeSource::VpcFlow],
            min_retention_days: 365,
        },
    );
    let v = verdicts(&without_trail(&|_| {}), &quiet);
    assert_eq!(v[0].0, Status::Pass, "{v:?}");
    // Outside an organization the requirement (written for organizations) is not applied.
    let mut inv = without_trail(&|_| {});
    inv.mode = crate::inventory::ScopeMode::SingleAccount;
    let v = verdicts(&inv, &b);
    assert!(
        !v[0].1.contains("CLOUD_TRAIL_MGMT source has nothing"),
        "{v:?}"
    );
}
