//! API Gateway's plan: for each stage without access logs, a manual step with the exact
//! `update-stage` command (and, where the profile asks for execution logging, one for each REST
//! or WebSocket stage that logs no executions, setting ERROR), sending them to the log group `<log_group_prefix><api-id>/<stage>`
//! in a JSON format holding the fields responders query. logwarden does not make the change:
//! a REST API's access logging needs the account's API Gateway CloudWatch Logs role, an
//! account-wide setting other teams may own, and a stage belongs to the API's team. When the
//! profile sets a log-group retention, the group is created first at that retention (an empty
//! group is harmless and makes the logs start where they are kept).

use super::checks::judged;
use super::model::{Api, Stage};
use crate::plan::AttrChange;
use crate::sources::cloudwatch_logs::plan::groups_at_floor;
use crate::sources::{AccountInventory, Change, PlanCtx, RegionInventory};
use serde_json::json;

/// The access-log format for REST APIs: one JSON object per request.
pub const REST_FORMAT: &str = r#"{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId","ip":"$context.identity.sourceIp","caller":"$context.identity.caller","user":"$context.identity.user","userArn":"$context.identity.userArn","userAgent":"$context.identity.userAgent","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}"#;

/// The access-log format for HTTP APIs.
pub const HTTP_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","userAgent":"$context.identity.userAgent","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","authorizerError":"$context.authorizer.error"}"#;

/// The access-log format for WebSocket APIs.
pub const WEBSOCKET_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","userAgent":"$context.identity.userAgent","requestTime":"$context.requestTime","eventType":"$context.eventType","routeKey":"$context.routeKey","connectionId":"$context.connectionId","status":"$context.status"}"#;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.api_gateway_logging.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    let partition = ctx.inv.partition.clone();
    for a in &ctx.inv.accounts {
        if a.access.error().is_some() {
            continue;
        }
        for r in ctx.enabled_regions(a) {
            for rest in [true, false] {
                let (list, apis) = judged(r, rest, Some(&want));
                let kind = if rest { "rest" } else { "v2" };
                if let Some(e) = list.error() {
                    let e = e.clone();
                    ctx.unknown(
                        &format!("api_gateway_{kind}.{}.{}", a.account_id, r.region),
                        &a.account_id,
                        &r.region,
                        "the API Gateway APIs",
                        &e,
                    );
                    continue;
                }
                for api in apis {
                    let stages = match api.stages.as_result() {
                        Ok(s) => s,
                        Err(e) => {
                            let e = e.clone();
                            ctx.unknown(
                                &format!(
                                    "api_gateway_stage.{}.{}.{}",
                                    a.account_id, r.region, api.id
                                ),
                                &a.account_id,
                                &r.region,
                                "the API's stages",
                                &e,
                            );
                            continue;
                        }
                    };
                    if want.execution_logging && (rest || api.protocol == "WEBSOCKET") {
                        for s in stages.iter().filter(|s| !s.logs_executions()) {
                            ctx.push(execution_step(a, r, api, s, rest));
                        }
                    }
                    for s in stages.iter().filter(|s| s.access_log_destination.is_none()) {
                        let t = Target {
                            a,
                            r,
                            api,
                            stage: s,
                            rest,
                        };
                        let address = format!(
                            "api_gateway_stage.{}.{}.{}.{}",
                            a.account_id, r.region, api.id, s.name
                        );
                        let group = want.log_group(&api.id, &s.name);
                        if let Some(days) = floor {
                            let why = format!(
                                "the access logs of API {} stage {} (a manual step)",
                                api.name, s.name
                            );
                            let groups = [(group.clone(), why)];
                            if !groups_at_floor(ctx, &address, r, &a.account_id, &groups, days) {
                                continue;
                            }
                        }
                        let group_arn = format!(
                            "arn:{partition}:logs:{}:{}:log-group:{group}",
                            r.region, a.account_id
                        );
                        ctx.push(manual_step(address, &t, &group, &group_arn));
                    }
                }
            }
        }
    }
}

/// One stage, where it is.
struct Target<'a> {
    a: &'a AccountInventory,
    r: &'a RegionInventory,
    api: &'a Api,
    stage: &'a Stage,
    rest: bool,
}

/// The manual step setting the stage's access logs, with the exact command.
fn manual_step(address: String, t: &Target, group: &str, group_arn: &str) -> Change {
    let Target {
        a,
        r,
        api,
        stage: s,
        rest,
    } = *t;
    let (command, reason) = if rest {
        let ops = json!([
            {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": group_arn},
            {"op": "replace", "path": "/accessLogSettings/format", "value": REST_FORMAT},
        ]);
        (
            format!(
                "aws apigateway update-stage --region {} --rest-api-id {} --stage-name {} --patch-operations '{}'   # in account {}",
                r.region, api.id, s.name, ops, a.account_id
            ),
            format!(
                "REST API {} stage {}: access logging needs the account's API Gateway CloudWatch Logs role (if `aws apigateway get-account` shows no cloudwatchRoleArn, set one trusting apigateway.amazonaws.com with AmazonAPIGatewayPushToCloudWatchLogs first), an account-wide setting the API's owners may manage",
                api.name, s.name
            ),
        )
    } else {
        let format = if api.protocol == "WEBSOCKET" {
            WEBSOCKET_FORMAT
        } else {
            HTTP_FORMAT
        };
        let settings = json!({"DestinationArn": group_arn, "Format": format});
        (
            format!(
                "aws apigatewayv2 update-stage --region {} --api-id {} --stage-name {} --access-log-settings '{}'   # in account {}",
                r.region, api.id, s.name, settings, a.account_id
            ),
            format!(
                "{} API {} stage {}: the stage belongs to the API's team; the change takes effect without a deployment",
                api.protocol, api.name, s.name
            ),
        )
    };
    Change::manual_step(
        address,
        a.account_id.clone(),
        r.region.clone(),
        AttrChange::new(
            "access_log_destination",
            Some("none"),
            format!("log group {group}"),
        ),
        reason,
        command,
    )
}

/// The manual step turning on a stage's execution logging (at ERROR), with the exact command.
fn execution_step(
    a: &AccountInventory,
    r: &RegionInventory,
    api: &Api,
    s: &Stage,
    rest: bool,
) -> Change {
    let (command, reason) = if rest {
        // The stage-wide `*/*` level where it logs nothing (a stage at INFO is never lowered),
        // and each method setting that turns it off (its key is the patch path's).
        let mut ops: Vec<String> = Vec::new();
        if !s.stage_level_logs() {
            ops.push("op=replace,path=/*/*/logging/loglevel,value=ERROR".into());
        }
        ops.extend(
            s.execution_logging_off
                .iter()
                .map(|k| format!("op=replace,path=/{k}/logging/loglevel,value=ERROR")),
        );
        (
            format!(
                "aws apigateway update-stage --region {} --rest-api-id {} --stage-name {} --patch-operations {}   # in account {}",
                r.region, api.id, s.name, ops.join(" "), a.account_id
            ),
            format!(
                "REST API {} stage {}: execution logging needs the account's API Gateway CloudWatch Logs role, an account-wide setting the API's owners may manage",
                api.name, s.name
            ),
        )
    } else {
        // The default route's level where it logs nothing (INFO is never lowered), and each
        // route whose own settings turn it off.
        let mut args: Vec<String> = Vec::new();
        if !s.stage_level_logs() {
            args.push("--default-route-settings LoggingLevel=ERROR".into());
        }
        if !s.execution_logging_off.is_empty() {
            let routes: serde_json::Map<String, serde_json::Value> = s
                .execution_logging_off
                .iter()
                .map(|k| (k.clone(), serde_json::json!({"LoggingLevel": "ERROR"})))
                .collect();
            args.push(format!(
                "--route-settings {}",
                crate::plan::shell_word(&serde_json::Value::Object(routes).to_string())
            ));
        }
        let routes = if s.execution_logging_off.is_empty() {
            String::new()
        } else {
            format!(
                "; the settings of route{} {} turn it off (restate any throttling they set)",
                if s.execution_logging_off.len() == 1 {
                    ""
                } else {
                    "s"
                },
                s.execution_logging_off.join(", ")
            )
        };
        (
            format!(
                "aws apigatewayv2 update-stage --region {} --api-id {} --stage-name {} {}   # in account {}",
                r.region, api.id, s.name, args.join(" "), a.account_id
            ),
            format!(
                "WebSocket API {} stage {}: the stage belongs to the API's team{routes}",
                api.name, s.name
            ),
        )
    };
    Change::manual_step(
        format!(
            "api_gateway_stage_execution.{}.{}.{}.{}",
            a.account_id, r.region, api.id, s.name
        ),
        a.account_id.clone(),
        r.region.clone(),
        AttrChange::new(
            "execution_logging",
            Some(s.execution_logging.as_deref().unwrap_or("OFF")),
            "ERROR".to_string(),
        ),
        reason,
        command,
    )
}
