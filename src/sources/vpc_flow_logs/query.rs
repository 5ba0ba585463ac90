//! Athena tables over the flow logs delivered to S3 (one per bucket, prefix and layout, the
//! flow log's own record format as columns in its order, plain text or Parquet, Hive-compatible
//! and per-hour prefixes as set), and Logs Insights queries over those delivered to CloudWatch
//! Logs.

use super::model::{DestinationType, FlowLog};
use crate::query::{
    key_prefix, lit, partitions, table_name, Contribution, DateUnit, Insights, LogGroupRef, Query,
    QueryCtx, Storage, Table, ACCOUNT, DAY, REGION,
};
use crate::sources::{read_for_query, Inventory};
use std::collections::BTreeMap;

/// AWS's default record format (version 2).
pub const DEFAULT_FORMAT: &str = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

/// A flow log field's column: its name with underscores, and its type as AWS documents the
/// field (integers for ports, protocol, flags and path; 64-bit for counts and times; text for
/// the rest, including fields a newer format adds).
pub fn column(field: &str) -> (String, String) {
    let t = match field {
        "version" | "srcport" | "dstport" | "protocol" | "tcp-flags" | "traffic-path" => "int",
        "packets" | "bytes" | "start" | "end" => "bigint",
        _ => "string",
    };
    (field.replace('-', "_"), t.to_string())
}

/// The fields of a record format, in order (`${a} ${b}` → `a`, `b`).
pub fn fields(format: &str) -> Vec<String> {
    format
        .split_whitespace()
        .filter_map(|f| f.strip_prefix("${")?.strip_suffix('}'))
        .map(String::from)
        .collect()
}

/// One S3 layout several flow logs may share.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Layout {
    bucket: String,
    prefix: String,
    format: String,
    parquet: bool,
    hive: bool,
    per_hour: bool,
}

fn layout(fl: &FlowLog) -> Option<Layout> {
    let dest = fl.destination.as_deref()?;
    let rest = dest.split_once(":s3:::")?.1;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    Some(Layout {
        bucket: bucket.to_string(),
        prefix: key_prefix(Some(prefix)),
        format: fl
            .log_format
            .clone()
            .unwrap_or_else(|| DEFAULT_FORMAT.to_string()),
        parquet: fl.file_format.as_deref() == Some("parquet"),
        hive: fl.hive_compatible,
        per_hour: fl.per_hour,
    })
}

pub fn query(inv: &Inventory, ctx: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    let mut s3: BTreeMap<Layout, (Vec<String>, Vec<String>)> = BTreeMap::new();
    let mut cwl: BTreeMap<String, Vec<LogGroupRef>> = BTreeMap::new();
    for a in &inv.accounts {
        for r in &a.regions {
            let list = &r.data.vpc_flow_logs.flow_logs;
            let at = (a.account_id.as_str(), r.region.as_str());
            let Some(list) = read_for_query(&mut out, list, at, "the flow logs") else {
                continue;
            };
            for fl in list {
                match fl.destination_type {
                    Some(DestinationType::S3) => {
                        let Some(l) = layout(fl) else { continue };
                        let (accounts, regions) = s3.entry(l).or_default();
                        if !accounts.contains(&a.account_id) {
                            accounts.push(a.account_id.clone());
                        }
                        if !regions.contains(&r.region) {
                            regions.push(r.region.clone());
                        }
                    }
                    Some(DestinationType::CloudWatchLogs) => {
                        let Some(name) = fl
                            .destination
                            .as_deref()
                            .and_then(|d| d.split_once(":log-group:"))
                            .map(|(_, n)| n.trim_end_matches(":*").to_string())
                        else {
                            continue;
                        };
                        let format = fl
                            .log_format
                            .clone()
                            .unwrap_or_else(|| DEFAULT_FORMAT.into());
                        let groups = cwl.entry(format).or_default();
                        let g = LogGroupRef {
                            account: a.account_id.clone(),
                            region: r.region.clone(),
                            name,
                        };
                        if !groups.contains(&g) {
                            groups.push(g);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for (l, (mut accounts, mut regions)) in s3 {
        accounts.sort();
        regions.sort();
        let base = table_name(&["vpc_flow_logs", &l.bucket, &l.prefix]);
        let n = names.entry(base.clone()).or_default();
        *n += 1;
        let name = if *n == 1 { base } else { format!("{base}_{n}") };
        out.tables.push(table(name, &l, &accounts, &regions, ctx));
    }
    for (i, (format, mut groups)) in cwl.into_iter().enumerate() {
        groups.sort();
        let has = |f: &str| fields(&format).iter().any(|x| x == f);
        if has("action") && has("srcaddr") && has("dstport") {
            out.insights.push(Insights {
                source: "vpc_flow_logs".into(),
                name: format!("flow_logs_rejected_{}", i + 1),
                title: "Rejected flows by source and destination port".into(),
                log_groups: groups.clone(),
                query: "fields @timestamp, srcAddr, dstAddr, dstPort, action\n| filter action = \"REJECT\"\n| stats count(*) as flows by srcAddr, dstPort\n| sort flows desc\n| limit 100".into(),
            });
        }
        if has("bytes") && has("srcaddr") && has("dstaddr") {
            out.insights.push(Insights {
                source: "vpc_flow_logs".into(),
                name: format!("flow_logs_top_talkers_{}", i + 1),
                title: "Top talkers by bytes".into(),
                log_groups: groups,
                query: "stats sum(bytes) as total_bytes by srcAddr, dstAddr\n| sort total_bytes desc\n| limit 50".into(),
            });
        }
    }
    out
}

fn table(
    name: String,
    l: &Layout,
    accounts: &[String],
    regions: &[String],
    ctx: &QueryCtx,
) -> Table {
    let (date_format, unit) = match (l.hive, l.per_hour) {
        (false, false) => ("yyyy/MM/dd", DateUnit::Days),
        (false, true) => ("yyyy/MM/dd/HH", DateUnit::Hours),
        (true, false) => ("'year='yyyy'/month='MM'/day='dd", DateUnit::Days),
        (true, true) => ("'year='yyyy'/month='MM'/day='dd'/hour='HH", DateUnit::Hours),
    };
    let folder = if l.hive {
        format!("AWSLogs/aws-account-id=${{{ACCOUNT}}}/aws-service=vpcflowlogs/aws-region=${{{REGION}}}/${{{DAY}}}")
    } else {
        format!("AWSLogs/${{{ACCOUNT}}}/vpcflowlogs/${{{REGION}}}/${{{DAY}}}")
    };
    let columns: Vec<(String, String)> = fields(&l.format).iter().map(|f| column(f)).collect();
    let mut t = Table {
        name,
        source: "vpc_flow_logs".into(),
        about: format!(
            "VPC flow logs ({}{}{}) of {} account(s)",
            if l.parquet { "Parquet" } else { "text" },
            if l.hive {
                ", Hive-compatible prefixes"
            } else {
                ""
            },
            if l.per_hour { ", hourly folders" } else { "" },
            accounts.len()
        ),
        bucket: l.bucket.clone(),
        prefix: format!("{}AWSLogs/", l.prefix),
        columns,
        storage: if l.parquet {
            Storage::Parquet
        } else {
            Storage::SpaceDelimited
        },
        partitions: partitions(accounts, regions, date_format, unit),
        template: format!("s3://{}/{}{folder}", l.bucket, l.prefix),
        kms_keys: vec![],
        date_column: Some(DAY.into()),
        record_time: None,
        queries: vec![],
        parquet: !l.parquet,
    };
    let has = |c: &str| t.columns.iter().any(|(n, _)| n == c);
    let window = t.window(ctx);
    let from = t.from(ctx);
    if has("srcaddr") && has("dstaddr") && has("bytes") {
        t.queries.push(Query {
            name: "top_talkers".into(),
            title: "Top talkers: the address pairs that moved the most bytes".into(),
            sql: format!(
                "SELECT srcaddr, dstaddr, sum(bytes) AS total_bytes, sum(packets) AS total_packets, count(*) AS flows\nFROM {from}\nWHERE {window}\nGROUP BY srcaddr, dstaddr\nORDER BY total_bytes DESC\nLIMIT 50;"
            )
            .replace("sum(packets) AS total_packets, ", if has("packets") { "sum(packets) AS total_packets, " } else { "" }),
        });
    }
    if has("action") && has("srcaddr") && has("dstport") {
        t.queries.push(Query {
            name: "rejected_traffic".into(),
            title: "Rejected traffic by source address and destination port".into(),
            sql: format!(
                "SELECT srcaddr, dstport, count(*) AS flows\nFROM {from}\nWHERE {window}\n  AND action = {}\nGROUP BY srcaddr, dstport\nORDER BY flows DESC\nLIMIT 100;",
                lit("REJECT")
            ),
        });
    }
    t
}
