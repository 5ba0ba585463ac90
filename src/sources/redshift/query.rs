//! Logs Insights queries over Redshift clusters' audit logs in CloudWatch Logs: who connected
//! (or failed to), from which address, how they authenticated; and the statements that move
//! data out or change who may read it. Each log event is one line of the log file's format:
//! the connection log's fields separated by `|`, the user activity log's `[ db=... user=... ]`
//! prefix before the statement. Clusters writing to S3 are named in a note (their files are not
//! queried here).

use crate::query::{Contribution, Insights, LogGroupRef, QueryCtx};
use crate::sources::Inventory;

/// Connection events (authenticated, authentication failure, initiating session,
/// disconnecting session) by address, user, database and method.
const CONNECTIONS: &str = "parse @message /^(?<event>[^|]*)\\|(?<recordtime>[^|]*)\\|(?<remotehost>[^|]*)\\|(?<remoteport>[^|]*)\\|(?<pid>[^|]*)\\|(?<dbname>[^|]*)\\|(?<username>[^|]*)\\|(?<authmethod>[^|]*)/\n| stats count(*) as events, min(@timestamp) as first_seen, max(@timestamp) as last_seen by @log, event, remotehost, username, dbname, authmethod\n| sort events desc\n| limit 200";

/// Statements that export data (UNLOAD, COPY to elsewhere), change users or grants, or share
/// data out of the cluster.
const EXPORTS: &str = "parse @message /db=(?<db>\\S+) user=(?<user>\\S+) pid=(?<pid>\\S+) userid=\\S+ xid=\\S+ \\]' LOG: (?<statement>.*)/\n| filter statement like /(?i)^\\s*(unload|copy|grant|revoke|create user|alter user|drop user|create external|create datashare|alter datashare)/\n| fields @timestamp, @log, db, user, statement\n| sort @timestamp desc\n| limit 500";

pub fn query(inv: &Inventory, _: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    let mut connections: Vec<LogGroupRef> = Vec::new();
    let mut activity: Vec<LogGroupRef> = Vec::new();
    for a in &inv.accounts {
        for r in &a.regions {
            let clusters = match r.data.redshift.clusters.as_result() {
                Ok(v) => v,
                Err(e) => {
                    if e.code != "RegionNotEnabled" {
                        out.notes.push(format!(
                            "the Redshift clusters of account {} in {} could not be read ({}: {}): their queries may miss groups",
                            a.account_id, r.region, e.iam_action, e.code
                        ));
                    }
                    continue;
                }
            };
            for c in clusters {
                let Some(l) = c.logging.value().filter(|l| l.enabled) else {
                    continue;
                };
                if !l.to_cloudwatch() {
                    out.notes.push(format!(
                        "Redshift cluster {} (account {}, {}) writes its audit logs to S3 bucket {}: they are not queried here",
                        c.id,
                        a.account_id,
                        r.region,
                        l.bucket.as_deref().unwrap_or("?")
                    ));
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
    for (name, title, query, mut groups) in [
        (
            "redshift_connections",
            "Who connected to Redshift (or failed to), from which address, as which user",
            CONNECTIONS,
            connections,
        ),
        (
            "redshift_data_exports_and_grants",
            "Redshift statements that unload or copy data, change users or grants, or share data out",
            EXPORTS,
            activity,
        ),
    ] {
        if groups.is_empty() {
            continue;
        }
        groups.sort();
        groups.dedup();
        out.insights.push(Insights {
            source: super::SOURCE.id.into(),
            name: name.into(),
            title: title.into(),
            log_groups: groups,
            query: query.into(),
        });
    }
    out
}
