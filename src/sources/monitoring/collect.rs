//! Detective-control reads in one account and region, the fewest that answer: CloudWatch Logs
//! `DescribeMetricFilters` (all groups, paginated) only where a trail of the account, homed in
//! the region, delivers to CloudWatch Logs (CloudTrail delivers to a group of the trail's own
//! account and home region, and a filter elsewhere sees no trail event; the trails come from the
//! `DescribeTrails` answer the cloudtrail source shares); CloudWatch `DescribeAlarms` only where
//! there are filters; SNS `ListSubscriptionsByTopic` only for the topics the alarms on a filter's
//! metric notify; EventBridge `ListRules` on the default bus and `ListTargetsByRule` only for
//! the enabled rules whose pattern matches a watched event.

use super::model::*;
use super::watch;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;
use aws_sdk_cloudwatch::types::AlarmType;
use std::collections::{BTreeMap, BTreeSet};

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let (metric_filters, rules) = tokio::join!(filters(ctx), rules(ctx));
    let alarms = match metric_filters.value() {
        Some(f) if !f.is_empty() => alarms(ctx).await,
        // Nothing to alarm on: no call.
        _ if metric_filters.as_result().is_ok() => Collected::ok(vec![]),
        _ => Collected::Failed {
            error: metric_filters
                .as_result()
                .err()
                .cloned()
                .expect("failed read"),
        },
    };
    let mut topics = BTreeMap::new();
    if let (Some(f), Some(a)) = (metric_filters.value(), alarms.value()) {
        let prefix = format!("arn:aws:sns:{}:{}:", ctx.region, ctx.account.id);
        let wanted: BTreeSet<&String> = watch::relevant_alarms(f, a)
            .into_iter()
            .flat_map(|x| x.actions.iter())
            .filter(|t| t.starts_with(&prefix))
            .collect();
        let client = crate::client!(aws_sdk_sns, ctx.session, ctx.region);
        let reads = wanted.into_iter().map(|arn| {
            let client = &client;
            async move { (arn.clone(), subscriptions(client, &ctx.call, arn).await) }
        });
        topics = futures::future::join_all(reads).await.into_iter().collect();
    }
    RegionData {
        metric_filters,
        alarms,
        topics,
        rules,
    }
}

async fn filters(ctx: &RegionCtx<'_>) -> Collected<Vec<MetricFilter>> {
    let trails = crate::sources::cloudtrail::collect::trails_in(
        ctx.org,
        ctx.account,
        ctx.session,
        ctx.region,
    )
    .await;
    let delivers_here = |list: &Vec<crate::sources::cloudtrail::model::TrailDescription>| {
        list.iter().any(|t| {
            t.home_region == ctx.region
                && t.cloudwatch_logs_log_group_arn.is_some()
                && crate::arn::account_of(&t.arn) == Some(ctx.account.id.as_str())
        })
    };
    // Where no trail delivers, no filter sees a trail event: nothing to read. (A failed
    // listing reads the filters anyway.)
    if trails.as_ref().is_ok_and(|l| !delivers_here(l)) {
        return Collected::ok(vec![]);
    }
    let client = crate::client!(aws_sdk_cloudwatchlogs, ctx.session, ctx.region);
    ctx.call
        .pages(
            "logs:DescribeMetricFilters",
            client.describe_metric_filters().into_paginator().send(),
        )
        .await
        .map(|pages| {
            pages
                .iter()
                .flat_map(|p| p.metric_filters())
                .map(|f| MetricFilter {
                    name: f.filter_name().unwrap_or_default().to_string(),
                    log_group: f.log_group_name().unwrap_or_default().to_string(),
                    pattern: f.filter_pattern().unwrap_or_default().to_string(),
                    metrics: f
                        .metric_transformations()
                        .iter()
                        .map(|t| Metric {
                            namespace: t.metric_namespace().to_string(),
                            name: t.metric_name().to_string(),
                        })
                        .collect(),
                })
                .collect()
        })
        .into()
}

async fn alarms(ctx: &RegionCtx<'_>) -> Collected<Vec<Alarm>> {
    let client = crate::client!(aws_sdk_cloudwatch, ctx.session, ctx.region);
    let pages = match ctx
        .call
        .pages(
            "cloudwatch:DescribeAlarms",
            client
                .describe_alarms()
                .alarm_types(AlarmType::MetricAlarm)
                .alarm_types(AlarmType::CompositeAlarm)
                .into_paginator()
                .send(),
        )
        .await
    {
        Ok(p) => p,
        Err(error) => return Collected::Failed { error },
    };
    let mut out = Vec::new();
    for p in &pages {
        for a in p.metric_alarms() {
            let mut metrics: Vec<Metric> = a
                .metrics()
                .iter()
                .filter_map(|q| q.metric_stat()?.metric())
                .map(|m| Metric {
                    namespace: m.namespace().unwrap_or_default().to_string(),
                    name: m.metric_name().unwrap_or_default().to_string(),
                })
                .collect();
            if let (Some(ns), Some(name)) = (a.namespace(), a.metric_name()) {
                metrics.push(Metric {
                    namespace: ns.to_string(),
                    name: name.to_string(),
                });
            }
            out.push(Alarm {
                name: a.alarm_name().unwrap_or_default().to_string(),
                arn: a.alarm_arn().unwrap_or_default().to_string(),
                metrics,
                rule: None,
                actions_enabled: a.actions_enabled().unwrap_or(true),
                actions: a.alarm_actions().to_vec(),
            });
        }
        for a in p.composite_alarms() {
            out.push(Alarm {
                name: a.alarm_name().unwrap_or_default().to_string(),
                arn: a.alarm_arn().unwrap_or_default().to_string(),
                metrics: vec![],
                rule: Some(a.alarm_rule().unwrap_or_default().to_string()),
                actions_enabled: a.actions_enabled().unwrap_or(true),
                actions: a.alarm_actions().to_vec(),
            });
        }
    }
    Collected::ok(out)
}

async fn subscriptions(
    client: &aws_sdk_sns::Client,
    ctx: &CallCtx,
    topic: &str,
) -> Collected<Subscriptions> {
    ctx.pages(
        "sns:ListSubscriptionsByTopic",
        client
            .list_subscriptions_by_topic()
            .topic_arn(topic)
            .into_paginator()
            .send(),
    )
    .await
    .map(|pages| {
        let mut s = Subscriptions {
            confirmed: vec![],
            pending: 0,
            endpoints: vec![],
        };
        for x in pages.iter().flat_map(|p| p.subscriptions()) {
            if let (Some(p), Some(e)) = (x.protocol(), x.endpoint()) {
                s.endpoints.push(endpoint_digest(p, e));
            }
            match x.subscription_arn() {
                Some(arn) if arn.starts_with("arn:") => {
                    s.confirmed.push(x.protocol().unwrap_or("?").to_string())
                }
                // "PendingConfirmation", or "Deleted" for one being removed.
                Some("PendingConfirmation") => s.pending += 1,
                _ => {}
            }
        }
        s
    })
    .into()
}

async fn rules(ctx: &RegionCtx<'_>) -> Collected<Vec<Rule>> {
    let client = crate::client!(aws_sdk_eventbridge, ctx.session, ctx.region);
    let mut listed = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = match ctx
            .call
            .call(
                "events:ListRules",
                client.list_rules().set_next_token(token.clone()).send(),
            )
            .await
        {
            Ok(p) => p,
            Err(error) => return Collected::Failed { error },
        };
        listed.extend(page.rules().iter().cloned());
        token = page.next_token().map(String::from);
        if token.is_none() {
            break;
        }
    }
    let relevant = listed.into_iter().filter_map(|r| {
        let pattern = r.event_pattern()?.to_string();
        let state = r
            .state()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default();
        let rule = Rule {
            name: r.name().unwrap_or_default().to_string(),
            arn: r.arn().unwrap_or_default().to_string(),
            state,
            event_pattern: pattern,
            targets: Collected::ok(vec![]),
        };
        (rule.enabled() && watch::rule_is_relevant(&rule.event_pattern)).then_some(rule)
    });
    let reads = relevant.map(|mut rule| {
        let client = &client;
        async move {
            rule.targets = ctx
                .call
                .call(
                    "events:ListTargetsByRule",
                    client.list_targets_by_rule().rule(&rule.name).send(),
                )
                .await
                .map(|o| {
                    o.targets()
                        .iter()
                        .map(|t| t.arn().to_string())
                        .collect::<Vec<_>>()
                })
                .into();
            rule
        }
    });
    Collected::ok(futures::future::join_all(reads).await)
}
