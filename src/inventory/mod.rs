//! The collected inventory: a serde model of everything the collectors read from AWS.
//!
//! This is the seam between collection (each source's `collect.rs`, driven by
//! [`crate::aws::collect`]) and judgement (each source's `checks.rs`). It holds no SDK types,
//! so a saved inventory (`--save-inventory`) can be re-judged later against any baseline
//! (`--from-inventory`) without calling AWS. Whatever could not be read is stored as
//! [`Collected::Failed`] with the reason, so the checks can answer `unknown` instead of guessing.
//!
//! The shape is the organization's: accounts, each with the audit's regions; each source keeps
//! its own data per account and per account × region, which the source registry assembles
//! ([`Shape::AccountData`], [`Shape::RegionData`]): the inventory is generic over it.

use crate::shape::Shape;
use serde::{Deserialize, Serialize};

pub mod bucket;
mod errors;
mod values;
pub(crate) use values::aws_enum;

/// Version of the inventory file format. Bumped on any incompatible change. 3: what `plan`
/// reads beyond the audit (`managed`) is kept per source.
pub const INVENTORY_SCHEMA_VERSION: u32 = 3;

/// The previous version, still read when it holds no `managed` section (an audit's inventory:
/// the rest of the format is unchanged).
const PREVIOUS_SCHEMA_VERSION: u32 = 2;

/// Inventories larger than this are refused (a large organization's is tens of MiB).
pub const MAX_INVENTORY_BYTES: u64 = 512 * 1024 * 1024;

/// The result of one read: the value, or why it could not be had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Collected<T> {
    Ok { value: T },
    Failed { error: CallError },
}

impl<T> Collected<T> {
    pub fn ok(value: T) -> Self {
        Collected::Ok { value }
    }
    pub fn failed(error: &CallError) -> Self {
        Collected::Failed {
            error: error.clone(),
        }
    }
    pub fn value(&self) -> Option<&T> {
        match self {
            Collected::Ok { value } => Some(value),
            Collected::Failed { .. } => None,
        }
    }
    pub fn error(&self) -> Option<&CallError> {
        match self {
            Collected::Ok { .. } => None,
            Collected::Failed { error } => Some(error),
        }
    }
    /// The value, or the error as the reason it is unknown.
    pub fn as_result(&self) -> Result<&T, &CallError> {
        match self {
            Collected::Ok { value } => Ok(value),
            Collected::Failed { error } => Err(error),
        }
    }
}

impl<T> From<Result<T, CallError>> for Collected<T> {
    fn from(r: Result<T, CallError>) -> Self {
        match r {
            Ok(value) => Collected::Ok { value },
            Err(error) => Collected::Failed { error },
        }
    }
}

/// A source's data for an account or a region, when nothing could be read: every read carries
/// the same error (the role could not be assumed, the region is not enabled, or the inventory
/// was saved before the source existed).
pub trait Fallible {
    fn failed(error: &CallError) -> Self;
}

impl<T> Fallible for Collected<T> {
    fn failed(e: &CallError) -> Self {
        Collected::Failed { error: e.clone() }
    }
}

/// `serde(default)` for a source's data missing from an inventory saved before the source
/// existed: every read is unknown, never empty.
pub fn not_collected<T: Fallible>() -> T {
    T::failed(&CallError {
        account_id: String::new(),
        region: None,
        service: "logwarden".into(),
        operation: "Collect".into(),
        code: "NotCollected".into(),
        message: "this inventory was saved by a logwarden that did not read this source; collect it again".into(),
        iam_action: "none".into(),
        attempts: 0,
        throttled_attempts: 0,
    })
}

/// A failed AWS call, described well enough to fix: where, what, and which permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallError {
    pub account_id: String,
    /// `None` for global calls (Organizations, account-wide S3 listing, Budgets).
    pub region: Option<String>,
    pub service: String,
    pub operation: String,
    /// The AWS error code (`AccessDenied`, `Throttling`...) or a local kind (`Timeout`,
    /// `RegionNotEnabled`, `AssumeRoleFailed`, `Dispatch`).
    pub code: String,
    pub message: String,
    /// The IAM action the caller needs, e.g. `cloudtrail:DescribeTrails`.
    pub iam_action: String,
    /// How many times the call was sent (retries included), when known.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attempts: u32,
    /// How many of those attempts AWS throttled.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub throttled_attempts: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What kind of failure a [`CallError`] is: what the person running logwarden can do about it
/// differs (grant a permission, slow down, check the network, refresh credentials).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The caller lacks a permission (IAM, an SCP, a resource policy).
    Denied,
    /// AWS throttled the call, and it was still throttled after the retries.
    Throttled,
    /// AWS failed (5xx), and still failed after the retries.
    Server,
    /// No answer in time.
    Timeout,
    /// The endpoint could not be reached (DNS, connection refused, TLS, proxy).
    Network,
    /// No credentials, or the credentials were rejected (expired, invalid).
    Credentials,
    /// The role in the account could not be assumed.
    AssumeRole,
    /// Anything else (a bad request, a resource that does not exist...).
    Other,
}

/// Error codes AWS services use for throttling.
pub fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottledException"
            | "TooManyRequestsException"
            | "ProvisionedThroughputExceededException"
            | "TransactionInProgressException"
            | "RequestLimitExceeded"
            | "BandwidthLimitExceeded"
            | "LimitExceededException"
            | "RequestThrottled"
            | "SlowDown"
            | "PriorRequestNotComplete"
            | "EC2ThrottledException"
            | "HTTP429"
    )
}

impl CallError {
    /// The kind of failure, from the error code.
    pub fn kind(&self) -> ErrorKind {
        let code = self.code.as_str();
        if self.iam_action == "sts:AssumeRole" || code == "AssumeRoleFailed" {
            return match code {
                "Timeout" => ErrorKind::Timeout,
                "Dispatch" => ErrorKind::Network,
                c if is_throttling(c) => ErrorKind::Throttled,
                _ => ErrorKind::AssumeRole,
            };
        }
        match code {
            "AccessDenied"
            | "AccessDeniedException"
            | "UnauthorizedOperation"
            | "UnauthorizedAccess"
            | "AuthorizationError"
            | "Forbidden"
            | "HTTP403"
            | "AuthorizationErrorException"
            | "AccessDeniedForDependencyException" => ErrorKind::Denied,
            c if is_throttling(c) => ErrorKind::Throttled,
            "InternalFailure"
            | "InternalError"
            | "InternalServerError"
            | "ServiceUnavailable"
            | "ServiceUnavailableException"
            | "InternalServiceError"
            | "ServiceException"
            | "InternalErrorException"
            | "InternalServerException" => ErrorKind::Server,
            c if c.starts_with("HTTP5") => ErrorKind::Server,
            "Timeout" => ErrorKind::Timeout,
            "Dispatch" => ErrorKind::Network,
            "NoCredentials"
            | "InvalidClientTokenId"
            | "SignatureDoesNotMatch"
            | "ExpiredToken"
            | "ExpiredTokenException"
            | "UnrecognizedClientException"
            | "InvalidAccessKeyId"
            | "IncompleteSignature"
            | "InvalidToken"
            | "InvalidSignatureException"
            | "AuthFailure" => ErrorKind::Credentials,
            _ => ErrorKind::Other,
        }
    }

    /// What to do about it, one clause: "grant X" only when a permission is missing.
    pub fn advice(&self) -> String {
        match self.kind() {
            ErrorKind::Denied => format!("grant {}", self.iam_action),
            ErrorKind::Throttled => format!(
                "AWS throttled it{}; raise --max-attempts (each retry waits longer) or lower --concurrency, and run again",
                self.tries(" on {throttled} of {attempts} attempts", " and it was still throttled after the retries")
            ),
            ErrorKind::Server => format!(
                "AWS failed to answer (a server error){}; run again, or raise --max-attempts",
                self.tries(" on {attempts} attempts", " even after the retries")
            ),
            ErrorKind::Timeout if self.throttled_attempts > 0 => format!(
                "waited for {} {} until --call-timeout ran out, backing off after {} throttled attempt(s) of {}: AWS is throttling this account and region; lower --concurrency or raise --max-attempts",
                self.service, self.operation, self.throttled_attempts, self.attempts
            ),
            ErrorKind::Timeout => format!(
                "waited for {} {} longer than --call-timeout allows per attempt ({}, none throttled); raise --call-timeout, or check the network path to the endpoint",
                self.service,
                self.operation,
                if self.attempts > 0 { format!("{} attempt(s)", self.attempts) } else { "retries included".to_string() }
            ),
            ErrorKind::Network => "the endpoint could not be reached; check the network, proxy (HTTPS_PROXY) and --endpoint-url".into(),
            ErrorKind::Credentials => "the credentials are missing, expired or invalid; refresh them (`aws sso login`, `aws configure`) or pick others with --profile".into(),
            ErrorKind::AssumeRole => format!(
                "let the caller assume the role (sts:AssumeRole on it, and the role's trust policy naming the caller), or use --role-name / --external-id; account {} is otherwise not audited",
                self.account_id
            ),
            ErrorKind::Other => format!("check {} {}", self.service, self.operation),
        }
    }

    /// `known` with `{attempts}` and `{throttled}` filled in when the attempts were counted,
    /// else `unknown`.
    fn tries(&self, known: &str, unknown: &str) -> String {
        if self.attempts == 0 {
            return unknown.to_string();
        }
        known
            .replace("{attempts}", &self.attempts.to_string())
            .replace("{throttled}", &self.throttled_attempts.to_string())
    }

    /// One line for people: "123456789012 us-east-1 cloudtrail:DescribeTrails: AccessDenied (...)".
    pub fn summary(&self) -> String {
        let region = self.region.as_deref().unwrap_or("global");
        format!(
            "{} {} {}: {}: {}",
            self.account_id, region, self.iam_action, self.code, self.message
        )
    }
}

/// How the audit reached its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeMode {
    /// The caller listed the organization and assumed a role into each account.
    Organization,
    /// The caller is not in an organization: only its own account.
    SingleAccount,
    /// The organization could not be read: the accounts named with `--accounts`, each entered
    /// through its role.
    Accounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Inventory<S: Shape> {
    pub schema_version: u32,
    pub collected_at: String,
    pub partition: String,
    pub mode: ScopeMode,
    /// Why the audit fell back to single-account mode, when it did.
    pub mode_reason: Option<String>,
    pub caller_account_id: String,
    pub organization: Option<Organization>,
    pub regions: Vec<String>,
    /// Regions enabled for the caller (and in the profile's scope) that `--regions` left out.
    /// What may live in a single region (an organization aggregator, the recording of global
    /// resource types) is unknown, not absent, when it was not found and this is not empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions_left_out: Vec<String>,
    pub accounts: Vec<AccountInventory<S>>,
    /// What `plan` reads besides the audit, per source: where the baseline builds and the
    /// resources it names there (absent for audits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed: Option<S::PlanData>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub management_account_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct AccountInventory<S: Shape> {
    pub account_id: String,
    pub name: Option<String>,
    /// Failed when the role could not be assumed: then every read of the account is unknown.
    pub access: Collected<()>,
    /// Per region, in the order of the audit's regions.
    pub regions: Vec<RegionInventory<S>>,
    /// What each source read account-wide (trails, buckets, budgets...).
    pub data: S::AccountData,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct RegionInventory<S: Shape> {
    pub region: String,
    /// Failed (code `RegionNotEnabled`) when the region is not enabled for the account.
    pub enabled: Collected<()>,
    /// What each source read in this region.
    pub data: S::RegionData,
}

/// Why a saved inventory could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    File(#[from] crate::io::FileError),
    #[error("{path} is not a logwarden inventory: {message}")]
    Invalid { path: String, message: String },
}

/// Read an inventory saved by `--save-inventory`.
pub fn load<S: Shape>(path: &std::path::Path) -> Result<Inventory<S>, LoadError> {
    let text = crate::io::read_capped(path, MAX_INVENTORY_BYTES)?;
    let invalid = |message: String| LoadError::Invalid {
        path: path.display().to_string(),
        message,
    };
    let unreadable = |e: serde_json::Error| {
        let (at, message) = crate::io::json_error(&text, &e);
        LoadError::Invalid {
            path: format!("{}{at}", path.display()),
            message,
        }
    };
    #[derive(Deserialize)]
    struct Version {
        schema_version: u32,
        #[serde(default)]
        managed: Option<serde::de::IgnoredAny>,
    }
    let version = serde_json::from_str::<Version>(&text).map_err(unreadable)?;
    let readable = version.schema_version == INVENTORY_SCHEMA_VERSION
        || (version.schema_version == PREVIOUS_SCHEMA_VERSION && version.managed.is_none());
    if !readable {
        return Err(invalid(format!(
            "inventory schema version {} is not supported (this logwarden reads {INVENTORY_SCHEMA_VERSION}); collect it again with this version",
            version.schema_version
        )));
    }
    serde_json::from_str(&text).map_err(unreadable)
}

/// Whether `account` belongs to shard `k` of `n` (1-based): a stable hash of the id, so every
/// run, machine and CI job splits an organization the same way, whatever the order it lists
/// its accounts in, and an account joining the organization moves no other.
pub fn in_shard(account: &str, k: u32, n: u32) -> bool {
    use sha2::Digest;
    let h = sha2::Sha256::digest(account.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&h[..8]);
    n > 0 && u64::from_be_bytes(first) % u64::from(n) == u64::from(k.saturating_sub(1))
}

/// Regions (or any names) for a message: the first four, then how many more.
pub fn first_few(v: &[String]) -> String {
    const SHOWN: usize = 4;
    if v.len() <= SHOWN {
        v.join(", ")
    } else {
        format!("{} and {} more", v[..SHOWN].join(", "), v.len() - SHOWN)
    }
}

/// Several saved inventories of one organization (the shards of `audit --shard K/N`) as one:
/// the accounts of all, each once; the organization, partition and regions must agree. The
/// organization-level reads (the management account's, and `plan`'s) come from the one
/// inventory that made them.
pub fn merge<S: Shape>(parts: Vec<(String, Inventory<S>)>) -> Result<Inventory<S>, String> {
    let mut parts = parts.into_iter();
    let Some((first_name, mut merged)) = parts.next() else {
        return Err("no inventory to judge".into());
    };
    let mut from: std::collections::BTreeMap<String, String> = merged
        .accounts
        .iter()
        .map(|a| (a.account_id.clone(), first_name.clone()))
        .collect();
    for (name, inv) in parts {
        let org = |i: &Inventory<S>| i.organization.as_ref().map(|o| o.id.clone());
        if org(&inv) != org(&merged) || inv.partition != merged.partition {
            return Err(format!(
                "{name} is of organization {} and {first_name} of {}: only the shards of one organization are judged together",
                org(&inv).unwrap_or_else(|| "(none)".into()),
                org(&merged).unwrap_or_else(|| "(none)".into())
            ));
        }
        if inv.regions != merged.regions {
            return Err(format!(
                "{name} read the regions {} and {first_name} {}: run every shard with the same --regions",
                inv.regions.join(","),
                merged.regions.join(",")
            ));
        }
        for a in inv.accounts {
            if let Some(other) = from.get(&a.account_id) {
                return Err(format!(
                    "account {} is in both {other} and {name}: the shards overlap (give each job the same N in --shard K/N)",
                    a.account_id
                ));
            }
            from.insert(a.account_id.clone(), name.clone());
            merged.accounts.push(a);
        }
        if merged.managed.is_none() {
            merged.managed = inv.managed;
        }
        if inv.collected_at < merged.collected_at {
            merged.collected_at = inv.collected_at;
        }
    }
    merged
        .accounts
        .sort_by(|a, b| a.account_id.cmp(&b.account_id));
    Ok(merged)
}

impl<S: Shape> Inventory<S> {
    /// The regions `--regions` left out, for a message: the first few, then how many more.
    pub fn left_out_regions(&self) -> String {
        first_few(&self.regions_left_out)
    }

    pub fn account(&self, id: &str) -> Option<&AccountInventory<S>> {
        self.accounts.iter().find(|a| a.account_id == id)
    }

    /// Every failed read, once, in the order the inventory holds them (regions that are not
    /// enabled are not errors): what `plan` read beyond the audit, then the accounts. Found by
    /// walking the inventory's serialization ([`errors::failed_reads`]), so no source can
    /// forget to report one.
    pub fn errors(&self) -> Vec<CallError> {
        let mut out = errors::failed_reads(&self.managed);
        for e in errors::failed_reads(&self.accounts) {
            if !out.contains(&e) {
                out.push(e);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_account_once_and_merge_back_to_the_whole() {
        let mut inv = crate::rules::testutil::org();
        // Twelve accounts: the two of the test organization and copies under other ids.
        let template = inv.accounts[0].clone();
        for i in 0..10 {
            let mut a = template.clone();
            a.account_id = format!("3333333333{i:02}");
            inv.accounts.push(a);
        }
        inv.accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        let ids: Vec<String> = inv.accounts.iter().map(|a| a.account_id.clone()).collect();
        for n in 1..6u32 {
            for id in &ids {
                assert_eq!(
                    (1..=n).filter(|k| in_shard(id, *k, n)).count(),
                    1,
                    "{id} {n}"
                );
            }
        }
        // Stable: the same id always lands in the same shard.
        let one: Vec<bool> = ids.iter().map(|id| in_shard(id, 1, 2)).collect();
        assert_eq!(
            one,
            ids.iter().map(|id| in_shard(id, 1, 2)).collect::<Vec<_>>()
        );
        let n = 3;
        let parts: Vec<(String, crate::sources::Inventory)> = (1..=n)
            .map(|k| {
                let mut p = inv.clone();
                p.accounts.retain(|a| in_shard(&a.account_id, k, n));
                (format!("shard-{k}.json"), p)
            })
            .collect();
        assert!(parts
            .iter()
            .all(|(_, p)| !p.accounts.is_empty() && p.accounts.len() < 12));
        assert_eq!(merge(parts.clone()).unwrap(), inv);
        let mut overlap = parts.clone();
        overlap.push(("again.json".into(), inv.clone()));
        let e = merge(overlap).unwrap_err();
        assert!(
            e.contains("the shards overlap") && e.contains("again.json"),
            "{e}"
        );
        let mut other = parts[1].clone();
        other.1.organization = Some(Organization {
            id: "o-other".into(),
            management_account_id: "999999999999".into(),
        });
        let e = merge(vec![parts[0].clone(), other]).unwrap_err();
        assert!(e.contains("only the shards of one organization"), "{e}");
        let mut regions = parts[1].clone();
        regions.1.regions.push("ap-south-1".into());
        let e = merge(vec![parts[0].clone(), regions]).unwrap_err();
        assert!(e.contains("same --regions"), "{e}");
        assert!(merge::<crate::sources::Sources>(vec![]).is_err());
    }

    #[test]
    fn collected_round_trips_with_a_status_tag() {
        let c: Collected<bool> = Collected::ok(true);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"status":"ok","value":true}"#);
        let back: Collected<bool> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }

    fn failure(action: &str, code: &str) -> CallError {
        let (service, operation) = action.split_once(':').unwrap();
        CallError {
            account_id: "111111111111".into(),
            region: Some("us-east-1".into()),
            service: service.into(),
            operation: operation.into(),
            code: code.into(),
            message: "m".into(),
            iam_action: action.into(),
            attempts: 0,
            throttled_attempts: 0,
        }
    }

    #[test]
    fn only_access_errors_say_grant_and_each_kind_says_what_to_do() {
        let cases = [
            (
                "cloudtrail:DescribeTrails",
                "AccessDeniedException",
                ErrorKind::Denied,
                "grant cloudtrail:DescribeTrails",
            ),
            (
                "ec2:DescribeVpcs",
                "UnauthorizedOperation",
                ErrorKind::Denied,
                "grant ec2:DescribeVpcs",
            ),
            (
                "ec2:DescribeVpcs",
                "RequestLimitExceeded",
                ErrorKind::Throttled,
                "--max-attempts",
            ),
            (
                "s3:GetBucketLogging",
                "SlowDown",
                ErrorKind::Throttled,
                "--max-attempts",
            ),
            (
                "config:DescribeConfigurationRecorders",
                "ThrottlingException",
                ErrorKind::Throttled,
                "lower --concurrency",
            ),
            (
                "kms:DescribeKey",
                "InternalFailure",
                ErrorKind::Server,
                "server error",
            ),
            (
                "s3:ListAllMyBuckets",
                "HTTP503",
                ErrorKind::Server,
                "run again",
            ),
            (
                "logs:DescribeLogGroups",
                "Timeout",
                ErrorKind::Timeout,
                "logs DescribeLogGroups",
            ),
            (
                "sts:GetCallerIdentity",
                "Dispatch",
                ErrorKind::Network,
                "--endpoint-url",
            ),
            (
                "sts:GetCallerIdentity",
                "ExpiredToken",
                ErrorKind::Credentials,
                "aws sso login",
            ),
            (
                "sts:AssumeRole",
                "AccessDenied",
                ErrorKind::AssumeRole,
                "trust policy",
            ),
            (
                "sts:AssumeRole",
                "Throttling",
                ErrorKind::Throttled,
                "--max-attempts",
            ),
        ];
        // Counted attempts are named; a timeout says whether the time went to backing off.
        let mut t = failure("cloudtrail:DescribeTrails", "Throttling");
        (t.attempts, t.throttled_attempts) = (5, 5);
        assert!(
            t.advice()
                .starts_with("AWS throttled it on 5 of 5 attempts; raise --max-attempts"),
            "{}",
            t.advice()
        );
        let mut t = failure("cloudtrail:DescribeTrails", "Timeout");
        (t.attempts, t.throttled_attempts) = (3, 2);
        assert!(
            t.advice()
                .contains("backing off after 2 throttled attempt(s) of 3"),
            "{}",
            t.advice()
        );
        assert!(t.advice().contains("lower --concurrency"), "{}", t.advice());
        t.throttled_attempts = 0;
        assert!(
            t.advice()
                .contains("(3 attempt(s), none throttled); raise --call-timeout"),
            "{}",
            t.advice()
        );
        let mut t = failure("config:DescribeConfigurationRecorders", "InternalFailure");
        t.attempts = 4;
        assert!(
            t.advice().contains("a server error) on 4 attempts"),
            "{}",
            t.advice()
        );
        for (action, code, kind, needle) in cases {
            let e = failure(action, code);
            assert_eq!(e.kind(), kind, "{action} {code}");
            let advice = e.advice();
            assert!(advice.contains(needle), "{action} {code}: {advice}");
            assert_eq!(
                advice.starts_with("grant "),
                kind == ErrorKind::Denied,
                "{action} {code}: {advice}"
            );
        }
    }
}
