//! The query model: dates in projection formats, the projection's key matcher against keys
//! written at AWS's documented layouts, the DDL, window filters and Parquet statements, and
//! what each source makes of an inventory.

use super::*;
use crate::rules::testutil::*;
use crate::sources::vpc_flow_logs::model::FlowLog;
use time::macros::date;

use super::testutil::query_ctx as ctx;

fn tables(inv: &crate::sources::Inventory) -> Contribution {
    crate::engine::query::<crate::sources::Sources>(inv, &ctx())
}

#[test]
fn dates_are_written_in_the_projection_format() {
    let d = date!(2026 - 01 - 05);
    for (format, want) in [
        ("yyyy/MM/dd", "2026/01/05"),
        ("yyyy/MM/dd/HH", "2026/01/05/07"),
        (
            "'year='yyyy'/month='MM'/day='dd",
            "year=2026/month=01/day=05",
        ),
        (
            "'year='yyyy'/month='MM'/day='dd'/hour='HH",
            "year=2026/month=01/day=05/hour=07",
        ),
    ] {
        assert_eq!(format_date(format, d, 7), want, "{format}");
        assert!(date_matches(format, want), "{format} {want}");
    }
    assert!(!date_matches("yyyy/MM/dd", "2026/13/05"));
    assert!(!date_matches("yyyy/MM/dd", "2026/1/05/"));
    assert!(!date_matches("yyyy/MM/dd", "2026-01-05"));
    assert!(!date_matches(
        "'year='yyyy'/month='MM'/day='dd",
        "year=2026/month=01/dey=05"
    ));
    assert_eq!(start_in("yyyy/MM/dd"), "2013/11/01");
    assert_eq!(
        table_name(&["vpc_flow_logs", "My-Bucket.logs", "flow/"]),
        "vpc_flow_logs_my_bucket_logs_flow"
    );
    assert_eq!(key_prefix(Some("/a/b/")), "a/b/");
    assert_eq!(key_prefix(Some("")), "");
}

/// An organization trail (org trail in the management account, key in the member), an account
/// trail with a key prefix, flow logs to S3 (default text, custom Parquet with Hive prefixes and
/// hourly folders) and to CloudWatch Logs, Resolver query logs to S3.
fn org_with_logs() -> crate::sources::Inventory {
    let mut inv = org();
    let mut t = trail(MGMT, "org-trail", R1, true, true);
    t.s3_bucket_name = Some("org-logs".into());
    t.kms_key_id = Some(format!("arn:aws:kms:{R1}:{MEMBER}:key/k-1"));
    t.cloudwatch_logs_log_group_arn =
        Some(format!("arn:aws:logs:{R1}:{MGMT}:log-group:org-trail:*"));
    add_trail(&mut inv, t);
    let mut t = trail(MEMBER, "local", R2, false, false);
    t.s3_bucket_name = Some("member-logs".into());
    t.s3_key_prefix = Some("ct".into());
    add_trail(&mut inv, t);
    let fl =
        |id: &str, dest: &str, format: Option<&str>, parquet: bool, hive: bool, hourly: bool| {
            FlowLog {
                id: id.into(),
                resource_id: "vpc-1".into(),
                traffic_type: Some("ALL".into()),
                flow_log_status: Some("ACTIVE".into()),
                deliver_logs_status: Some("SUCCESS".into()),
                destination_type: Some(
                    if dest.contains(":s3:::") {
                        "s3"
                    } else {
                        "cloud-watch-logs"
                    }
                    .into(),
                ),
                destination: Some(dest.into()),
                log_format: format.map(String::from),
                file_format: parquet.then(|| "parquet".into()),
                hive_compatible: hive,
                per_hour: hourly,
                creation_time: None,
            }
        };
    acct(&mut inv, MEMBER).regions[0].data.vpc_flow_logs.flow_logs = ok(vec![
        fl("fl-1", "arn:aws:s3:::flow-logs", None, false, false, false),
        fl(
            "fl-2",
            "arn:aws:s3:::flow-logs/custom/",
            Some("${version} ${vpc-id} ${srcaddr} ${dstaddr} ${dstport} ${bytes} ${action} ${tcp-flags} ${end}"),
            true,
            true,
            true,
        ),
        fl("fl-3", &format!("arn:aws:logs:{R1}:{MEMBER}:log-group:flows"), None, false, false, false),
    ]);
    acct(&mut inv, MGMT).regions[1].data.vpc_flow_logs.flow_logs = ok(vec![fl(
        "fl-4",
        "arn:aws:s3:::flow-logs",
        None,
        false,
        false,
        false,
    )]);
    use crate::sources::resolver_query_logs::model::*;
    let r = &mut acct(&mut inv, MEMBER).regions[0].data.resolver_query_logs;
    r.configs = ok(vec![QueryLogConfig {
        id: "rqlc-1".into(),
        name: "dns".into(),
        owner_id: MEMBER.into(),
        status: ConfigStatus::Created,
        share_status: ShareStatus::NotShared,
        destination_arn: "arn:aws:s3:::dns-logs/resolver".into(),
    }]);
    r.associations = ok(vec![QueryLogAssociation {
        id: "rqla-1".into(),
        config_id: "rqlc-1".into(),
        resource_id: "vpc-1".into(),
        status: AssociationStatus::Active,
        error: None,
        error_message: None,
        creation_time: None,
    }]);
    inv
}

fn table<'a>(c: &'a Contribution, name: &str) -> &'a Table {
    c.tables.iter().find(|t| t.name == name).unwrap_or_else(|| {
        panic!(
            "no table {name} in {:?}",
            c.tables.iter().map(|t| &t.name).collect::<Vec<_>>()
        )
    })
}

fn parts(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

#[test]
fn every_key_aws_writes_falls_under_a_projected_partition() {
    let c = tables(&org_with_logs());
    // Keys as AWS documents them (CloudTrail User Guide "Finding your CloudTrail log files",
    // VPC User Guide "Flow log files", Route 53 "Resolver query logging" S3 paths).
    let org = table(&c, "cloudtrail_org_trail_111111111111");
    assert_eq!(org.bucket, "org-logs");
    assert_eq!(org.prefix, "AWSLogs/o-example/");
    assert_eq!(
        org.partition_of("AWSLogs/o-example/222222222222/CloudTrail/eu-west-1/2026/01/05/222222222222_CloudTrail_eu-west-1_20260105T0010Z_AbCdEf.json.gz"),
        parts(&[("aws_account", MEMBER), ("aws_region", R2), ("day", "2026/01/05")])
    );
    // Digests, other accounts, other regions, malformed dates: outside every partition.
    for key in [
        "AWSLogs/o-example/222222222222/CloudTrail-Digest/eu-west-1/2026/01/05/x.json.gz",
        "AWSLogs/o-example/333333333333/CloudTrail/eu-west-1/2026/01/05/x.json.gz",
        "AWSLogs/o-example/222222222222/CloudTrail/ap-south-1/2026/01/05/x.json.gz",
        "AWSLogs/o-example/222222222222/CloudTrail/eu-west-1/2026/13/05/x.json.gz",
        "AWSLogs/222222222222/CloudTrail/eu-west-1/2026/01/05/x.json.gz",
    ] {
        assert_eq!(org.partition_of(key), None, "{key}");
    }
    assert_eq!(org.kms_keys, [format!("arn:aws:kms:{R1}:{MEMBER}:key/k-1")]);
    // An account trail: its own account, its home region, under its key prefix.
    let local = table(&c, "cloudtrail_local_222222222222");
    assert_eq!(
        local.partition_of("ct/AWSLogs/222222222222/CloudTrail/eu-west-1/2025/12/31/222222222222_CloudTrail_eu-west-1_20251231T2355Z_x.json.gz"),
        parts(&[("aws_account", MEMBER), ("aws_region", R2), ("day", "2025/12/31")])
    );
    assert_eq!(
        local.partition_of("ct/AWSLogs/222222222222/CloudTrail/us-east-1/2025/12/31/x.json.gz"),
        None
    );
    // Flow logs, default format: both accounts delivering to the bucket, both regions.
    let flow = table(&c, "vpc_flow_logs_flow_logs");
    assert_eq!(
        flow.partition_of("AWSLogs/111111111111/vpcflowlogs/eu-west-1/2026/11/30/111111111111_vpcflowlogs_eu-west-1_fl-4_20261130T1455Z_hash.log.gz"),
        parts(&[("aws_account", MGMT), ("aws_region", R2), ("day", "2026/11/30")])
    );
    assert_eq!(flow.storage, Storage::SpaceDelimited);
    assert_eq!(flow.columns.len(), 14);
    assert_eq!(flow.columns[11], ("end".into(), "bigint".into()));
    // Custom format, Parquet, Hive-compatible, hourly: its columns in its order.
    let custom = table(&c, "vpc_flow_logs_flow_logs_custom");
    assert_eq!(
        custom.partition_of("custom/AWSLogs/aws-account-id=222222222222/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=30/hour=14/222222222222_vpcflowlogs_us-east-1_fl-2_20261130T1455Z_hash.log.parquet"),
        parts(&[("aws_account", MEMBER), ("aws_region", R1), ("day", "year=2026/month=11/day=30/hour=14")])
    );
    let names: Vec<&str> = custom.columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "version",
            "vpc_id",
            "srcaddr",
            "dstaddr",
            "dstport",
            "bytes",
            "action",
            "tcp_flags",
            "end"
        ]
    );
    assert_eq!(custom.storage, Storage::Parquet);
    assert!(!custom.parquet, "already Parquet: no copy offered");
    // Resolver query logs: by VPC.
    let dns = table(&c, "resolver_query_logs_dns_logs_resolver");
    assert_eq!(
        dns.partition_of("resolver/AWSLogs/222222222222/vpcdnsquerylogs/vpc-1/2026/11/30/222222222222_vpcdnsquerylogs_vpc-1_20261130T1455Z_hash.log.gz"),
        parts(&[("aws_account", MEMBER), ("day", "2026/11/30"), ("vpc", "vpc-1")])
    );
    // Logs in CloudWatch Logs: Logs Insights queries.
    let groups: Vec<(&str, &str)> = c
        .insights
        .iter()
        .flat_map(|i| {
            i.log_groups
                .iter()
                .map(move |g| (i.source.as_str(), g.name.as_str()))
        })
        .collect();
    assert!(groups.contains(&("cloudtrail", "org-trail")), "{groups:?}");
    assert!(groups.contains(&("vpc_flow_logs", "flows")), "{groups:?}");
}

#[test]
fn the_ddl_projects_the_layout_and_every_query_keeps_to_the_window() {
    let c = tables(&org_with_logs());
    let org = table(&c, "cloudtrail_org_trail_111111111111");
    let ddl = org.ddl("logwarden");
    for want in [
        "CREATE EXTERNAL TABLE IF NOT EXISTS `logwarden`.`cloudtrail_org_trail_111111111111` (",
        "  `requestparameters` string,",
        "PARTITIONED BY (`aws_account` string, `aws_region` string, `day` string)",
        "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
        "LOCATION 's3://org-logs/AWSLogs/o-example/'",
        "'projection.aws_account.values'='111111111111,222222222222'",
        "'projection.aws_region.values'='us-east-1,eu-west-1'",
        "'projection.day.format'='yyyy/MM/dd'",
        "'projection.day.range'='2013/11/01,NOW'",
        "'storage.location.template'='s3://org-logs/AWSLogs/o-example/${aws_account}/CloudTrail/${aws_region}/${day}'",
    ] {
        assert!(ddl.contains(want), "{want} not in\n{ddl}");
    }
    let custom = table(&c, "vpc_flow_logs_flow_logs_custom");
    let ddl = custom.ddl("logwarden");
    assert!(
        ddl.contains(
            r"'projection.day.format'='\'year=\'yyyy\'/month=\'MM\'/day=\'dd\'/hour=\'HH'"
        ),
        "{ddl}"
    );
    assert_eq!(hive_lit(r"a\[b'c"), r"'a\\[b\'c'");
    assert!(
        ddl.contains("'projection.day.interval.unit'='HOURS'"),
        "{ddl}"
    );
    assert!(
        ddl.contains("STORED AS PARQUET") && !ddl.contains("skip.header"),
        "{ddl}"
    );
    let text = table(&c, "vpc_flow_logs_flow_logs").ddl("logwarden");
    assert!(text.contains("'skip.header.line.count'='1'"), "{text}");
    // Every starter query filters on the projected date; with accounts asked, on them too.
    for t in &c.tables {
        assert!(!t.queries.is_empty(), "{} has no query", t.name);
        for q in &t.queries {
            assert!(q.sql.contains("\"day\" BETWEEN "), "{}: {}", q.name, q.sql);
        }
    }
    assert!(org.queries[0]
        .sql
        .contains("\"day\" BETWEEN '2026/11/29' AND '2026/12/01'"));
    assert!(custom.queries[0].sql.contains("\"day\" BETWEEN 'year=2026/month=11/day=29/hour=00' AND 'year=2026/month=12/day=01/hour=23'"));
    let mut only = ctx();
    only.only_accounts = vec![MEMBER.into()];
    assert_eq!(
        org.window(&only),
        "\"day\" BETWEEN '2026/11/29' AND '2026/12/01'\n  AND \"aws_account\" IN ('222222222222')"
    );
}

#[test]
fn the_parquet_copy_is_one_statement_per_day_of_the_window() {
    let c = tables(&org_with_logs());
    let org = table(&c, "cloudtrail_org_trail_111111111111");
    let sql = org.parquet_sql(&ctx()).unwrap();
    assert!(sql.contains("CREATE TABLE IF NOT EXISTS \"logwarden\".\"cloudtrail_org_trail_111111111111_parquet\""), "{sql}");
    assert!(
        sql.contains(
            "external_location = 's3://analysis/parquet/cloudtrail_org_trail_111111111111/'"
        ),
        "{sql}"
    );
    assert!(sql.contains("WITH NO DATA;"), "{sql}");
    assert_eq!(sql.matches("INSERT INTO").count(), 3, "{sql}");
    assert!(sql.contains("WHERE \"day\" = '2026/11/30';"), "{sql}");
    // Hourly folders: a day is its 24 hours.
    let flow = table(&c, "vpc_flow_logs_flow_logs");
    assert!(flow
        .parquet_sql(&ctx())
        .unwrap()
        .contains("WHERE \"day\" = '2026/12/01';"));
    let files = render(&ctx(), &c);
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for want in [
        "tables/cloudtrail_org_trail_111111111111.sql",
        "queries/cloudtrail/cloudtrail_org_trail_111111111111__logging_tampering.sql",
        "parquet/cloudtrail_org_trail_111111111111.sql",
        "insights/cloudtrail/cloudtrail_org_trail_tampering.txt",
        "index.md",
        "index.json",
    ] {
        assert!(paths.contains(&want), "{want} not in {paths:?}");
    }
    let index = &files.iter().find(|(p, _)| p == "index.md").unwrap().1;
    assert!(
        index.contains(&format!(
            "`kms:Decrypt` on `arn:aws:kms:{R1}:{MEMBER}:key/k-1`"
        )),
        "{index}"
    );
}

#[test]
fn what_could_not_be_read_is_said_not_silently_dropped() {
    let mut inv = org_with_logs();
    acct(&mut inv, MGMT).regions[0].data.vpc_flow_logs.flow_logs =
        denied(MGMT, Some(R1), "DescribeFlowLogs", "ec2:DescribeFlowLogs");
    let c = tables(&inv);
    assert!(
        c.notes.iter().any(|n| n.contains("the flow logs of account 111111111111 in us-east-1 could not be read (ec2:DescribeFlowLogs")),
        "{:?}",
        c.notes
    );
    // What was read elsewhere is still written.
    assert!(c.tables.iter().any(|t| t.name == "vpc_flow_logs_flow_logs"));
}

#[test]
fn an_organization_trail_without_the_organization_id_is_named_not_guessed() {
    let inv = org_with_logs();
    let mut cx = ctx();
    cx.org_id = None;
    let c = crate::engine::query::<crate::sources::Sources>(&inv, &cx);
    assert!(c
        .tables
        .iter()
        .all(|t| t.name != "cloudtrail_org_trail_111111111111"));
    assert!(
        c.notes.iter().any(|n| n.contains("organization trail arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail not written")),
        "{:?}",
        c.notes
    );
}

#[test]
fn another_accounts_buckets_and_keys_get_the_least_statements_that_let_the_reader_in() {
    let c = tables(&org_with_logs());
    let reader = Reader {
        partition: "aws".into(),
        account: MEMBER.into(),
        region: R1.into(),
        bucket_owners: [
            ("org-logs".to_string(), MGMT.to_string()),
            ("member-logs".to_string(), MEMBER.to_string()),
            ("flow-logs".to_string(), MEMBER.to_string()),
        ]
        .into(),
    };
    let steps = access_steps(&reader, &c);
    let resources: Vec<&str> = steps.iter().map(|s| s.resource.as_str()).collect();
    // The organization trail's bucket (the management account's), and the Resolver bucket no
    // audited account owns; the member's own buckets and its own key need nothing.
    assert_eq!(
        resources,
        ["arn:aws:s3:::org-logs", "arn:aws:s3:::dns-logs"],
        "{steps:#?}"
    );
    assert_eq!(steps[0].owner.as_deref(), Some(MGMT));
    assert_eq!(steps[1].owner, None);
    let read = &steps[0].statement[1];
    assert_eq!(read["Principal"]["AWS"], "arn:aws:iam::222222222222:root");
    assert_eq!(read["Action"], "s3:GetObject");
    assert_eq!(
        read["Resource"],
        "arn:aws:s3:::org-logs/AWSLogs/o-example/*"
    );
    assert_eq!(read["Condition"]["Bool"]["aws:SecureTransport"], "true");
    assert_eq!(
        steps[0].statement[0]["Condition"]["StringLike"]["s3:prefix"],
        "AWSLogs/o-example/*"
    );
    // Read from the management account instead: the member's key and buckets.
    let from_mgmt = Reader {
        account: MGMT.into(),
        ..reader
    };
    let steps = access_steps(&from_mgmt, &c);
    let key = steps
        .iter()
        .find(|s| s.resource == format!("arn:aws:kms:{R1}:{MEMBER}:key/k-1"))
        .expect("the member's trail key");
    assert_eq!(key.statement[0]["Action"], "kms:Decrypt");
    assert_eq!(
        key.statement[0]["Condition"]["StringEquals"]["kms:ViaService"],
        "s3.us-east-1.amazonaws.com"
    );
    assert!(steps
        .iter()
        .any(|s| s.resource == "arn:aws:s3:::member-logs"));
    let mut cx = ctx();
    cx.reader = Some(from_mgmt);
    let index = render(&cx, &c)
        .into_iter()
        .find(|(p, _)| p == "index.md")
        .unwrap()
        .1;
    assert!(
        index.contains("## Access from account 111111111111 (us-east-1)"),
        "{index}"
    );
    assert!(index.contains("LogwardenAthenaDecrypt"), "{index}");
}
