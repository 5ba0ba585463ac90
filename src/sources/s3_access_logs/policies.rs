//! The statements of an S3 server-access-log target bucket.

use crate::plan::policies::{bucket_arn, deny_insecure_transport};
use serde_json::{json, Value};

/// An S3 server-access-log target: only S3's logging service, for buckets of its own account.
pub fn access_log_bucket(partition: &str, bucket: &str, account_id: &str) -> Vec<Value> {
    let arn = bucket_arn(partition, bucket);
    vec![
        json!({
            "Sid": "LogwardenS3ServerAccessLogs",
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": format!("{arn}/*"),
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account_id},
                "ArnLike": {"aws:SourceArn": crate::arn::Partition(partition).s3_bucket("*")}
            }
        }),
        deny_insecure_transport(partition, bucket),
    ]
}
