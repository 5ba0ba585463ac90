//! The policy statements logwarden writes. Each has a `Sid` starting with `Logwarden` (so
//! merges can tell them from everyone else's), grants one service the least it needs, and is
//! tied to the organization (`aws:SourceOrgID`), the account (`aws:SourceAccount`) or the trail
//! (`aws:SourceArn`). Buckets also get a Deny of any request not made over TLS.

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
    fn source_condition(&self) -> (String, Value) {
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
    format!("arn:{partition}:s3:::{bucket}")
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

fn prefixed(bucket_arn: &str, prefix: Option<&str>, rest: &str) -> String {
    match prefix.filter(|p| !p.is_empty()) {
        Some(p) => format!("{bucket_arn}/{}/{rest}", p.trim_matches('/')),
        None => format!("{bucket_arn}/{rest}"),
    }
}

/// The log archive: CloudTrail (the organization trail only), Config and VPC flow logs deliver.
pub fn archive_bucket(
    o: &Origin,
    bucket: &str,
    trail_prefix: Option<&str>,
    trail_arn: &str,
    config: bool,
    flow_logs: bool,
    tls_only: bool,
) -> Vec<Value> {
    let arn = bucket_arn(o.partition, bucket);
    let (src_key, src_val) = o.source_condition();
    let mut trail_objects = vec![prefixed(
        &arn,
        trail_prefix,
        &format!("AWSLogs/{}/*", o.management_account_id),
    )];
    if let Some(org) = o.org_id {
        trail_objects.push(prefixed(&arn, trail_prefix, &format!("AWSLogs/{org}/*")));
    }
    let mut v = vec![
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
    ];
    if config {
        v.extend(service_delivery(
            "Config",
            "config.amazonaws.com",
            &arn,
            format!("{arn}/AWSLogs/*/Config/*"),
            (&src_key, &src_val),
        ));
    }
    if flow_logs {
        v.extend(service_delivery(
            "FlowLogs",
            "delivery.logs.amazonaws.com",
            &arn,
            format!("{arn}/AWSLogs/*"),
            (&src_key, &src_val),
        ));
    }
    if tls_only {
        v.push(deny_insecure_transport(o.partition, bucket));
    }
    v
}

/// A log-delivery service: it may check the bucket's ACL and list it, and write objects with
/// the bucket owner in full control, for the organization (or account) only.
fn service_delivery(
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
                "ArnLike": {"aws:SourceArn": format!("arn:{partition}:s3:::*")}
            }
        }),
        deny_insecure_transport(partition, bucket),
    ]
}

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
        Some(acct) => json!({"AWS": format!("arn:{partition}:iam::{acct}:root")}),
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

/// The log archive key: CloudTrail encrypts for the organization trail only; Config and flow
/// logs encrypt for accounts of the organization; readers in the key's account decrypt trail
/// logs through IAM.
pub fn archive_key(o: &Origin, trail_arn: &str, key_account: &str) -> Vec<Value> {
    let (src_key, src_val) = o.source_condition();
    let p = o.partition;
    vec![
        json!({
            "Sid": "LogwardenCloudTrailEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceArn": trail_arn},
                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": format!("arn:{p}:cloudtrail:*:{}:trail/*", o.management_account_id)}
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
        json!({
            "Sid": "LogwardenConfigEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {src_key.clone(): src_val.clone()}}
        }),
        json!({
            "Sid": "LogwardenFlowLogsEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {src_key: src_val}}
        }),
        json!({
            "Sid": "LogwardenDecryptTrailLogs",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:{p}:iam::{key_account}:root")},
            "Action": ["kms:Decrypt", "kms:ReEncryptFrom"],
            "Resource": "*",
            "Condition": {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}}
        }),
    ]
}

/// The whole policy of a key logwarden creates: the account's IAM keeps administering it (the
/// key's default statement, so it can never be locked out), plus [`archive_key`].
pub fn new_key_policy(partition: &str, key_account: &str, owned: Vec<Value>) -> Value {
    let mut statements = vec![json!({
        "Sid": "EnableIamUserPermissions",
        "Effect": "Allow",
        "Principal": {"AWS": format!("arn:{partition}:iam::{key_account}:root")},
        "Action": "kms:*",
        "Resource": "*"
    })];
    statements.extend(owned);
    json!({"Version": "2012-10-17", "Statement": statements})
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
    let group = format!("arn:{partition}:logs:{region}:{management}:log-group:{log_group}");
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

/// The role VPC Flow Logs assumes in an account to write to its log groups.
pub fn flow_logs_role(partition: &str, account: &str, log_group: &str) -> (Value, Value) {
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenFlowLogsAssume",
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": format!("arn:{partition}:ec2:*:{account}:vpc-flow-log/*")}
            }
        }]
    });
    let permissions = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenFlowLogsDelivery",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
            "Resource": [
                format!("arn:{partition}:logs:*:{account}:log-group:{log_group}"),
                format!("arn:{partition}:logs:*:{account}:log-group:{log_group}:*")
            ]
        }]
    });
    (trust, permissions)
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

    fn sids(v: &[Value]) -> Vec<&str> {
        v.iter().filter_map(|s| s["Sid"].as_str()).collect()
    }

    #[test]
    fn every_statement_is_owned_and_conditioned() {
        let trail = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org";
        let all: Vec<Value> = [
            archive_bucket(&origin(), "b", Some("ct"), trail, true, true, true),
            access_log_bucket("aws", "a", "222222222222"),
            elb_bucket("aws", "e", "222222222222", "us-east-1"),
            archive_key(&origin(), trail, "333333333333"),
        ]
        .concat();
        for s in &all {
            let sid = s["Sid"].as_str().unwrap();
            assert!(sid.starts_with("Logwarden"), "{sid}");
            let is_elb_account = sid == "LogwardenElbAccessLogs";
            assert!(
                s.get("Condition").is_some() || is_elb_account,
                "{sid} has no condition"
            );
        }
        let tls = all
            .iter()
            .filter(|s| s["Sid"] == "LogwardenDenyInsecureTransport")
            .count();
        assert_eq!(tls, 3, "every bucket denies non-TLS access");
    }

    #[test]
    fn the_trail_writes_under_its_prefix_for_the_management_account_and_the_organization() {
        let trail = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org";
        let v = archive_bucket(&origin(), "b", Some("/ct/"), trail, false, false, false);
        assert_eq!(
            sids(&v),
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
    }

    #[test]
    fn outside_an_organization_sources_are_the_account() {
        let o = Origin {
            org_id: None,
            ..origin()
        };
        let v = archive_bucket(&o, "b", None, "t", true, false, false);
        assert_eq!(
            v[2]["Condition"]["StringEquals"]["aws:SourceAccount"],
            "111111111111"
        );
        assert_eq!(v[1]["Resource"].as_array().unwrap().len(), 1);
    }

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
