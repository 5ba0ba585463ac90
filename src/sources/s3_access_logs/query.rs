//! Athena tables over S3 server access logs: for targets written in the date-based key format
//! (`PartitionedPrefix`: `<prefix><account>/<region>/<bucket>/yyyy/MM/dd/`), partition projection
//! by source account, region, bucket and day; for the default flat format (`SimplePrefix`, the
//! date only in the file name) a table over the target folder whose queries filter on the
//! records' time, reading the whole folder.

use crate::query::{
    day, enumerated, lit, table_name, Contribution, DateUnit, Query, QueryCtx, Storage, Table,
    ACCOUNT, DAY, REGION,
};
use crate::sources::Inventory;
use std::collections::BTreeMap;

/// The server access log record (S3 User Guide, "Amazon S3 server access log format"), 26
/// groups: quoted fields without their quotes, the fields AWS added later optional.
pub const REGEX: &str = r#"([^ ]*) ([^ ]*) \[([^\]]*)\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (?:"([^"]*)"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (?:"([^"]*)"|-) (?:"([^"]*)"|-) ([^ ]*)(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?(?: ([^ ]*))?.*"#;

pub const COLUMNS: &[(&str, &str)] = &[
    ("bucketowner", "string"),
    ("bucket", "string"),
    ("requestdatetime", "string"),
    ("remoteip", "string"),
    ("requester", "string"),
    ("requestid", "string"),
    ("operation", "string"),
    ("key", "string"),
    ("request_uri", "string"),
    ("httpstatus", "string"),
    ("errorcode", "string"),
    ("bytessent", "bigint"),
    ("objectsize", "bigint"),
    ("totaltime", "string"),
    ("turnaroundtime", "string"),
    ("referrer", "string"),
    ("useragent", "string"),
    ("versionid", "string"),
    ("hostid", "string"),
    ("sigv", "string"),
    ("ciphersuite", "string"),
    ("authtype", "string"),
    ("endpoint", "string"),
    ("tlsversion", "string"),
    ("accesspointarn", "string"),
    ("aclrequired", "string"),
];

/// The partition holding the source bucket's name (`bucket` is a record field).
const SOURCE_BUCKET: &str = "source_bucket";

/// The time of a record, for the flat format.
const RECORD_TIME: &str = "parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z')";

#[derive(Default)]
struct Logged {
    accounts: Vec<String>,
    regions: Vec<String>,
    buckets: Vec<String>,
}

fn push(list: &mut Vec<String>, v: &str) {
    if !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}

pub fn query(inv: &Inventory, ctx: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    // (target bucket, prefix or folder, partitioned) → the source buckets.
    let mut found: BTreeMap<(String, String, bool), Logged> = BTreeMap::new();
    for a in &inv.accounts {
        let Some(buckets) = a.data.s3_access_logs.buckets.value() else {
            if let Some(e) = a.data.s3_access_logs.buckets.error() {
                out.notes.push(format!(
                    "the buckets of account {} could not be listed ({}: {}): their access-log tables may be missing",
                    a.account_id, e.iam_action, e.code
                ));
            }
            continue;
        };
        for b in buckets {
            let Some(Some(target)) = b.logging.value() else {
                continue;
            };
            let partitioned = target.partitioned_by.is_some();
            // The flat format writes `<prefix>YYYY-mm-DD-...`: the table reads the prefix's folder.
            let folder = if partitioned {
                target.target_prefix.clone()
            } else {
                target
                    .target_prefix
                    .rfind('/')
                    .map(|i| target.target_prefix[..=i].to_string())
                    .unwrap_or_default()
            };
            let s = found
                .entry((target.target_bucket.clone(), folder, partitioned))
                .or_default();
            push(&mut s.accounts, &a.account_id);
            if let Some(r) = b.region.value() {
                push(&mut s.regions, r);
            }
            push(&mut s.buckets, &b.name);
        }
    }
    for ((bucket, folder, partitioned), mut s) in found {
        s.accounts.sort();
        s.regions.sort();
        s.buckets.sort();
        let shown = if s.buckets.len() > 5 {
            format!(
                "{} and {} more",
                s.buckets[..5].join(", "),
                s.buckets.len() - 5
            )
        } else {
            s.buckets.join(", ")
        };
        let mut t = Table {
            name: table_name(&["s3_access_logs", &bucket, &folder]),
            source: "s3_access_logs".into(),
            about: if partitioned {
                format!("S3 server access logs of {shown} (date-based key format)")
            } else {
                format!("S3 server access logs of {shown} (flat key format: every query reads the whole folder; switch the buckets' logging to the date-based key format to query by day)")
            },
            template: format!(
                "s3://{bucket}/{folder}${{{ACCOUNT}}}/${{{REGION}}}/${{{SOURCE_BUCKET}}}/${{{DAY}}}"
            ),
            prefix: folder,
            bucket,
            columns: COLUMNS
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            storage: Storage::Regex(REGEX.into()),
            partitions: if partitioned {
                vec![
                    enumerated(ACCOUNT, s.accounts),
                    enumerated(REGION, s.regions),
                    enumerated(SOURCE_BUCKET, s.buckets),
                    day("yyyy/MM/dd", DateUnit::Days),
                ]
            } else {
                vec![]
            },
            kms_keys: vec![],
            date_column: partitioned.then(|| DAY.into()),
            record_time: (!partitioned).then(|| RECORD_TIME.into()),
            queries: vec![],
            parquet: false,
        };
        let from = t.from(ctx);
        let w = t.window(ctx);
        t.queries = vec![
            Query {
                name: "deletes_and_permission_changes".into(),
                title: "Deletions and changes to bucket policies, ACLs, lifecycle and logging".into(),
                sql: format!(
                    "SELECT requestdatetime, bucket, requester, remoteip, operation, key, httpstatus, errorcode, useragent\nFROM {from}\nWHERE {w}\n  AND (operation LIKE 'REST.DELETE.%' OR operation IN ({}))\nORDER BY requestdatetime DESC\nLIMIT 1000;",
                    ["REST.PUT.BUCKETPOLICY", "REST.PUT.ACL", "REST.PUT.LIFECYCLE", "REST.PUT.LOGGING_STATUS", "REST.PUT.BUCKETVERSIONING", "REST.PUT.PUBLIC_ACCESS_BLOCK"]
                        .iter()
                        .map(|o| lit(o))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            },
            Query {
                name: "top_readers".into(),
                title: "Who read the most objects and bytes, by bucket".into(),
                sql: format!(
                    "SELECT bucket, requester, remoteip, count(*) AS objects, sum(bytessent) AS bytes\nFROM {from}\nWHERE {w}\n  AND operation = 'REST.GET.OBJECT'\nGROUP BY bucket, requester, remoteip\nORDER BY bytes DESC\nLIMIT 100;"
                ),
            },
        ];
        out.tables.push(t);
    }
    out
}
