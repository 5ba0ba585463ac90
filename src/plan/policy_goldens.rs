//! Every IAM document logwarden writes, kept as a golden file per policy in
//! `tests/golden/policies/` (`UPDATE_GOLDEN=1` rewrites them): bucket and key policies, role trust
//! and permission policies, from plans of an organization with every source asked for. The
//! files are what `tests/policy_lint.rs` lints with parliament.

use crate::plan::testutil::*;
use crate::rules::testutil::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The profiles whose plans together write every kind of policy.
const PROFILES: &[(&str, &str)] = &[
    (
        "archive",
        "log_archive: {kms_key: create}\ncloudtrail: {cloudwatch_logs: true}\nconfig: {organization_aggregator: true}\nvpc_flow_logs: {destination: log_archive}\nresolver_query_logs: {}\nelb_access_logs: {alb: true, clb: true}\ns3_access_logs: {}\nnetwork_firewall_logging: {}\nroute53_query_logging: {}\ncloudfront_logging: {}\n",
    ),
    (
        "cloudwatch",
        "vpc_flow_logs: {destination: cloudwatch_logs}\n",
    ),
];

/// The policy documents inside a plan's operations: objects with a `Statement`, and lists of
/// statements merged into an existing policy, named by change address, operation and field.
fn documents(plan: &crate::sources::Plan, prefix: &str, out: &mut BTreeMap<String, Value>) {
    fn walk(v: &Value, name: String, out: &mut BTreeMap<String, Value>) {
        match v {
            Value::Object(m) if m.contains_key("Statement") => {
                out.insert(name, v.clone());
            }
            Value::Object(m) => {
                for (k, x) in m {
                    walk(x, format!("{name}.{k}"), out);
                }
            }
            Value::Array(a) if !a.is_empty() && a.iter().all(|s| s.get("Effect").is_some()) => {
                out.insert(name, json!({"Version": "2012-10-17", "Statement": a}));
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{name}.{i}"), out);
                }
            }
            _ => {}
        }
    }
    for c in &plan.changes {
        for op in &c.ops {
            let v = serde_json::to_value(op).unwrap();
            let tag = v
                .get("op")
                .and_then(Value::as_str)
                .unwrap_or("op")
                .to_string();
            walk(&v, format!("{prefix}.{}.{tag}", c.address), out);
        }
    }
}

fn file_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.push_str(".json");
    s
}

#[test]
fn every_policy_logwarden_writes_matches_its_golden_file() {
    let mut inv = managed_org();
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
    // A member with a VPC and a load balancer that log nowhere yet.
    let r = &mut acct(&mut inv, MEMBER).regions[0].data;
    r.vpc_flow_logs.vpcs = ok(vec![crate::sources::vpc_flow_logs::model::Vpc {
        id: "vpc-1".into(),
        is_default: false,
        tags: Default::default(),
        owner_id: None,
    }]);
    r.elb_access_logs.load_balancers =
        ok(vec![crate::sources::elb_access_logs::model::LoadBalancer {
            id: format!("arn:aws:elasticloadbalancing:{R1}:{MEMBER}:loadbalancer/app/web/1"),
            name: "web".into(),
            kind: crate::sources::elb_access_logs::model::LoadBalancerKind::Application,
            access_logs_enabled: ok(false),
            access_logs_bucket: None,
            access_logs_prefix: None,
        }]);
    // A public hosted zone that logs no queries.
    acct(&mut inv, MEMBER).data.route53_public_zones.zones = ok(vec![
        crate::sources::route53_public_zones::model::HostedZone {
            id: "Z0EXAMPLE".into(),
            name: "example.com.".into(),
        },
    ]);
    let mut docs = BTreeMap::new();
    for (name, extra) in PROFILES {
        let p = crate::plan::testutil::plan(&profile(extra), "t.yaml", &inv, NOW).unwrap();
        let mut these = BTreeMap::new();
        documents(&p, name, &mut these);
        // A document another profile already wrote is kept once.
        for (n, d) in these {
            if !docs.values().any(|x| x == &d) {
                docs.insert(n, d);
            }
        }
    }
    // What must be there: the archive bucket and key, every role's trust and permissions.
    let names: Vec<&String> = docs.keys().collect();
    for needle in [
        "create_key",
        "merge_bucket_policy",
        "trust_policy",
        "inline_policy",
        "flow_logs.",
        "elb-logs",
        "logwarden-cloudtrail-cloudwatch-logs",
        "put_query_logging_policy",
    ] {
        assert!(
            names.iter().any(|n| n.contains(needle)),
            "no {needle} in {names:?}"
        );
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/policies");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    if update {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut want = Vec::new();
    for (name, doc) in &docs {
        let file = file_name(name);
        let text = serde_json::to_string_pretty(doc).unwrap() + "\n";
        if update {
            std::fs::write(dir.join(&file), &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(dir.join(&file)).unwrap_or_default();
        pretty_assertions::assert_eq!(on_disk, text, "{file} (UPDATE_GOLDEN=1 rewrites it)");
        want.push(file);
    }
    let mut have: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    have.sort();
    want.sort();
    assert_eq!(
        have, want,
        "stale golden policies (UPDATE_GOLDEN=1 rewrites the folder)"
    );
}
