//! API Gateway reads in one region: `GetRestApis` (paginated) and v2 `GetApis` (paginated by
//! token), side by side, then each API's `GetStages` concurrently (API Gateway has no batch
//! call; a stage listing carries the access-log settings and method settings, so no call per
//! stage). An API deleted between the two calls is left out; a stage listing that fails leaves
//! only that API `unknown`.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::rfc3339;
use crate::inventory::{CallError, Collected};
use futures::future::join_all;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let (rest_apis, v2_apis) = tokio::join!(rest(ctx), v2(ctx));
    RegionData { rest_apis, v2_apis }
}

async fn rest(ctx: &RegionCtx<'_>) -> Collected<Vec<Api>> {
    let client = crate::client!(aws_sdk_apigateway, ctx.session, ctx.region);
    let apis: Vec<(String, String)> = match ctx
        .call
        .pages(
            "apigateway:GET",
            client.get_rest_apis().into_paginator().send(),
        )
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.items())
            .filter_map(|a| {
                Some((
                    a.id()?.to_string(),
                    a.name().unwrap_or_default().to_string(),
                ))
            })
            .collect(),
        Err(e) => return Collected::failed(&e),
    };
    let stages = join_all(apis.iter().map(|(id, _)| {
        ctx.call.call_opt(
            "apigateway:GET",
            &["NotFoundException"],
            client.get_stages().rest_api_id(id).send(),
        )
    }))
    .await;
    Collected::ok(
        apis.into_iter()
            .zip(stages)
            .filter_map(|((id, name), s)| {
                let stages = match s {
                    Ok(None) => return None,
                    Ok(Some(out)) => Collected::ok(
                        out.item()
                            .iter()
                            .filter_map(|s| {
                                Some(Stage {
                                    name: s.stage_name()?.to_string(),
                                    created: s.created_date().and_then(rfc3339),
                                    access_log_destination: s
                                        .access_log_settings()
                                        .and_then(|l| l.destination_arn())
                                        .filter(|d| !d.is_empty())
                                        .map(String::from),
                                    access_log_format: s
                                        .access_log_settings()
                                        .and_then(|l| l.format())
                                        .map(String::from),
                                    execution_logging: Some(
                                        s.method_settings()
                                            .and_then(|m| m.get("*/*"))
                                            .and_then(|m| m.logging_level())
                                            .unwrap_or("OFF")
                                            .to_string(),
                                    ),
                                    execution_logging_off: logging_off(s.method_settings()),
                                })
                            })
                            .collect(),
                    ),
                    Err(e) => Collected::failed(&e),
                };
                Some(Api {
                    id,
                    name,
                    protocol: "REST".into(),
                    stages,
                })
            })
            .collect(),
    )
}

async fn v2(ctx: &RegionCtx<'_>) -> Collected<Vec<Api>> {
    let client = crate::client!(aws_sdk_apigatewayv2, ctx.session, ctx.region);
    let mut apis: Vec<(String, String, String)> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = match ctx
            .call
            .call(
                "apigateway:GET",
                client.get_apis().set_next_token(token.clone()).send(),
            )
            .await
        {
            Ok(p) => p,
            Err(e) => return Collected::failed(&e),
        };
        apis.extend(page.items().iter().filter_map(|a| {
            Some((
                a.api_id()?.to_string(),
                a.name().unwrap_or_default().to_string(),
                a.protocol_type()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
            ))
        }));
        token = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(String::from);
        if token.is_none() {
            break;
        }
    }
    let stages = join_all(apis.iter().map(|(id, _, _)| v2_stages(ctx, &client, id))).await;
    Collected::ok(
        apis.into_iter()
            .zip(stages)
            .filter_map(|((id, name, protocol), s)| {
                let stages = match s {
                    Ok(None) => return None,
                    Ok(Some(v)) => Collected::ok(v),
                    Err(e) => Collected::failed(&e),
                };
                Some(Api {
                    id,
                    name,
                    protocol,
                    stages,
                })
            })
            .collect(),
    )
}

/// Every stage of a v2 API (`None`: the API was deleted since it was listed).
async fn v2_stages(
    ctx: &RegionCtx<'_>,
    client: &aws_sdk_apigatewayv2::Client,
    api: &str,
) -> Result<Option<Vec<Stage>>, CallError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let Some(page) = ctx
            .call
            .call_opt(
                "apigateway:GET",
                &["NotFoundException"],
                client
                    .get_stages()
                    .api_id(api)
                    .set_next_token(token.clone())
                    .send(),
            )
            .await?
        else {
            return Ok(None);
        };
        out.extend(page.items().iter().filter_map(|s| {
            Some(Stage {
                name: s.stage_name()?.to_string(),
                created: s.created_date().and_then(rfc3339),
                access_log_destination: s
                    .access_log_settings()
                    .and_then(|l| l.destination_arn())
                    .filter(|d| !d.is_empty())
                    .map(String::from),
                access_log_format: s
                    .access_log_settings()
                    .and_then(|l| l.format())
                    .map(String::from),
                execution_logging: s
                    .default_route_settings()
                    .and_then(|r| r.logging_level())
                    .map(|l| l.as_str().to_string()),
                execution_logging_off: routes_logging_off(s.route_settings()),
            })
        }));
        token = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(String::from);
        if token.is_none() {
            return Ok(Some(out));
        }
    }
}

/// A WebSocket stage's route settings whose own level logs no executions (`OFF`), sorted: they
/// turn the stage's default level off for those routes. A route without a level of its own
/// follows the default.
pub(crate) fn routes_logging_off(
    settings: Option<
        &std::collections::HashMap<String, aws_sdk_apigatewayv2::types::RouteSettings>,
    >,
) -> Vec<String> {
    keys_where(settings, |_, r| {
        r.logging_level()
            .is_some_and(|l| !super::model::logs_at(Some(l.as_str())))
    })
}

/// The method settings other than `*/*` that log no executions (level neither ERROR nor INFO),
/// sorted.
fn logging_off(
    settings: Option<&std::collections::HashMap<String, aws_sdk_apigateway::types::MethodSetting>>,
) -> Vec<String> {
    keys_where(settings, |k, m| {
        k != "*/*" && !super::model::logs_at(m.logging_level())
    })
}

/// The keys of a stage's settings map whose settings match, sorted.
fn keys_where<V>(
    settings: Option<&std::collections::HashMap<String, V>>,
    matches: impl Fn(&str, &V) -> bool,
) -> Vec<String> {
    let mut keys: Vec<String> = settings
        .into_iter()
        .flatten()
        .filter(|(k, v)| matches(k, v))
        .map(|(k, _)| k.clone())
        .collect();
    keys.sort();
    keys
}
