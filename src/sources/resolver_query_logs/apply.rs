//! What apply does for Resolver query logging: find (or create) the account's query-logging
//! configuration in the region, then associate the VPCs with it.

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations: the log delivery behind
/// an S3 destination (AWS: "Permissions required to configure Resolver query logging").
pub const IMPLIED: &[&str] = &[
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
];

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// The configuration named `config_name` (created, delivering to `destination_arn`, when
    /// the account has none by that name), associated with each VPC.
    EnsureQueryLogging {
        config_name: String,
        destination_arn: String,
        vpc_ids: Vec<String>,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnsureQueryLogging { .. } => "route53resolver:AssociateResolverQueryLogConfig",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let Op::EnsureQueryLogging {
            config_name,
            destination_arn,
            vpc_ids,
        } = self;
        let client = crate::client!(aws_sdk_route53resolver, x.session, x.region);
        // Re-read: a run interrupted after the creation finds its configuration again.
        let pages = x
            .reads
            .pages(
                "route53resolver:ListResolverQueryLogConfigs",
                client
                    .list_resolver_query_log_configs()
                    .into_paginator()
                    .send(),
            )
            .await?;
        let existing = pages
            .iter()
            .flat_map(|p| p.resolver_query_log_configs())
            .find(|c| {
                c.name() == Some(config_name.as_str())
                    && c.owner_id() == Some(x.account)
                    && !matches!(
                        c.status().map(|s| s.as_str()),
                        Some("DELETING") | Some("FAILED")
                    )
            })
            .and_then(|c| c.id().map(String::from));
        let id = match existing {
            Some(id) => id,
            None => x
                .writes
                .call(
                    "route53resolver:CreateResolverQueryLogConfig",
                    client
                        .create_resolver_query_log_config()
                        .name(config_name)
                        .destination_arn(destination_arn)
                        .creator_request_id(format!(
                            "logwarden-{}-{}-{config_name}",
                            x.account, x.region
                        ))
                        .send(),
                )
                .await?
                .resolver_query_log_config()
                .and_then(|c| c.id().map(String::from))
                .ok_or_else(|| {
                    x.writes.error(
                        "route53resolver:CreateResolverQueryLogConfig",
                        "Empty",
                        "no configuration id returned",
                    )
                })?,
        };
        for vpc in vpc_ids {
            x.writes
                .call_opt(
                    "route53resolver:AssociateResolverQueryLogConfig",
                    &["ResourceExistsException"],
                    client
                        .associate_resolver_query_log_config()
                        .resolver_query_log_config_id(&id)
                        .resource_id(vpc)
                        .send(),
                )
                .await?;
        }
        Ok(())
    }
}
