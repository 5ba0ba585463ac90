//! Queries over Redshift clusters' audit logs where they lie: who connected (or failed to),
//! from which address, how they authenticated; and the statements that move data out or change
//! who may read it. In CloudWatch Logs, Logs Insights queries over the clusters' groups; in S3,
//! Athena tables over `<prefix>/AWSLogs/<account>/redshift/<region>/yyyy/MM/dd/`, where the
//! connection, user and user activity logs share each day's folder (told apart by the file
//! name, `..._<cluster>_<type>_<time>.gz`, which every query filters on). Each line is the log
//! file's format: the connection log's fields separated by `|`, the user activity log's
//! `'time [ db=... user=... ]' LOG: statement` (a statement over several lines is read up to its
//! first line break).

use crate::query::{
    day, enumerated, key_prefix, table_name, Contribution, DateUnit, LogGroupRef, Query, QueryCtx,
    Storage, Table, ACCOUNT, DAY, REGION,
};
use crate::sources::{read_for_query, Inventory};
use std::collections::BTreeMap;

/// The connection log's fields (Redshift Management Guide, "Connection log"), the first nine of
/// `|`-separated, space-padded fields; later ones (TLS, application, driver) are not read.
const CONNECTION_REGEX: &str =
    r"([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*).*";

const CONNECTION_COLUMNS: &[&str] = &[
    "event",
    "recordtime",
    "remotehost",
    "remoteport",
    "pid",
    "dbname",
    "username",
    "authmethod",
    "duration",
];

/// The user activity log's first line of each statement.
const ACTIVITY_REGEX: &str =
    r"'([^']*) \[ db=(\S*) user=(\S*) pid=(\S*) userid=(\S*) xid=(\S*) \]' LOG: (.*)";

const ACTIVITY_COLUMNS: &[&str] = &[
    "recordtime",
    "db",
    "username",
    "pid",
    "userid",
    "xid",
    "statement",
];

/// Statements that export data, change users or grants, or share data out (lower case).
const EXPORTING: &str = "regexp_like(lower(statement), '^\\s*(unload|copy|grant|revoke|create user|alter user|drop user|create external|create datashare|alter datashare)')";

#[derive(Default)]
struct Logged {
    accounts: Vec<String>,
    regions: Vec<String>,
    clusters: Vec<String>,
}

fn push(list: &mut Vec<String>, v: &str) {
    if !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}

/// One Athena table per bucket and prefix the clusters write to, for one log type.
fn s3_table(
    ctx: &QueryCtx,
    (bucket, prefix): (&str, &str),
    s: &Logged,
    kind: &str,
    (regex, columns): (&str, &[&str]),
) -> Table {
    let mut t = Table {
        name: table_name(&["redshift", kind, bucket, prefix]),
        source: super::SOURCE.id.into(),
        about: format!(
            "Redshift {kind} of cluster(s) {} (the day's folder holds every log type: queries keep to the {kind} files by their name)",
            s.clusters.join(", ")
        ),
        template: format!(
            "s3://{bucket}/{prefix}AWSLogs/${{{ACCOUNT}}}/redshift/${{{REGION}}}/${{{DAY}}}"
        ),
        prefix: format!("{prefix}AWSLogs/"),
        bucket: bucket.to_string(),
        columns: columns
            .iter()
            .map(|c| (c.to_string(), "string".to_string()))
            .collect(),
        storage: Storage::Regex(regex.into()),
        partitions: vec![
            enumerated(ACCOUNT, s.accounts.clone()),
            enumerated(REGION, s.regions.clone()),
            day("yyyy/MM/dd", DateUnit::Days),
        ],
        kms_keys: vec![],
        date_column: Some(DAY.into()),
        record_time: None,
        queries: vec![],
        parquet: false,
    };
    let from = t.from(ctx);
    let w = format!(
        "{}\n  AND \"$path\" LIKE '%\\_{kind}\\_%' ESCAPE '\\'",
        t.window(ctx)
    );
    t.queries = if kind == "connectionlog" {
        vec![Query {
            name: "connections".into(),
            title: "Who connected to Redshift (or failed to), from which address, as which user".into(),
            sql: format!(
                "SELECT trim(event) AS event, trim(remotehost) AS remotehost, trim(username) AS username, trim(dbname) AS dbname, trim(authmethod) AS authmethod, \"{ACCOUNT}\", \"{REGION}\", count(*) AS events, min(\"{DAY}\") AS first_day, max(\"{DAY}\") AS last_day\nFROM {from}\nWHERE {w}\n  AND event IS NOT NULL\nGROUP BY 1, 2, 3, 4, 5, 6, 7\nORDER BY events DESC\nLIMIT 500;"
            ),
        }]
    } else {
        vec![Query {
            name: "data_exports_and_grants".into(),
            title: "Statements that unload or copy data, change users or grants, or share data out".into(),
            sql: format!(
                "SELECT recordtime, db, username, statement, \"{ACCOUNT}\", \"{REGION}\"\nFROM {from}\nWHERE {w}\n  AND statement IS NOT NULL\n  AND {EXPORTING}\nORDER BY recordtime DESC\nLIMIT 1000;"
            ),
        }]
    };
    t
}

/// The Athena tables over the audit logs clusters write to S3.
fn s3_tables(found: BTreeMap<(String, String), Logged>, ctx: &QueryCtx, out: &mut Contribution) {
    for ((bucket, prefix), mut s) in found {
        s.accounts.sort();
        s.regions.sort();
        s.clusters.sort();
        for (kind, layout) in [
            ("connectionlog", (CONNECTION_REGEX, CONNECTION_COLUMNS)),
            ("useractivitylog", (ACTIVITY_REGEX, ACTIVITY_COLUMNS)),
        ] {
            out.tables
                .push(s3_table(ctx, (&bucket, &prefix), &s, kind, layout));
        }
    }
}

/// Connection events (authenticated, authentication failure, initiating session,
/// disconnecting session) by address, user, database and method.
const CONNECTIONS: &str = "parse @message /^(?<event>[^|]*)\\|(?<recordtime>[^|]*)\\|(?<remotehost>[^|]*)\\|(?<remoteport>[^|]*)\\|(?<pid>[^|]*)\\|(?<dbname>[^|]*)\\|(?<username>[^|]*)\\|(?<authmethod>[^|]*)/\n| stats count(*) as events, min(@timestamp) as first_seen, max(@timestamp) as last_seen by @log, event, remotehost, username, dbname, authmethod\n| sort events desc\n| limit 200";

/// Statements that export data (UNLOAD, COPY to elsewhere), change users or grants, or share
/// data out of the cluster.
const EXPORTS: &str = "parse @message /db=(?<db>\\S+) user=(?<user>\\S+) pid=(?<pid>\\S+) userid=\\S+ xid=\\S+ \\]' LOG: (?<statement>.*)/\n| filter statement like /(?i)^\\s*(unload|copy|grant|revoke|create user|alter user|drop user|create external|create datashare|alter datashare)/\n| fields @timestamp, @log, db, user, statement\n| sort @timestamp desc\n| limit 500";

pub fn query(inv: &Inventory, ctx: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    let mut s3: BTreeMap<(String, String), Logged> = BTreeMap::new();
    let mut connections: Vec<LogGroupRef> = Vec::new();
    let mut activity: Vec<LogGroupRef> = Vec::new();
    for a in &inv.accounts {
        for r in &a.regions {
            let clusters = &r.data.redshift.clusters;
            let at = (a.account_id.as_str(), r.region.as_str());
            let Some(clusters) = read_for_query(&mut out, clusters, at, "the Redshift clusters")
            else {
                continue;
            };
            for c in clusters {
                let Some(l) = c.logging.value().filter(|l| l.enabled) else {
                    continue;
                };
                if !l.to_cloudwatch() {
                    if let Some(b) = &l.bucket {
                        let s = s3
                            .entry((b.clone(), key_prefix(l.prefix.as_deref())))
                            .or_default();
                        push(&mut s.accounts, &a.account_id);
                        push(&mut s.regions, &r.region);
                        push(&mut s.clusters, &c.id);
                    }
                    continue;
                }
                for (kind, list) in [
                    ("connectionlog", &mut connections),
                    ("useractivitylog", &mut activity),
                ] {
                    if l.log_exports.iter().any(|x| x == kind) {
                        list.push(LogGroupRef {
                            account: a.account_id.clone(),
                            region: r.region.clone(),
                            name: super::log_group(&c.id, kind),
                        });
                    }
                }
            }
        }
    }
    s3_tables(s3, ctx, &mut out);
    out.insights_over(
        super::SOURCE.id,
        connections,
        &[(
            "redshift_connections",
            "Who connected to Redshift (or failed to), from which address, as which user",
            CONNECTIONS,
        )],
    );
    out.insights_over(
        super::SOURCE.id,
        activity,
        &[(
            "redshift_data_exports_and_grants",
            "Redshift statements that unload or copy data, change users or grants, or share data out",
            EXPORTS,
        )],
    );
    out
}
