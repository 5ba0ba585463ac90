//! The `rds_logs` section: which log types each database engine exports to CloudWatch Logs.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An engine family: the engines whose log types are the same (`oracle-ee` and `oracle-se2`
/// are both `oracle`; `aurora` and `aurora-mysql` are both `aurora-mysql`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Postgres,
    AuroraPostgresql,
    Mysql,
    Mariadb,
    AuroraMysql,
    Oracle,
    Sqlserver,
    Db2,
    /// Amazon DocumentDB clusters (listed by the same RDS API).
    Docdb,
    /// Amazon Neptune clusters (listed by the same RDS API).
    Neptune,
}

impl Family {
    /// The family of an RDS engine name; `None` for an engine logwarden does not know.
    pub fn of(engine: &str) -> Option<Family> {
        let e = engine.to_ascii_lowercase();
        let e = e.strip_prefix("custom-").unwrap_or(&e);
        Some(match e {
            "postgres" => Family::Postgres,
            "aurora-postgresql" => Family::AuroraPostgresql,
            "mysql" => Family::Mysql,
            "mariadb" => Family::Mariadb,
            "aurora" | "aurora-mysql" => Family::AuroraMysql,
            "docdb" => Family::Docdb,
            "neptune" => Family::Neptune,
            _ if e.starts_with("oracle") => Family::Oracle,
            _ if e.starts_with("sqlserver") => Family::Sqlserver,
            _ if e.starts_with("db2") => Family::Db2,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Postgres => "postgres",
            Family::AuroraPostgresql => "aurora-postgresql",
            Family::Mysql => "mysql",
            Family::Mariadb => "mariadb",
            Family::AuroraMysql => "aurora-mysql",
            Family::Oracle => "oracle",
            Family::Sqlserver => "sqlserver",
            Family::Db2 => "db2",
            Family::Docdb => "docdb",
            Family::Neptune => "neptune",
        }
    }

    /// What turning the export on may need beyond the export itself (for the manual step).
    pub fn prerequisite(self) -> &'static str {
        match self {
            Family::Mysql | Family::Mariadb => "the audit log needs the MARIADB_AUDIT_PLUGIN option in the option group; general and slowquery need general_log / slow_query_log = 1 and log_output = FILE in the parameter group",
            Family::AuroraMysql => "the audit log needs server_audit_logging = 1 (and server_audit_events) in the cluster parameter group; general and slowquery need general_log / slow_query_log = 1 and log_output = FILE",
            Family::Postgres | Family::AuroraPostgresql => "what the postgresql log holds is chosen by log_statement, log_connections or pgaudit in the parameter group",
            Family::Oracle => "the audit log holds what the database's audit policy records",
            Family::Sqlserver => "the export needs no other setting",
            Family::Db2 => "the export needs no other setting",
            Family::Docdb => "the audit log needs audit_logs = enabled in the cluster parameter group; profiler needs profiler = enabled",
            Family::Neptune => "the audit log needs neptune_enable_audit_log = 1 in the cluster parameter group",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RdsLogsBaseline {
    /// The log types each engine family exports to CloudWatch Logs (AWS's names). Databases of
    /// a family not listed are not judged. Default: postgres and aurora-postgresql
    /// `postgresql`; mysql, mariadb and aurora-mysql `audit, error, slowquery`; oracle `alert,
    /// audit, listener`; sqlserver `agent, error`; db2 `diag.log, notify.log`; docdb and neptune
    /// `audit`.
    #[serde(default = "default_engines")]
    pub engines: BTreeMap<Family, Vec<String>>,
}

fn default_engines() -> BTreeMap<Family, Vec<String>> {
    let v = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    BTreeMap::from([
        (Family::Postgres, v(&["postgresql"])),
        (Family::AuroraPostgresql, v(&["postgresql"])),
        (Family::Mysql, v(&["audit", "error", "slowquery"])),
        (Family::Mariadb, v(&["audit", "error", "slowquery"])),
        (Family::AuroraMysql, v(&["audit", "error", "slowquery"])),
        (Family::Oracle, v(&["alert", "audit", "listener"])),
        (Family::Sqlserver, v(&["agent", "error"])),
        (Family::Db2, v(&["diag.log", "notify.log"])),
        (Family::Docdb, v(&["audit"])),
        (Family::Neptune, v(&["audit"])),
    ])
}

impl Default for RdsLogsBaseline {
    fn default() -> Self {
        RdsLogsBaseline {
            engines: default_engines(),
        }
    }
}

impl RdsLogsBaseline {
    /// The types the profile asks of an engine (`None`: its family is not judged).
    pub fn wanted(&self, engine: &str) -> Option<&[String]> {
        Family::of(engine)
            .and_then(|f| self.engines.get(&f))
            .map(Vec::as_slice)
    }

    /// The wanted types a database exporting `exported` lacks, in the profile's order.
    pub fn missing(&self, engine: &str, exported: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.wanted(engine).unwrap_or_default() {
            if !exported.contains(t) && !out.contains(t) {
                out.push(t.clone());
            }
        }
        out
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let Some(r) = &b.rds_logs else {
        return Ok(());
    };
    if r.engines.is_empty() {
        return Err(Issue::at(
            &["rds_logs", "engines"],
            "`engines` is empty: the section would ask nothing of any database",
            "name at least one engine family with its log types (e.g. `postgres: [postgresql]`), or remove the `rds_logs` section",
        ));
    }
    for (family, types) in &r.engines {
        if types.is_empty() {
            return Err(Issue::at(
                &["rds_logs", "engines", family.as_str()],
                format!("no log type is named for {}", family.as_str()),
                "name the types it must export (AWS's names, e.g. [audit, error]), or leave the family out so its databases are not judged",
            ));
        }
    }
    Ok(())
}
