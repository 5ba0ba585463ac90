//! Lambda function logs: every function's log group exists (its logs are kept from the first
//! invocation); and how far back each account's function logs can answer.

use super::model::Function;
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::Nist80053;
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, unknown_because, CheckInfo,
    Fix, Raw, Resource, Subject,
};
use crate::sources::cloudwatch_logs::model::LogGroup;
use crate::sources::{CheckDef, Ctx};

/// Lambda functions, judged one by one.
pub static FUNCTION: Resource = Resource {
    id: "lambda_function",
    label: "Lambda function",
    cloudformation_type: "AWS::Lambda::Function",
    asff_type: "AwsLambdaFunction",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "lambda.log_group",
        title: "Every Lambda function's log group exists, so its logs are kept from the first invocation",
        severity: Severity::Low,
        scope: Subject::Resource(&FUNCTION),
        looks_at: "ListFunctions (every page, once per account and region; each function's logging config: custom log group, format, levels) and the DescribeLogGroups listing the log-group retention check reads: the group each function writes to",
        rationale: "Lambda creates a function's log group at its first invocation, with no retention, and only if the execution role may (`logs:CreateLogGroup`); otherwise every line the function prints is dropped without an error. A group made beforehand, at the baseline's retention, keeps the logs of the invocation an attacker makes with a stolen function role.",
        remediation: "Create the group: `aws logs create-log-group --log-group-name /aws/lambda/FUNCTION` then `aws logs put-retention-policy --log-group-name /aws/lambda/FUNCTION --retention-in-days 365` (`logwarden plan` proposes both, with log_group_retention's days), and let the execution role write to it (`logs:CreateLogStream`, `logs:PutLogEvents`).",
        fix: Fix::Plan,
        frameworks: &[(Nist80053, &["AU-2", "AU-12"])],
    },
    eval: log_group,
}];

/// How a function logs, for a message: `JSON, application INFO, system WARN`.
fn format(f: &Function) -> String {
    let mut parts = vec![f.log_format.clone().unwrap_or_else(|| "Text".into())];
    if let Some(l) = &f.application_log_level {
        parts.push(format!("application {l}"));
    }
    if let Some(l) = &f.system_log_level {
        parts.push(format!("system {l}"));
    }
    parts.join(", ")
}

pub fn log_group(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let Some(functions) = listed(a, r, &r.data.lambda.functions, "Lambda functions", out)
        else {
            return;
        };
        for f in functions {
            let (status, msg) = match &ctx.b.lambda {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "Lambda log groups"),
                ),
                Some(want) if !want.selects(&f.name) => (
                    Status::NotApplicable,
                    format!(
                        "function {} is excluded by lambda.exclude_functions",
                        f.name
                    ),
                ),
                Some(_) => judge(f, &r.data.cloudwatch_logs.groups),
            };
            out.push(Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                f.arn.clone(),
                msg,
            ));
        }
    })
}

fn judge(f: &Function, groups: &crate::inventory::Collected<Vec<LogGroup>>) -> (Status, String) {
    let custom = if f.custom_log_group {
        " (its logging config's group)"
    } else {
        ""
    };
    let groups = match groups.as_result() {
        Ok(g) => g,
        Err(e) => {
            return (
                Status::Unknown,
                format!(
                    "whether the log group {}{custom} of function {} exists {}",
                    f.log_group,
                    f.name,
                    unknown_because(e)
                ),
            )
        }
    };
    match groups.iter().find(|g| g.name == f.log_group) {
        Some(g) => {
            let kept = match g.retention_days {
                Some(d) => format!("kept {d} days"),
                None => "never expires".into(),
            };
            (
                Status::Pass,
                format!(
                    "function {} logs to log group {}{custom} ({kept}; {})",
                    f.name,
                    f.log_group,
                    format(f)
                ),
            )
        }
        None => (
            Status::Fail,
            format!(
                "function {} has no log group {}{custom}: it has never run, or its execution role cannot create the group and its logs are dropped",
                f.name, f.log_group
            ),
        ),
    }
}

/// How far back each account's function logs can answer: the function whose group reaches
/// back least (0 for one without a group). Accounts whose functions or log groups could not be
/// read are left out (their findings are `unknown`).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.lambda else {
        return vec![];
    };
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        let functions = r.data.lambda.functions.value()?;
        let groups = r.data.cloudwatch_logs.groups.value()?;
        let mut out = Vec::new();
        for f in functions.iter().filter(|f| want.selects(&f.name)) {
            match groups.iter().find(|g| g.name == f.log_group) {
                None => out.push((
                    0,
                    format!(
                        "function {} in {} has no log group {}",
                        f.name, r.region, f.log_group
                    ),
                )),
                Some(g) => {
                    if let Some((days, why)) =
                        crate::sources::cloudwatch_logs::checks::reach(ctx, g, &r.region)
                    {
                        out.push((days, format!("function {}: {why}", f.name)));
                    }
                }
            }
        }
        Some(out)
    })
}
