//! The compliance crosswalk: the controls of each framework logwarden reports against, and how
//! findings score them. Check → control references live in the check registry; this module
//! lists each framework's controls (so the ones no check can judge are named) and scores them.

use crate::rules::{registry, Finding, Status};
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
];

static CIS_V7: &[Control] = &[
    c("4.1", "Ensure CloudTrail is enabled in all regions"),
    c("4.2", "Ensure CloudTrail log file validation is enabled"),
    c("4.3", "Ensure AWS Config is enabled in all regions"),
    c("4.4", "Ensure that server access logging is enabled on the CloudTrail S3 bucket"),
    c("4.5", "Ensure CloudTrail logs are encrypted at rest using KMS CMKs"),
    c("4.6", "Ensure rotation for customer-created symmetric CMKs is enabled"),
    c("4.7", "Ensure VPC flow logging is enabled in all VPCs"),
    c("4.8", "Ensure that object-level logging for write events is enabled for S3 buckets"),
    c("4.9", "Ensure that object-level logging for read events is enabled for S3 buckets"),
    c("4.10", "Ensure access logging is enabled for CloudFront, ALB/NLB and API Gateway (logwarden judges ALB, CLB and NLB only)"),
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
    c("Route53.2", "Route 53 public hosted zones should log DNS queries"),
];

static NIST: &[Control] = &[
    c("AC-3", "Access Enforcement"),
    c("AU-2", "Event Logging"),
    c("AU-3", "Content of Audit Records"),
    c("AU-4", "Audit Log Storage Capacity"),
    c("AU-5", "Response to Audit Logging Process Failures"),
    c("AU-6", "Audit Record Review, Analysis, and Reporting"),
    c("AU-9", "Protection of Audit Information"),
    c("AU-10", "Non-repudiation"),
    c("AU-11", "Audit Record Retention"),
    c("AU-12", "Audit Record Generation"),
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

    pub fn controls(self) -> &'static [Control] {
        match self {
            Framework::CisAwsV3 => CIS_V3,
            Framework::CisAwsV7 => CIS_V7,
            Framework::AwsFsbp => FSBP,
            Framework::Nist80053 => NIST,
        }
    }

    /// The control ids a finding maps to in this framework.
    pub fn of(self, f: &crate::rules::Frameworks) -> &[String] {
        match self {
            Framework::CisAwsV3 => &f.cis_aws_v3,
            Framework::CisAwsV7 => &f.cis_aws_v7,
            Framework::AwsFsbp => &f.aws_fsbp,
            Framework::Nist80053 => &f.nist_800_53,
        }
    }

    /// The checks of the registry that map to `control`.
    pub fn checks_for(self, control: &str) -> Vec<&'static str> {
        registry()
            .iter()
            .filter(|c| {
                self.of(&c.frameworks.to_frameworks())
                    .iter()
                    .any(|x| x == control)
            })
            .map(|c| c.id)
            .collect()
    }
}

/// How one control fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ControlStatus {
    Pass,
    Fail,
    Unknown,
    NotApplicable,
    /// No logwarden check judges this control.
    NotCovered,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlScore {
    pub control: String,
    pub title: String,
    pub status: ControlStatus,
    pub checks: Vec<String>,
    pub pass: usize,
    pub fail: usize,
    pub unknown: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkScore {
    pub framework: Framework,
    pub title: String,
    /// Passing controls out of the judged ones (pass + fail + unknown), in percent; `None` if none.
    pub score_percent: Option<u32>,
    pub controls_passed: usize,
    pub controls_failed: usize,
    pub controls_unknown: usize,
    pub controls_not_covered: Vec<String>,
    pub controls: Vec<ControlScore>,
}

/// Score a framework from findings (excepted findings count as passing the control's gate).
pub fn score(fw: Framework, findings: &[Finding]) -> FrameworkScore {
    let mut controls = Vec::new();
    for ctl in fw.controls() {
        let checks = fw.checks_for(ctl.id);
        let relevant: Vec<&Finding> = findings
            .iter()
            .filter(|f| fw.of(&f.frameworks).iter().any(|x| x == ctl.id))
            .collect();
        let count = |s: Status| relevant.iter().filter(|f| f.status == s).count();
        let (pass, fail, unknown) = (
            count(Status::Pass) + count(Status::Excepted),
            count(Status::Fail),
            count(Status::Unknown),
        );
        let status = if checks.is_empty() {
            ControlStatus::NotCovered
        } else if fail > 0 {
            ControlStatus::Fail
        } else if unknown > 0 {
            ControlStatus::Unknown
        } else if pass > 0 {
            ControlStatus::Pass
        } else {
            ControlStatus::NotApplicable
        };
        controls.push(ControlScore {
            control: ctl.id.to_string(),
            title: ctl.title.to_string(),
            status,
            checks: checks.iter().map(|s| s.to_string()).collect(),
            pass,
            fail,
            unknown,
        });
    }
    let n = |s: ControlStatus| controls.iter().filter(|c| c.status == s).count();
    let (p, f, u) = (
        n(ControlStatus::Pass),
        n(ControlStatus::Fail),
        n(ControlStatus::Unknown),
    );
    FrameworkScore {
        framework: fw,
        title: fw.title().to_string(),
        score_percent: (p + f + u > 0).then(|| (p * 100 / (p + f + u)) as u32),
        controls_passed: p,
        controls_failed: f,
        controls_unknown: u,
        controls_not_covered: controls
            .iter()
            .filter(|c| c.status == ControlStatus::NotCovered)
            .map(|c| c.control.clone())
            .collect(),
        controls,
    }
}

/// The crosswalk of one framework in Markdown (`docs/frameworks.md` is all four).
pub fn markdown(fw: Framework) -> String {
    let mut s = format!(
        "## {} (`{}`)\n\n| control | title | logwarden checks |\n|---|---|---|\n",
        fw.title(),
        fw.name()
    );
    for ctl in fw.controls() {
        let checks = fw.checks_for(ctl.id);
        let checks = if checks.is_empty() {
            "not covered: logwarden cannot judge this control".to_string()
        } else {
            checks
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        s.push_str(&format!("| {} | {} | {} |\n", ctl.id, ctl.title, checks));
    }
    s
}

pub fn docs_markdown() -> String {
    let mut s = String::from(
        "# Framework crosswalk\n\n<!-- Generated by `logwarden frameworks show --all --format markdown`; a test keeps it in sync. -->\n\n\
         Each finding carries the controls its check maps to. `--framework NAME` filters a report to those checks and scores\n\
         each control: `fail` if any mapped finding fails, else `unknown` if any could not be judged, else `pass`\n\
         (`not_applicable` when nothing was judged). Controls no check covers are listed as not covered.\n\n",
    );
    for fw in Framework::ALL {
        s.push_str(&markdown(fw));
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_reference_is_a_known_control() {
        for check in registry() {
            let f = check.frameworks.to_frameworks();
            for fw in Framework::ALL {
                for id in fw.of(&f) {
                    assert!(
                        fw.controls().iter().any(|c| c.id == id),
                        "{} maps to unknown {} control {id}",
                        check.id,
                        fw.name()
                    );
                }
            }
        }
    }

    #[test]
    fn uncovered_controls_are_named() {
        let s = score(Framework::AwsFsbp, &[]);
        for id in [
            "CloudTrail.10",
            "CloudWatch.16",
            "CloudFront.5",
            "WAF.1",
            "WAF.11",
            "Route53.2",
        ] {
            assert!(s.controls_not_covered.iter().any(|c| c == id), "{id}");
        }
        assert!(score(Framework::CisAwsV3, &[])
            .controls_not_covered
            .is_empty());
        assert_eq!(s.score_percent, None);
    }
}
