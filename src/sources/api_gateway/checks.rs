//! API Gateway access logging: every REST stage, and every HTTP (and, unless the profile says
//! otherwise, WebSocket) stage, writes access logs to a destination; where the profile asks,
//! every REST and WebSocket stage logs executions; and how far back each account's API access
//! logs can answer.

use super::model::{Api, Stage};
use super::profile::ApiGatewayLoggingBaseline;
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, CisAwsV7, Nist80053};
use crate::inventory::Collected;
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, unknown_because, CheckInfo,
    Fix, Raw, Resource, Subject,
};
use crate::sources::cloudwatch_logs::checks::group_of;
use crate::sources::cloudwatch_logs::model::LogGroup;
use crate::sources::{CheckDef, Ctx, RegionInventory};

/// REST API stages, judged one by one.
pub static REST_STAGE: Resource = Resource {
    id: "api_gateway_stage",
    label: "API Gateway REST stage",
    cloudformation_type: "AWS::ApiGateway::Stage",
    asff_type: "AwsApiGatewayStage",
};

/// HTTP and WebSocket API stages, judged one by one.
pub static V2_STAGE: Resource = Resource {
    id: "api_gateway_v2_stage",
    label: "API Gateway HTTP or WebSocket stage",
    cloudformation_type: "AWS::ApiGatewayV2::Stage",
    asff_type: "AwsApiGatewayV2Stage",
};

const RATIONALE: &str = "An API's access log is the record of every request it answered: the caller's address and identity, the route, the status. It is how a responder finds the enumeration, the stolen token replayed, the data pulled through the API. API Gateway writes none unless a stage is given a destination, and nothing can be recovered afterwards.";

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "api_gateway.rest_access_logging",
            title: "Every API Gateway REST API stage writes access logs to a destination",
            severity: Severity::Medium,
            scope: Subject::Resource(&REST_STAGE),
            looks_at: "GetRestApis (once per account and region) and GetStages (once per API; it carries every stage's settings): each stage's `accessLogSettings.destinationArn`, its execution-logging level (`methodSettings` `*/*`), and the destination group's retention from the CloudWatch Logs listing",
            rationale: RATIONALE,
            remediation: "Set the stage's access-log destination and format: `aws apigateway update-stage --rest-api-id API --stage-name STAGE --patch-operations '[{\"op\":\"replace\",\"path\":\"/accessLogSettings/destinationArn\",\"value\":\"arn:aws:logs:REGION:ACCOUNT:log-group:GROUP\"},{\"op\":\"replace\",\"path\":\"/accessLogSettings/format\",\"value\":\"FORMAT\"}]'`; the account needs its API Gateway CloudWatch Logs role first (`aws apigateway update-account --patch-operations op=replace,path=/cloudWatchRoleArn,value=ROLE_ARN`, a role trusting apigateway.amazonaws.com with AmazonAPIGatewayPushToCloudWatchLogs). `logwarden plan` lists each stage with its command.",
            fix: Fix::Manual,
            frameworks: &[(CisAwsV7, &["4.10"]), (Nist80053, &["AU-2", "AU-12"])],
        },
        eval: rest_access_logging,
    },
    CheckDef {
        info: CheckInfo {
            id: "api_gateway.v2_access_logging",
            title: "Every API Gateway HTTP and WebSocket API stage writes access logs to a destination",
            severity: Severity::Medium,
            scope: Subject::Resource(&V2_STAGE),
            looks_at: "GetApis (API Gateway v2, once per account and region) and GetStages (once per API): each stage's `AccessLogSettings.DestinationArn`, a WebSocket stage's execution-logging level (`DefaultRouteSettings.LoggingLevel`), and the destination group's retention from the CloudWatch Logs listing",
            rationale: RATIONALE,
            remediation: "Set the stage's access-log destination and format: `aws apigatewayv2 update-stage --api-id API --stage-name STAGE --access-log-settings '{\"DestinationArn\":\"arn:aws:logs:REGION:ACCOUNT:log-group:GROUP\",\"Format\":\"FORMAT\"}'`. `logwarden plan` lists each stage with its command.",
            fix: Fix::Manual,
            frameworks: &[
                (CisAwsV7, &["4.10"]),
                (AwsFsbp, &["APIGateway.9"]),
                (Nist80053, &["AU-2", "AU-12"]),
            ],
        },
        eval: v2_access_logging,
    },
    CheckDef {
        info: CheckInfo {
            id: "api_gateway.rest_execution_logging",
            title: "Every API Gateway REST API stage logs executions (ERROR or INFO) for every method",
            severity: Severity::Low,
            scope: Subject::Resource(&REST_STAGE),
            looks_at: "The same GetStages answers: each stage's `methodSettings`: `*/*` must log at ERROR or INFO and no method's own setting may turn it off",
            rationale: EXECUTION_RATIONALE,
            remediation: "Set the stage's execution-logging level: `aws apigateway update-stage --rest-api-id API --stage-name STAGE --patch-operations op=replace,path=/*/*/logging/loglevel,value=ERROR` (and raise any method setting left at OFF); the account needs its API Gateway CloudWatch Logs role first. `logwarden plan` lists each stage with its command when the profile asks for execution logging.",
            fix: Fix::Manual,
            frameworks: &[(AwsFsbp, &["APIGateway.1"]), (Nist80053, &["AU-2", "AU-12"])],
        },
        eval: rest_execution_logging,
    },
    CheckDef {
        info: CheckInfo {
            id: "api_gateway.websocket_execution_logging",
            title: "Every API Gateway WebSocket API stage logs executions (ERROR or INFO)",
            severity: Severity::Low,
            scope: Subject::Resource(&V2_STAGE),
            looks_at: "The same GetStages answers (API Gateway v2): each WebSocket stage's `DefaultRouteSettings.LoggingLevel` must be ERROR or INFO, and no route's own `RouteSettings` may turn it `OFF` (HTTP APIs have no execution logs)",
            rationale: EXECUTION_RATIONALE,
            remediation: "Set the stage's default route logging level: `aws apigatewayv2 update-stage --api-id API --stage-name STAGE --default-route-settings LoggingLevel=ERROR`. `logwarden plan` lists each stage with its command when the profile asks for execution logging.",
            fix: Fix::Manual,
            frameworks: &[(AwsFsbp, &["APIGateway.1"]), (Nist80053, &["AU-2", "AU-12"])],
        },
        eval: websocket_execution_logging,
    },
];

const EXECUTION_RATIONALE: &str = "Execution logs are API Gateway's own account of each request: the authorizer's decision, the integration's errors, throttling. They explain why a request succeeded that should not have, which an access log's status code does not. Security Hub's APIGateway.1 asks for ERROR or INFO on every stage of REST and WebSocket APIs.";

pub fn rest_access_logging(ctx: &Ctx) -> Vec<Raw> {
    stages(ctx, true, false, judge)
}

pub fn v2_access_logging(ctx: &Ctx) -> Vec<Raw> {
    stages(ctx, false, false, judge)
}

pub fn rest_execution_logging(ctx: &Ctx) -> Vec<Raw> {
    stages(ctx, true, false, judge_execution)
}

pub fn websocket_execution_logging(ctx: &Ctx) -> Vec<Raw> {
    stages(ctx, false, true, judge_execution)
}

/// One stage judged: its status and message.
type Judge = fn(&Ctx, &Api, &Stage, &RegionInventory) -> (Status, String);

/// The APIs of one kind a profile judges (`rest`: REST APIs; otherwise HTTP APIs, and
/// WebSocket APIs unless the profile leaves them out).
pub fn judged<'a>(
    r: &'a RegionInventory,
    rest: bool,
    want: Option<&ApiGatewayLoggingBaseline>,
) -> (&'a Collected<Vec<Api>>, Vec<&'a Api>) {
    let list = if rest {
        &r.data.api_gateway.rest_apis
    } else {
        &r.data.api_gateway.v2_apis
    };
    let websocket = want.is_none_or(|w| w.websocket);
    let apis = list
        .value()
        .into_iter()
        .flatten()
        .filter(|a| websocket || a.protocol != "WEBSOCKET")
        .collect();
    (list, apis)
}

/// Every stage of the APIs of one kind (`websocket_only`: WebSocket APIs of the v2 listing),
/// judged by `judge` when the profile asks for API Gateway logging.
fn stages(ctx: &Ctx, rest: bool, websocket_only: bool, judge: Judge) -> Vec<Raw> {
    let partition = ctx.inv.partition.clone();
    per_enabled_region(ctx, |a, r, out| {
        let (list, mut apis) = judged(r, rest, ctx.b.api_gateway_logging.as_ref());
        if websocket_only {
            apis.retain(|api| api.protocol == "WEBSOCKET");
        }
        let what = if rest {
            "API Gateway REST APIs"
        } else {
            "API Gateway HTTP and WebSocket APIs"
        };
        if listed(a, r, list, what, out).is_none() {
            return;
        }
        let (acct, reg) = (Some(a.account_id.as_str()), Some(r.region.as_str()));
        for api in apis {
            let stages = match api.stages.as_result() {
                Ok(s) => s,
                Err(e) => {
                    out.push(Raw::new(
                        Status::Unknown,
                        acct,
                        reg,
                        api.stage_arn(&partition, &r.region, "*"),
                        format!(
                            "the stages of {} API {} ({}) {}",
                            api.protocol,
                            api.name,
                            api.id,
                            unknown_because(e)
                        ),
                    ));
                    continue;
                }
            };
            for s in stages {
                let (status, msg) = match &ctx.b.api_gateway_logging {
                    None => (
                        Status::NotApplicable,
                        not_required(ctx, "API Gateway access logging"),
                    ),
                    Some(_) => judge(ctx, api, s, r),
                };
                out.push(Raw::new(
                    status,
                    acct,
                    reg,
                    api.stage_arn(&partition, &r.region, &s.name),
                    msg,
                ));
            }
        }
    })
}

/// The log group an access-log destination names, when it is one in this region's listing.
fn group<'a>(r: &'a RegionInventory, destination: &str) -> Option<&'a LogGroup> {
    let (_, _, name) = group_of(destination)?;
    r.data
        .cloudwatch_logs
        .groups
        .value()?
        .iter()
        .find(|g| g.name == name)
}

fn lands(r: &RegionInventory, destination: &str) -> String {
    match (group_of(destination).map(|g| g.2), group(r, destination)) {
        (Some(name), Some(g)) => match g.retention_days {
            Some(d) => format!("log group {name} (kept {d} days)"),
            None => format!("log group {name} (never expires)"),
        },
        (Some(name), None) => format!("log group {name}"),
        (None, _) => destination.to_string(),
    }
}

/// Whether a REST or WebSocket stage logs executions, when the profile asks for it.
fn judge_execution(ctx: &Ctx, api: &Api, s: &Stage, _: &RegionInventory) -> (Status, String) {
    if !ctx
        .b
        .api_gateway_logging
        .as_ref()
        .is_some_and(|w| w.execution_logging)
    {
        return (
            Status::NotApplicable,
            "the baseline's api_gateway_logging.execution_logging is off".into(),
        );
    }
    let what = format!(
        "{} API {} ({}) stage {}",
        api.protocol, api.name, api.id, s.name
    );
    let level = s.execution_logging.as_deref().unwrap_or("OFF");
    if s.logs_executions() {
        return (Status::Pass, format!("{what} logs executions at {level}"));
    }
    if s.stage_level_logs() {
        let off = &s.execution_logging_off;
        let more = off.len().saturating_sub(5);
        return (
            Status::Fail,
            format!(
                "{what} logs executions at {level} but not for {} {}{}: {}{}",
                off.len(),
                if api.protocol == "REST" {
                    "method"
                } else {
                    "route"
                },
                if off.len() == 1 { "" } else { "s" },
                off.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
        );
    }
    (
        Status::Fail,
        format!("{what} logs no executions (level {level})"),
    )
}

fn judge(_: &Ctx, api: &Api, s: &Stage, r: &RegionInventory) -> (Status, String) {
    let execution = match s.execution_logging.as_deref() {
        Some(level) => format!("; execution logging {level}"),
        None => String::new(),
    };
    let what = format!(
        "{} API {} ({}) stage {}",
        api.protocol, api.name, api.id, s.name
    );
    match &s.access_log_destination {
        Some(d) => (
            Status::Pass,
            format!("{what} writes access logs to {}{execution}", lands(r, d)),
        ),
        None => (
            Status::Fail,
            format!("{what} writes no access logs{execution}"),
        ),
    }
}

/// How far back each account's API access logs can answer: the stage that reaches back least
/// (0 for a stage without access logs; otherwise its log group's reach; a Firehose destination
/// is not counted, its reach being the stream's destination's). Accounts whose APIs, stages or
/// log groups could not be read are left out.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.api_gateway_logging else {
        return vec![];
    };
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        let mut out = Vec::new();
        for rest in [true, false] {
            let (list, apis) = judged(r, rest, Some(want));
            list.value()?;
            for api in apis {
                for s in api.stages.value()? {
                    let Some(d) = &s.access_log_destination else {
                        out.push((
                            0,
                            format!(
                                "API {} stage {} in {} writes no access logs",
                                api.name, s.name, r.region
                            ),
                        ));
                        continue;
                    };
                    if group_of(d).is_none() {
                        continue;
                    }
                    r.data.cloudwatch_logs.groups.value()?;
                    if let Some((days, why)) = group(r, d).and_then(|g| {
                        crate::sources::cloudwatch_logs::checks::reach(ctx, g, &r.region)
                    }) {
                        out.push((days, format!("API {} stage {}: {why}", api.name, s.name)));
                    }
                }
            }
        }
        Some(out)
    })
}
