//! Running `logwarden query`'s DDL through Athena (`query --apply`): one statement at a time, in
//! the account and region the user names, each waited for until Athena says it succeeded or
//! why it failed. Nothing here touches a log bucket: Athena writes the Glue catalog and its
//! query results.

use super::call::CallCtx;
use super::client::AccountSession;
use crate::inventory::CallError;
use std::time::Duration;

/// What Athena needs besides the statement: the work group and, when the work group sets
/// none, where the results go.
pub struct Target<'a> {
    pub session: &'a AccountSession,
    pub region: &'a str,
    pub workgroup: &'a str,
    pub output: Option<&'a str>,
}

/// What AWS authorizes on the caller while Athena runs a DDL statement (the Glue catalog, the
/// results location): they are not calls logwarden makes, so `build.rs` reads them from here.
pub const IMPLIED: &[&str] = &[
    "glue:CreateDatabase",
    "glue:GetDatabase",
    "glue:CreateTable",
    "glue:GetTable",
    "s3:GetBucketLocation",
    "s3:PutObject",
];

/// How one statement ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    Succeeded,
    /// Athena ran it and refused it (its state and reason).
    Failed(String),
}

/// The statement as Athena's API takes it: one statement, without the file's leading comment
/// lines or its closing semicolon.
pub fn statement(sql: &str) -> String {
    let body: Vec<&str> = sql
        .lines()
        .skip_while(|l| l.trim_start().starts_with("--") || l.trim().is_empty())
        .collect();
    body.join("\n").trim_end().trim_end_matches(';').to_string()
}

/// Run `sql` and wait for it (at most `wait`, polling).
pub async fn run(
    t: &Target<'_>,
    ctx: &CallCtx,
    sql: &str,
    wait: Duration,
) -> Result<Ended, CallError> {
    let client = crate::client!(aws_sdk_athena, t.session, t.region);
    let mut start = client
        .start_query_execution()
        .query_string(statement(sql))
        .work_group(t.workgroup);
    if let Some(out) = t.output {
        start = start.result_configuration(
            aws_sdk_athena::types::ResultConfiguration::builder()
                .output_location(out)
                .build(),
        );
    }
    // permissions: query
    let started = ctx.call("athena:StartQueryExecution", start.send()).await?;
    let id = started.query_execution_id().unwrap_or_default().to_string();
    let deadline = std::time::Instant::now() + wait;
    loop {
        let got = ctx
            // permissions: query
            .call(
                "athena:GetQueryExecution",
                client.get_query_execution().query_execution_id(&id).send(),
            )
            .await?;
        let status = got.query_execution().and_then(|q| q.status());
        let state = status
            .and_then(|s| s.state())
            .map(|s| s.as_str().to_string());
        match state.as_deref() {
            Some("SUCCEEDED") => return Ok(Ended::Succeeded),
            Some(s @ ("FAILED" | "CANCELLED")) => {
                let why = status
                    .and_then(|s| s.state_change_reason())
                    .unwrap_or("no reason given");
                return Ok(Ended::Failed(format!("{s}: {why}")));
            }
            _ if std::time::Instant::now() >= deadline => {
                return Ok(Ended::Failed(format!(
                    "still {} after {} s (query execution {id}): see the Athena console",
                    state.as_deref().unwrap_or("QUEUED"),
                    wait.as_secs()
                )))
            }
            _ => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_becomes_one_statement_without_comments_or_semicolon() {
        assert_eq!(
            super::statement("-- what\n-- where\n\nCREATE EXTERNAL TABLE t (\n  a string\n)\nLOCATION 's3://b/';\n"),
            "CREATE EXTERNAL TABLE t (\n  a string\n)\nLOCATION 's3://b/'"
        );
        assert_eq!(
            super::statement("CREATE DATABASE IF NOT EXISTS `x`"),
            "CREATE DATABASE IF NOT EXISTS `x`"
        );
    }
}
