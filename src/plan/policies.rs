//! What every policy statement logwarden writes shares: a `Sid` starting with `Logwarden` (so
//! merges can tell them from everyone else's), one service granted the least it needs, tied to
//! the organization (`aws:SourceOrgID`), the account (`aws:SourceAccount`) or the resource
//! (`aws:SourceArn`); and the Deny of any request not made over TLS every bucket gets. Each
//! source writes its own statements (`src/sources/<source>/policies.rs`).

use serde_json::{json, Value};

/// Who the delivering services act for: the organization, or one account outside one.
#[derive(Debug, Clone)]
pub struct Origin<'a> {
    pub partition: &'a str,
    pub org_id: Option<&'a str>,
    pub management_account_id: &'a str,
}

impl Origin<'_> {
    /// `aws:SourceOrgID` = the organization, or `aws:SourceAccount` = the account.
    pub fn source_condition(&self) -> (String, Value) {
        match self.org_id {
            Some(org) => ("aws:SourceOrgID".into(), json!(org)),
            None => (
                "aws:SourceAccount".into(),
                json!(self.management_account_id),
            ),
        }
    }
}

pub fn bucket_arn(partition: &str, bucket: &str) -> String {
    crate::arn::Partition(partition).s3_bucket(bucket)
}

/// Deny every request to the bucket not made over TLS.
pub fn deny_insecure_transport(partition: &str, bucket: &str) -> Value {
    let arn = bucket_arn(partition, bucket);
    json!({
        "Sid": "LogwardenDenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn.clone(), format!("{arn}/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    })
}

pub fn prefixed(bucket_arn: &str, prefix: Option<&str>, rest: &str) -> String {
    match prefix.filter(|p| !p.is_empty()) {
        Some(p) => format!("{bucket_arn}/{}/{rest}", p.trim_matches('/')),
        None => format!("{bucket_arn}/{rest}"),
    }
}

/// A log-delivery service: it may check the bucket's ACL and list it, and write objects with
/// the bucket owner in full control, for the organization (or account) only.
pub fn service_delivery(
    name: &str,
    principal: &str,
    bucket_arn: &str,
    objects: String,
    (key, value): (&str, &Value),
) -> [Value; 2] {
    [
        json!({
            "Sid": format!("Logwarden{name}AclCheck"),
            "Effect": "Allow",
            "Principal": {"Service": principal},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": bucket_arn,
            "Condition": {"StringEquals": {key: value}}
        }),
        json!({
            "Sid": format!("Logwarden{name}Write"),
            "Effect": "Allow",
            "Principal": {"Service": principal},
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"StringEquals": {
                "s3:x-amz-acl": "bucket-owner-full-control",
                key: value
            }}
        }),
    ]
}
