//! The check catalogue: stable IDs, metadata and framework references, in one place.
//!
//! IDs are a public contract (reports, exceptions, CI gates): never rename or reuse one.
//! `docs/checks.md` is generated from this registry and a test keeps it in sync.

use super::{buckets, budgets, cloudtrail, config, network, Ctx, Frameworks, Raw, Severity};
use serde::Serialize;

/// What one finding of the check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Organization,
    Account,
    AccountRegion,
    Trail,
    TrailKmsKey,
    Bucket,
    Vpc,
    LoadBalancer,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Organization => "organization",
            Scope::Account => "account",
            Scope::AccountRegion => "account × region",
            Scope::Trail => "trail",
            Scope::TrailKmsKey => "trail KMS key",
            Scope::Bucket => "bucket",
            Scope::Vpc => "VPC",
            Scope::LoadBalancer => "load balancer",
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct FrameworkRefs {
    pub cis_aws_v3: &'static [&'static str],
    pub cis_aws_v7: &'static [&'static str],
    pub aws_fsbp: &'static [&'static str],
    pub nist_800_53: &'static [&'static str],
}

impl FrameworkRefs {
    pub fn to_frameworks(&self) -> Frameworks {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        Frameworks {
            cis_aws_v3: v(self.cis_aws_v3),
            cis_aws_v7: v(self.cis_aws_v7),
            aws_fsbp: v(self.aws_fsbp),
            nist_800_53: v(self.nist_800_53),
        }
    }
}

#[derive(Clone, Copy, Serialize)]
pub struct CheckDef {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub scope: Scope,
    /// What the check reads.
    pub looks_at: &'static str,
    /// Why an incident responder cares.
    pub rationale: &'static str,
    pub remediation: &'static str,
    pub frameworks: FrameworkRefs,
    #[serde(skip)]
    pub eval: fn(&Ctx) -> Vec<Raw>,
}

const fn fw(
    cis_aws_v3: &'static [&'static str],
    cis_aws_v7: &'static [&'static str],
    aws_fsbp: &'static [&'static str],
    nist_800_53: &'static [&'static str],
) -> FrameworkRefs {
    FrameworkRefs {
        cis_aws_v3,
        cis_aws_v7,
        aws_fsbp,
        nist_800_53,
    }
}

/// The catalogue, in report order.
pub fn registry() -> &'static [CheckDef] {
    REGISTRY
}

static REGISTRY: &[CheckDef] = &[
    CheckDef {
        id: "cloudtrail.coverage",
        title: "Every account and region is recorded by a logging trail with read and write management events",
        severity: Severity::Critical,
        scope: Scope::AccountRegion,
        looks_at: "DescribeTrails (with shadow trails), GetTrailStatus and GetEventSelectors of each trail; organization trails of the management account cover every member, multi-region trails cover every region",
        rationale: "Management events are the first thing a responder reads: who did what, from where. A region or account without them is a blind spot an attacker can use.",
        remediation: "Create an organization trail in the management account (multi-region, read and write management events) or make an existing trail multi-region and start its logging: `aws cloudtrail create-trail --is-organization-trail --is-multi-region-trail ...` then `aws cloudtrail start-logging`.",
        frameworks: fw(&["3.1"], &["4.1"], &["CloudTrail.1", "CloudTrail.3"], &["AU-2", "AU-12"]),
        eval: cloudtrail::coverage,
    },
    CheckDef {
        id: "cloudtrail.logging",
        title: "The trail is logging and delivering",
        severity: Severity::Critical,
        scope: Scope::Trail,
        looks_at: "GetTrailStatus: IsLogging and LatestDeliveryError",
        rationale: "A trail that exists but is stopped, or whose delivery fails (bucket policy, KMS), records nothing a responder can read.",
        remediation: "Start logging (`aws cloudtrail start-logging --name TRAIL`) and fix the delivery error: the bucket policy must allow cloudtrail.amazonaws.com to write, and the KMS key policy must allow it to encrypt.",
        frameworks: fw(&["3.1"], &["4.1"], &["CloudTrail.3"], &["AU-5", "AU-12"]),
        eval: cloudtrail::logging,
    },
    CheckDef {
        id: "cloudtrail.log_file_validation",
        title: "Log file integrity validation is enabled",
        severity: Severity::Medium,
        scope: Scope::Trail,
        looks_at: "DescribeTrails: LogFileValidationEnabled",
        rationale: "Digest files prove the logs were not altered or deleted after delivery: evidence that holds up.",
        remediation: "`aws cloudtrail update-trail --name TRAIL --enable-log-file-validation`.",
        frameworks: fw(&["3.2"], &["4.2"], &["CloudTrail.4"], &["AU-9", "AU-10"]),
        eval: cloudtrail::log_file_validation,
    },
    CheckDef {
        id: "cloudtrail.kms_encryption",
        title: "The trail's logs are encrypted with a KMS key",
        severity: Severity::Medium,
        scope: Scope::Trail,
        looks_at: "DescribeTrails: KmsKeyId",
        rationale: "SSE-KMS adds a second permission (kms:Decrypt) between a compromised S3 reader and the logs, and an audit trail of who decrypted them.",
        remediation: "Create a customer-managed key whose policy lets cloudtrail.amazonaws.com encrypt, then `aws cloudtrail update-trail --name TRAIL --kms-key-id KEY_ARN`.",
        frameworks: fw(&["3.5"], &["4.5"], &["CloudTrail.2"], &["AU-9", "SC-28"]),
        eval: cloudtrail::kms_encryption,
    },
    CheckDef {
        id: "cloudtrail.kms_key_rotation",
        title: "The trail's KMS key is rotated",
        severity: Severity::Medium,
        scope: Scope::TrailKmsKey,
        looks_at: "DescribeKey (KeyManager) and GetKeyRotationStatus of the trail's key",
        rationale: "Rotation limits how much data one compromised key version protects.",
        remediation: "`aws kms enable-key-rotation --key-id KEY_ARN`.",
        frameworks: fw(&["3.6"], &["4.6"], &["KMS.4"], &["SC-12", "SC-28"]),
        eval: cloudtrail::kms_key_rotation,
    },
    CheckDef {
        id: "cloudtrail.cloudwatch_logs",
        title: "The trail delivers to CloudWatch Logs",
        severity: Severity::Low,
        scope: Scope::Trail,
        looks_at: "DescribeTrails: CloudWatchLogsLogGroupArn; GetTrailStatus: LatestCloudWatchLogsDeliveryError",
        rationale: "CloudWatch Logs makes events searchable within minutes and drives metric filters and alarms, without waiting for S3 delivery.",
        remediation: "Create a log group and a role CloudTrail can assume (logs:CreateLogStream, logs:PutLogEvents), then `aws cloudtrail update-trail --name TRAIL --cloud-watch-logs-log-group-arn ARN --cloud-watch-logs-role-arn ROLE`.",
        frameworks: fw(&[], &[], &["CloudTrail.5"], &["AU-6"]),
        eval: cloudtrail::cloudwatch_logs,
    },
    CheckDef {
        id: "cloudtrail.insights",
        title: "CloudTrail Insights are enabled as the baseline says",
        severity: Severity::Low,
        scope: Scope::Trail,
        looks_at: "GetInsightSelectors (only when DescribeTrails reports insight selectors)",
        rationale: "Insights flag unusual API call and error rates: credential misuse and enumeration often show up there first.",
        remediation: "`aws cloudtrail put-insight-selectors --trail-name TRAIL --insight-selectors '[{\"InsightType\":\"ApiCallRateInsight\"},{\"InsightType\":\"ApiErrorRateInsight\"}]'`.",
        frameworks: fw(&[], &[], &[], &["AU-6"]),
        eval: cloudtrail::insights,
    },
    CheckDef {
        id: "cloudtrail.s3_data_events",
        title: "Object-level S3 read and write events are recorded",
        severity: Severity::Medium,
        scope: Scope::Account,
        looks_at: "Basic and advanced event selectors of every logging trail covering the account, evaluated against each bucket (log buckets excluded) and any future bucket",
        rationale: "Data exfiltration from S3 (GetObject) and tampering (PutObject, DeleteObject) are invisible in management events.",
        remediation: "Add an advanced event selector for eventCategory=Data, resources.type=AWS::S3::Object on the organization trail, excluding the log buckets with NotStartsWith on resources.ARN (to avoid a logging feedback loop).",
        frameworks: fw(&["3.8", "3.9"], &["4.8", "4.9"], &["S3.22", "S3.23"], &["AU-2", "AU-12"]),
        eval: cloudtrail::s3_data_events,
    },
    CheckDef {
        id: "cloudtrail.lambda_data_events",
        title: "Lambda invocation events are recorded",
        severity: Severity::Low,
        scope: Scope::Account,
        looks_at: "Basic and advanced event selectors of every logging trail covering the account (Invoke on AWS::Lambda::Function)",
        rationale: "Who invoked which function, and when, is how responders trace abuse of serverless workloads.",
        remediation: "Add an advanced event selector for eventCategory=Data, resources.type=AWS::Lambda::Function on the organization trail.",
        frameworks: fw(&[], &[], &[], &["AU-2", "AU-12"]),
        eval: cloudtrail::lambda_data_events,
    },
    CheckDef {
        id: "cloudtrail.duplicate_management_events",
        title: "Management events are recorded by only one trail",
        severity: Severity::Low,
        scope: Scope::AccountRegion,
        looks_at: "Every logging trail covering the account and region that records management events",
        rationale: "The first copy of management events is free; every further copy is billed ($2 per 100,000 events), a common silent cost next to an organization or Control Tower trail.",
        remediation: "Keep the organization trail; stop recording management events on the other trails (data-event-only selectors) or delete them.",
        frameworks: fw(&[], &[], &[], &[]),
        eval: cloudtrail::duplicate_management_events,
    },
    CheckDef {
        id: "trail_bucket.access_logging",
        title: "Server access logging is enabled on the trail bucket",
        severity: Severity::Medium,
        scope: Scope::Bucket,
        looks_at: "GetBucketLogging of each bucket a trail delivers to",
        rationale: "Access logs show who read or deleted the audit logs themselves.",
        remediation: "`aws s3api put-bucket-logging --bucket BUCKET --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"ACCESS_LOG_BUCKET\",\"TargetPrefix\":\"BUCKET/\"}}'`.",
        frameworks: fw(&["3.4"], &["4.4"], &["CloudTrail.7"], &["AU-2", "AU-9"]),
        eval: buckets::access_logging,
    },
    CheckDef {
        id: "trail_bucket.mfa_delete",
        title: "MFA delete is enabled on the trail bucket (when the baseline asks)",
        severity: Severity::Low,
        scope: Scope::Bucket,
        looks_at: "GetBucketVersioning: MFADelete",
        rationale: "MFA delete stops a stolen access key from deleting log versions. It needs the root user and cannot be combined with lifecycle rules.",
        remediation: "Manual, as the bucket owner's root user with its MFA device: `aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"SERIAL CODE\"`.",
        frameworks: fw(&["2.1.2"], &[], &["S3.20"], &["AU-9"]),
        eval: buckets::mfa_delete,
    },
    CheckDef {
        id: "trail_bucket.versioning",
        title: "Versioning is enabled on the trail bucket",
        severity: Severity::Medium,
        scope: Scope::Bucket,
        looks_at: "GetBucketVersioning: Status",
        rationale: "With versioning, an overwritten or deleted log file can be recovered.",
        remediation: "`aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled`.",
        frameworks: fw(&[], &[], &["S3.14"], &["AU-9", "AU-11"]),
        eval: buckets::versioning,
    },
    CheckDef {
        id: "trail_bucket.public_access",
        title: "The trail bucket is not public",
        severity: Severity::Critical,
        scope: Scope::Bucket,
        looks_at: "GetPublicAccessBlock (all four settings) and GetBucketPolicyStatus",
        rationale: "Public audit logs hand an attacker a map of the organization.",
        remediation: "`aws s3api put-public-access-block --bucket BUCKET --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true` and remove public grants from the policy.",
        frameworks: fw(&["2.1.4"], &[], &["CloudTrail.6"], &["AU-9", "AC-3"]),
        eval: buckets::public_access,
    },
    CheckDef {
        id: "trail_bucket.lifecycle",
        title: "The trail bucket's lifecycle keeps logs as long as the baseline says, in the tiers it names",
        severity: Severity::Medium,
        scope: Scope::Bucket,
        looks_at: "GetBucketLifecycleConfiguration: enabled whole-bucket rules, transitions and expiration",
        rationale: "Investigations reach back months; logs that expire too early cannot answer, and logs kept in STANDARD forever cost more than needed.",
        remediation: "Add (merge, do not replace) a whole-bucket lifecycle rule with the baseline's transitions and an expiration no shorter than its retention.",
        frameworks: fw(&[], &[], &[], &["AU-11"]),
        eval: buckets::lifecycle,
    },
    CheckDef {
        id: "trail_bucket.object_lock",
        title: "Object Lock retention on the trail bucket (when the baseline asks)",
        severity: Severity::Low,
        scope: Scope::Bucket,
        looks_at: "GetObjectLockConfiguration: default retention mode and period",
        rationale: "Object Lock (WORM) keeps even an administrator from deleting the evidence during the retention period.",
        remediation: "Object Lock can only be enabled on a new bucket or through AWS Support: create a bucket with Object Lock and the default retention, and point the trail at it.",
        frameworks: fw(&[], &[], &[], &["AU-9", "AU-11"]),
        eval: buckets::object_lock,
    },
    CheckDef {
        id: "trail_bucket.tls_only",
        title: "The trail bucket policy denies requests without TLS",
        severity: Severity::Medium,
        scope: Scope::Bucket,
        looks_at: "GetBucketPolicy: a Deny for all principals when aws:SecureTransport is false",
        rationale: "Audit logs in transit must not be readable or alterable on the network.",
        remediation: "Add a statement {\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[BUCKET_ARN, BUCKET_ARN/*],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}} to the bucket policy (merged with the existing statements).",
        frameworks: fw(&["2.1.1"], &[], &["S3.5"], &["SC-8", "AU-9"]),
        eval: buckets::tls_only,
    },
    CheckDef {
        id: "config.recorder",
        title: "AWS Config records all supported resources in every region",
        severity: Severity::High,
        scope: Scope::AccountRegion,
        looks_at: "DescribeConfigurationRecorders and DescribeConfigurationRecorderStatus",
        rationale: "Config's resource history answers \"what did this security group look like at 03:12?\".",
        remediation: "`aws configservice put-configuration-recorder` with allSupported=true, then a delivery channel, then `aws configservice start-configuration-recorder`.",
        frameworks: fw(&["3.3"], &["4.3"], &["Config.1"], &["CM-8", "AU-12"]),
        eval: config::recorder,
    },
    CheckDef {
        id: "config.global_resources",
        title: "Global resource types (IAM) are recorded in exactly one region",
        severity: Severity::Low,
        scope: Scope::Account,
        looks_at: "includeGlobalResourceTypes of every recording recorder of the account",
        rationale: "IAM changes must be recorded once: never is a gap, more than once is duplicated cost.",
        remediation: "Set includeGlobalResourceTypes=true on the recorder of one region (the baseline's, if it names one) and false elsewhere.",
        frameworks: fw(&["3.3"], &["4.3"], &["Config.1"], &["CM-8"]),
        eval: config::global_resources,
    },
    CheckDef {
        id: "config.delivery",
        title: "AWS Config has a delivery channel",
        severity: Severity::High,
        scope: Scope::AccountRegion,
        looks_at: "DescribeDeliveryChannels",
        rationale: "Without a delivery channel the recorder cannot start and nothing reaches the log archive.",
        remediation: "`aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=LOG_ARCHIVE_BUCKET`.",
        frameworks: fw(&["3.3"], &["4.3"], &["Config.1"], &["CM-8", "AU-9"]),
        eval: config::delivery,
    },
    CheckDef {
        id: "config.aggregator",
        title: "An organization-wide Config aggregator exists",
        severity: Severity::Medium,
        scope: Scope::Organization,
        looks_at: "DescribeConfigurationAggregators in the scanned accounts (management or delegated administrator)",
        rationale: "One place to query configuration history across every account during an incident.",
        remediation: "In the management or Config delegated administrator account: `aws configservice put-configuration-aggregator --configuration-aggregator-name org --organization-aggregation-source RoleArn=ROLE,AllAwsRegions=true`.",
        frameworks: fw(&[], &[], &[], &["AU-6", "CM-8"]),
        eval: config::aggregator,
    },
    CheckDef {
        id: "vpc.flow_logs",
        title: "Every VPC has an active flow log capturing the baseline's traffic",
        severity: Severity::Medium,
        scope: Scope::Vpc,
        looks_at: "DescribeVpcs and DescribeFlowLogs (one call per account and region): VPC-level flow logs, status ACTIVE, traffic type",
        rationale: "Flow logs show lateral movement and exfiltration paths that no API log shows.",
        remediation: "`aws ec2 create-flow-logs --resource-type VPC --resource-ids VPC_ID --traffic-type ALL --log-destination-type s3 --log-destination LOG_ARCHIVE_BUCKET_ARN`.",
        frameworks: fw(&["3.7"], &["4.7"], &["EC2.6"], &["AU-12", "SI-4"]),
        eval: network::flow_logs,
    },
    CheckDef {
        id: "elb.access_logs",
        title: "Load balancers write access logs (ALB and CLB; NLB when the baseline asks)",
        severity: Severity::Medium,
        scope: Scope::LoadBalancer,
        looks_at: "DescribeLoadBalancers and DescribeLoadBalancerAttributes (ELBv2 and Classic)",
        rationale: "Access logs carry client IPs, paths and user agents of every request: the web side of an intrusion.",
        remediation: "ALB/NLB: `aws elbv2 modify-load-balancer-attributes --attributes Key=access_logs.s3.enabled,Value=true Key=access_logs.s3.bucket,Value=ELB_LOG_BUCKET`; CLB: `aws elb modify-load-balancer-attributes --load-balancer-attributes AccessLog={Enabled=true,S3BucketName=ELB_LOG_BUCKET}`.",
        frameworks: fw(&[], &["4.10"], &["ELB.5"], &["AU-12"]),
        eval: network::elb_access_logs,
    },
    CheckDef {
        id: "s3.access_logging",
        title: "S3 buckets have server access logging (except access-log target buckets)",
        severity: Severity::Low,
        scope: Scope::Bucket,
        looks_at: "ListBuckets and GetBucketLogging of every bucket",
        rationale: "Server access logs record requests that data events do not (and cost nothing but storage).",
        remediation: "`aws s3api put-bucket-logging --bucket BUCKET --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"ACCESS_LOG_BUCKET\",\"TargetPrefix\":\"BUCKET/\"}}'` (target in the same account and region, SSE-S3).",
        frameworks: fw(&[], &[], &["S3.9"], &["AU-2", "AU-12"]),
        eval: network::s3_access_logging,
    },
    CheckDef {
        id: "budgets.logging_cost",
        title: "A cost budget with a notification covers CloudTrail",
        severity: Severity::Low,
        scope: Scope::Account,
        looks_at: "DescribeBudgets and DescribeNotificationsForBudget in the management account",
        rationale: "Data events and duplicate trails can multiply the logging bill silently; a budget alert catches it before someone turns logging off to save money.",
        remediation: "`aws budgets create-budget` with BudgetType=COST, a Service cost filter including AWS CloudTrail (or none), and at least one notification.",
        frameworks: fw(&[], &[], &[], &[]),
        eval: budgets::logging_cost,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for c in registry() {
            assert!(seen.insert(c.id), "duplicate id {}", c.id);
            assert!(
                c.id.chars().all(|ch| ch.is_ascii_lowercase()
                    || ch == '.'
                    || ch == '_'
                    || ch.is_ascii_digit()),
                "{}",
                c.id
            );
            assert!(!c.remediation.is_empty() && !c.rationale.is_empty());
        }
        assert_eq!(registry().len(), 25);
    }
}
