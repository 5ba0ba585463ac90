//! Athena tables over the load balancers' access logs
//! (`AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/MM/dd/`, under the configured prefix):
//! one per bucket, prefix and kind, each read with a regular expression written from the entry
//! format AWS documents for that kind (Application, Classic, Network: TLS listeners only).

use super::model::LoadBalancerKind;
use crate::query::{
    key_prefix, lit, partitions, table_name, Contribution, DateUnit, Query, QueryCtx, Storage,
    Table, ACCOUNT, DAY, REGION,
};
use crate::sources::{read_for_query, Inventory};
use std::collections::BTreeMap;

/// A quoted field.
const Q: &str = r#""([^"]*)""#;

/// Application Load Balancer entries, 34 groups: the fields up to `error_reason` and the
/// target lists, then, where AWS writes them, `classification`, `classification_reason` and the
/// connection trace id. A target of `-` (the request never reached one) leaves its IP and port
/// empty.
pub fn alb_regex() -> String {
    format!(
        r#"([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) (?:([^ ]*):([0-9]*)|-) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) ([-0-9]*) ([-0-9]*) ([-0-9]*) ([-0-9]*) "([^ ]*) (.*) ([^ ]*)" {Q} ([^ ]*) ([^ ]*) ([^ ]*) {Q} {Q} {Q} ([-.0-9]*) ([^ ]*) {Q} {Q} {Q} {Q} {Q}(?: {Q} {Q})?(?: ([^ ]*))?.*"#
    )
}

pub const ALB_COLUMNS: &[(&str, &str)] = &[
    ("type", "string"),
    ("time", "string"),
    ("elb", "string"),
    ("client_ip", "string"),
    ("client_port", "int"),
    ("target_ip", "string"),
    ("target_port", "int"),
    ("request_processing_time", "double"),
    ("target_processing_time", "double"),
    ("response_processing_time", "double"),
    ("elb_status_code", "int"),
    ("target_status_code", "string"),
    ("received_bytes", "bigint"),
    ("sent_bytes", "bigint"),
    ("request_verb", "string"),
    ("request_url", "string"),
    ("request_proto", "string"),
    ("user_agent", "string"),
    ("ssl_cipher", "string"),
    ("ssl_protocol", "string"),
    ("target_group_arn", "string"),
    ("trace_id", "string"),
    ("domain_name", "string"),
    ("chosen_cert_arn", "string"),
    ("matched_rule_priority", "string"),
    ("request_creation_time", "string"),
    ("actions_executed", "string"),
    ("redirect_url", "string"),
    ("error_reason", "string"),
    ("target_port_list", "string"),
    ("target_status_code_list", "string"),
    ("classification", "string"),
    ("classification_reason", "string"),
    ("conn_trace_id", "string"),
];

/// Classic Load Balancer entries, 19 groups.
pub fn clb_regex() -> String {
    format!(
        r#"([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) (?:([^ ]*):([0-9]*)|-) ([-.0-9]*) ([-.0-9]*) ([-.0-9]*) ([-0-9]*) ([-0-9]*) ([-0-9]*) ([-0-9]*) "([^ ]*) (.*) ([^ ]*)" {Q} ([^ ]*) ([^ ]*).*"#
    )
}

pub const CLB_COLUMNS: &[(&str, &str)] = &[
    ("time", "string"),
    ("elb", "string"),
    ("client_ip", "string"),
    ("client_port", "int"),
    ("backend_ip", "string"),
    ("backend_port", "int"),
    ("request_processing_time", "double"),
    ("backend_processing_time", "double"),
    ("response_processing_time", "double"),
    ("elb_status_code", "int"),
    ("backend_status_code", "string"),
    ("received_bytes", "bigint"),
    ("sent_bytes", "bigint"),
    ("request_verb", "string"),
    ("request_url", "string"),
    ("request_proto", "string"),
    ("user_agent", "string"),
    ("ssl_cipher", "string"),
    ("ssl_protocol", "string"),
];

/// Network Load Balancer entries (TLS listeners), 24 groups.
pub const NLB_REGEX: &str = r"([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*):([0-9]*) ([-.0-9]*) ([-.0-9]*) ([-0-9]*) ([-0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*).*";

pub const NLB_COLUMNS: &[(&str, &str)] = &[
    ("type", "string"),
    ("version", "string"),
    ("time", "string"),
    ("elb", "string"),
    ("listener_id", "string"),
    ("client_ip", "string"),
    ("client_port", "int"),
    ("destination_ip", "string"),
    ("destination_port", "int"),
    ("connection_time", "double"),
    ("tls_handshake_time", "double"),
    ("received_bytes", "bigint"),
    ("sent_bytes", "bigint"),
    ("incoming_tls_alert", "string"),
    ("chosen_cert_arn", "string"),
    ("chosen_cert_serial", "string"),
    ("tls_cipher", "string"),
    ("tls_protocol_version", "string"),
    ("tls_named_group", "string"),
    ("domain_name", "string"),
    ("alpn_fe_protocol", "string"),
    ("alpn_be_protocol", "string"),
    ("alpn_client_preference_list", "string"),
    ("tls_connection_creation_time", "string"),
];

/// A kind's short name in table names, its columns and its regular expression.
type Format = (
    &'static str,
    &'static [(&'static str, &'static str)],
    String,
);

/// The format of a kind's entries (a Gateway Load Balancer writes none).
fn format_of(kind: LoadBalancerKind) -> Option<Format> {
    match kind {
        LoadBalancerKind::Application => Some(("alb", ALB_COLUMNS, alb_regex())),
        LoadBalancerKind::Classic => Some(("clb", CLB_COLUMNS, clb_regex())),
        LoadBalancerKind::Network => Some(("nlb", NLB_COLUMNS, NLB_REGEX.to_string())),
        LoadBalancerKind::Gateway => None,
    }
}

pub fn query(inv: &Inventory, ctx: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    // (kind, bucket, prefix) → (accounts, regions, load balancers).
    type Where = (Vec<String>, Vec<String>, Vec<String>);
    let mut found: BTreeMap<(&str, String, String), Where> = BTreeMap::new();
    for a in &inv.accounts {
        for r in &a.regions {
            let lbs = &r.data.elb_access_logs.load_balancers;
            let at = (a.account_id.as_str(), r.region.as_str());
            let Some(lbs) = read_for_query(&mut out, lbs, at, "the load balancers") else {
                continue;
            };
            for lb in lbs {
                let (Some((short, _, _)), Some(bucket)) =
                    (format_of(lb.kind), &lb.access_logs_bucket)
                else {
                    continue;
                };
                let key = (
                    short,
                    bucket.clone(),
                    key_prefix(lb.access_logs_prefix.as_deref()),
                );
                let (accounts, regions, names) = found.entry(key).or_default();
                for (list, v) in [
                    (accounts, &a.account_id),
                    (regions, &r.region),
                    (names, &lb.name),
                ] {
                    if !list.contains(v) {
                        list.push(v.clone());
                    }
                }
            }
        }
    }
    for ((short, bucket, prefix), (mut accounts, mut regions, mut names)) in found {
        accounts.sort();
        regions.sort();
        names.sort();
        let kind = match short {
            "alb" => LoadBalancerKind::Application,
            "clb" => LoadBalancerKind::Classic,
            _ => LoadBalancerKind::Network,
        };
        let Some((_, columns, regex)) = format_of(kind) else {
            continue;
        };
        let mut t = Table {
            name: table_name(&["elb", short, &bucket, &prefix]),
            source: "elb_access_logs".into(),
            about: format!(
                "{} access logs of {} (the folder may hold other kinds' files too: their rows are empty and the queries skip them)",
                match short {
                    "alb" => "Application Load Balancer",
                    "clb" => "Classic Load Balancer",
                    _ => "Network Load Balancer (TLS listeners)",
                },
                if names.len() > 5 {
                    format!("{} and {} more", names[..5].join(", "), names.len() - 5)
                } else {
                    names.join(", ")
                }
            ),
            template: format!(
                "s3://{bucket}/{prefix}AWSLogs/${{{ACCOUNT}}}/elasticloadbalancing/${{{REGION}}}/${{{DAY}}}"
            ),
            prefix: format!("{prefix}AWSLogs/"),
            bucket,
            columns: columns
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            storage: Storage::Regex(regex),
            partitions: partitions(&accounts, &regions, "yyyy/MM/dd", DateUnit::Days),
            kms_keys: vec![],
            date_column: Some(DAY.into()),
            record_time: None,
            queries: vec![],
            parquet: false,
        };
        t.queries = queries(&t, short, ctx);
        out.tables.push(t);
    }
    out
}

fn queries(t: &Table, short: &str, ctx: &QueryCtx) -> Vec<Query> {
    let from = t.from(ctx);
    let w = t.window(ctx);
    let mut q = vec![Query {
        name: "top_clients".into(),
        title: "The client addresses that sent the most requests or connections".into(),
        sql: format!(
            "SELECT client_ip, count(*) AS requests, sum(received_bytes) AS received, sum(sent_bytes) AS sent\nFROM {from}\nWHERE {w}\n  AND client_ip IS NOT NULL\nGROUP BY client_ip\nORDER BY requests DESC\nLIMIT 100;"
        ),
    }];
    if short != "nlb" {
        q.push(Query {
            name: "probing".into(),
            title: "Requests that look like probing: path traversal, well-known secrets, scanners, many 4xx from one address".into(),
            sql: format!(
                "SELECT client_ip, count(*) AS requests, count_if(elb_status_code BETWEEN 400 AND 499) AS client_errors, array_agg(DISTINCT request_url) FILTER (WHERE request_url LIKE '%../%' OR request_url LIKE '%/.env%' OR request_url LIKE '%/.git/%' OR request_url LIKE '%/etc/passwd%') AS suspicious_urls, array_agg(DISTINCT user_agent) AS agents\nFROM {from}\nWHERE {w}\n  AND client_ip IS NOT NULL\nGROUP BY client_ip\nHAVING count_if(elb_status_code BETWEEN 400 AND 499) >= 50\n    OR count_if(request_url LIKE '%../%' OR request_url LIKE '%/.env%' OR request_url LIKE '%/.git/%' OR request_url LIKE '%/etc/passwd%') > 0\n    OR count_if(lower(user_agent) LIKE {}) > 0\nORDER BY requests DESC\nLIMIT 200;",
                lit("%sqlmap%")
            ),
        });
    }
    q
}
