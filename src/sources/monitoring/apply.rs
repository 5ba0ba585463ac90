//! What apply does for `tamper_protection`: the alarms' SNS topic (its KMS key with the policy
//! the plan shows, created once under its alias; the topic, created if missing, its policy
//! merged with logwarden's statements; the subscribers not yet subscribed), and the metric
//! filters and alarms. Each operation re-reads before it writes, so a re-run converges, and
//! nothing it did not create is changed (an existing topic keeps its encryption).

use super::model::AlarmTopic;
use crate::aws::apply::{same_doc, Apply};
use crate::inventory::CallError;
use crate::plan::merge::merge_policy;
use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use serde::{Deserialize, Serialize};

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    EnsureAlarmTopic(Box<AlarmTopic>),
    Subscribe {
        topic_arn: String,
        protocol: String,
        endpoint: String,
    },
    /// A filter publishing 1 to `namespace`/`name` for each matching event.
    PutMetricFilter {
        log_group: String,
        name: String,
        pattern: String,
        namespace: String,
    },
    /// An alarm on `namespace`/`name` (sum ≥ 1 over 5 minutes) notifying the topic.
    PutMetricAlarm {
        name: String,
        namespace: String,
        topic_arn: String,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnsureAlarmTopic(_) => "sns:CreateTopic",
            Op::Subscribe { .. } => "sns:Subscribe",
            Op::PutMetricFilter { .. } => "logs:PutMetricFilter",
            Op::PutMetricAlarm { .. } => "cloudwatch:PutMetricAlarm",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        match self {
            Op::EnsureAlarmTopic(t) => ensure_topic(x, t).await,
            Op::Subscribe {
                topic_arn,
                protocol,
                endpoint,
            } => subscribe(x, topic_arn, protocol, endpoint).await,
            Op::PutMetricFilter {
                log_group,
                name,
                pattern,
                namespace,
            } => {
                let t = aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
                    .metric_name(name)
                    .metric_namespace(namespace)
                    .metric_value("1")
                    .build()
                    .map_err(|e| {
                        x.writes
                            .error("logs:PutMetricFilter", "Build", e.to_string())
                    })?;
                x.writes
                    .call(
                        "logs:PutMetricFilter",
                        crate::client!(aws_sdk_cloudwatchlogs, x.session, x.region)
                            .put_metric_filter()
                            .log_group_name(log_group)
                            .filter_name(name)
                            .filter_pattern(pattern)
                            .metric_transformations(t)
                            .send(),
                    )
                    .await?;
                Ok(())
            }
            Op::PutMetricAlarm {
                name,
                namespace,
                topic_arn,
            } => {
                x.writes
                    .call(
                        "cloudwatch:PutMetricAlarm",
                        crate::client!(aws_sdk_cloudwatch, x.session, x.region)
                            .put_metric_alarm()
                            .alarm_name(name)
                            .alarm_description(
                                "logwarden tamper_protection: a person must hear of these events",
                            )
                            .metric_name(name)
                            .namespace(namespace)
                            .statistic(Statistic::Sum)
                            .period(300)
                            .evaluation_periods(1)
                            .threshold(1.0)
                            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
                            .treat_missing_data("notBreaching")
                            .actions_enabled(true)
                            .alarm_actions(topic_arn)
                            .send(),
                    )
                    .await?;
                Ok(())
            }
        }
    }
}

async fn ensure_topic(x: &Apply<'_>, t: &AlarmTopic) -> Result<(), CallError> {
    let (r, w) = (&x.reads, &x.writes);
    // The key, once under its alias.
    let kms = crate::client!(aws_sdk_kms, x.session, x.region);
    let found = r
        .call_opt(
            "kms:DescribeKey",
            &["NotFoundException"],
            kms.describe_key().key_id(&t.key_alias).send(),
        )
        .await?;
    if found.is_none() {
        let out = w
            .call(
                "kms:CreateKey",
                kms.create_key()
                    .description("logwarden: encrypts the alarms' SNS topic")
                    .policy(t.key_policy.to_string())
                    .send(),
            )
            .await?;
        let id = out
            .key_metadata()
            .map(|m| m.key_id().to_string())
            .ok_or_else(|| w.error("kms:CreateKey", "Empty", "no key id returned"))?;
        w.call(
            "kms:CreateAlias",
            kms.create_alias()
                .alias_name(&t.key_alias)
                .target_key_id(&id)
                .send(),
        )
        .await?;
        w.call(
            "kms:EnableKeyRotation",
            kms.enable_key_rotation().key_id(&id).send(),
        )
        .await?;
    }
    // The topic, created encrypted when missing; an existing one keeps its settings.
    let sns = crate::client!(aws_sdk_sns, x.session, x.region);
    let arn = crate::arn::Partition(x.partition).arn("sns", x.region, x.account, &t.name);
    let attrs = r
        .call_opt(
            "sns:GetTopicAttributes",
            &["NotFound", "NotFoundException"],
            sns.get_topic_attributes().topic_arn(&arn).send(),
        )
        .await?;
    let current = match attrs {
        Some(a) => a.attributes().and_then(|m| m.get("Policy")).cloned(),
        None => {
            w.call(
                "sns:CreateTopic",
                sns.create_topic()
                    .name(&t.name)
                    .attributes("KmsMasterKeyId", &t.key_alias)
                    .send(),
            )
            .await?;
            r.call(
                "sns:GetTopicAttributes",
                sns.get_topic_attributes().topic_arn(&arn).send(),
            )
            .await?
            .attributes()
            .and_then(|m| m.get("Policy"))
            .cloned()
        }
    };
    let merged = merge_policy(current.as_deref(), &t.topic_statements, "topic policy")
        .map_err(|e| w.error("sns:SetTopicAttributes", "UnreadablePolicy", e.to_string()))?;
    if !same_doc(current.as_deref(), &merged) {
        w.call(
            "sns:SetTopicAttributes",
            sns.set_topic_attributes()
                .topic_arn(&arn)
                .attribute_name("Policy")
                .attribute_value(merged.to_string())
                .send(),
        )
        .await?;
    }
    for (protocol, endpoint) in &t.subscribers {
        subscribe(x, &arn, protocol, endpoint).await?;
    }
    Ok(())
}

/// Subscribe `endpoint` unless it already is (confirmed or pending).
async fn subscribe(
    x: &Apply<'_>,
    topic_arn: &str,
    protocol: &str,
    endpoint: &str,
) -> Result<(), CallError> {
    let sns = crate::client!(aws_sdk_sns, x.session, x.region);
    let pages = x
        .reads
        .pages(
            "sns:ListSubscriptionsByTopic",
            sns.list_subscriptions_by_topic()
                .topic_arn(topic_arn)
                .into_paginator()
                .send(),
        )
        .await?;
    let there = pages
        .iter()
        .flat_map(|p| p.subscriptions())
        .any(|s| s.protocol() == Some(protocol) && s.endpoint() == Some(endpoint));
    if !there {
        x.writes
            .call(
                "sns:Subscribe",
                sns.subscribe()
                    .topic_arn(topic_arn)
                    .protocol(protocol)
                    .endpoint(endpoint)
                    .send(),
            )
            .await?;
    }
    Ok(())
}
