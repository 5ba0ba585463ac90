//! Amazon Redshift audit logging: the check, table-driven over clusters; what could not be
//! read; the plan (logging on, the groups at the floor, S3 kept, the parameter step); the
//! profile section; the lookback; the queries.

use super::model::*;
use crate::finding::*;
use crate::inventory::Collected;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::cloudwatch_logs::model::LogGroup;

const ALL: [&str; 3] = ["connectionlog", "useractivitylog", "userlog"];

fn to_cloudwatch(exports: &[&str]) -> LoggingStatus {
    LoggingStatus {
        enabled: true,
        destination: Some("cloudwatch".into()),
        log_exports: exports.iter().map(|s| s.to_string()).collect(),
        ..LoggingStatus::default()
    }
}

fn to_s3(bucket: &str) -> LoggingStatus {
    LoggingStatus {
        enabled: true,
        destination: Some("s3".into()),
        bucket: Some(bucket.into()),
        prefix: Some("redshift/".into()),
        ..LoggingStatus::default()
    }
}

fn off() -> LoggingStatus {
    LoggingStatus::default()
}

fn cluster(id: &str, logging: LoggingStatus, user_activity: Option<bool>) -> Cluster {
    Cluster {
        id: id.into(),
        status: Some("available".into()),
        parameter_group: Some("analytics".into()),
        parameter_status: Some("in-sync".into()),
        logging: ok(logging),
        user_activity_logging: ok(user_activity),
    }
}

fn org_with(clusters: Vec<Cluster>) -> crate::sources::Inventory {
    let mut inv = org();
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    acct(&mut inv, MEMBER).regions[0].data.redshift.clusters = ok(clusters);
    inv
}

/// The member's clusters in `region` could not be listed (`DescribeClusters` denied).
fn clusters_denied(region: &str) -> Collected<Vec<Cluster>> {
    denied(
        MEMBER,
        Some(region),
        "DescribeClusters",
        "redshift:DescribeClusters",
    )
}

fn verdicts_with(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String)> {
    find(
        &evaluate(inv, b),
        "redshift.audit_logging",
        MEMBER,
        Some(R1),
    )
    .iter()
    .map(|f| (f.status, f.message.clone()))
    .collect()
}

fn verdicts(inv: &crate::sources::Inventory) -> Vec<(Status, String)> {
    verdicts_with(inv, &recommended())
}

#[test]
fn a_cluster_is_judged_by_where_its_audit_logs_go_and_what_they_hold() {
    let failed_delivery = LoggingStatus {
        last_delivery: Some("2026-11-20T00:00:00Z".into()),
        last_failure: Some("2026-11-30T00:00:00Z".into()),
        last_failure_message: Some("Access denied for bucket".into()),
        ..to_s3("dw-logs")
    };
    let recovered = LoggingStatus {
        last_delivery: Some("2026-11-30T01:00:00Z".into()),
        last_failure: Some("2026-11-30T00:00:00Z".into()),
        ..to_s3("dw-logs")
    };
    let mut pending = cluster("dw-8", to_s3("dw-logs"), Some(true));
    pending.parameter_status = Some("pending-reboot".into());
    let cases = [
        (
            cluster("dw-1", to_s3("dw-logs"), Some(true)),
            Status::Pass,
            "Redshift cluster dw-1 logs connections, user changes and the queries run to S3 bucket dw-logs (prefix redshift/)",
        ),
        (
            cluster("dw-2", to_cloudwatch(&ALL), Some(true)),
            Status::Pass,
            "Redshift cluster dw-2 logs connections, user changes and the queries run to CloudWatch Logs (/aws/redshift/cluster/dw-2/connectionlog, /aws/redshift/cluster/dw-2/useractivitylog, /aws/redshift/cluster/dw-2/userlog)",
        ),
        (
            cluster("dw-3", off(), Some(true)),
            Status::Fail,
            "Redshift cluster dw-3 writes no audit logs (audit logging is off)",
        ),
        // Logging on, but the parameter group does not record queries.
        (
            cluster("dw-4", to_s3("dw-logs"), Some(false)),
            Status::Fail,
            "Redshift cluster dw-4 writes audit logs to S3 bucket dw-logs (prefix redshift/), but its parameter group analytics leaves enable_user_activity_logging off, so the queries run are not logged",
        ),
        // The group does not list the parameter: not on.
        (
            cluster("dw-5", to_s3("dw-logs"), None),
            Status::Fail,
            "Redshift cluster dw-5 writes audit logs to S3 bucket dw-logs (prefix redshift/), but its parameter group analytics leaves enable_user_activity_logging off, so the queries run are not logged",
        ),
        // CloudWatch Logs without the user activity log.
        (
            cluster("dw-6", to_cloudwatch(&["connectionlog", "userlog"]), Some(true)),
            Status::Fail,
            "Redshift cluster dw-6 writes audit logs to CloudWatch Logs (/aws/redshift/cluster/dw-6/connectionlog, /aws/redshift/cluster/dw-6/userlog), but it does not send useractivitylog to CloudWatch Logs",
        ),
        (
            cluster("dw-7", failed_delivery, Some(true)),
            Status::Fail,
            "Redshift cluster dw-7 writes audit logs to S3 bucket dw-logs (prefix redshift/), but its last delivery failed (2026-11-30T00:00:00Z: Access denied for bucket)",
        ),
        (
            pending,
            Status::Fail,
            "Redshift cluster dw-8 writes audit logs to S3 bucket dw-logs (prefix redshift/), but its parameter group analytics turns enable_user_activity_logging on, but only at the cluster's next reboot",
        ),
        (
            cluster("dw-9", recovered, Some(true)),
            Status::Pass,
            "Redshift cluster dw-9 logs connections, user changes and the queries run to S3 bucket dw-logs (prefix redshift/)",
        ),
        (
            cluster("dw-10", LoggingStatus { enabled: true, ..off() }, Some(true)),
            Status::Fail,
            "Redshift cluster dw-10 has audit logging on but names no bucket",
        ),
    ];
    for (c, status, message) in cases {
        let v = verdicts(&org_with(vec![c]));
        assert_eq!(v, vec![(status, message.to_string())]);
    }
    // Without the user activity log asked for, connections and users suffice.
    let b = parse_profile(
        "version: 1\nname: t\nredshift_audit_logging: {user_activity_log: false}\n",
        "t.yaml",
    )
    .unwrap();
    let v = verdicts_with(
        &org_with(vec![cluster(
            "dw-6",
            to_cloudwatch(&["connectionlog", "userlog"]),
            Some(false),
        )]),
        &b,
    );
    assert_eq!(v[0].0, Status::Pass, "{v:?}");
    assert!(
        v[0].1.contains("logs connections and user changes to"),
        "{v:?}"
    );
    // No cluster: no finding; not asked for: not applicable, with the ARN and FSBP control.
    assert!(verdicts(&org_with(vec![])).is_empty());
    let e = evaluate(
        &org_with(vec![cluster("dw-3", off(), None)]),
        &parse_profile("version: 1\nname: t\n", "t.yaml").unwrap(),
    );
    let f = find(&e, "redshift.audit_logging", MEMBER, Some(R1));
    assert_eq!(f[0].status, Status::NotApplicable);
    assert_eq!(
        f[0].resource,
        "arn:aws:redshift:us-east-1:222222222222:cluster:dw-3"
    );
    assert_eq!(
        f[0].frameworks.of(crate::frameworks::Framework::AwsFsbp),
        ["Redshift.4"]
    );
}

#[test]
fn what_could_not_be_read_is_unknown_unless_a_known_gap_fails_the_cluster() {
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.redshift.clusters = clusters_denied(R1);
    let v = verdicts(&inv);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("redshift:DescribeClusters"), "{v:?}");
    // The logging status denied: that cluster unknown.
    let mut c = cluster("dw-1", off(), Some(true));
    c.logging = denied(
        MEMBER,
        Some(R1),
        "DescribeLoggingStatus",
        "redshift:DescribeLoggingStatus",
    );
    let v = verdicts(&org_with(vec![c]));
    assert_eq!(v[0].0, Status::Unknown, "{v:?}");
    assert!(v[0].1.contains("redshift:DescribeLoggingStatus"), "{v:?}");
    // The parameter group denied: unknown while logging is otherwise right, fail when not.
    let denied_group = || -> Collected<Option<bool>> {
        denied(
            MEMBER,
            Some(R1),
            "DescribeClusterParameters",
            "redshift:DescribeClusterParameters",
        )
    };
    let mut c = cluster("dw-1", to_s3("dw-logs"), None);
    c.user_activity_logging = denied_group();
    let v = verdicts(&org_with(vec![c]));
    assert_eq!(v[0].0, Status::Unknown, "{v:?}");
    assert!(
        v[0].1
            .contains("whether it logs the queries run is unknown")
            && v[0].1.contains("redshift:DescribeClusterParameters"),
        "{v:?}"
    );
    let mut c = cluster("dw-1", to_cloudwatch(&["connectionlog"]), None);
    c.user_activity_logging = denied_group();
    assert_eq!(verdicts(&org_with(vec![c]))[0].0, Status::Fail);
}

const ADDRESS: &str = "redshift_audit_logging.222222222222.us-east-1";

#[test]
fn plan_turns_logging_on_to_cloudwatch_with_groups_at_the_floor_and_keeps_s3_and_exports() {
    let inv = org_with(vec![
        cluster("dw-1", to_s3("dw-logs"), Some(true)),
        cluster("dw-3", off(), Some(true)),
        cluster(
            "dw-6",
            to_cloudwatch(&["connectionlog", "userlog"]),
            Some(true),
        ),
    ]);
    let p = planned(
        &inv,
        "redshift_audit_logging: {}\nlog_group_retention: {min_days: 365}\n",
    );
    let c = change(&p, ADDRESS);
    assert_eq!(c.action, Action::Update);
    let groups: Vec<(&str, u32)> = c
        .ops
        .iter()
        .filter_map(|o| match o {
            Op::CloudwatchLogs(LogsOp::EnsureLogGroup {
                name,
                retention_days,
            }) => Some((name.as_str(), *retention_days)),
            _ => None,
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("/aws/redshift/cluster/dw-3/connectionlog", 365),
            ("/aws/redshift/cluster/dw-3/userlog", 365),
            ("/aws/redshift/cluster/dw-3/useractivitylog", 365),
            ("/aws/redshift/cluster/dw-6/connectionlog", 365),
            ("/aws/redshift/cluster/dw-6/userlog", 365),
            ("/aws/redshift/cluster/dw-6/useractivitylog", 365),
        ]
    );
    match c.ops.last() {
        Some(Op::Redshift(super::apply::Op::EnableAuditLogging {
            clusters,
            log_exports,
        })) => {
            // The S3 cluster keeps its bucket.
            assert_eq!(clusters, &["dw-3", "dw-6"]);
            assert_eq!(
                log_exports,
                &["connectionlog", "userlog", "useractivitylog"]
            );
        }
        other => panic!("{other:?}"),
    }
    // A paused cluster cannot change now: a manual step with the command (the type it
    // exports kept), its groups made first; the available ones are still changed.
    let mut paused = cluster("dw-9", to_cloudwatch(&["userlog"]), Some(true));
    paused.status = Some("paused".into());
    let p = planned(
        &org_with(vec![paused, cluster("dw-3", off(), Some(true))]),
        "redshift_audit_logging: {}\nlog_group_retention: {min_days: 365}\n",
    );
    let step = change(&p, &format!("{ADDRESS}.dw-9"));
    assert_eq!(step.action, Action::Manual);
    let m = step.manual.as_ref().unwrap();
    assert_eq!(m.command, "aws redshift enable-logging --region us-east-1 --cluster-identifier dw-9 --log-destination-type cloudwatch --log-exports userlog connectionlog useractivitylog   # in account 222222222222");
    assert!(m.reason.contains("dw-9 is paused"), "{}", m.reason);
    assert!(addresses(&p).contains(
        &"cloudwatch_log_group.222222222222.us-east-1./aws/redshift/cluster/dw-9/connectionlog"
    ));
    match change(&p, ADDRESS).ops.last() {
        Some(Op::Redshift(super::apply::Op::EnableAuditLogging { clusters, .. })) => {
            assert_eq!(clusters, &["dw-3"])
        }
        other => panic!("{other:?}"),
    }
    // Converged: nothing when every cluster logs everything.
    let p = planned(
        &org_with(vec![
            cluster("dw-1", to_s3("dw-logs"), Some(true)),
            cluster("dw-2", to_cloudwatch(&ALL), Some(true)),
        ]),
        "redshift_audit_logging: {}\n",
    );
    assert!(
        !addresses(&p)
            .iter()
            .any(|a| a.starts_with("redshift_audit_logging.")),
        "{:?}",
        addresses(&p)
    );
    // Not asked for: nothing.
    let p = planned(&inv, "");
    assert!(!addresses(&p).contains(&ADDRESS));
    // Unreadable: unknown, nothing planned.
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.redshift.clusters = clusters_denied(R1);
    let p = planned(&inv, "redshift_audit_logging: {}\n");
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(p.unknown.iter().any(|n| n.resource == ADDRESS));
}

#[test]
fn plan_lists_the_user_activity_parameter_as_a_manual_step_with_the_commands() {
    let mut default_group = cluster("dw-1", to_s3("dw-logs"), Some(false));
    default_group.parameter_group = Some("default.redshift-1.0".into());
    let mut pending = cluster("dw-3", to_s3("dw-logs"), Some(true));
    pending.parameter_status = Some("pending-reboot".into());
    let inv = org_with(vec![
        default_group,
        cluster("dw-2", to_s3("dw-logs"), Some(false)),
        pending,
        cluster("dw-4", to_s3("dw-logs"), Some(true)),
    ]);
    let p = planned(&inv, "redshift_audit_logging: {}\n");
    let step = |id: &str| change(&p, &format!("{ADDRESS}.{id}.user_activity")).clone();
    let s = step("dw-1");
    assert_eq!(s.action, Action::Manual);
    let m = s.manual.unwrap();
    assert_eq!(m.command, "aws redshift create-cluster-parameter-group --region us-east-1 --parameter-group-name dw-1-audit --parameter-group-family redshift-1.0 --description 'audit logging' && aws redshift modify-cluster-parameter-group --region us-east-1 --parameter-group-name dw-1-audit --parameters ParameterName=enable_user_activity_logging,ParameterValue=true && aws redshift modify-cluster --region us-east-1 --cluster-identifier dw-1 --cluster-parameter-group-name dw-1-audit && aws redshift reboot-cluster --region us-east-1 --cluster-identifier dw-1   # in account 222222222222");
    assert!(
        m.reason.contains("default one, which cannot be changed"),
        "{}",
        m.reason
    );
    let m = step("dw-2").manual.unwrap();
    assert_eq!(m.command, "aws redshift modify-cluster-parameter-group --region us-east-1 --parameter-group-name analytics --parameters ParameterName=enable_user_activity_logging,ParameterValue=true && aws redshift reboot-cluster --region us-east-1 --cluster-identifier dw-2   # in account 222222222222");
    let m = step("dw-3").manual.unwrap();
    assert_eq!(
        m.command,
        "aws redshift reboot-cluster --region us-east-1 --cluster-identifier dw-3   # in account 222222222222"
    );
    assert!(!addresses(&p).contains(&format!("{ADDRESS}.dw-4.user_activity").as_str()));
    // Not asked for: no step.
    let p = planned(&inv, "redshift_audit_logging: {user_activity_log: false}\n");
    assert!(!addresses(&p).iter().any(|a| a.ends_with(".user_activity")));
    // The group unreadable: unknown, no step.
    let mut c = cluster("dw-2", to_s3("dw-logs"), None);
    c.user_activity_logging = denied(
        MEMBER,
        Some(R1),
        "DescribeClusterParameters",
        "redshift:DescribeClusterParameters",
    );
    let p = planned(&org_with(vec![c]), "redshift_audit_logging: {}\n");
    let address = format!("{ADDRESS}.dw-2.user_activity");
    assert!(!addresses(&p).contains(&address.as_str()));
    assert!(p.unknown.iter().any(|n| n.resource == address));
}

#[test]
fn profile_section_defaults() {
    let b = parse_profile(
        "version: 1\nname: t\nredshift_audit_logging: {}\n",
        "t.yaml",
    )
    .unwrap();
    assert!(b.redshift_audit_logging.unwrap().user_activity_log);
    let e = parse_profile(
        "version: 1\nname: t\nredshift_audit_logging:\n  user_activity: true\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
}

#[test]
fn lookback_is_the_cluster_whose_groups_keep_least_and_zero_for_a_silent_one() {
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &recommended())
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "redshift")
            .map(|l| (l.days, l.basis))
    };
    let with_groups = |retention: Option<i32>| {
        let mut inv = org_with(vec![cluster("dw-2", to_cloudwatch(&ALL), Some(true))]);
        acct(&mut inv, MEMBER).regions[0]
            .data
            .cloudwatch_logs
            .groups = ok(ALL
            .iter()
            .map(|t| {
                // The user log keeps longer: the least is the others'.
                let days = if *t == "userlog" {
                    retention.map(|_| 400)
                } else {
                    retention
                };
                LogGroup::sample(
                    &format!("/aws/redshift/cluster/dw-2/{t}"),
                    days,
                    "2025-01-01T00:00:00Z",
                )
            })
            .collect());
        inv
    };
    let (d, basis) = days(&with_groups(Some(90))).unwrap();
    assert_eq!(d, 90, "{basis}");
    assert!(
        basis.contains("Redshift cluster dw-2: log group /aws/redshift/cluster/dw-2/connectionlog"),
        "{basis}"
    );
    // Never expires: the group's age.
    assert_eq!(days(&with_groups(None)).unwrap().0, 699);
    // A cluster that logs nothing answers nothing; one writing to a bucket whose lifecycle was
    // not read gives no figure.
    let mut inv = with_groups(Some(90));
    acct(&mut inv, MEMBER).regions[0].data.redshift.clusters = ok(vec![
        cluster("dw-2", to_cloudwatch(&ALL), Some(true)),
        cluster("dw-3", off(), Some(true)),
    ]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 0);
    assert!(
        basis.contains("dw-3 in us-east-1 writes no audit logs"),
        "{basis}"
    );
    assert_eq!(
        days(&org_with(vec![cluster(
            "dw-1",
            to_s3("dw-logs"),
            Some(true)
        )])),
        None
    );
    // The groups hold a source's logs: the retention check names them.
    let e = evaluate(&with_groups(Some(30)), &recommended());
    let f = find(&e, "cloudwatch_logs.retention", MEMBER, Some(R1));
    assert!(
        f.iter().any(|f| f
            .message
            .contains("/aws/redshift/cluster/dw-2/connectionlog (30 days; Redshift")),
        "{f:?}"
    );
}

/// `logwarden query`: the connection query over every cluster's connection-log group, the
/// statements query over the user-activity groups, a note for clusters writing to S3 and for
/// regions that could not be read.
#[test]
fn query_writes_insights_over_the_audit_log_groups() {
    let qctx = crate::query::testutil::query_ctx();
    let mut inv = org_with(vec![
        cluster("dw-1", to_s3("dw-logs"), Some(true)),
        cluster("dw-2", to_cloudwatch(&ALL), Some(true)),
        cluster("dw-3", off(), Some(true)),
        cluster(
            "dw-6",
            to_cloudwatch(&["connectionlog", "userlog"]),
            Some(true),
        ),
    ]);
    acct(&mut inv, MEMBER).regions[1].data.redshift.clusters = clusters_denied(R2);
    let c = super::query::query(&inv, &qctx);
    let names: Vec<&str> = c.insights.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["redshift_connections", "redshift_data_exports_and_grants"]
    );
    let groups = |i: usize| -> Vec<String> {
        c.insights[i]
            .log_groups
            .iter()
            .map(|g| format!("{}:{}:{}", g.account, g.region, g.name))
            .collect()
    };
    assert_eq!(
        groups(0),
        [
            "222222222222:us-east-1:/aws/redshift/cluster/dw-2/connectionlog",
            "222222222222:us-east-1:/aws/redshift/cluster/dw-6/connectionlog"
        ]
    );
    assert_eq!(
        groups(1),
        ["222222222222:us-east-1:/aws/redshift/cluster/dw-2/useractivitylog"]
    );
    assert!(c.insights[1].query.contains("unload|copy|grant"));
    assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    assert!(
        c.notes[0].contains("redshift:DescribeClusters"),
        "{:?}",
        c.notes
    );
    // The cluster writing to S3: a table per log type over its bucket's day folders, each query
    // kept to that type's files by their name.
    let tables: Vec<(&str, &str)> = c
        .tables
        .iter()
        .map(|t| (t.name.as_str(), t.template.as_str()))
        .collect();
    assert_eq!(
        tables,
        [
            (
                "redshift_connectionlog_dw_logs_redshift",
                "s3://dw-logs/redshift/AWSLogs/${aws_account}/redshift/${aws_region}/${day}"
            ),
            (
                "redshift_useractivitylog_dw_logs_redshift",
                "s3://dw-logs/redshift/AWSLogs/${aws_account}/redshift/${aws_region}/${day}"
            ),
        ]
    );
    let connections = &c.tables[0].queries[0].sql;
    assert!(
        connections.contains("AND \"$path\" LIKE '%\\_connectionlog\\_%' ESCAPE '\\'")
            && connections.contains("\"day\" BETWEEN '2026/11/29' AND '2026/12/01'"),
        "{connections}"
    );
    let exports = &c.tables[1].queries[0].sql;
    assert!(
        exports.contains("'%\\_useractivitylog\\_%'") && exports.contains("unload|copy|grant"),
        "{exports}"
    );
    assert!(
        c.tables[0].about.contains("cluster(s) dw-1"),
        "{}",
        c.tables[0].about
    );
    // No cluster logs to CloudWatch Logs: no query.
    let c = super::query::query(&org_with(vec![cluster("dw-3", off(), None)]), &qctx);
    assert!(c.insights.is_empty());
}

/// The buckets clusters write their audit logs to are log buckets (their protection is judged
/// with the others); a cluster writing to CloudWatch Logs or nothing names none; where the
/// clusters could not be read, the region's buckets are in doubt.
#[test]
fn audit_log_buckets_are_log_buckets() {
    let buckets = |inv: &crate::sources::Inventory| {
        crate::engine::evaluate::context::<crate::sources::Sources>(inv, &recommended()).log_buckets
    };
    let b = buckets(&org_with(vec![
        cluster("dw-1", to_s3("dw-logs"), Some(true)),
        cluster("dw-2", to_cloudwatch(&ALL), Some(true)),
        cluster(
            "dw-3",
            LoggingStatus {
                enabled: false,
                ..to_s3("old-logs")
            },
            Some(true),
        ),
    ]));
    assert!(b.contains("dw-logs"));
    assert!(!b.contains("old-logs"));
    assert!(b.doubt_about(MEMBER, Some(R1)).is_none());
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.redshift.clusters = clusters_denied(R1);
    let b = buckets(&inv);
    let why = b
        .doubt_about(MEMBER, Some(R1))
        .unwrap_or_default()
        .to_string();
    assert!(why.contains("redshift:DescribeClusters"), "{why}");
    assert!(b.doubt_about(MEMBER, Some(R2)).is_none());
}

/// A cluster writing to S3 reaches back as far as its bucket keeps the objects under the
/// cluster's prefix (`redshift/AWSLogs/ACCOUNT/redshift/REGION/`): the least expiration of the
/// rules that act on them, when the audit read the bucket's lifecycle; a rule on another prefix
/// does not count; no figure when no rule expires them or the lifecycle was not read.
#[test]
fn lookback_of_a_cluster_writing_to_s3_is_its_buckets_expiration_for_its_prefix() {
    use crate::inventory::bucket::LifecycleRule;
    let rule = LifecycleRule::expiring;
    let days = |rules: Option<Vec<LifecycleRule>>| {
        let mut inv = org_with(vec![cluster("dw-1", to_s3("dw-logs"), Some(true))]);
        let mut logs = bucket("dw-logs", R1);
        if let Some(rules) = rules {
            let mut d = protected_details();
            d.lifecycle_rules = ok(rules);
            logs.details = Some(d);
        }
        acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![logs]);
        evaluate(&inv, &recommended())
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "redshift")
            .map(|l| (l.days, l.basis))
    };
    assert_eq!(
        days(Some(vec![rule("redshift/AWSLogs/", 365), rule("elb/", 7)])),
        Some((
            365,
            "Redshift cluster dw-1: bucket dw-logs keeps its audit logs 365 days".into()
        ))
    );
    // A rule on this account's region folder shortens how far back it reaches.
    let region_folder = format!("redshift/AWSLogs/{MEMBER}/redshift/{R1}/");
    assert_eq!(
        days(Some(vec![
            rule("redshift/AWSLogs/", 365),
            rule(&region_folder, 30)
        ]))
        .map(|d| d.0),
        Some(30)
    );
    // Kept indefinitely, or the lifecycle not read: no figure.
    assert_eq!(days(Some(vec![rule("elb/", 7)])), None);
    assert_eq!(days(None), None);
}
