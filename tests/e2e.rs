//! End to end: the real binary against moto's server with a seeded organization of four
//! accounts in two regions. Asserts the exact findings.

mod support;

use logwarden::finding::Status;
use logwarden::report::Report;
use std::collections::BTreeMap;
use support::{golden, logwarden, Moto};

const REGIONS: &str = "us-east-1,eu-west-1";

struct Names(BTreeMap<String, String>);

impl Names {
    fn from_seed(seed: &serde_json::Value) -> Names {
        let mut m = BTreeMap::new();
        for (k, label) in [
            ("management", "MGMT"),
            ("log_archive", "ARCHIVE"),
            ("workload_a", "WA"),
            ("workload_b", "WB"),
        ] {
            m.insert(seed[k].as_str().unwrap().to_string(), label.to_string());
        }
        for k in [
            "org_key", "wa_key", "alb", "nlb", "wa_vpc", "wb_vpc", "tgw_a", "tgw_b", "zone_m",
            "zone_b", "cf_m", "cf_a", "cf_b", "rest_api", "http_api",
        ] {
            m.insert(seed[k].as_str().unwrap().to_string(), format!("<{k}>"));
        }
        Names(m)
    }
    fn norm(&self, s: &str) -> String {
        let mut s = s.to_string();
        // Longest first: ARNs before the account ids inside them.
        let mut keys: Vec<&String> = self.0.keys().collect();
        keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
        for k in keys {
            s = s.replace(k.as_str(), &self.0[k]);
        }
        if s.starts_with("vpc-") {
            s = "<default-vpc>".into();
        }
        uuids_hidden(&s)
    }
}

/// `s` with every UUID (moto's web ACL ids, random per run) replaced by `<uuid>`.
fn uuids_hidden(s: &str) -> String {
    let shape = |w: &[u8]| {
        w.len() == 36
            && w.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    let (b, mut out, mut i) = (s.as_bytes(), String::new(), 0);
    while i < b.len() {
        if i + 36 <= b.len() && shape(&b[i..i + 36]) {
            out.push_str("<uuid>");
            i += 36;
        } else {
            let c = s[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

fn lines(report: &Report, names: &Names) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!(
            "{} {} {} {} {}\n",
            f.check_id,
            f.status.as_str(),
            names.norm(f.account_id.as_deref().unwrap_or("-")),
            f.region.as_deref().unwrap_or("-"),
            names.norm(&f.resource),
        ));
    }
    out
}

/// The JSON report of an audit of `regions` (no retries).
fn audit_json(moto: &Moto, home: &std::path::Path, regions: &str) -> Report {
    let out = logwarden(
        &[
            "audit",
            "--regions",
            regions,
            "--format",
            "json",
            "--max-attempts",
            "1",
        ],
        Some(&moto.url),
        home,
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn message<'a>(r: &'a Report, check: &str, resource_part: &str) -> (&'a Status, &'a str) {
    let f = r
        .findings
        .iter()
        .find(|f| f.check_id == check && f.resource.contains(resource_part))
        .unwrap_or_else(|| panic!("no {check} finding for {resource_part}"));
    (&f.status, f.message.as_str())
}

#[test]
fn organization_audit_end_to_end() {
    let moto = Moto::start();
    let seed = moto.seed(&["--regions", REGIONS]);
    let names = Names::from_seed(&seed);
    let home = tempfile::tempdir().unwrap();
    let inv_path = home.path().join("inventory.json");
    let inv = inv_path.to_str().unwrap();

    // 1. The recommended baseline, JSON on stdout, inventory saved.
    let out = logwarden(
        &[
            "audit",
            "--regions",
            REGIONS,
            "--format",
            "json",
            "--max-attempts",
            "1",
            "--save-inventory",
            inv,
            "-vv",
        ],
        Some(&moto.url),
        home.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `logwarden permissions audit` lists exactly what the audit of a whole organization calls.
    let called = support::called_actions(&out.stderr);
    let granted = support::granted_actions("audit");
    let ungranted: Vec<_> = called.difference(&granted).collect();
    assert!(
        ungranted.is_empty(),
        "called but not granted: {ungranted:?}"
    );
    // Reads this organization does not need: a policy's public status (asked only of a policy
    // that allows a principal it does not name, where no full public access block decides it).
    // A CloudTrail Lake store's description (the emulated organization has no store); Security
    // Lake's sources (read only in an account holding a data lake: the emulator has none).
    let conditional = [
        "s3:GetBucketPolicyStatus",
        "cloudtrail:GetEventDataStore",
        "securitylake:ListLogSources",
    ];
    let uncalled: Vec<_> = granted
        .difference(&called)
        .filter(|a| !conditional.contains(&a.as_str()))
        .collect();
    assert!(
        uncalled.is_empty(),
        "granted but never called: {uncalled:?}"
    );
    for a in conditional {
        assert!(granted.contains(a), "{a} is no longer called anywhere");
    }
    let report: Report =
        serde_json::from_slice(&out.stdout).expect("report matches the documented schema");
    assert_eq!(report.schema_version, 1);
    assert_eq!(
        report.scope.organization_id.as_deref(),
        seed["organization_id"].as_str()
    );
    assert_eq!(report.scope.accounts.len(), 4);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    golden("e2e_recommended.txt", &lines(&report, &names));

    // The same organization read as two shards (two CI jobs, each saving its inventory),
    // judged together: the same findings as one run.
    let mut shard_files = Vec::new();
    let mut read = 0;
    for k in 1..=2 {
        let p = home.path().join(format!("shard-{k}.json"));
        let out = logwarden(
            &[
                "audit",
                "--regions",
                REGIONS,
                "--format",
                "json",
                "--max-attempts",
                "1",
                "--shard",
                &format!("{k}/2"),
                "--save-inventory",
                p.to_str().unwrap(),
            ],
            Some(&moto.url),
            home.path(),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&format!("shard {k}/2: ")), "{stderr}");
        let part: logwarden::sources::Inventory = logwarden::inventory::load(&p).unwrap();
        assert!(part.accounts.len() < 4, "shard {k} read every account");
        read += part.accounts.len();
        shard_files.push(p.display().to_string());
    }
    assert_eq!(read, 4);
    let out = logwarden(
        &[
            "audit",
            "--format",
            "json",
            "--from-inventory",
            &shard_files[0],
            "--from-inventory",
            &shard_files[1],
        ],
        None,
        home.path(),
    );
    let merged: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(merged.scope.accounts.len(), 4);
    assert_eq!(lines(&merged, &names), lines(&report, &names));

    // The traps, by message.
    // Log-group retention: workload A's Lambda group kept a week and its firewall's flow group
    // kept 90 days (known by the firewall's destination, not by its name) fail beside the one
    // kept 400 days and its trail's group (never expires); workload B's EKS group never
    // expires: passes.
    let (st, msg) = message(
        &report,
        "cloudwatch_logs.retention",
        &format!("{}:us-east-1", seed["workload_a"].as_str().unwrap()),
    );
    assert_eq!(st, &Status::Fail, "{msg}");
    assert!(
        msg.starts_with("2 of 4 log group(s) holding logs are not kept the baseline's 365 days: /aws/lambda/orders (7 days; Lambda), /nfw/wa-flow (90 days; Network Firewall wa-egress (FLOW))"),
        "{msg}"
    );
    let (st, msg) = message(
        &report,
        "cloudwatch_logs.retention",
        &format!("{}:us-east-1", seed["workload_b"].as_str().unwrap()),
    );
    assert_eq!(st, &Status::Pass, "{msg}");
    assert!(msg.contains("never expire"), "{msg}");
    // EKS: workload B's prod cluster sends only the API server's log; workload A's analytics
    // sends the three the baseline asks.
    let (st, msg) = message(&report, "eks.control_plane_logging", "prod");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        "EKS cluster prod sends api but not audit, authenticator (to log group /aws/eks/prod/cluster (never expires))"
    );
    // RDS: workload B's orders-db exports its log to a group kept 400 days; workload A's
    // legacy-db exports nothing; its Aurora cluster ledger exports two of three types (its
    // member ledger-1 is judged as the cluster, never on its own).
    let (st, msg) = message(&report, "rds.instance_log_exports", ":db:orders-db");
    assert_eq!(st, &Status::Pass, "{msg}");
    assert_eq!(
        msg,
        "RDS DB instance orders-db (postgres) exports postgresql to log groups under /aws/rds/instance/orders-db/ (postgresql kept 400 days)"
    );
    let (st, msg) = message(&report, "rds.instance_log_exports", ":db:legacy-db");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        "RDS DB instance legacy-db (mysql) exports no logs to CloudWatch Logs: audit, error, slowquery not exported"
    );
    assert!(!report
        .findings
        .iter()
        .any(|f| f.check_id.starts_with("rds.") && f.resource.ends_with(":db:ledger-1")));
    let (st, msg) = message(&report, "rds.cluster_log_exports", ":cluster:ledger");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        "RDS DB cluster ledger (aurora-mysql) exports audit, error but not slowquery (to log groups under /aws/rds/cluster/ledger/)"
    );
    // Step Functions: workload A's export workflow logs nothing; workload B's orders workflow logs
    // its errors (moto's DescribeStateMachine answers the logging configuration it was given).
    let (st, msg) = message(&report, "step_functions.logging", ":stateMachine:export");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert!(
        msg.contains("Standard state machine export logs nothing (level OFF)"),
        "{msg}"
    );
    let (st, msg) = message(&report, "step_functions.logging", ":stateMachine:orders");
    assert_eq!(st, &Status::Pass, "{msg}");
    assert_eq!(
        msg,
        "Standard state machine orders logs at ERROR to log group /aws/vendedlogs/states/orders-Logs (without execution data)"
    );
    // Redshift: workload A's warehouse writes no audit logs; workload B's reports writes them to
    // S3, but its default parameter group does not log the queries run (moto answers every
    // group's parameters at their defaults).
    let (st, msg) = message(&report, "redshift.audit_logging", ":cluster:warehouse");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        "Redshift cluster warehouse writes no audit logs (audit logging is off)"
    );
    let (st, msg) = message(&report, "redshift.audit_logging", ":cluster:reports");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        "Redshift cluster reports writes audit logs to S3 bucket wb-access-logs (prefix redshift-audit/), but its parameter group default.redshift-1.0 leaves enable_user_activity_logging off, so the queries run are not logged"
    );
    // API Gateway: the REST API orders logs its prod stage, not its dev stage; the HTTP API
    // portal's $default stage logs nothing.
    let rest_api = seed["rest_api"].as_str().unwrap();
    let (st, msg) = message(&report, "api_gateway.rest_access_logging", "/stages/prod");
    assert_eq!(st, &Status::Pass, "{msg}");
    assert_eq!(
        msg,
        format!("REST API orders ({rest_api}) stage prod writes access logs to log group /aws/apigateway/access-logs/{rest_api}/prod; execution logging ERROR")
    );
    let (st, msg) = message(&report, "api_gateway.rest_access_logging", "/stages/dev");
    assert_eq!(st, &Status::Fail, "{msg}");
    // Execution logging (FSBP APIGateway.1): prod logs at ERROR, dev not at all.
    let (st, msg) = message(
        &report,
        "api_gateway.rest_execution_logging",
        "/stages/prod",
    );
    assert_eq!(st, &Status::Pass, "{msg}");
    assert_eq!(
        msg,
        format!("REST API orders ({rest_api}) stage prod logs executions at ERROR")
    );
    let (st, msg) = message(&report, "api_gateway.rest_execution_logging", "/stages/dev");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        format!("REST API orders ({rest_api}) stage dev logs no executions (level OFF)")
    );
    let (st, msg) = message(&report, "api_gateway.v2_access_logging", "/stages/$default");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        format!(
            "HTTP API portal ({}) stage $default writes no access logs",
            seed["http_api"].as_str().unwrap()
        )
    );
    // OpenSearch: search publishes its error log, not its audit log; quiet (no fine-grained
    // access control, so no audit log asked) publishes nothing.
    let (st, msg) = message(&report, "opensearch.logging", ":domain/search");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        "OpenSearch domain search publishes error but not audit"
    );
    let (st, msg) = message(&report, "opensearch.logging", ":domain/quiet");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        "OpenSearch domain quiet publishes none of error (no audit log asked: fine-grained access control is off, and only it can write one)"
    );
    // WAF: the portal logs everything; workload A's API keeps only BLOCK; workload B's
    // CloudFront ACL logs nothing.
    let (st, msg) = message(&report, "waf.logging", "/webacl/portal/");
    assert_eq!(st, &Status::Pass, "{msg}");
    assert!(
        msg.starts_with("web ACL portal (REGIONAL) logs to log group arn:aws:logs:us-east-1:")
            && msg.ends_with(":log-group:aws-waf-logs-portal"),
        "{msg}"
    );
    let (st, msg) = message(&report, "waf.logging", "/webacl/wa-api/");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert!(
        msg.contains("but its filter leaves out ALLOW requests (ALLOW, COUNT, CAPTCHA, CHALLENGE requests are not logged)"),
        "{msg}"
    );
    let (st, msg) = message(&report, "waf.logging", "/webacl/wb-edge/");
    assert_eq!(
        (st, msg),
        (&Status::Fail, "web ACL wb-edge (CLOUDFRONT) logs nothing")
    );
    // CloudFront: the portal logs by legacy logging, workload A's API by a v2 delivery,
    // workload B's shop nowhere.
    let cf = |k: &str| seed[k].as_str().unwrap().to_string();
    let (st, msg) = message(
        &report,
        "cloudfront.logging",
        &format!("distribution/{}", cf("cf_m")),
    );
    assert_eq!(st, &Status::Pass, "{msg}");
    assert!(
        msg.ends_with("logs by standard logging (legacy) to lw-org-trail-logs/cf"),
        "{msg}"
    );
    let (st, msg) = message(
        &report,
        "cloudfront.logging",
        &format!("distribution/{}", cf("cf_a")),
    );
    assert_eq!(st, &Status::Pass, "{msg}");
    assert!(
        msg.ends_with("logs by standard logging v2 to S3 arn:aws:s3:::lw-org-trail-logs"),
        "{msg}"
    );
    let (st, msg) = message(
        &report,
        "cloudfront.logging",
        &format!("distribution/{}", cf("cf_b")),
    );
    assert_eq!(st, &Status::Fail, "{msg}");
    assert!(
        msg.ends_with(".cloudfront.net) writes no access logs"),
        "{msg}"
    );
    // Route 53: the management account's public zone logs to its group; workload B's logs
    // nothing; workload A's private zone is not judged here.
    let zone_m = seed["zone_m"].as_str().unwrap();
    let (st, msg) = message(
        &report,
        "route53.query_logging",
        &format!("hostedzone/{zone_m}"),
    );
    assert_eq!(
        (st, msg),
        (
            &Status::Pass,
            format!("public hosted zone example.com. ({zone_m}) logs DNS queries to log group /aws/route53/example.com (kept 400 days)").as_str()
        )
    );
    let zone_b = seed["zone_b"].as_str().unwrap();
    let (st, msg) = message(
        &report,
        "route53.query_logging",
        &format!("hostedzone/{zone_b}"),
    );
    assert_eq!(
        (st, msg),
        (
            &Status::Fail,
            format!("public hosted zone shop.example. ({zone_b}) logs no DNS queries").as_str()
        )
    );
    assert!(
        !report.findings.iter().any(
            |f| f.check_id == "route53.query_logging" && f.message.contains("internal.example")
        ),
        "a private zone is Resolver query logs' part"
    );
    // Network Firewall: workload A's egress firewall sends ALERT and FLOW; workload B's only ALERT.
    let (st, msg) = message(&report, "network_firewall.logging", "firewall/wa-egress");
    assert_eq!(
        (st, msg),
        (
            &Status::Pass,
            "Network Firewall firewall wa-egress sends ALERT to S3 bucket lw-org-trail-logs/nfw, FLOW to log group /nfw/wa-flow"
        )
    );
    let (st, msg) = message(&report, "network_firewall.logging", "firewall/wb-egress");
    assert_eq!(
        (st, msg),
        (
            &Status::Fail,
            "Network Firewall firewall wb-egress sends ALERT to S3 bucket lw-org-trail-logs but not FLOW"
        )
    );
    // Transit gateways: workload A's hub logs to the organization bucket; workload B's does not.
    let tgw_a = seed["tgw_a"].as_str().unwrap();
    let (st, msg) = message(&report, "transit_gateway.flow_logs", tgw_a);
    assert_eq!(st, &Status::Pass, "{msg}");
    assert!(
        msg.starts_with("flow log fl-")
            && msg.ends_with(&format!(
                " logs transit gateway {tgw_a} to arn:aws:s3:::lw-org-trail-logs"
            )),
        "{msg}"
    );
    let tgw_b = seed["tgw_b"].as_str().unwrap();
    let (st, msg) = message(&report, "transit_gateway.flow_logs", tgw_b);
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(msg, format!("transit gateway {tgw_b} has no flow log"));
    // Lambda: workload A's reports function has never run: no group; orders writes to its
    // group kept a week (the retention check fails that group, this one passes).
    let (st, msg) = message(&report, "lambda.log_group", ":function:reports");
    assert_eq!(st, &Status::Fail, "{msg}");
    assert_eq!(
        msg,
        "function reports has no log group /aws/lambda/reports: it has never run, or its execution role cannot create the group and its logs are dropped"
    );
    let (st, msg) = message(&report, "lambda.log_group", ":function:orders");
    assert_eq!(st, &Status::Pass, "{msg}");
    assert_eq!(
        msg,
        "function orders logs to log group /aws/lambda/orders (kept 7 days; Text)"
    );
    let (st, msg) = message(&report, "eks.control_plane_logging", "analytics");
    assert_eq!(st, &Status::Pass, "{msg}");
    assert_eq!(
        msg,
        "EKS cluster analytics sends api, audit, authenticator to log group /aws/eks/analytics/cluster"
    );
    let (st, msg) = message(
        &report,
        "cloudtrail.coverage",
        &format!("{}:eu-west-1", seed["workload_b"].as_str().unwrap()),
    );
    assert_eq!((st, msg), (&Status::Pass, "read and write management events recorded by trail 'org-trail' (organization, multi-region)"));
    let (st, msg) = message(&report, "cloudtrail.logging", "wb-stopped");
    assert_eq!(
        (st, msg),
        (&Status::Fail, "trail 'wb-stopped' is not logging")
    );
    let (_, msg) = message(
        &report,
        "cloudtrail.duplicate_management_events",
        &format!("{}:us-east-1", seed["workload_a"].as_str().unwrap()),
    );
    assert!(msg.starts_with("2 trails record management events here: 'org-trail' (organization, multi-region), 'wa-local-trail' (multi-region)"), "{msg}");
    // The selector excludes workload B's bucket: workload B fails, the others are not blamed.
    let (st, msg) = message(
        &report,
        "cloudtrail.s3_data_events",
        seed["workload_b"].as_str().unwrap(),
    );
    assert_eq!((st, msg), (&Status::Fail, "S3 object-level events not recorded: read events on bucket wb-data, write events on bucket wb-data"));
    let (st, _) = message(
        &report,
        "cloudtrail.s3_data_events",
        seed["workload_a"].as_str().unwrap(),
    );
    assert_eq!(st, &Status::Pass);
    let (st, _) = message(&report, "elb.access_logs", "wa-nlb");
    assert_eq!(st, &Status::NotApplicable);
    let (st, msg) = message(&report, "vpc.flow_logs", seed["wa_vpc"].as_str().unwrap());
    assert_eq!(st, &Status::Fail);
    assert!(
        msg.ends_with("flow logs capture REJECT traffic, the baseline wants ALL"),
        "{msg}"
    );
    // Workload A's trail bucket is public through its ACL (read with GetBucketAcl and
    // GetBucketOwnershipControls, since no public access block ignores public ACLs).
    let (st, msg) = message(&report, "trail_bucket.public_access", "wa-trail-logs");
    assert_eq!(
        (st, msg),
        (
            &Status::Fail,
            "the ACL of wa-trail-logs makes it public: it grants READ to AllUsers"
        )
    );
    // DNS query logging, read through Route 53 Resolver: workload B's VPC is logged to the
    // organization bucket, workload A's is not.
    let (st, msg) = message(
        &report,
        "route53_resolver.query_logs",
        seed["wb_vpc"].as_str().unwrap(),
    );
    assert_eq!(
        (st, msg.to_string()),
        (
            &Status::Pass,
            format!(
                "DNS queries of VPC {} are logged by configuration {} to S3 bucket arn:aws:s3:::lw-org-trail-logs",
                seed["wb_vpc"].as_str().unwrap(),
                seed["wb_dns"].as_str().unwrap()
            )
        )
    );
    let (st, msg) = message(
        &report,
        "route53_resolver.query_logs",
        seed["wa_vpc"].as_str().unwrap(),
    );
    assert_eq!(st, &Status::Fail);
    assert!(msg.ends_with("has no DNS query logging"), "{msg}");
    // GuardDuty, read per account and region: enabled with S3 protection in the management
    // account, without it in workload A, suspended in workload B, absent from workload A's
    // second region; the log archive account administers it in the first region only.
    let gd_check = |check: &str, acct: &str, region: &str| {
        let (st, msg) = message(
            &report,
            check,
            &format!("{}:{region}", seed[acct].as_str().unwrap()),
        );
        (*st, msg.to_string())
    };
    let gd = |acct: &str, region: &str| gd_check("guardduty.enabled", acct, region);
    let (st, msg) = gd("management", "us-east-1");
    assert_eq!(st, Status::Pass, "{msg}");
    assert!(
        msg.starts_with("GuardDuty detector ") && msg.contains(" is enabled since 20"),
        "{msg}"
    );
    // Enabled without S3 protection: GuardDuty is on, its protection plans fall short.
    let (st, msg) = gd("workload_a", "us-east-1");
    assert_eq!(st, Status::Pass, "{msg}");
    let (st, msg) = gd_check("guardduty.protection_plans", "workload_a", "us-east-1");
    assert_eq!(st, Status::Fail);
    assert!(
        msg.ends_with("lacks protection plans the baseline names: S3_DATA_EVENTS"),
        "{msg}"
    );
    let (st, msg) = gd_check("guardduty.protection_plans", "management", "us-east-1");
    assert_eq!(st, Status::Pass, "{msg}");
    assert!(msg.ends_with("runs S3_DATA_EVENTS"), "{msg}");
    assert_eq!(
        gd("workload_a", "eu-west-1"),
        (
            Status::Fail,
            "GuardDuty is not enabled (no detector)".into()
        )
    );
    let (st, msg) = gd("workload_b", "us-east-1");
    assert_eq!(st, Status::Fail);
    assert!(
        msg.ends_with("is DISABLED (suspended: no findings)"),
        "{msg}"
    );
    let mut admin: Vec<(String, Status, String)> = report
        .findings
        .iter()
        .filter(|f| f.check_id == "guardduty.delegated_admin")
        .map(|f| {
            (
                f.region.clone().unwrap_or_default(),
                f.status,
                f.message.clone(),
            )
        })
        .collect();
    admin.sort_by(|a, b| b.0.cmp(&a.0));
    assert_eq!(
        admin,
        vec![
            (
                "us-east-1".into(),
                Status::Pass,
                format!(
                    "account {} administers GuardDuty for the organization in us-east-1",
                    seed["log_archive"].as_str().unwrap()
                )
            ),
            (
                "eu-west-1".into(),
                Status::Fail,
                "no delegated GuardDuty administrator in eu-west-1".into()
            ),
        ]
    );
    // Security Hub: on in the management account, in the log archive's first region only.
    let sh = |acct: &str, region: &str| {
        let (st, msg) = message(
            &report,
            "securityhub.enabled",
            &format!("{}:{region}", seed[acct].as_str().unwrap()),
        );
        (*st, msg.to_string())
    };
    let (st, msg) = sh("management", "eu-west-1");
    assert_eq!(st, Status::Pass, "{msg}");
    assert!(msg.starts_with("Security Hub is enabled since 20"), "{msg}");
    assert_eq!(sh("log_archive", "us-east-1").0, Status::Pass);
    assert_eq!(
        sh("log_archive", "eu-west-1"),
        (Status::Fail, "Security Hub is not enabled".into())
    );
    assert_eq!(
        sh("workload_b", "us-east-1"),
        (Status::Fail, "Security Hub is not enabled".into())
    );
    // Service and resource control policies, read in the management account: the log archive is
    // protected (a break-glass role exempt), its lw-* buckets by the RCP on the root; workload A
    // only from losing its trails, and its own log buckets (not lw-*) are left open; workload B
    // not at all.
    let scp = |acct: &str| {
        let id = seed[acct].as_str().unwrap();
        let f = report
            .findings
            .iter()
            .find(|f| f.check_id == "scp.protects_logging" && f.resource == id)
            .unwrap_or_else(|| panic!("no scp finding for {acct}"));
        (f.status, f.message.clone())
    };
    let (st, msg) = scp("log_archive");
    assert_eq!(st, Status::Pass, "{msg}");
    assert!(
        msg.starts_with(&format!(
            "SCP 'protect-logging' (on {}) denies cloudtrail:StopLogging, cloudtrail:DeleteTrail, cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors, cloudtrail:PutInsightSelectors, config:StopConfigurationRecorder, config:DeleteConfigurationRecorder, config:DeleteDeliveryChannel, ec2:DeleteFlowLogs, route53resolver:DisassociateResolverQueryLogConfig, route53resolver:DeleteResolverQueryLogConfig, guardduty:DeleteDetector, guardduty:DisassociateFromAdministratorAccount, guardduty:UpdateDetector, securityhub:DisableSecurityHub, organizations:LeaveOrganization (except aws:PrincipalArn arn:aws:iam::*:role/BreakGlass); RCP 'protect-log-storage' (on r-",
            seed["log_archive"].as_str().unwrap()
        )),
        "{msg}"
    );
    assert!(
        msg.contains(") denies s3:DeleteBucket, s3:PutBucketPolicy, s3:DeleteBucketPolicy, s3:PutLifecycleConfiguration, s3:PutBucketLogging, s3:DeleteObjectVersion (except aws:PrincipalArn arn:aws:iam::*:role/BreakGlass)"),
        "{msg}"
    );
    let (st, msg) = scp("workload_a");
    assert_eq!(st, Status::Fail, "{msg}");
    assert!(msg.starts_with("no policy in force denies cloudtrail:UpdateTrail, cloudtrail:PutEventSelectors, cloudtrail:PutInsightSelectors, config:StopConfigurationRecorder,"), "{msg}");
    assert!(msg.contains("(in force: SCP FullAWSAccess, SCP protect-trails, RCP RCPFullAWSAccess, RCP protect-log-storage)"), "{msg}");
    assert!(
        msg.contains("s3:DeleteBucket, s3:PutBucketPolicy, s3:DeleteBucketPolicy, s3:PutLifecycleConfiguration, s3:PutBucketLogging: RCP 'protect-log-storage' (on r-"),
        "{msg}"
    );
    assert!(
        msg.contains(
            "denies it on arn:aws:s3:::wa-trail-logs: only on resources arn:aws:s3:::lw-*"
        ),
        "{msg}"
    );
    // Its trail's key is covered by the RCP's Deny on every key.
    assert!(!msg.contains("kms:"), "{msg}");
    let (st, msg) = scp("workload_b");
    assert_eq!(st, Status::Fail);
    assert!(
        msg.starts_with("no policy in force denies cloudtrail:StopLogging"),
        "{msg}"
    );
    assert_eq!(scp("management").0, Status::NotApplicable);

    // Detective controls, organization-first: the alarms on the organization trail's log group
    // in the management account cover every member (CloudWatch alarms read through the
    // launcher's CBOR translation); an alarm on an unsubscribed topic does not count, in the
    // organization or locally; an EventBridge rule alone does.
    let watch = |check: &str, acct: &str| {
        let id = seed[acct].as_str().unwrap();
        let f = report
            .findings
            .iter()
            .find(|f| f.check_id == check && f.resource == id)
            .unwrap_or_else(|| panic!("no {check} finding for {acct}"));
        (f.status, f.message.clone(), f.breakdown.clone())
    };
    for acct in ["management", "log_archive", "workload_a", "workload_b"] {
        for check in [
            "monitoring.cloudtrail_changes",
            "monitoring.root_account_usage",
            "monitoring.cmk_disable_or_deletion",
        ] {
            let (st, msg, _) = watch(check, acct);
            assert_eq!(st, Status::Pass, "{check} {acct}: {msg}");
            assert!(
                msg.contains("on org-trail")
                    && msg.contains("SNS topic secops (1 confirmed subscription)"),
                "{msg}"
            );
        }
        let (st, msg, _) = watch("monitoring.iam_policy_changes", acct);
        assert_eq!(st, Status::Fail, "{msg}");
        assert!(
            msg.contains("SNS topic nobody-listens has no subscription"),
            "{msg}"
        );
        let (st, msg, _) = watch("monitoring.vpc_changes", acct);
        assert_eq!(
            st,
            if acct == "workload_b" {
                Status::Pass
            } else {
                Status::Fail
            },
            "{acct}: {msg}"
        );
    }
    let (_, msg, _) = watch("monitoring.vpc_changes", "workload_b");
    assert!(msg.contains("EventBridge rule 'vpc-changes'"), "{msg}");
    let (st, msg, _) = watch("monitoring.security_group_changes", "workload_a");
    assert_eq!(st, Status::Fail, "{msg}");
    assert!(
        msg.contains("SNS topic wa-alarms has no subscription"),
        "{msg}"
    );
    // Tampering: stopping the trail is noticed everywhere, deleting flow logs nowhere.
    let (st, msg, parts) = watch("monitoring.tampering_noticed", "workload_a");
    assert_eq!(st, Status::Fail, "{msg}");
    let part = |item: &str| {
        parts
            .iter()
            .find(|p| p.item == item)
            .unwrap_or_else(|| panic!("{item}: {parts:#?}"))
            .status
    };
    assert_eq!(part("cloudtrail:StopLogging"), Status::Pass);
    assert_eq!(part("kms:ScheduleKeyDeletion"), Status::Pass);
    assert_eq!(part("ec2:DeleteFlowLogs"), Status::Fail);
    let (st, _) = message(&report, "s3.access_logging", "lw-access-logs");
    assert_eq!(st, &Status::NotApplicable);
    let (st, msg) = message(&report, "trail_bucket.lifecycle", "lw-org-trail-logs");
    assert_eq!((st, msg), (&Status::Pass, "logs in lw-org-trail-logs expire after 2555 days and move through the baseline's tiers"));

    // Coverage matrix: the organization trail covers everyone; workload B has no Config.
    let cell = |acct: &str, region: &str, source: &str| {
        report
            .coverage
            .iter()
            .find(|c| c.account_id == acct && c.region == region && c.source == source)
            .map(|c| serde_json::to_value(c.state).unwrap())
            .unwrap()
    };
    let wb = seed["workload_b"].as_str().unwrap();
    let wa = seed["workload_a"].as_str().unwrap();
    assert_eq!(cell(wb, "eu-west-1", "cloudtrail"), "covered");
    assert_eq!(cell(wb, "us-east-1", "config"), "missing");
    assert_eq!(cell(wa, "us-east-1", "elb_access_logs"), "partial");
    assert_eq!(cell(wa, "eu-west-1", "guardduty"), "missing");
    assert_eq!(
        cell(
            seed["management"].as_str().unwrap(),
            "eu-west-1",
            "guardduty"
        ),
        "covered"
    );

    // A region that does not exist is a usage error naming it.
    let out = logwarden(
        &[
            "audit",
            "--regions",
            "us-east-1,xx-fake-9",
            "--format",
            "json",
        ],
        Some(&moto.url),
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("region `xx-fake-9` does not exist in partition aws"),
        "{err}"
    );

    // Narrowed to eu-west-1: the organization aggregator made in us-east-1 is still found
    // (the management account's regions left out are read for it), and the report names them.
    let narrowed = audit_json(&moto, home.path(), "eu-west-1");
    assert!(narrowed
        .scope
        .regions_left_out
        .iter()
        .any(|r| r == "us-east-1"));
    assert!(!narrowed
        .scope
        .regions_left_out
        .iter()
        .any(|r| r == "eu-west-1"));
    let (st, msg) = message(&narrowed, "config.aggregator", "");
    assert_eq!(
        (st, msg),
        (
            &Status::Pass,
            "organization aggregator 'org' in account 123456789012 (us-east-1), all regions"
        )
    );

    // 2. The same inventory re-judged offline: CIS v3 and a profile that expects MFA delete.
    // Judge the saved inventory offline against a profile (bundled name, or YAML written here).
    let judge = |profile: &str| -> (Option<i32>, Report) {
        let baseline = if profile.starts_with("version:") {
            let path = home.path().join(format!("profile-{}.yaml", profile.len()));
            std::fs::write(&path, profile).unwrap();
            path.display().to_string()
        } else {
            profile.to_string()
        };
        let out = logwarden(
            &[
                "audit",
                "--from-inventory",
                inv,
                "--baseline",
                &baseline,
                "--format",
                "json",
            ],
            None,
            home.path(),
        );
        (
            out.status.code(),
            serde_json::from_slice(&out.stdout).unwrap(),
        )
    };
    let (code, cis) = judge("cis-aws-v3");
    assert_eq!(code, Some(1));
    golden("e2e_cis.txt", &lines(&cis, &names));
    let (_, mfa) = judge("version: 1\nname: mfa\ntrail_bucket:\n  mfa_delete: true\n");
    assert_eq!(
        message(&mfa, "trail_bucket.mfa_delete", "lw-org-trail-logs").0,
        &Status::Pass
    );
    assert_eq!(
        message(&mfa, "trail_bucket.mfa_delete", "wa-trail-logs").0,
        &Status::Fail
    );
    let (_, worm) = judge(
        "version: 1\nname: worm\nconfig: {delivery_channel: false}\ntrail_bucket:\n  object_lock: {mode: GOVERNANCE, days: 30}\n",
    );
    assert_eq!(
        message(&worm, "trail_bucket.object_lock", "wb-stopped-trail-logs"),
        (
            &Status::Pass,
            "wb-stopped-trail-logs retains objects GOVERNANCE for 30 days"
        )
    );
    assert_eq!(
        message(&worm, "trail_bucket.object_lock", "lw-org-trail-logs"),
        (
            &Status::Fail,
            "Object Lock is not enabled on lw-org-trail-logs"
        )
    );

    // 3. Drift: the organization trail stops, the budget and the aggregator are deleted.
    moto.python_call(&format!(
        "c('cloudtrail').stop_logging(Name='org-trail')\nc('budgets').delete_budget(AccountId='{}', BudgetName='logging')\nc('config').delete_configuration_aggregator(ConfigurationAggregatorName='org')",
        seed["management"].as_str().unwrap()
    ));
    let out = logwarden(
        &[
            "audit",
            "--regions",
            REGIONS,
            "--format",
            "table",
            "--max-attempts",
            "1",
        ],
        Some(&moto.url),
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.starts_with(&format!(
            "logwarden audit of organization {}",
            seed["organization_id"].as_str().unwrap()
        )),
        "{table}"
    );
    assert!(table.contains("CRITICAL ("), "{table}");
    let summary = table.lines().last().unwrap();
    assert!(
        summary.ends_with("unknown across 4 accounts and 2 regions"),
        "{summary}"
    );
    let drift = audit_json(&moto, home.path(), REGIONS);
    assert_eq!(summary, drift.summary_line());
    let (st, msg) = message(&drift, "cloudtrail.coverage", &format!("{wb}:us-east-1"));
    assert_eq!(st, &Status::Fail);
    assert_eq!(msg, "no trail records all read and write management events: trail 'org-trail' (organization, multi-region) is not logging");
    assert_eq!(
        message(&drift, "budgets.logging_cost", "").1,
        "no cost budget covers CloudTrail"
    );
    assert_eq!(
        message(&drift, "config.aggregator", "").1,
        // moto lists more enabled regions than the two audited: the management account's
        // others are read for an aggregator too.
        "no organization-wide Config aggregator in any audited account, nor in the management account's regions left out by --regions"
    );
    // Workload A is still covered by its own multi-region trail.
    assert_eq!(
        message(&drift, "cloudtrail.coverage", &format!("{wa}:eu-west-1")).0,
        &Status::Pass
    );

    // --fail-on: critical failures (a stopped trail) still fail the gate; --output writes the file.
    let out_file = home.path().join("report.json");
    let out = logwarden(
        &[
            "audit",
            "--from-inventory",
            inv,
            "--fail-on",
            "critical",
            "--output",
            out_file.to_str().unwrap(),
        ],
        None,
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let written: Report =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(written.findings, report.findings);
}

#[test]
fn unusable_input_exits_2_with_a_clear_message() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "version: 1\nname: bad\ncloudtrail:\n  insights: [api_call_rate, sometimes]\n",
    )
    .unwrap();
    let out = logwarden(
        &[
            "audit",
            "--baseline",
            bad.to_str().unwrap(),
            "--from-inventory",
            "x.json",
        ],
        None,
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:4:", bad.display())), "{err}");
    assert!(err.contains("sometimes"), "{err}");
    assert!(err.contains("hint:"), "{err}");

    let out = logwarden(
        &["audit", "--regions", "us-east-1", "--format", "json"],
        None,
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: no usable AWS credentials: sts:GetCallerIdentity"),
        "{err}"
    );
    assert!(err.contains("hint: configure credentials"), "{err}");

    let out = logwarden(&["audit", "--regions", "useast1"], None, home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`useast1` is not a region name"));

    let out = logwarden(
        &["audit", "--from-inventory", bad.to_str().unwrap()],
        None,
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a logwarden inventory"));
}

#[test]
fn an_explicit_profile_wins_over_credentials_in_the_environment() {
    let moto = Moto::start();
    let seed = moto.seed(&["--regions", "us-east-1"]);
    let (mgmt, wa) = (
        seed["management"].as_str().unwrap(),
        seed["workload_a"].as_str().unwrap(),
    );
    // Workload A's role credentials in the environment; the management account's keys in a
    // named profile: an explicit --profile must win, as in the AWS CLI.
    let creds = moto.python_json(&format!(
        "cr=c('sts').assume_role(RoleArn='arn:aws:iam::{wa}:role/OrganizationAccountAccessRole', RoleSessionName='profile-test')['Credentials']\nprint(json.dumps({{'k': cr['AccessKeyId'], 's': cr['SecretAccessKey'], 't': cr['SessionToken']}}))"
    ));
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("credentials");
    std::fs::write(
        &file,
        "[admin]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n",
    )
    .unwrap();
    let run = |profile: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_logwarden"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("AWS_CONFIG_FILE", home.path().join("no-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", &file)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ACCESS_KEY_ID", creds["k"].as_str().unwrap())
            .env("AWS_SECRET_ACCESS_KEY", creds["s"].as_str().unwrap())
            .env("AWS_SESSION_TOKEN", creds["t"].as_str().unwrap())
            .env("AWS_REGION", "us-east-1")
            .args([
                "audit",
                "--regions",
                "us-east-1",
                "--format",
                "json",
                "--max-attempts",
                "1",
            ])
            .args(["--endpoint-url", &moto.url]);
        if let Some(p) = profile {
            cmd.args(["--profile", p]);
        }
        cmd.output().unwrap()
    };
    let out = run(Some("admin"));
    let report: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report.scope.caller_account_id, mgmt);
    // Without --profile, the environment's credentials are the caller's.
    let out = run(None);
    let err = String::from_utf8_lossy(&out.stderr);
    let caller = serde_json::from_slice::<Report>(&out.stdout)
        .map(|r| r.scope.caller_account_id)
        .unwrap_or_default();
    assert_ne!(caller, mgmt, "{err}");
}
