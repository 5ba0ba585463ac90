//! The statements AWS Config needs: to deliver to the log archive bucket and encrypt with its
//! key, for the organization (or the account) only; and the role the aggregator assumes.

use crate::plan::policies::{bucket_arn, service_delivery};
use crate::sources::PlanCtx;
use serde_json::{json, Value};

/// Config's statements in the log archive bucket policy, when Config delivers there.
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    if !(ctx.b.config.recorder && ctx.b.config.delivery_channel) {
        return vec![];
    }
    let o = ctx.origin();
    let arn = bucket_arn(
        o.partition,
        &crate::sources::log_archive::archive(ctx).bucket,
    );
    let (key, value) = o.source_condition();
    service_delivery(
        "Config",
        "config.amazonaws.com",
        &arn,
        format!("{arn}/AWSLogs/*/Config/*"),
        (&key, &value),
    )
    .to_vec()
}

/// Config's statement in the log archive key policy.
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    let (key, value) = ctx.origin().source_condition();
    vec![json!({
        "Sid": "LogwardenConfigEncrypt",
        "Effect": "Allow",
        "Principal": {"Service": "config.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": "*",
        "Condition": {"StringEquals": {key: value}}
    })]
}

/// Trust for the role AWS Config assumes to aggregate the organization.
pub fn config_aggregator_trust(management: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenConfigAssume",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": management}}
        }]
    })
}

/// What the aggregator role may do: read the organization's accounts (the actions of AWS's
/// `AWSConfigRoleForOrganizations`, written inline so the role needs no managed policy).
pub fn config_aggregator_permissions() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenConfigAggregation",
            "Effect": "Allow",
            "Action": [
                "organizations:ListAccounts",
                "organizations:DescribeOrganization",
                "organizations:ListAWSServiceAccessForOrganization",
                "organizations:ListDelegatedAdministrators"
            ],
            "Resource": "*"
        }]
    })
}
