//! RDS log exports: the checks, table-driven over what a database exports; the lookback; the
//! profile section; and the plan's manual steps.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::model::LogGroup;

fn db(id: &str, engine: &str, exports: &[&str], cluster: Option<&str>) -> Database {
    Database {
        id: id.into(),
        arn: format!("arn:aws:rds:{R1}:{MEMBER}:db:{id}"),
        engine: engine.into(),
        engine_version: None,
        status: "available".into(),
        cluster: cluster.map(String::from),
        created: Some("2026-01-01T00:00:00Z".into()),
        log_exports: exports.iter().map(|t| t.to_string()).collect(),
    }
}

/// An organization whose member has these instances, clusters and log groups in us-east-1.
fn org_with(
    instances: Vec<Database>,
    clusters: Vec<Database>,
    groups: Vec<LogGroup>,
) -> crate::sources::Inventory {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.rds.instances = ok(instances);
    r.data.rds.clusters = ok(clusters);
    r.data.cloudwatch_logs.groups = ok(groups);
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
    check: &str,
) -> Vec<(Status, String)> {
    let e = evaluate(inv, b);
    find(&e, check, MEMBER, Some(R1))
        .iter()
        .map(|f| (f.status, f.message.clone()))
        .collect()
}

#[test]
fn an_instance_is_judged_by_the_types_its_engine_must_export() {
    let b = recommended();
    let kept = vec![LogGroup::sample(
        "/aws/rds/instance/pg/postgresql",
        Some(365),
        "2026-01-01T00:00:00Z",
    )];
    let cases: Vec<(&str, Database, Vec<LogGroup>, Status, &str)> = vec![
        ("postgres exporting postgresql", db("pg", "postgres", &["postgresql"], None), kept.clone(), Status::Pass, "RDS DB instance pg (postgres) exports postgresql to log groups under /aws/rds/instance/pg/ (postgresql kept 365 days)"),
        ("postgres exporting nothing", db("pg", "postgres", &[], None), vec![], Status::Fail, "RDS DB instance pg (postgres) exports no logs to CloudWatch Logs: postgresql not exported"),
        ("postgres exporting only upgrade", db("pg", "postgres", &["upgrade"], None), vec![], Status::Fail, "exports only upgrade: postgresql not exported"),
        ("mysql missing audit", db("my", "mysql", &["error", "slowquery"], None), vec![], Status::Fail, "RDS DB instance my (mysql) exports error, slowquery but not audit (to log groups under /aws/rds/instance/my/)"),
        ("mariadb all three and more", db("maria", "mariadb", &["audit", "error", "general", "slowquery"], None), vec![], Status::Pass, "exports audit, error, slowquery to"),
        ("oracle edition", db("ora", "oracle-se2", &["alert", "audit", "listener", "trace"], None), vec![], Status::Pass, "RDS DB instance ora (oracle-se2) exports alert, audit, listener"),
        ("custom sql server", db("sql", "custom-sqlserver-ee", &["error"], None), vec![], Status::Fail, "but not agent"),
        ("an engine nobody knows", db("x", "timestream-influxdb", &[], None), vec![], Status::NotApplicable, "the baseline names no log types for this engine"),
    ];
    for (name, d, groups, status, needle) in cases {
        let v = verdicts(
            &org_with(vec![d], vec![], groups),
            &b,
            "rds.instance_log_exports",
        );
        assert_eq!(v.len(), 1, "{name}: {v:?}");
        assert_eq!(v[0].0, status, "{name}: {}", v[0].1);
        assert!(v[0].1.contains(needle), "{name}: {}", v[0].1);
    }
}

#[test]
fn cluster_members_are_judged_as_their_cluster() {
    let b = recommended();
    let inv = org_with(
        vec![
            db("aurora-1", "aurora-mysql", &[], Some("aurora")),
            db("solo", "postgres", &["postgresql"], None),
        ],
        vec![
            db("aurora", "aurora-mysql", &["audit", "error"], None),
            db("docs", "docdb", &["audit", "profiler"], None),
        ],
        vec![],
    );
    let inst = verdicts(&inv, &b, "rds.instance_log_exports");
    assert_eq!(inst.len(), 1, "{inst:?}");
    assert!(inst[0].1.contains("solo"), "{inst:?}");
    let clusters = verdicts(&inv, &b, "rds.cluster_log_exports");
    assert_eq!(clusters.len(), 2, "{clusters:?}");
    assert_eq!(clusters[0].0, Status::Fail);
    assert!(
        clusters[0].1.contains(
            "RDS DB cluster aurora (aurora-mysql) exports audit, error but not slowquery"
        ),
        "{clusters:?}"
    );
    assert_eq!(clusters[1].0, Status::Pass, "{clusters:?}");
    // A partial export is partial coverage; the column reads both checks.
    let e = evaluate(&inv, &b);
    let cell = e
        .coverage
        .iter()
        .find(|c| c.account_id == MEMBER && c.region == R1 && c.source == "rds")
        .unwrap();
    assert_eq!(cell.state, CoverageState::Partial, "{cell:?}");
}

#[test]
fn the_profile_decides_which_engines_count_and_whether_any_is_asked() {
    let inv = org_with(vec![db("my", "mysql", &["error"], None)], vec![], vec![]);
    let b = parse_profile(
        "version: 1\nname: t\nrds_logs:\n  engines:\n    mysql: [error]\n",
        "t.yaml",
    )
    .unwrap();
    assert_eq!(
        verdicts(&inv, &b, "rds.instance_log_exports")[0].0,
        Status::Pass
    );
    let b = parse_profile(
        "version: 1\nname: t\nrds_logs:\n  engines:\n    postgres: [postgresql]\n",
        "t.yaml",
    )
    .unwrap();
    assert_eq!(
        verdicts(&inv, &b, "rds.instance_log_exports")[0].0,
        Status::NotApplicable
    );
    let mut b = recommended();
    b.rds_logs = None;
    let v = verdicts(&inv, &b, "rds.instance_log_exports");
    assert_eq!(v[0].0, Status::NotApplicable, "{v:?}");
    assert!(v[0].1.contains("not required"), "{v:?}");
}

#[test]
fn a_listing_that_could_not_be_read_is_unknown_never_missing() {
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.rds.clusters = denied(
        MEMBER,
        Some(R1),
        "DescribeDBClusters",
        "rds:DescribeDBClusters",
    );
    let v = verdicts(&inv, &recommended(), "rds.cluster_log_exports");
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("rds:DescribeDBClusters"), "{v:?}");
    // The instances were read: nothing there, no finding.
    assert!(verdicts(&inv, &recommended(), "rds.instance_log_exports").is_empty());
}

#[test]
fn lookback_is_the_shortest_exported_group_and_zero_for_a_database_exporting_nothing() {
    let b = recommended();
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "rds")
            .map(|l| (l.days, l.basis))
    };
    let mysql = db("my", "mysql", &["audit", "error", "slowquery"], None);
    let groups = vec![
        LogGroup::sample(
            "/aws/rds/instance/my/audit",
            Some(90),
            "2025-01-01T00:00:00Z",
        ),
        LogGroup::sample(
            "/aws/rds/instance/my/error",
            Some(30),
            "2025-01-01T00:00:00Z",
        ),
        LogGroup::sample(
            "/aws/rds/instance/my/slowquery",
            None,
            "2025-01-01T00:00:00Z",
        ),
    ];
    let (d, basis) = days(&org_with(vec![mysql.clone()], vec![], groups)).unwrap();
    assert_eq!(d, 30, "{basis}");
    assert!(
        basis.contains("RDS DB instance my: log group /aws/rds/instance/my/error"),
        "{basis}"
    );
    // A cluster exporting nothing asked: 0.
    let (d, basis) = days(&org_with(
        vec![mysql.clone()],
        vec![db("aurora", "aurora-postgresql", &[], None)],
        vec![],
    ))
    .unwrap();
    assert_eq!(d, 0);
    assert!(
        basis.contains("RDS DB cluster aurora in us-east-1 exports none of postgresql"),
        "{basis}"
    );
    // The log groups could not be read: the account is left out, not guessed.
    let mut inv = org_with(vec![mysql], vec![], vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = denied(
        MEMBER,
        Some(R1),
        "DescribeLogGroups",
        "logs:DescribeLogGroups",
    );
    assert_eq!(days(&inv), None);
}

#[test]
fn profile_section_defaults_and_bad_values() {
    let b = parse_profile("version: 1\nname: t\nrds_logs: {}\n", "t.yaml").unwrap();
    let r = b.rds_logs.unwrap();
    assert_eq!(r.wanted("postgres").unwrap(), ["postgresql"]);
    assert_eq!(r.wanted("aurora").unwrap(), ["audit", "error", "slowquery"]);
    assert_eq!(r.wanted("sqlserver-web").unwrap(), ["agent", "error"]);
    assert!(r.wanted("timestream-influxdb").is_none());
    let e = parse_profile(
        "version: 1\nname: t\nrds_logs:\n  engines:\n    postgres: []\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:5:"), "{e}");
    assert!(e.contains("no log type is named for postgres"), "{e}");
    let e = parse_profile(
        "version: 1\nname: t\nrds_logs:\n  engines:\n    postgress: [postgresql]\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:5:"), "{e}");
    assert!(e.contains("postgress"), "{e}");
}

#[test]
fn plan_lists_a_manual_step_per_database_and_makes_the_groups_first() {
    let inv = org_with(
        vec![db("my", "mysql", &["error"], None)],
        vec![db("aurora", "aurora-postgresql", &[], None)],
        vec![LogGroup::sample(
            "/aws/rds/instance/my/audit",
            Some(7),
            "2026-01-01T00:00:00Z",
        )],
    );
    let p = planned(&inv, "rds_logs: {}\nlog_group_retention: {min_days: 365}\n");
    let c = change(&p, "rds_db_instance.222222222222.us-east-1.my");
    assert_eq!(c.action, Action::Manual);
    assert_eq!(c.attributes[0].before.as_deref(), Some("error"));
    assert_eq!(c.attributes[0].after, "error, audit, slowquery");
    let m = c.manual.as_ref().unwrap();
    assert_eq!(
        m.command,
        "aws rds modify-db-instance --region us-east-1 --db-instance-identifier my --cloudwatch-logs-export-configuration '{\"EnableLogTypes\":[\"audit\",\"slowquery\"]}' --apply-immediately   # in account 222222222222"
    );
    assert!(m.reason.contains("MARIADB_AUDIT_PLUGIN"), "{}", m.reason);
    assert!(c.ops.is_empty());
    let c = change(&p, "rds_db_cluster.222222222222.us-east-1.aurora");
    assert!(
        c.manual
            .as_ref()
            .unwrap()
            .command
            .starts_with("aws rds modify-db-cluster --region us-east-1 --db-cluster-identifier aurora --cloudwatch-logs-export-configuration '{\"EnableLogTypes\":[\"postgresql\"]}'"),
        "{c:?}"
    );
    // Groups made first at the floor; the existing audit group is cloudwatch_logs' to raise.
    let a = addresses(&p);
    assert!(
        a.contains(&"cloudwatch_log_group.222222222222.us-east-1./aws/rds/instance/my/slowquery"),
        "{a:?}"
    );
    assert!(
        a.contains(
            &"cloudwatch_log_group.222222222222.us-east-1./aws/rds/cluster/aurora/postgresql"
        ),
        "{a:?}"
    );
    let audit = change(
        &p,
        "cloudwatch_log_group.222222222222.us-east-1./aws/rds/instance/my/audit",
    );
    assert_eq!(audit.action, Action::Update, "{audit:?}");
    let c = change(
        &p,
        "cloudwatch_log_group.222222222222.us-east-1./aws/rds/instance/my/slowquery",
    );
    assert!(matches!(
        &c.ops[..],
        [Op::CloudwatchLogs(
            crate::sources::cloudwatch_logs::apply::Op::EnsureLogGroup {
                retention_days: 365,
                ..
            }
        )]
    ));
    // No floor: no groups, the steps alone.
    let p = planned(&inv, "rds_logs: {}\n");
    assert!(!addresses(&p).iter().any(|a| a.contains("/aws/rds/")));
    assert!(addresses(&p).contains(&"rds_db_instance.222222222222.us-east-1.my"));
}

#[test]
fn plan_converges_and_never_guesses() {
    let p = planned(
        &org_with(
            vec![db("pg", "postgres", &["postgresql"], None)],
            vec![],
            vec![],
        ),
        "rds_logs: {}\n",
    );
    assert!(
        !addresses(&p).iter().any(|a| a.starts_with("rds")),
        "{:?}",
        addresses(&p)
    );
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.rds.instances = denied(
        MEMBER,
        Some(R1),
        "DescribeDBInstances",
        "rds:DescribeDBInstances",
    );
    let p = planned(&inv, "rds_logs: {}\n");
    assert!(
        p.unknown
            .iter()
            .any(|n| n.resource == format!("rds_db_instance.{MEMBER}.{R1}")
                && n.message.contains("rds:DescribeDBInstances")),
        "{:?}",
        p.unknown
    );
    // Groups unreadable with a floor asked: the database is unknown, nothing planned for it.
    let mut inv = org_with(vec![db("pg", "postgres", &[], None)], vec![], vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = denied(
        MEMBER,
        Some(R1),
        "DescribeLogGroups",
        "logs:DescribeLogGroups",
    );
    let p = planned(&inv, "rds_logs: {}\nlog_group_retention: {min_days: 365}\n");
    assert!(!addresses(&p).contains(&"rds_db_instance.222222222222.us-east-1.pg"));
    assert!(p
        .unknown
        .iter()
        .any(|n| n.resource == "rds_db_instance.222222222222.us-east-1.pg"));
}
