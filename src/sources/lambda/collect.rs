//! Lambda reads in one region: `ListFunctions`, every page (50 functions each), which carries
//! each function's logging config: no call per function.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_lambda, ctx.session, ctx.region);
    RegionData {
        functions: functions(&client, &ctx.call).await,
    }
}

pub async fn functions(client: &aws_sdk_lambda::Client, ctx: &CallCtx) -> Collected<Vec<Function>> {
    ctx.pages(
        "lambda:ListFunctions",
        client.list_functions().into_paginator().send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.functions())
            .filter_map(|f| {
                let name = f.function_name()?.to_string();
                let l = f.logging_config();
                let custom = l.and_then(|l| l.log_group()).filter(|g| !g.is_empty());
                Some(Function {
                    arn: f.function_arn().unwrap_or_default().to_string(),
                    runtime: f.runtime().map(|r| r.as_str().to_string()),
                    log_group: custom
                        .map(String::from)
                        .unwrap_or_else(|| default_log_group(&name)),
                    custom_log_group: custom.is_some_and(|g| g != default_log_group(&name)),
                    log_format: l
                        .and_then(|l| l.log_format())
                        .map(|x| x.as_str().to_string()),
                    application_log_level: l
                        .and_then(|l| l.application_log_level())
                        .map(|x| x.as_str().to_string()),
                    system_log_level: l
                        .and_then(|l| l.system_log_level())
                        .map(|x| x.as_str().to_string()),
                    name,
                })
            })
            .collect()
    })
    .into()
}
