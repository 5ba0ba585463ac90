//! Step Functions reads in one region: `ListStateMachines` (every page), then each machine's
//! `DescribeStateMachine`, concurrently (the listing carries no logging configuration and
//! there is no batch call). A region without state machines costs one call; a machine deleted
//! between the calls is left out; a description that fails leaves that machine `unknown`.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::{CallError, Collected};
use futures::future::join_all;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_sfn, ctx.session, ctx.region);
    RegionData {
        state_machines: state_machines(&client, &ctx.call).await,
    }
}

/// Every state machine of the region with its logging configuration.
pub async fn state_machines(
    client: &aws_sdk_sfn::Client,
    ctx: &CallCtx,
) -> Collected<Vec<StateMachine>> {
    let listed: Vec<(String, String, String)> = match ctx
        .pages(
            "states:ListStateMachines",
            client
                .list_state_machines()
                .max_results(1000)
                .into_paginator()
                .send(),
        )
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.state_machines())
            .map(|m| {
                (
                    m.name().to_string(),
                    m.state_machine_arn().to_string(),
                    m.r#type().as_str().to_string(),
                )
            })
            .collect(),
        Err(e) => return Collected::failed(&e),
    };
    let described = join_all(listed.iter().map(|(_, arn, _)| logging(client, ctx, arn))).await;
    Collected::ok(
        listed
            .into_iter()
            .zip(described)
            .filter_map(|((name, arn, kind), l)| {
                let (logging, kind) = match l {
                    Ok(None) => return None, // deleted since it was listed
                    // The description's type: the listing's may be missing (an emulator).
                    Ok(Some((l, k))) => (Collected::ok(l), if k.is_empty() { kind } else { k }),
                    Err(e) => (Collected::failed(&e), kind),
                };
                Some(StateMachine {
                    name,
                    arn,
                    kind,
                    logging,
                })
            })
            .collect(),
    )
}

/// One state machine's logging configuration and type; `None` when it is gone.
async fn logging(
    client: &aws_sdk_sfn::Client,
    ctx: &CallCtx,
    arn: &str,
) -> Result<Option<(Logging, String)>, CallError> {
    let out = ctx
        .call_opt(
            "states:DescribeStateMachine",
            &["StateMachineDoesNotExist"],
            client
                .describe_state_machine()
                .state_machine_arn(arn)
                .send(),
        )
        .await?;
    Ok(out.map(|o| {
        (
            logging_of(o.logging_configuration()),
            o.r#type().as_str().to_string(),
        )
    }))
}

/// A `loggingConfiguration` as the inventory keeps it (absent: `OFF`, AWS's default).
pub fn logging_of(c: Option<&aws_sdk_sfn::types::LoggingConfiguration>) -> Logging {
    Logging {
        level: c
            .and_then(|c| c.level())
            .map(|l| l.as_str().to_string())
            .unwrap_or_else(|| "OFF".into()),
        include_execution_data: c.is_some_and(|c| c.include_execution_data()),
        destinations: c
            .map(|c| {
                c.destinations()
                    .iter()
                    .filter_map(|d| d.cloud_watch_logs_log_group()?.log_group_arn())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
    }
}
