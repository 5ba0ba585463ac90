//! The statements of a load balancer log bucket.

use crate::plan::policies::{bucket_arn, deny_insecure_transport};
use serde_json::{json, Value};

/// The ELB account of regions launched before August 2022 (newer regions use the
/// `logdelivery.elasticloadbalancing.amazonaws.com` service principal).
pub fn elb_account(region: &str) -> Option<&'static str> {
    Some(match region {
        "us-east-1" => "127311923021",
        "us-east-2" => "033677994240",
        "us-west-1" => "027434742980",
        "us-west-2" => "797873946194",
        "af-south-1" => "098369216593",
        "ap-east-1" => "754344448648",
        "ap-southeast-3" => "589379963580",
        "ap-south-1" => "718504428378",
        "ap-northeast-3" => "383597477331",
        "ap-northeast-2" => "600734575887",
        "ap-southeast-1" => "114774131450",
        "ap-southeast-2" => "783225319266",
        "ap-northeast-1" => "582318560864",
        "ca-central-1" => "985666609251",
        "eu-central-1" => "054676820928",
        "eu-west-1" => "156460612806",
        "eu-west-2" => "652711504416",
        "eu-south-1" => "635631232127",
        "eu-west-3" => "009996457667",
        "eu-north-1" => "897822967062",
        "me-south-1" => "076674570225",
        "sa-east-1" => "507241528517",
        "us-gov-west-1" => "048591011584",
        "us-gov-east-1" => "190560391635",
        _ => return None,
    })
}

/// A load-balancer log bucket: ALB/CLB delivery (regional ELB account or the log-delivery
/// service principal) and NLB delivery (through `delivery.logs.amazonaws.com`).
pub fn elb_bucket(partition: &str, bucket: &str, account_id: &str, region: &str) -> Vec<Value> {
    let arn = bucket_arn(partition, bucket);
    let objects = format!("{arn}/AWSLogs/{account_id}/*");
    let principal = match elb_account(region) {
        Some(acct) => json!({"AWS": crate::arn::Partition(partition).account_root(acct)}),
        None => json!({"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}),
    };
    vec![
        json!({
            "Sid": "LogwardenElbAccessLogs",
            "Effect": "Allow",
            "Principal": principal,
            "Action": "s3:PutObject",
            "Resource": objects
        }),
        json!({
            "Sid": "LogwardenNlbAccessLogsAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}
        }),
        json!({
            "Sid": "LogwardenNlbAccessLogsWrite",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"StringEquals": {
                "s3:x-amz-acl": "bucket-owner-full-control",
                "aws:SourceAccount": account_id
            }}
        }),
        deny_insecure_transport(partition, bucket),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_regions_use_the_elb_service_principal() {
        let v = elb_bucket("aws", "e", "2", "ap-south-2");
        assert_eq!(
            v[0]["Principal"]["Service"],
            "logdelivery.elasticloadbalancing.amazonaws.com"
        );
        let v = elb_bucket("aws", "e", "2", "eu-west-1");
        assert_eq!(v[0]["Principal"]["AWS"], "arn:aws:iam::156460612806:root");
    }
}
