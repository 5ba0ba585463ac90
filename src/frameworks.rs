//! The compliance frameworks logwarden reports against and their controls (so the ones no check
//! can judge are named). Check → control references live with each check; scoring is
//! [`crate::report::crosswalk`]. Adding a framework is a variant here, its controls, and the
//! references in the checks that judge it.

use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    CisAwsV3,
    CisAwsV7,
    AwsFsbp,
    #[serde(rename = "nist-800-53")]
    Nist80053,
}

pub struct Control {
    pub id: &'static str,
    pub title: &'static str,
}

const fn c(id: &'static str, title: &'static str) -> Control {
    Control { id, title }
}

static CIS_V3: &[Control] = &[
    c(
        "2.1.1",
        "Ensure S3 bucket policy is set to deny HTTP requests",
    ),
    c("2.1.2", "Ensure MFA Delete is enabled on S3 buckets"),
    c(
        "2.1.4",
        "Ensure that S3 is configured with 'Block Public Access' enabled",
    ),
    c("3.1", "Ensure CloudTrail is enabled in all regions"),
    c("3.2", "Ensure CloudTrail log file validation is enabled"),
    c("3.3", "Ensure AWS Config is enabled in all regions"),
    c(
        "3.4",
        "Ensure that server access logging is enabled on the CloudTrail S3 bucket",
    ),
    c(
        "3.5",
        "Ensure CloudTrail logs are encrypted at rest using KMS CMKs",
    ),
    c(
        "3.6",
        "Ensure rotation for customer-created symmetric CMKs is enabled",
    ),
    c("3.7", "Ensure VPC flow logging is enabled in all VPCs"),
    c(
        "3.8",
        "Ensure that object-level logging for write events is enabled for S3 buckets",
    ),
    c(
        "3.9",
        "Ensure that object-level logging for read events is enabled for S3 buckets",
    ),
    c("4.1", "Ensure unauthorized API calls are monitored"),
    c(
        "4.2",
        "Ensure management console sign-in without MFA is monitored",
    ),
    c("4.3", "Ensure usage of the 'root' account is monitored"),
    c("4.4", "Ensure IAM policy changes are monitored"),
    c(
        "4.5",
        "Ensure CloudTrail configuration changes are monitored",
    ),
    c(
        "4.6",
        "Ensure AWS Management Console authentication failures are monitored",
    ),
    c(
        "4.7",
        "Ensure disabling or scheduled deletion of customer created CMKs is monitored",
    ),
    c("4.8", "Ensure S3 bucket policy changes are monitored"),
    c(
        "4.9",
        "Ensure AWS Config configuration changes are monitored",
    ),
    c("4.10", "Ensure security group changes are monitored"),
    c(
        "4.11",
        "Ensure Network Access Control Lists (NACL) changes are monitored",
    ),
    c("4.12", "Ensure changes to network gateways are monitored"),
    c("4.13", "Ensure route table changes are monitored"),
    c("4.14", "Ensure VPC changes are monitored"),
    c("4.15", "Ensure AWS Organizations changes are monitored"),
    c("4.16", "Ensure AWS Security Hub is enabled"),
];

static CIS_V7: &[Control] = &[
    c("4.1", "Ensure CloudTrail is enabled in all regions"),
    c("4.2", "Ensure CloudTrail log file validation is enabled"),
    c("4.3", "Ensure AWS Config is enabled in all regions"),
    c(
        "4.4",
        "Ensure that server access logging is enabled on the CloudTrail S3 bucket",
    ),
    c(
        "4.5",
        "Ensure CloudTrail logs are encrypted at rest using KMS CMKs",
    ),
    c(
        "4.6",
        "Ensure rotation for customer-created symmetric CMKs is enabled",
    ),
    c("4.7", "Ensure VPC flow logging is enabled in all VPCs"),
    c(
        "4.8",
        "Ensure that object-level logging for write events is enabled for S3 buckets",
    ),
    c(
        "4.9",
        "Ensure that object-level logging for read events is enabled for S3 buckets",
    ),
    c(
        "4.10",
        "Ensure access logging is enabled for CloudFront, ALB/NLB and API Gateway",
    ),
    c("5.16", "Ensure AWS Security Hub is enabled"),
];

static FSBP: &[Control] = &[
    c("CloudTrail.1", "CloudTrail should be enabled with at least one multi-Region trail that includes read and write management events"),
    c("CloudTrail.2", "CloudTrail should have encryption at-rest enabled"),
    c("CloudTrail.3", "At least one CloudTrail trail should be enabled"),
    c("CloudTrail.4", "CloudTrail log file validation should be enabled"),
    c("CloudTrail.5", "CloudTrail trails should be integrated with Amazon CloudWatch Logs"),
    c("CloudTrail.6", "Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible"),
    c("CloudTrail.7", "Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket"),
    c("CloudTrail.10", "CloudTrail Lake event data stores should be encrypted with customer managed KMS keys"),
    c("Config.1", "AWS Config should be enabled and use the service-linked role for resource recording"),
    c("EC2.6", "VPC flow logging should be enabled in all VPCs"),
    c("EC2.51", "EC2 Client VPN endpoints should have client connection logging enabled"),
    c("ELB.5", "Application and Classic Load Balancers logging should be enabled"),
    c("S3.5", "S3 general purpose buckets should require requests to use SSL"),
    c("S3.9", "S3 general purpose buckets should have server access logging enabled"),
    c("S3.14", "S3 general purpose buckets should have versioning enabled"),
    c("S3.20", "S3 general purpose buckets should have MFA delete enabled"),
    c("S3.22", "S3 general purpose buckets should log object-level write events"),
    c("S3.23", "S3 general purpose buckets should log object-level read events"),
    c("KMS.4", "AWS KMS key rotation should be enabled"),
    c("CloudWatch.16", "CloudWatch log groups should be retained for a specified time period"),
    c("CloudFront.5", "CloudFront distributions should have logging enabled"),
    c("WAF.1", "AWS WAF Classic Global Web ACL logging should be enabled"),
    c("WAF.11", "AWS WAF web ACL logging should be enabled"),
    c("NetworkFirewall.2", "Network Firewall logging should be enabled"),
    c("Route53.2", "Route 53 public hosted zones should log DNS queries"),
    c("GuardDuty.1", "GuardDuty should be enabled"),
    c("EKS.8", "EKS clusters should have audit logging enabled"),
    c("APIGateway.1", "API Gateway REST and WebSocket API execution logging should be enabled"),
    c("APIGateway.9", "Access logging should be configured for API Gateway V2 Stages"),
    c("Opensearch.4", "OpenSearch domain error logging to CloudWatch Logs should be enabled"),
    c("Opensearch.5", "OpenSearch domains should have audit logging enabled"),
    c("RDS.9", "RDS DB instances should publish logs to CloudWatch Logs"),
    c("RDS.34", "Aurora MySQL DB clusters should publish audit logs to CloudWatch Logs"),
    c("RDS.36", "RDS for PostgreSQL DB instances should publish logs to CloudWatch Logs"),
    c("RDS.37", "Aurora PostgreSQL DB clusters should publish logs to CloudWatch Logs"),
    c("RDS.40", "RDS for SQL Server DB instances should publish logs to CloudWatch Logs"),
    c("Redshift.4", "Amazon Redshift clusters should have audit logging enabled"),
    c("StepFunctions.1", "Step Functions state machines should have logging turned on"),
];

static NIST: &[Control] = &[
    c("AC-3", "Access Enforcement"),
    c("AC-17", "Remote Access"),
    c("AU-2", "Event Logging"),
    c("AU-3", "Content of Audit Records"),
    c("AU-4", "Audit Log Storage Capacity"),
    c("AU-5", "Response to Audit Logging Process Failures"),
    c("AU-6", "Audit Record Review, Analysis, and Reporting"),
    c("AU-9", "Protection of Audit Information"),
    c("AU-10", "Non-repudiation"),
    c("AU-11", "Audit Record Retention"),
    c("AU-12", "Audit Record Generation"),
    c("CA-7", "Continuous Monitoring"),
    c("CM-8", "System Component Inventory"),
    c("SC-8", "Transmission Confidentiality and Integrity"),
    c("SC-12", "Cryptographic Key Establishment and Management"),
    c("SC-28", "Protection of Information at Rest"),
    c("SI-4", "System Monitoring"),
];

impl Framework {
    pub const ALL: [Framework; 4] = [
        Framework::CisAwsV3,
        Framework::CisAwsV7,
        Framework::AwsFsbp,
        Framework::Nist80053,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Framework::CisAwsV3 => "cis-aws-v3",
            Framework::CisAwsV7 => "cis-aws-v7",
            Framework::AwsFsbp => "aws-fsbp",
            Framework::Nist80053 => "nist-800-53",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Framework::CisAwsV3 => "CIS AWS Foundations Benchmark v3.0",
            Framework::CisAwsV7 => "CIS AWS Foundations Benchmark v7.0",
            Framework::AwsFsbp => "AWS Foundational Security Best Practices",
            Framework::Nist80053 => "NIST SP 800-53 Rev. 5",
        }
    }

    /// The column title in tables (`CIS v3.0`, `AWS FSBP`...).
    pub fn short_title(self) -> &'static str {
        match self {
            Framework::CisAwsV3 => "CIS v3.0",
            Framework::CisAwsV7 => "CIS v7.0",
            Framework::AwsFsbp => "AWS FSBP",
            Framework::Nist80053 => "NIST 800-53",
        }
    }

    pub fn controls(self) -> &'static [Control] {
        match self {
            Framework::CisAwsV3 => CIS_V3,
            Framework::CisAwsV7 => CIS_V7,
            Framework::AwsFsbp => FSBP,
            Framework::Nist80053 => NIST,
        }
    }

    /// The key of this framework in a finding's `frameworks` object (`cis_aws_v3`...).
    pub fn key(self) -> &'static str {
        match self {
            Framework::CisAwsV3 => "cis_aws_v3",
            Framework::CisAwsV7 => "cis_aws_v7",
            Framework::AwsFsbp => "aws_fsbp",
            Framework::Nist80053 => "nist_800_53",
        }
    }

    pub fn from_key(key: &str) -> Option<Framework> {
        Framework::ALL.into_iter().find(|f| f.key() == key)
    }
}
