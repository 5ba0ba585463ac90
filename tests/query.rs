//! `logwarden query` as a responder runs it: from a saved inventory (every file parses as Athena
//! SQL, the index is golden) and live against the emulated organization (the tables name the
//! seeded trails, flow logs and Resolver query logs, with their real layouts and keys).

mod support;

use std::path::Path;
use std::process::Command;
use support::{golden, logwarden, python, root, Moto};

/// Every `.sql` file under `dir`.
fn sql_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sql") {
                out.push(p.display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// Parse the files with sqlglot's Athena dialect (pinned by scripts/test.sh).
fn assert_parses(files: &[String]) {
    let out = Command::new(python())
        .arg(root().join("tests/support/sql_parse.py"))
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "SQL that does not parse:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_parser_refuses_what_athena_would() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sql");
    std::fs::write(
        &bad,
        "SELECT a FROM t WHERE \"day\" BETWEEN '2026/01/01' AND;",
    )
    .unwrap();
    let out = Command::new(python())
        .arg(root().join("tests/support/sql_parse.py"))
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn from_a_saved_inventory_every_file_parses_and_the_index_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_logwarden"))
        .args([
            "query",
            "--from-inventory",
            root()
                .join("tests/fixtures/org-inventory.json")
                .to_str()
                .unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
            "--since",
            "2026-11-25",
            "--until",
            "2026-11-27",
            "--parquet-location",
            "s3://analysis-bucket/parquet",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with("wrote 10 table(s), 30 starter queries, 3 Logs Insights queries"),
        "{stderr}"
    );
    let files = sql_files(dir.path());
    assert_eq!(files.len(), 10 + 30 + 4, "{files:#?}");
    assert_parses(&files);
    golden("query_index.json", &read(dir.path(), "index.json"));
    golden(
        "query_cloudtrail_org_trail.sql",
        &read(dir.path(), "tables/cloudtrail_org_trail_123456789012.sql"),
    );
    // One golden DDL per source: its columns as the source's record format documents them.
    for (name, file) in [
        (
            "query_vpc_flow_logs.sql",
            "tables/vpc_flow_logs_lw_org_trail_logs.sql",
        ),
        (
            "query_resolver_query_logs.sql",
            "tables/resolver_query_logs_lw_org_trail_logs.sql",
        ),
        ("query_elb_alb.sql", "tables/elb_alb_wa_elb_logs.sql"),
        (
            "query_s3_access_logs.sql",
            "tables/s3_access_logs_wb_access_logs_wb_data.sql",
        ),
        (
            "query_redshift_connectionlog.sql",
            "tables/redshift_connectionlog_wa_redshift_audit_analytics.sql",
        ),
    ] {
        golden(name, &read(dir.path(), file));
    }
    golden(
        "query_cloudtrail_tampering.sql",
        &read(
            dir.path(),
            "queries/cloudtrail/cloudtrail_org_trail_123456789012__logging_tampering.sql",
        ),
    );
    golden(
        "query_redshift_connections.sql",
        &read(
            dir.path(),
            "queries/redshift/redshift_connectionlog_wa_redshift_audit_analytics__connections.sql",
        ),
    );
    golden(
        "query_cloudtrail_parquet.sql",
        &read(dir.path(), "parquet/cloudtrail_org_trail_123456789012.sql"),
    );
    let index = read(dir.path(), "index.md");
    assert!(
        index.contains("`kms:Decrypt` on `arn:aws:kms:us-east-1:123456789012:key/24e75e8e-b8f2-4423-83ed-d1f874f93d17`"),
        "{index}"
    );
    // Bad options are refused before anything is read or written.
    for (args, want) in [
        (
            vec!["--since", "2026-12-02", "--until", "2026-12-01"],
            "is after --until",
        ),
        (vec!["--since", "yesterday"], "is not a date"),
        (
            vec!["--database", "Log-Warden"],
            "is not a Glue database name",
        ),
        (
            vec!["--parquet-location", "bucket/prefix"],
            "is not an S3 location",
        ),
    ] {
        let mut all = vec![
            "query",
            "--from-inventory",
            "tests/fixtures/org-inventory.json",
            "--out",
            "/nonexistent/never-written",
        ];
        all.extend(args);
        let out = Command::new(env!("CARGO_BIN_EXE_logwarden"))
            .current_dir(root())
            .args(&all)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {stderr}");
        assert!(stderr.contains(want), "{all:?}: {stderr}");
    }
}

#[test]
fn live_against_the_emulated_organization() {
    let moto = Moto::start();
    let seed = moto.seed(&["--regions", "us-east-1,eu-west-1"]);
    let home = tempfile::tempdir().unwrap();
    let out_dir = home.path().join("q");
    let out = logwarden(
        &[
            "query",
            "--regions",
            "us-east-1,eu-west-1",
            "--max-attempts",
            "1",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        Some(&moto.url),
        home.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let s = |k: &str| seed[k].as_str().unwrap().to_string();
    let org = s("organization_id");
    let index: serde_json::Value = serde_json::from_str(&read(&out_dir, "index.json")).unwrap();
    let tables = index["tables"].as_array().unwrap();
    let table = |name: &str| {
        tables
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {index:#}"))
            .clone()
    };
    // The organization trail: its bucket, the organization's layout, every account.
    let t = table(&format!("cloudtrail_org_trail_{}", s("management")));
    assert_eq!(t["bucket"], "lw-org-trail-logs");
    assert_eq!(t["kms_keys"], serde_json::json!([s("org_key")]));
    assert_eq!(
        t["template"],
        format!("s3://lw-org-trail-logs/AWSLogs/{org}/${{aws_account}}/CloudTrail/${{aws_region}}/${{day}}")
    );
    let accounts = t["partitions"][0]["values"].as_array().unwrap();
    for a in ["management", "log_archive", "workload_a", "workload_b"] {
        assert!(
            accounts.contains(&serde_json::json!(s(a))),
            "{a} not in {accounts:?}"
        );
    }
    // Workload A's own trail: its account only, its key to decrypt with.
    let t = table(&format!("cloudtrail_wa_local_trail_{}", s("workload_a")));
    assert_eq!(t["kms_keys"], serde_json::json!([s("wa_key")]));
    assert_eq!(
        t["partitions"][0]["values"],
        serde_json::json!([s("workload_a")])
    );
    // Workload B's single-region trail: its home region only.
    let t = table(&format!("cloudtrail_wb_stopped_{}", s("workload_b")));
    assert_eq!(
        t["partitions"][1]["values"],
        serde_json::json!(["eu-west-1"])
    );
    // Flow logs of A and B and B's DNS queries, in the organization bucket.
    let t = table("vpc_flow_logs_lw_org_trail_logs");
    let mut accounts: Vec<String> = t["partitions"][0]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    accounts.sort();
    let mut want = vec![s("workload_a"), s("workload_b")];
    want.sort();
    assert_eq!(accounts, want);
    let t = table("resolver_query_logs_lw_org_trail_logs");
    assert_eq!(
        t["partitions"][1]["values"],
        serde_json::json!([s("wb_vpc")])
    );
    // Workload A's Application Load Balancer logs to its own bucket.
    let t = table("elb_alb_wa_elb_logs");
    assert_eq!(
        t["template"],
        "s3://wa-elb-logs/AWSLogs/${aws_account}/elasticloadbalancing/${aws_region}/${day}"
    );
    assert_eq!(
        t["partitions"][0]["values"],
        serde_json::json!([s("workload_a")])
    );
    assert!(t["storage"]["regex"]
        .as_str()
        .unwrap()
        .starts_with("([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*)"));
    assert_parses(&sql_files(&out_dir));

    // --apply without a terminal and without --auto-approve: refused, nothing run.
    let apply = |extra: &[&str]| {
        let mut args = vec![
            "query",
            "--regions",
            "us-east-1,eu-west-1",
            "--max-attempts",
            "1",
            "--out",
            out_dir.to_str().unwrap(),
            "--apply",
            "--results",
            "s3://lw-access-logs/athena-results/",
        ];
        args.extend(extra);
        logwarden(&args, Some(&moto.url), home.path())
    };
    let out = apply(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("refusing to create the tables without confirmation"),
        "{stderr}"
    );
    let archive = s("log_archive");
    let executions = |account: &str| {
        moto.python_json(&format!(
            "a=member('athena', '{account}', 'us-east-1')\nids=a.list_query_executions()['QueryExecutionIds']\nprint(json.dumps(sorted(a.get_query_execution(QueryExecutionId=i)['QueryExecution']['Query'] for i in ids)))"
        ))
    };
    assert_eq!(executions(&archive), serde_json::json!([]));
    // With --auto-approve: in the account holding most log buckets (the log archive), the
    // database, then every table, as the files say.
    let out = apply(&["--auto-approve"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "Athena in account {archive}, region us-east-1, work group primary will create:"
        )),
        "{stderr}"
    );
    // The buckets of other accounts are manual steps: the statements their policies need.
    assert!(
        stderr.contains("manual step(s):") && stderr.contains("arn:aws:s3:::wa-elb-logs"),
        "{stderr}"
    );
    let index = read(&out_dir, "index.md");
    assert!(
        index.contains(&format!("## Access from account {archive} (us-east-1)")),
        "{index}"
    );
    let ran = executions(&archive);
    let ran: Vec<&str> = ran
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap())
        .collect();
    assert_eq!(ran.len(), 1 + tables.len(), "{ran:#?}");
    assert!(
        ran.contains(&"CREATE DATABASE IF NOT EXISTS `logwarden`"),
        "{ran:#?}"
    );
    let org_ddl = read(
        &out_dir,
        &format!("tables/cloudtrail_org_trail_{}.sql", s("management")),
    );
    let body = org_ddl
        .lines()
        .skip_while(|l| l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        ran.contains(&body.trim_end().trim_end_matches(';')),
        "the organization trail's DDL, without its comments and semicolon, not in {ran:#?}"
    );
}

#[test]
fn access_log_entries_as_aws_documents_them_fill_every_column() {
    use logwarden::sources::elb_access_logs::query::*;
    let names = |c: &[(&str, &str)]| c.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>();
    let tables = serde_json::json!([
        {
            "name": "alb",
            "regex": alb_regex(),
            "columns": names(ALB_COLUMNS),
            "samples": [
                [
                    "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\" \"-\" \"-\" TID_1234abcd5678ef90",
                    {"client_ip": "192.168.131.39", "target_port": "80", "elb_status_code": "200", "request_url": "http://www.example.com:80/", "user_agent": "curl/7.46.0", "actions_executed": "forward", "target_status_code_list": "200", "conn_trace_id": "TID_1234abcd5678ef90"}
                ],
                [
                    "https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - -1 -1 -1 503 - 34 366 \"GET https://www.example.com:443/a b HTTP/1.1\" \"Mozilla/5.0 (X11)\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - \"Root=1-58337262\" \"www.example.com\" \"arn:aws:acm:us-east-2:123456789012:certificate/12345678\" -1 2018-07-02T22:22:48.364000Z \"waf,forward\" \"-\" \"-\" \"-\" \"-\"",
                    {"target_ip": null, "elb_status_code": "503", "request_url": "https://www.example.com:443/a b", "user_agent": "Mozilla/5.0 (X11)", "ssl_protocol": "TLSv1.2", "domain_name": "www.example.com", "actions_executed": "waf,forward", "conn_trace_id": null}
                ]
            ]
        },
        {
            "name": "clb",
            "regex": clb_regex(),
            "columns": names(CLB_COLUMNS),
            "samples": [[
                "2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.38.0\" - -",
                {"elb": "my-loadbalancer", "backend_ip": "10.0.0.1", "sent_bytes": "29", "request_verb": "GET", "ssl_protocol": "-"}
            ]]
        },
        {
            "name": "nlb",
            "regex": NLB_REGEX,
            "columns": names(NLB_COLUMNS),
            "samples": [[
                "tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - ECDHE-RSA-AES128-SHA tlsv12 - my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com - - - 2018-12-20T02:59:30",
                {"client_ip": "72.21.218.154", "destination_port": "443", "tls_protocol_version": "tlsv12", "tls_connection_creation_time": "2018-12-20T02:59:30"}
            ]]
        }
        ,
        {
            "name": "s3_access_logs",
            "regex": logwarden::sources::s3_access_logs::query::REGEX,
            "columns": names(logwarden::sources::s3_access_logs::query::COLUMNS),
            "samples": [
                [
                    "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - \"GET /amzn-s3-demo-bucket1?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes",
                    {"bucket": "amzn-s3-demo-bucket1", "requestdatetime": "06/Feb/2019:00:00:38 +0000", "operation": "REST.GET.VERSIONING", "request_uri": "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1", "httpstatus": "200", "referrer": "-", "useragent": "S3Console/0.4", "tlsversion": "TLSV1.2", "aclrequired": "Yes"}
                ],
                [
                    "79a5 amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 arn:aws:iam::123456789012:user/alice 891CE47D2EXAMPLE REST.DELETE.OBJECT logs/a%20b.txt \"DELETE /amzn-s3-demo-bucket1/logs/a%20b.txt HTTP/1.1\" 204 - - - 20 - \"-\" \"aws-cli/2.0\" - 3HL4kqtJvjVBH40Nrjfkd",
                    {"requester": "arn:aws:iam::123456789012:user/alice", "key": "logs/a%20b.txt", "httpstatus": "204", "hostid": "3HL4kqtJvjVBH40Nrjfkd", "sigv": null, "aclrequired": null}
                ]
            ]
        }
    ]);
    let mut child = Command::new(python())
        .arg(root().join("tests/support/regex_check.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(tables.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn hive_string_escapes_in_ddl_parse() {
    use logwarden::query::*;
    let t = Table {
        name: "t".into(),
        source: "vpc_flow_logs".into(),
        about: "Hive-compatible, hourly flow logs read as text with a regular expression".into(),
        bucket: "b".into(),
        prefix: "p/AWSLogs/".into(),
        columns: vec![("a".into(), "string".into())],
        storage: Storage::Regex(r#"\[([^\]]*)\] "([^"]*)" 'x'"#.into()),
        partitions: partitions(
            &["111111111111".into()],
            &["us-east-1".into()],
            "'year='yyyy'/month='MM'/day='dd'/hour='HH",
            DateUnit::Hours,
        ),
        template: "s3://b/p/AWSLogs/aws-account-id=${aws_account}/aws-service=vpcflowlogs/aws-region=${aws_region}/${day}".into(),
        kms_keys: vec![],
        date_column: Some(DAY.into()),
        record_time: None,
        queries: vec![],
        parquet: true,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.sql");
    std::fs::write(&path, t.ddl("db")).unwrap();
    assert_parses(&[path.display().to_string()]);
    let ctx = QueryCtx {
        database: "db".into(),
        org_id: None,
        accounts: vec![],
        regions: vec![],
        since: time::macros::date!(2026 - 01 - 01),
        until: time::macros::date!(2026 - 01 - 02),
        only_accounts: vec!["111111111111".into()],
        parquet_location: None,
        reader: None,
    };
    let p = dir.path().join("p.sql");
    std::fs::write(&p, t.parquet_sql(&ctx).unwrap()).unwrap();
    assert_parses(&[p.display().to_string()]);
}

#[test]
fn objects_at_awss_documented_keys_in_the_emulator_fall_under_a_projected_partition() {
    let moto = Moto::start();
    let seed = moto.seed(&["--regions", "us-east-1,eu-west-1"]);
    let s = |k: &str| seed[k].as_str().unwrap().to_string();
    let (org, archive, wa, wb, vpc) = (
        s("organization_id"),
        s("log_archive"),
        s("workload_a"),
        s("workload_b"),
        s("wb_vpc"),
    );
    // A second flow log of workload B's VPC, custom format, to another bucket (moto takes a
    // destination's key prefix for part of the bucket name: no prefix here).
    moto.python_json(&format!(
        "member('ec2', '{wb}').create_flow_logs(ResourceIds=['{vpc}'], ResourceType='VPC', TrafficType='ACCEPT', LogDestinationType='s3', LogDestination='arn:aws:s3:::lw-access-logs', LogFormat='${{version}} ${{vpc-id}} ${{srcaddr}} ${{dstaddr}} ${{dstport}} ${{bytes}} ${{action}}'); print('{{}}')"
    ));
    // Log files where AWS writes them (CloudTrail, VPC, Route 53 and ELB user guides).
    let objects = [
        ("lw-org-trail-logs", archive.as_str(), format!("AWSLogs/{org}/{wa}/CloudTrail/eu-west-1/2026/11/30/{wa}_CloudTrail_eu-west-1_20261130T0005Z_a1.json.gz")),
        ("lw-org-trail-logs", archive.as_str(), format!("AWSLogs/{org}/{archive}/CloudTrail/us-east-1/2026/12/01/{archive}_CloudTrail_us-east-1_20261201T2355Z_b2.json.gz")),
        ("lw-org-trail-logs", archive.as_str(), format!("AWSLogs/{wb}/vpcflowlogs/us-east-1/2026/11/30/{wb}_vpcflowlogs_us-east-1_fl-1a2b_20261130T0000Z_c3.log.gz")),
        ("lw-access-logs", archive.as_str(), format!("AWSLogs/{wb}/vpcflowlogs/us-east-1/2026/11/30/{wb}_vpcflowlogs_us-east-1_fl-9z_20261130T0000Z_d4.log.gz")),
        ("lw-org-trail-logs", archive.as_str(), format!("AWSLogs/{wb}/vpcdnsquerylogs/{vpc}/2026/11/30/{wb}_vpcdnsquerylogs_{vpc}_20261130T0000Z_e5.log.gz")),
        ("wa-elb-logs", wa.as_str(), format!("AWSLogs/{wa}/elasticloadbalancing/us-east-1/2026/11/30/{wa}_elasticloadbalancing_us-east-1_app.wa-alb.50dc6c495c0c9188_20261130T0005Z_10.0.0.1_f6.log.gz")),
        ("wa-trail-logs", wa.as_str(), format!("AWSLogs/{wa}/CloudTrail/eu-west-1/2026/11/29/{wa}_CloudTrail_eu-west-1_20261129T1200Z_g7.json.gz")),
    ];
    for (bucket, owner, key) in &objects {
        // The emulator enforces the buckets' TLS-only policies on its plain-HTTP endpoint: lift
        // the policy for the write, then put it back.
        moto.python_json(&format!(
            "s3=member('s3', '{owner}')\ntry:\n    p=s3.get_bucket_policy(Bucket='{bucket}')['Policy']\nexcept Exception:\n    p=None\nif p: s3.delete_bucket_policy(Bucket='{bucket}')\ns3.put_object(Bucket='{bucket}', Key='{key}', Body=b'x')\nif p: s3.put_bucket_policy(Bucket='{bucket}', Policy=p)\nprint('{{}}')"
        ));
    }
    let home = tempfile::tempdir().unwrap();
    let inv_path = home.path().join("inventory.json");
    let out = logwarden(
        &[
            "audit",
            "--regions",
            "us-east-1,eu-west-1",
            "--max-attempts",
            "1",
            "--format",
            "json",
            "--allow-unknown",
            "--save-inventory",
            inv_path.to_str().unwrap(),
        ],
        Some(&moto.url),
        home.path(),
    );
    assert!(
        inv_path.exists(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inv: logwarden::sources::Inventory = logwarden::inventory::load(&inv_path).unwrap();
    let ctx = logwarden::query::QueryCtx {
        database: "logwarden".into(),
        org_id: inv.organization.as_ref().map(|o| o.id.clone()),
        accounts: inv.accounts.iter().map(|a| a.account_id.clone()).collect(),
        regions: inv.regions.clone(),
        since: time::macros::date!(2026 - 11 - 29),
        until: time::macros::date!(2026 - 12 - 01),
        only_accounts: vec![],
        parquet_location: None,
        reader: None,
    };
    let found = logwarden::engine::query::<logwarden::sources::Sources>(&inv, &ctx);
    // Every object the emulator holds under the tables' buckets, as S3 lists it.
    for (bucket, owner) in [
        ("lw-org-trail-logs", archive.as_str()),
        ("lw-access-logs", archive.as_str()),
        ("wa-elb-logs", wa.as_str()),
        ("wa-trail-logs", wa.as_str()),
    ] {
        let keys = moto.python_json(&format!(
            "print(json.dumps([o['Key'] for o in member('s3', '{owner}').list_objects_v2(Bucket='{bucket}').get('Contents', []) if o['Key'].split('/')[-1].count('_') >= 3]))"
        ));
        let keys: Vec<&str> = keys
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        for key in &keys {
            let under: Vec<&str> = found
                .tables
                .iter()
                .filter(|t| t.bucket == bucket && t.partition_of(key).is_some())
                .map(|t| t.name.as_str())
                .collect();
            assert_eq!(
                under.len(),
                1,
                "{bucket}/{key} is under {under:?}; tables: {:#?}",
                found
                    .tables
                    .iter()
                    .map(|t| (&t.name, &t.template, &t.partitions))
                    .collect::<Vec<_>>()
            );
        }
    }
    // The ones written above, each under the table of its source.
    let table_of = |bucket: &str, key: &str| {
        found
            .tables
            .iter()
            .find(|t| t.bucket == bucket && t.partition_of(key).is_some())
            .map(|t| t.name.clone())
            .unwrap_or_else(|| panic!("{bucket}/{key} is under no table"))
    };
    let names: Vec<String> = objects.iter().map(|(b, _, k)| table_of(b, k)).collect();
    assert_eq!(
        names,
        [
            format!("cloudtrail_org_trail_{}", s("management")),
            format!("cloudtrail_org_trail_{}", s("management")),
            "vpc_flow_logs_lw_org_trail_logs".to_string(),
            "vpc_flow_logs_lw_access_logs".to_string(),
            "resolver_query_logs_lw_org_trail_logs".to_string(),
            "elb_alb_wa_elb_logs".to_string(),
            format!("cloudtrail_wa_local_trail_{wa}"),
        ]
    );
    // Redshift's audit logs at the key its Management Guide documents ("Bucket structure"): the
    // day's folder holds every log type, so the connection and user activity tables both
    // project it (their queries keep to their type by the file name).
    let key = format!("redshift-audit/AWSLogs/{wb}/redshift/us-east-1/2026/11/30/{wb}_redshift_us-east-1_reports_connectionlog_2026-11-30T10:01.gz");
    let under: Vec<&str> = found
        .tables
        .iter()
        .filter(|t| t.bucket == "wb-access-logs" && t.partition_of(&key).is_some())
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        under,
        [
            "redshift_connectionlog_wb_access_logs_redshift_audit",
            "redshift_useractivitylog_wb_access_logs_redshift_audit"
        ]
    );
    let custom = found
        .tables
        .iter()
        .find(|t| t.name == "vpc_flow_logs_lw_access_logs")
        .unwrap();
    let columns: Vec<&str> = custom.columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        columns,
        ["version", "vpc_id", "srcaddr", "dstaddr", "dstport", "bytes", "action"]
    );
}
