//! The statements CloudTrail needs: to deliver the organization trail's logs to the log archive
//! bucket and encrypt them with its key (each tied to the trail by `aws:SourceArn`), and the
//! role it assumes to deliver to CloudWatch Logs.

use crate::plan::policies::{bucket_arn, prefixed, Origin};
use crate::plan::Lookup;
use crate::sources::PlanCtx;
use serde_json::{json, Value};

/// The organization trail's statements in the log archive bucket policy: under the key prefix
/// the trail writes with, its own when an adopted trail already delivers there (plan never
/// changes where a trail's logs go), else the profile's.
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    let bucket = &crate::sources::log_archive::archive(ctx).bucket;
    let prefix = match super::plan::managed_trail(ctx) {
        Lookup::Found(t) if t.s3_bucket_name.as_deref() == Some(bucket.as_str()) => {
            t.s3_key_prefix.as_deref()
        }
        _ => ctx.b.organization_trail.s3_key_prefix.as_deref(),
    };
    bucket_statements(
        &ctx.origin(),
        bucket,
        prefix,
        crate::sources::cloudtrail::plan::trail_arn(ctx),
    )
}

/// CloudTrail checks the bucket's ACL and writes under `<prefix>/AWSLogs/<management>/` and
/// `<prefix>/AWSLogs/<org-id>/`, for the organization trail only.
pub fn bucket_statements(
    o: &Origin,
    bucket: &str,
    trail_prefix: Option<&str>,
    trail_arn: &str,
) -> Vec<Value> {
    let arn = bucket_arn(o.partition, bucket);
    let mut trail_objects = vec![prefixed(
        &arn,
        trail_prefix,
        &format!("AWSLogs/{}/*", o.management_account_id),
    )];
    if let Some(org) = o.org_id {
        trail_objects.push(prefixed(&arn, trail_prefix, &format!("AWSLogs/{org}/*")));
    }
    vec![
        json!({
            "Sid": "LogwardenCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
            "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}}
        }),
        json!({
            "Sid": "LogwardenCloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": trail_objects,
            "Condition": {"StringEquals": {
                "s3:x-amz-acl": "bucket-owner-full-control",
                "aws:SourceArn": trail_arn
            }}
        }),
    ]
}

/// The organization trail's statements in the log archive key policy.
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    key_statements(
        &ctx.origin(),
        crate::sources::cloudtrail::plan::trail_arn(ctx),
    )
}

/// CloudTrail encrypts (and describes the key) for the organization trail only.
pub fn key_statements(o: &Origin, trail_arn: &str) -> Vec<Value> {
    let trails = crate::arn::Partition(o.partition).arn(
        "cloudtrail",
        "*",
        o.management_account_id,
        "trail/*",
    );
    vec![
        json!({
            "Sid": "LogwardenCloudTrailEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceArn": trail_arn},
                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": trails}
            }
        }),
        json!({
            "Sid": "LogwardenCloudTrailDescribeKey",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}}
        }),
    ]
}

/// The role CloudTrail assumes to write to CloudWatch Logs: trust and permissions.
pub fn cloudwatch_logs_role(
    partition: &str,
    management: &str,
    org_id: Option<&str>,
    region: &str,
    log_group: &str,
    trail_arn: &str,
) -> (Value, Value) {
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenCloudTrailAssume",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}}
        }]
    });
    let group = crate::arn::Partition(partition).arn(
        "logs",
        region,
        management,
        &format!("log-group:{log_group}"),
    );
    let mut streams = vec![format!(
        "{group}:log-stream:{management}_CloudTrail_{region}*"
    )];
    if let Some(org) = org_id {
        streams.push(format!("{group}:log-stream:{org}_*"));
    }
    let permissions = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenCloudTrailDelivery",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": streams
        }]
    });
    (trust, permissions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin<'static> {
        Origin {
            partition: "aws",
            org_id: Some("o-abc"),
            management_account_id: "111111111111",
        }
    }

    #[test]
    fn the_trail_writes_under_its_prefix_for_the_management_account_and_the_organization() {
        let trail = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org";
        let v = bucket_statements(&origin(), "b", Some("/ct/"), trail);
        let sids: Vec<&str> = v.iter().filter_map(|s| s["Sid"].as_str()).collect();
        assert_eq!(
            sids,
            ["LogwardenCloudTrailAclCheck", "LogwardenCloudTrailWrite"]
        );
        assert_eq!(
            v[1]["Resource"],
            json!([
                "arn:aws:s3:::b/ct/AWSLogs/111111111111/*",
                "arn:aws:s3:::b/ct/AWSLogs/o-abc/*"
            ])
        );
        assert_eq!(v[1]["Condition"]["StringEquals"]["aws:SourceArn"], trail);
        let alone = Origin {
            org_id: None,
            ..origin()
        };
        assert_eq!(
            bucket_statements(&alone, "b", None, trail)[1]["Resource"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn key_statements_name_the_partition() {
        let o = Origin {
            partition: "aws-us-gov",
            ..origin()
        };
        let v = key_statements(
            &o,
            "arn:aws-us-gov:cloudtrail:us-gov-west-1:111111111111:trail/t",
        );
        assert_eq!(
            v[0]["Condition"]["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"],
            "arn:aws-us-gov:cloudtrail:*:111111111111:trail/*"
        );
    }
}
