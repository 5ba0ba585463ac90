//! The resources that hold the logs, by the account that holds them: the log buckets (trail
//! buckets, access-log targets, flow-log and load-balancer log buckets), the KMS keys trails
//! encrypt with and the log groups trails deliver to; and where that list may be incomplete. An
//! S3, KMS or CloudWatch Logs action is judged on these (an SCP that denies `s3:PutBucketPolicy`
//! on the log buckets protects them; one that denies it on every bucket would stop all work).

use super::policy::Target;
use std::collections::BTreeMap;

/// What kind of log resource an action acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Bucket,
    Key,
    LogGroup,
}

impl Kind {
    /// The kind of resource an action is judged on, `None` for actions judged on every resource
    /// (`cloudtrail:StopLogging`).
    pub fn of(action: &str) -> Option<Kind> {
        match action.split_once(':')?.0.to_ascii_lowercase().as_str() {
            "s3" => Some(Kind::Bucket),
            "kms" => Some(Kind::Key),
            "logs" => Some(Kind::LogGroup),
            _ => None,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Kind::Bucket => "log bucket",
            Kind::Key => "log encryption key",
            Kind::LogGroup => "trail log group",
        }
    }
}

/// The log resources of the organization, and the reads that could have named more.
#[derive(Debug, Clone, Default)]
pub struct LogResources {
    /// Account → (kind, ARN).
    held: BTreeMap<String, Vec<(Kind, String)>>,
    /// (account, or every account when `None`; kind; what could not be read).
    doubts: Vec<(Option<String>, Kind, String)>,
}

impl LogResources {
    /// A log resource `account` holds (`arn`: a bucket's, a key's, a log group's without `:*`).
    pub fn add(&mut self, account: &str, kind: Kind, arn: String) {
        let v = self.held.entry(account.to_string()).or_default();
        if !v.iter().any(|(k, a)| *k == kind && *a == arn) {
            v.push((kind, arn));
        }
    }

    /// A failed read that could have named resources of `kind` in `account` (every account
    /// when `None`).
    pub fn doubt(&mut self, account: Option<&str>, kind: Kind, why: impl Into<String>) {
        self.doubts
            .push((account.map(String::from), kind, why.into()));
    }

    /// Every known resource of `kind`, for a policy document.
    pub fn arns(&self, kind: Kind) -> Vec<String> {
        let mut v: Vec<String> = self
            .held
            .values()
            .flatten()
            .filter(|(k, _)| *k == kind)
            .map(|(_, a)| a.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// What `action` must be denied on for `account`: every resource for most actions; for S3,
    /// KMS and CloudWatch Logs, the log resources the account holds (and a pattern for those a
    /// failed read could have named). `None` when the account holds none and no read failed.
    pub fn targets(&self, partition: &str, account: &str, action: &str) -> Option<Vec<Target>> {
        let Some(kind) = Kind::of(action) else {
            return Some(vec![Target::any()]);
        };
        let object = kind == Kind::Bucket && action.to_ascii_lowercase().contains("object");
        let forms = |arn: &str| -> Vec<String> {
            match kind {
                Kind::Bucket if object => vec![format!("{arn}/*")],
                Kind::LogGroup => vec![arn.to_string(), format!("{arn}:*")],
                _ => vec![arn.to_string()],
            }
        };
        let mut out: Vec<Target> = self
            .held
            .get(account)
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k == kind)
            .map(|(_, arn)| Target::known(forms(arn)))
            .collect();
        if let Some((_, _, why)) = self
            .doubts
            .iter()
            .find(|(a, k, _)| *k == kind && a.as_deref().is_none_or(|a| a == account))
        {
            let pattern = match kind {
                Kind::Bucket if object => format!("arn:{partition}:s3:::*/*"),
                Kind::Bucket => format!("arn:{partition}:s3:::*"),
                Kind::Key => format!("arn:{partition}:kms:*:{account}:key/*"),
                Kind::LogGroup => format!("arn:{partition}:logs:*:{account}:log-group:*"),
            };
            out.push(Target::unread(pattern, why.clone()));
        }
        (!out.is_empty()).then_some(out)
    }
}

/// A log group's ARN as IAM names it: CloudTrail gives `...:log-group:NAME:*`.
pub fn log_group(arn: &str) -> String {
    arn.strip_suffix(":*").unwrap_or(arn).to_string()
}
