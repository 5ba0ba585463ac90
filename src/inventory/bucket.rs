//! An S3 bucket as the inventory holds it: its region and server access logging (read for every
//! bucket), and, for the buckets logs are delivered to and the buckets `plan` manages, the
//! settings that protect the logs in them. Several sources read it (S3 access logs, the trail
//! buckets' checks, CloudTrail's data-event probes) and the shared bucket planner
//! (`crate::plan::bucket`) brings it up to a spec; the S3 access logs source collects it.

use super::{aws_enum, Collected};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub name: String,
    pub region: Collected<String>,
    /// Server access logging target, `None` when logging is off.
    pub logging: Collected<Option<BucketLoggingTarget>>,
    /// Read only for buckets a trail delivers to, and the buckets `plan` manages.
    pub details: Option<BucketDetails>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketLoggingTarget {
    pub target_bucket: String,
    pub target_prefix: String,
    /// The date-based key format (`PartitionedPrefix`): `EventTime` or `DeliveryTime`, the date
    /// the keys' folders carry; `None` for the default flat format (`SimplePrefix`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitioned_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketDetails {
    pub versioning: Collected<Versioning>,
    pub public_access_block: Collected<Option<PublicAccessBlock>>,
    /// `Some(true)` when the bucket policy makes the bucket public.
    pub policy_is_public: Collected<Option<bool>>,
    /// Grants of the bucket ACL to everyone or to any AWS account ("READ to AllUsers"); empty
    /// when there are none, or when ACLs are ignored (public access block) or disabled (Object
    /// Ownership BucketOwnerEnforced).
    #[serde(default = "crate::inventory::not_collected")]
    pub acl_public_grants: Collected<Vec<String>>,
    /// The bucket policy document, `None` when there is none.
    pub policy: Collected<Option<String>>,
    pub lifecycle_rules: Collected<Vec<LifecycleRule>>,
    pub object_lock: Collected<Option<ObjectLock>>,
    /// Default encryption (read for the buckets `plan` manages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Collected<Option<BucketEncryption>>>,
}

/// Whether every statement of a bucket policy that allows anything names its principals by
/// fixed values (an account, a role, a service such as `cloudtrail.amazonaws.com`): such a policy
/// is never public. Amazon S3 treats a policy as public unless each of its statements grants
/// access only to fixed values of a principal or of certain condition keys (S3 User Guide, "The
/// meaning of public"); this is the principal half of that test, enough for the policies logs
/// are delivered under. `false` when a statement allows a wildcard or a policy variable, uses
/// `NotPrincipal`, or the document cannot be read: S3's own verdict
/// (`GetBucketPolicyStatus`) is needed then.
pub fn policy_grants_only_fixed_principals(policy: &str) -> bool {
    use serde_json::Value;
    let Ok(doc) = serde_json::from_str::<Value>(policy) else {
        return false;
    };
    let statements = match &doc["Statement"] {
        Value::Array(v) => v.iter().collect::<Vec<_>>(),
        v @ Value::Object(_) => vec![v],
        _ => return false,
    };
    let fixed = |v: &Value| {
        v.as_str()
            .is_some_and(|s| !s.contains('*') && !s.contains('$'))
    };
    statements.iter().all(|s| {
        if s["Effect"] != "Allow" {
            return true;
        }
        if s.get("NotPrincipal").is_some() {
            return false;
        }
        match &s["Principal"] {
            Value::Object(by_kind) => {
                !by_kind.is_empty()
                    && by_kind.values().all(|v| match v {
                        Value::Array(a) => !a.is_empty() && a.iter().all(fixed),
                        v => fixed(v),
                    })
            }
            _ => false,
        }
    })
}

aws_enum! {
    /// A bucket's default encryption.
    pub enum SseAlgorithm {
        Aes256 = "AES256",
        Kms = "aws:kms",
        KmsDsse = "aws:kms:dsse",
    }
}

impl SseAlgorithm {
    /// SSE-KMS of either kind.
    pub fn is_kms(&self) -> bool {
        matches!(self, SseAlgorithm::Kms | SseAlgorithm::KmsDsse)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketEncryption {
    pub algorithm: SseAlgorithm,
    pub kms_key_id: Option<String>,
}

aws_enum! {
    /// Versioning of a bucket that has ever had it.
    pub enum VersioningStatus {
        Enabled = "Enabled",
        Suspended = "Suspended",
    }
}

aws_enum! {
    /// Whether deleting versions needs the root user's MFA.
    pub enum MfaDelete {
        Enabled = "Enabled",
        Disabled = "Disabled",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versioning {
    /// `None` when versioning was never enabled.
    pub status: Option<VersioningStatus>,
    pub mfa_delete: Option<MfaDelete>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// All four settings on: no ACL or policy can make the bucket public.
    pub fn all_on(&self) -> bool {
        self.block_public_acls
            && self.ignore_public_acls
            && self.block_public_policy
            && self.restrict_public_buckets
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LifecycleRule {
    pub id: Option<String>,
    pub enabled: bool,
    /// The rule's prefix or filter prefix; empty means the whole bucket.
    pub prefix: String,
    pub transitions: Vec<LifecycleTransition>,
    pub expiration_days: Option<i32>,
    pub noncurrent_expiration_days: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abort_incomplete_upload_days: Option<i32>,
    /// A date-based expiration (`Expiration.Date`, RFC 3339, midnight UTC): S3 expires every
    /// object the rule acts on from that date, and keeps doing so for every object written
    /// after it while the rule is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<String>,
    /// The rule's filter names object tags (`Tag`, or tags in `And`): it acts only on objects
    /// carrying them, and AWS's log deliveries (CloudTrail, S3 server access logs, flow logs,
    /// load balancers, Config, vended logs) write untagged objects.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tag_filtered: bool,
    /// The rule's filter bounds object sizes (`ObjectSizeGreaterThan`, `ObjectSizeLessThan`):
    /// it acts on some log objects, and no one can say which.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub size_filtered: bool,
}

#[cfg(test)]
impl LifecycleRule {
    /// An enabled rule with no id that expires the objects under `prefix` after `days` days, and
    /// nothing else (for tests).
    pub fn expiring(prefix: &str, days: i32) -> LifecycleRule {
        LifecycleRule {
            id: None,
            enabled: true,
            prefix: prefix.into(),
            transitions: vec![],
            expiration_days: Some(days),
            noncurrent_expiration_days: None,
            abort_incomplete_upload_days: None,
            expiration_date: None,
            tag_filtered: false,
            size_filtered: false,
        }
    }
}

impl LifecycleRule {
    /// How many days a log written at `now` is kept under this rule: its `Days`, or for a
    /// date-based rule the days left until the date, none once it has passed (S3 goes on
    /// expiring every new object after the date). Without a known `now` a date counts as
    /// passed. `None`: the rule expires nothing.
    pub fn expires_after(&self, now: Option<time::OffsetDateTime>) -> Option<i32> {
        let by_date =
            self.expiration_date
                .as_deref()
                .map(|d| match (crate::timefmt::parse(d), now) {
                    (Some(at), Some(now)) => {
                        (at - now).whole_days().clamp(0, i64::from(i32::MAX)) as i32
                    }
                    _ => 0,
                });
        match (self.expiration_days, by_date) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The rule acts on every log object written under `prefix`: enabled, not limited by tags
    /// or sizes, and its prefix holds the log path (`AWSLogs/` for `AWSLogs/111/`). What a
    /// baseline's transitions or latest expiry can count on.
    pub fn covers(&self, prefix: &str) -> bool {
        self.touches(prefix) && !self.size_filtered && prefix.starts_with(&self.prefix)
    }

    /// The rule acts on some log objects written under `prefix`: enabled, not limited to tagged
    /// objects (logs are untagged), and its prefix holds the log path or lies inside it (a
    /// region's or a year's folder). What decides how soon any log can expire, so how far back
    /// the logs can answer.
    pub fn touches(&self, prefix: &str) -> bool {
        self.enabled
            && !self.tag_filtered
            && (prefix.starts_with(&self.prefix) || self.prefix.starts_with(prefix))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LifecycleTransition {
    pub days: i32,
    pub storage_class: String,
}

aws_enum! {
    /// Object Lock default retention mode.
    pub enum RetentionMode {
        Governance = "GOVERNANCE",
        Compliance = "COMPLIANCE",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectLock {
    pub enabled: bool,
    /// The default retention mode, when one is set.
    pub mode: Option<RetentionMode>,
    pub days: Option<i32>,
    pub years: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::policy_grants_only_fixed_principals as fixed;

    fn doc(statements: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":{statements}}}"#)
    }

    #[test]
    fn a_policy_is_known_not_public_only_when_every_allow_names_its_principals() {
        let cases = [
            // CloudTrail's delivery statements, and a TLS-only deny to everyone.
            (
                r#"[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::b"},
                    {"Effect":"Allow","Principal":{"Service":["cloudtrail.amazonaws.com","config.amazonaws.com"]},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"},
                    {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]"#,
                true,
            ),
            (
                r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","444455556666"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                true,
            ),
            // Everyone, in each of its spellings, and wildcards inside a principal.
            (
                r#"[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]"#,
                false,
            ),
            (
                r#"[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]"#,
                false,
            ),
            (
                r#"[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::*:root"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]"#,
                false,
            ),
            // NotPrincipal in an Allow grants to everyone else.
            (
                r#"[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]"#,
                false,
            ),
            // Nothing to go on: S3 must say.
            (
                r#"[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]"#,
                false,
            ),
            (
                r#"[{"Effect":"Allow","Principal":{"AWS":[]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]"#,
                false,
            ),
            (r#""not a list""#, false),
        ];
        for (statements, want) in cases {
            assert_eq!(fixed(&doc(statements)), want, "{statements}");
        }
        assert!(!fixed("{not json"));
        // Only denies: nothing is granted, so nothing is public.
        assert!(fixed(&doc(
            r#"[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::b/*"}]"#
        )));
    }
}
