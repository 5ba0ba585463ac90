//! Athena tables over the Resolver query logs delivered to S3
//! (`AWSLogs/<account>/vpcdnsquerylogs/<vpc-id>/yyyy/MM/dd/`, one JSON record per line, under the
//! configuration's prefix) and Logs Insights queries over those delivered to CloudWatch Logs.

use crate::query::{
    day, enumerated, key_prefix, lit, table_name, Contribution, DateUnit, LogGroupRef, Query,
    QueryCtx, Storage, Table, ACCOUNT, DAY,
};
use crate::sources::Inventory;
use std::collections::BTreeMap;

/// The query log record (Route 53 Developer Guide, "Values that appear in Resolver query logs").
const COLUMNS: &[(&str, &str)] = &[
    ("version", "string"),
    ("account_id", "string"),
    ("region", "string"),
    ("vpc_id", "string"),
    ("query_timestamp", "string"),
    ("query_name", "string"),
    ("query_type", "string"),
    ("query_class", "string"),
    ("rcode", "string"),
    (
        "answers",
        "array<struct<rdata:string,type:string,class:string>>",
    ),
    ("srcaddr", "string"),
    ("srcport", "int"),
    ("transport", "string"),
    ("srcids", "struct<instance:string,resolver_endpoint:string>"),
    ("firewall_rule_action", "string"),
    ("firewall_rule_group_id", "string"),
    ("firewall_domain_list_id", "string"),
];

/// The partition holding the VPC id.
const VPC: &str = "vpc";

pub fn query(inv: &Inventory, ctx: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    // (bucket, prefix) → (accounts, VPCs); log groups → where.
    let mut s3: BTreeMap<(String, String), (Vec<String>, Vec<String>)> = BTreeMap::new();
    let mut groups: Vec<LogGroupRef> = Vec::new();
    for a in &inv.accounts {
        for r in &a.regions {
            let d = &r.data.resolver_query_logs;
            let (Some(configs), Some(assocs)) = (d.configs.value(), d.associations.value()) else {
                if let Some(e) = d.configs.error().or(d.associations.error()) {
                    if e.code != "RegionNotEnabled" {
                        out.notes.push(format!(
                            "the Resolver query logging of account {} in {} could not be read ({}: {}): its tables may be missing",
                            a.account_id, r.region, e.iam_action, e.code
                        ));
                    }
                }
                continue;
            };
            for c in configs {
                let vpcs: Vec<&str> = assocs
                    .iter()
                    .filter(|x| x.config_id == c.id)
                    .map(|x| x.resource_id.as_str())
                    .collect();
                if let Some(rest) = c.destination_arn.split_once(":s3:::").map(|x| x.1) {
                    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                    let (accounts, all) = s3
                        .entry((bucket.to_string(), key_prefix(Some(prefix))))
                        .or_default();
                    // The folder is the VPC's account; the owner's, for a shared configuration.
                    for acct in [&a.account_id, &c.owner_id] {
                        if !accounts.contains(acct) {
                            accounts.push(acct.clone());
                        }
                    }
                    for v in vpcs {
                        if !all.iter().any(|x| x == v) {
                            all.push(v.to_string());
                        }
                    }
                } else if let Some((_, name)) = c.destination_arn.split_once(":log-group:") {
                    groups.push(LogGroupRef {
                        account: crate::arn::account_of(&c.destination_arn)
                            .unwrap_or(&c.owner_id)
                            .to_string(),
                        region: r.region.clone(),
                        name: name.trim_end_matches(":*").to_string(),
                    });
                }
            }
        }
    }
    for ((bucket, prefix), (mut accounts, mut vpcs)) in s3 {
        if vpcs.is_empty() {
            continue;
        }
        accounts.sort();
        vpcs.sort();
        let mut t = Table {
            name: table_name(&["resolver_query_logs", &bucket, &prefix]),
            source: "resolver_query_logs".into(),
            about: format!("Route 53 Resolver query logs of {} VPC(s)", vpcs.len()),
            template: format!(
                "s3://{bucket}/{prefix}AWSLogs/${{{ACCOUNT}}}/vpcdnsquerylogs/${{{VPC}}}/${{{DAY}}}"
            ),
            prefix: format!("{prefix}AWSLogs/"),
            bucket,
            columns: COLUMNS
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            storage: Storage::JsonLines,
            partitions: vec![
                enumerated(ACCOUNT, accounts),
                enumerated(VPC, vpcs),
                day("yyyy/MM/dd", DateUnit::Days),
            ],
            kms_keys: vec![],
            date_column: Some(DAY.into()),
            record_time: None,
            queries: vec![],
            parquet: false,
        };
        let from = t.from(ctx);
        let w = t.window(ctx);
        t.queries = vec![
            Query {
                name: "rare_domains".into(),
                title: "Rarely queried domains (queried by at most 3 sources in the window), by VPC".into(),
                sql: format!(
                    "SELECT \"{VPC}\", regexp_extract(query_name, '([^.]+\\.[^.]+)\\.$', 1) AS domain, count(*) AS queries, count(DISTINCT srcaddr) AS sources, min(query_timestamp) AS first_seen\nFROM {from}\nWHERE {w}\nGROUP BY 1, 2\nHAVING count(DISTINCT srcaddr) <= 3\nORDER BY queries ASC\nLIMIT 200;"
                ),
            },
            Query {
                name: "firewall_blocks".into(),
                title: "Queries the DNS Firewall blocked or alerted on".into(),
                sql: format!(
                    "SELECT query_timestamp, \"{VPC}\", srcaddr, srcids.instance AS instance, query_name, query_type, firewall_rule_action\nFROM {from}\nWHERE {w}\n  AND firewall_rule_action IN ({}, {})\nORDER BY query_timestamp DESC\nLIMIT 1000;",
                    lit("BLOCK"),
                    lit("ALERT")
                ),
            },
        ];
        out.tables.push(t);
    }
    out.insights_over(
        super::SOURCE.id,
        groups,
        &[(
            "resolver_rare_domains",
            "Rarely queried domains by VPC",
            "stats count(*) as queries, count_distinct(srcaddr) as sources by vpc_id, query_name\n| filter sources <= 3\n| sort queries asc\n| limit 200",
        )],
    );
    out
}
