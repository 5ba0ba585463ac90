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

/// Above this many accounts, a vended-logs write statement names every account's prefix with one
/// wildcard, so the bucket policy stays far below S3's 20 KB.
pub const MAX_LISTED_ACCOUNTS: usize = 100;

/// Vended logs delivery (`delivery.logs.amazonaws.com`, behind VPC flow logs and Route 53
/// Resolver query logs), as AWS documents its bucket and key policies: for the organization (or
/// the account), from a `logs` delivery.
fn log_delivery_condition(o: &Origin) -> Value {
    let (key, value) = o.source_condition();
    json!({
        "StringEquals": {key: value},
        "ArnLike": {"aws:SourceArn": crate::arn::Partition(o.partition).arn("logs", "*", "*", "*")}
    })
}

/// The bucket statements of one vended-logs service (`name` in the `Sid`s): the ACL check on
/// the bucket, and writes only under `AWSLogs/ACCOUNT/<service_prefix>/` of each of `accounts`
/// (one wildcard for the account above [`MAX_LISTED_ACCOUNTS`]), with
/// `bucket-owner-full-control`.
pub fn log_delivery_bucket(
    name: &str,
    o: &Origin,
    bucket_arn: &str,
    service_prefix: &str,
    accounts: &std::collections::BTreeSet<&str>,
) -> [Value; 2] {
    let condition = log_delivery_condition(o);
    let mut write = condition.clone();
    write["StringEquals"]["s3:x-amz-acl"] = json!("bucket-owner-full-control");
    let objects = if accounts.is_empty() || accounts.len() > MAX_LISTED_ACCOUNTS {
        json!(format!("{bucket_arn}/AWSLogs/*/{service_prefix}/*"))
    } else {
        let list: Vec<String> = accounts
            .iter()
            .map(|a| format!("{bucket_arn}/AWSLogs/{a}/{service_prefix}/*"))
            .collect();
        match list.as_slice() {
            [one] => json!(one),
            _ => json!(list),
        }
    };
    [
        json!({
            "Sid": format!("Logwarden{name}AclCheck"),
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": condition
        }),
        json!({
            "Sid": format!("Logwarden{name}Write"),
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": write
        }),
    ]
}

/// The key statement of one vended-logs service: data keys only, for objects of the bucket
/// only (the S3 encryption context).
pub fn log_delivery_key(name: &str, o: &Origin, bucket_arn: &str) -> Value {
    let mut condition = log_delivery_condition(o);
    condition["StringLike"] =
        json!({"kms:EncryptionContext:aws:s3:arn": [bucket_arn, format!("{bucket_arn}/*")]});
    json!({
        "Sid": format!("Logwarden{name}Encrypt"),
        "Effect": "Allow",
        "Principal": {"Service": "delivery.logs.amazonaws.com"},
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": condition
    })
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
