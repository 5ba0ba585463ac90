//! The parts of a profile that say *where* and *how* `plan`/`apply` build what the audit
//! requires: the scope, the organization trail, the log archive, bucket name templates and the
//! logging budget. Every key has a default, so an audit-only profile can be planned as is.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which accounts and regions the profile governs (audit, plan and apply alike).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Accounts to include (ids or names); empty means every active account.
    #[serde(default)]
    pub accounts: Vec<String>,
    /// Accounts to leave out (ids or names).
    #[serde(default)]
    pub exclude_accounts: Vec<String>,
    /// Organizational units (ids `ou-...`, nested units included) to include; empty means all.
    #[serde(default)]
    pub organizational_units: Vec<String>,
    /// Organizational units whose accounts (nested units included) are left out.
    #[serde(default)]
    pub exclude_organizational_units: Vec<String>,
    /// Regions to include; empty means every enabled region.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Regions to leave out.
    #[serde(default)]
    pub exclude_regions: Vec<String>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        self == &Scope::default()
    }

    /// Whether an account is in scope, given the OUs (with ancestors) it belongs to.
    pub fn includes_account(&self, id: &str, name: Option<&str>, ous: &[String]) -> bool {
        let named = |list: &[String]| list.iter().any(|a| a == id || Some(a.as_str()) == name);
        let in_ou = |list: &[String]| list.iter().any(|o| ous.contains(o));
        (self.accounts.is_empty() || named(&self.accounts))
            && (self.organizational_units.is_empty() || in_ou(&self.organizational_units))
            && !named(&self.exclude_accounts)
            && !in_ou(&self.exclude_organizational_units)
    }

    pub fn includes_region(&self, region: &str) -> bool {
        (self.regions.is_empty() || self.regions.iter().any(|r| r == region))
            && !self.exclude_regions.iter().any(|r| r == region)
    }

    pub fn uses_ous(&self) -> bool {
        !self.organizational_units.is_empty() || !self.exclude_organizational_units.is_empty()
    }
}

/// The organization trail `apply` creates or completes in the management account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationTrailBaseline {
    #[serde(default = "default_trail_name")]
    pub name: String,
    /// The trail's home region; default: the log archive region.
    #[serde(default)]
    pub home_region: Option<String>,
    #[serde(default = "yes")]
    pub multi_region: bool,
    #[serde(default = "yes")]
    pub include_global_service_events: bool,
    /// Key prefix inside the log archive bucket; default: none.
    #[serde(default)]
    pub s3_key_prefix: Option<String>,
    /// Delivery to CloudWatch Logs, used when `cloudtrail.cloudwatch_logs` is true.
    #[serde(default)]
    pub cloudwatch_logs: CloudWatchLogsDelivery,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudWatchLogsDelivery {
    #[serde(default = "default_log_group")]
    pub log_group: String,
    /// Retention of the log group; an existing longer retention (or none) is kept.
    #[serde(default = "default_retention")]
    pub retention_days: u32,
    /// The IAM role CloudTrail assumes to deliver to the log group.
    #[serde(default = "default_cwl_role")]
    pub role_name: String,
}

/// The CloudWatch Logs destination of flow logs: one log group per account and region, and the
/// role the flow-log service assumes in each account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowLogGroup {
    #[serde(default = "default_flow_log_group")]
    pub log_group: String,
    /// Retention of a log group apply creates (an existing group keeps its own).
    #[serde(default = "default_retention")]
    pub retention_days: u32,
    #[serde(default = "default_flow_log_role")]
    pub role_name: String,
}

impl Default for FlowLogGroup {
    fn default() -> Self {
        FlowLogGroup {
            log_group: default_flow_log_group(),
            retention_days: default_retention(),
            role_name: default_flow_log_role(),
        }
    }
}

fn default_flow_log_group() -> String {
    "/logwarden/vpc-flow-logs".into()
}
fn default_flow_log_role() -> String {
    "logwarden-vpc-flow-logs".into()
}

/// Where the central log-archive bucket lives and how it is named and encrypted. Its
/// protections (versioning, lifecycle, Object Lock...) are the `trail_bucket` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogArchiveBaseline {
    /// Account id or name; default: the management account.
    #[serde(default)]
    pub account: Option<String>,
    /// Region of the bucket; default: the region logwarden signs global calls in.
    #[serde(default)]
    pub region: Option<String>,
    /// Bucket name template: `{org_id}`, `{account_id}`, `{region}`, `{management_account_id}`.
    #[serde(default = "default_archive_bucket")]
    pub bucket_name: String,
    /// `create` (a customer-managed key with rotation, found again by `kms_key_alias`) or the
    /// ARN of an existing key. Used when `cloudtrail.kms_encryption` is true.
    #[serde(default = "default_kms_key")]
    pub kms_key: String,
    #[serde(default = "default_kms_alias")]
    pub kms_key_alias: String,
}

/// Budget notification: when to alert and whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetNotification {
    #[serde(rename = "type")]
    pub kind: NotificationKind,
    pub threshold_percent: f64,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub sns_topics: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    Actual,
    Forecasted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum BudgetPeriod {
    MONTHLY,
    QUARTERLY,
    ANNUALLY,
}

impl BudgetPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetPeriod::MONTHLY => "MONTHLY",
            BudgetPeriod::QUARTERLY => "QUARTERLY",
            BudgetPeriod::ANNUALLY => "ANNUALLY",
        }
    }
}

/// Placeholders a bucket name template may use.
pub const PLACEHOLDERS: &[&str] = &["org_id", "account_id", "region", "management_account_id"];

/// Values for a bucket name template.
#[derive(Debug, Clone, Default)]
pub struct TemplateValues<'a> {
    pub org_id: &'a str,
    pub account_id: &'a str,
    pub region: &'a str,
    pub management_account_id: &'a str,
}

/// Fill a bucket name template. Unknown placeholders were rejected when the profile was read.
pub fn render_template(template: &str, v: &TemplateValues) -> String {
    template
        .replace("{org_id}", v.org_id)
        .replace("{account_id}", v.account_id)
        .replace("{region}", v.region)
        .replace("{management_account_id}", v.management_account_id)
}

/// Placeholders used by a template, or the first unknown one.
pub fn template_placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(rest[start..].to_string());
        };
        let name = &rest[start + 1..start + len];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!("{{{name}}}"));
        }
        out.push(name);
        rest = &rest[start + len + 1..];
    }
    Ok(out)
}

/// Whether a rendered name is a valid S3 bucket name (3–63 lowercase letters, digits, dots,
/// hyphens; starts and ends with a letter or digit).
pub fn valid_bucket_name(name: &str) -> bool {
    let b = name.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'.')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

pub(crate) fn yes() -> bool {
    true
}
fn default_trail_name() -> String {
    "logwarden-organization-trail".into()
}
fn default_log_group() -> String {
    "/logwarden/organization-trail".into()
}
fn default_retention() -> u32 {
    365
}
fn default_cwl_role() -> String {
    "logwarden-cloudtrail-cloudwatch-logs".into()
}
fn default_archive_bucket() -> String {
    "{org_id}-logs-{account_id}".into()
}
fn default_kms_key() -> String {
    "create".into()
}
fn default_kms_alias() -> String {
    "alias/logwarden-log-archive".into()
}
pub(crate) fn default_access_log_bucket() -> String {
    "{org_id}-s3-access-logs-{account_id}-{region}".into()
}
pub(crate) fn default_elb_bucket() -> String {
    "{org_id}-elb-logs-{account_id}-{region}".into()
}
pub(crate) fn default_budget_name() -> String {
    "logwarden-logging-cost".into()
}
pub(crate) fn default_budget_services() -> Vec<String> {
    [
        "AWS CloudTrail",
        "AWS Config",
        "AmazonCloudWatch",
        "Amazon Simple Storage Service",
    ]
    .map(String::from)
    .to_vec()
}
pub(crate) fn default_currency() -> String {
    "USD".into()
}
pub(crate) fn default_period() -> BudgetPeriod {
    BudgetPeriod::MONTHLY
}
pub(crate) fn default_aggregator() -> String {
    "logwarden-organization".into()
}

/// Tags a VPC must carry to be in scope for flow logs (empty: every VPC).
pub type TagFilter = BTreeMap<String, String>;

impl Default for OrganizationTrailBaseline {
    fn default() -> Self {
        OrganizationTrailBaseline {
            name: default_trail_name(),
            home_region: None,
            multi_region: true,
            include_global_service_events: true,
            s3_key_prefix: None,
            cloudwatch_logs: CloudWatchLogsDelivery::default(),
        }
    }
}
impl Default for CloudWatchLogsDelivery {
    fn default() -> Self {
        CloudWatchLogsDelivery {
            log_group: default_log_group(),
            retention_days: default_retention(),
            role_name: default_cwl_role(),
        }
    }
}
impl Default for LogArchiveBaseline {
    fn default() -> Self {
        LogArchiveBaseline {
            account: None,
            region: None,
            bucket_name: default_archive_bucket(),
            kms_key: default_kms_key(),
            kms_key_alias: default_kms_alias(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_render_and_reject_unknown_placeholders() {
        let v = TemplateValues {
            org_id: "o-abc",
            account_id: "111111111111",
            region: "eu-west-1",
            management_account_id: "222222222222",
        };
        assert_eq!(
            render_template("{org_id}-logs-{account_id}-{region}", &v),
            "o-abc-logs-111111111111-eu-west-1"
        );
        assert_eq!(
            template_placeholders("{org_id}-x-{region}").unwrap(),
            vec!["org_id", "region"]
        );
        assert_eq!(template_placeholders("{orgid}-x").unwrap_err(), "{orgid}");
        assert!(template_placeholders("x-{org_id").is_err());
    }

    #[test]
    fn bucket_names_are_checked() {
        assert!(valid_bucket_name("o-abc-logs-111111111111"));
        assert!(!valid_bucket_name("O-ABC"));
        assert!(!valid_bucket_name("ab"));
        assert!(!valid_bucket_name(&"a".repeat(64)));
        assert!(!valid_bucket_name("-abc"));
    }

    #[test]
    fn scope_filters_accounts_by_id_name_and_ou() {
        let s = Scope {
            organizational_units: vec!["ou-prod".into()],
            exclude_accounts: vec!["Sandbox".into()],
            ..Scope::default()
        };
        let ous = vec!["ou-prod".to_string(), "r-root".to_string()];
        assert!(s.includes_account("1", Some("App"), &ous));
        assert!(!s.includes_account("2", Some("Sandbox"), &ous));
        assert!(!s.includes_account("3", Some("Dev"), &["ou-dev".into()]));
        let r = Scope {
            exclude_regions: vec!["us-west-2".into()],
            ..Scope::default()
        };
        assert!(r.includes_region("us-east-1") && !r.includes_region("us-west-2"));
    }
}
