//! Planning changes toward the baseline: a pure function of the profile and the inventory.
//!
//! [`engine::plan`] compares what the profile asks for with what the inventory shows and
//! returns an ordered list of [`Change`]s: `create`, `update` (with old → new attribute
//! values) or `manual` (a step only a human can take, with the exact command). There is no
//! delete action: nothing is ever destroyed or weakened, and where the organization already has
//! more than the profile asks, the plan keeps it and says so ([`Plan::kept`]). Each change
//! carries the [`Op`]s `apply` executes; the ones that replace whole documents in AWS
//! (lifecycle, bucket and key policies, event selectors) carry only what logwarden owns, and
//! `apply` merges them into the document it re-reads just before writing ([`merge`]).

pub mod bucket;
pub mod ctx;
pub mod merge;
pub mod policies;
pub mod render;

#[cfg(test)]
mod bucket_tests;
#[cfg(test)]
mod policy_goldens;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;

use crate::profile::Issue;
use crate::shape::Shape;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use ctx::{note, policy_change, yes_no, Lookup, PlanCtx, PlanError};

/// Version of the saved plan format (`plan --out`). 2: the plan carries its scope, and its
/// fingerprint covers the profile, the scope and the changes.
pub const PLAN_FORMAT_VERSION: u32 = 2;

/// Largest saved plan `apply` reads.
pub const MAX_PLAN_BYTES: u64 = 64 * 1024 * 1024;

/// What the plan was made for, beyond the profile: the accounts and regions it read (the
/// `--accounts`, `--exclude-accounts` and `--regions` it was made with). `apply PLAN` reads
/// exactly these again.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlanScope {
    /// Only these accounts (`None`: every account of the organization the profile scopes).
    pub accounts: Option<Vec<String>>,
    pub exclude_accounts: Vec<String>,
    /// Only these regions (`None`: every region enabled for the caller).
    pub regions: Option<Vec<String>>,
}

/// What `plan` found and what `apply` would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Plan<S: Shape> {
    pub format_version: u32,
    pub logwarden_version: String,
    pub created_at: String,
    /// `bundled:NAME` or the profile's path.
    pub baseline_source: String,
    /// The profile, so a saved plan is applied against exactly what it was made from.
    pub baseline: S::Baseline,
    pub organization_id: Option<String>,
    pub caller_account_id: String,
    /// The accounts and regions the plan was made for.
    pub scope: PlanScope,
    /// SHA-256 of the profile, the scope and the changes: `apply` refuses a saved plan whose
    /// content no longer matches it (edited, truncated), then re-plans and refuses it unless
    /// the same changes come out.
    pub fingerprint: String,
    pub changes: Vec<Change<S>>,
    /// Where the organization has more than the profile asks: kept as it is.
    pub kept: Vec<Note>,
    /// Resources logwarden must not change (Control Tower's).
    pub not_manageable: Vec<Note>,
    /// What could not be read: nothing is planned for it.
    pub unknown: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub resource: String,
    pub account_id: String,
    pub region: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Manual,
}

impl Action {
    pub fn symbol(self) -> char {
        match self {
            Action::Create => '+',
            Action::Update => '~',
            Action::Manual => '!',
        }
    }
}

/// One change to one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Change<S: Shape> {
    /// Stable, unique address: `s3_bucket.NAME`, `config_recorder.ACCOUNT.REGION`...
    pub address: String,
    pub action: Action,
    pub account_id: String,
    /// The region the change is made in (`global` for IAM, Organizations and Budgets).
    pub region: String,
    /// `before` is `None` for a new resource or attribute.
    pub attributes: Vec<AttrChange>,
    /// Cannot be undone (Object Lock): `apply` needs `--allow-irreversible`.
    #[serde(default)]
    pub irreversible: bool,
    /// Writes an organization policy (an SCP or RCP, which can lock people out of every
    /// account): `apply` needs `--allow-scp`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub organization_policy: bool,
    /// For a manual step: why, and the exact command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<ManualStep>,
    /// Addresses of changes that must succeed first.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// What `apply` does, in order.
    pub ops: Vec<S::Op>,
}

impl<S: Shape> Change<S> {
    /// A change `apply` makes: what it does (`action`) to `address` in that account and
    /// region, the attributes the plan shows, and the operations that make it. It depends on
    /// nothing, can be undone and writes no organization policy until the methods below say so.
    pub fn new(
        address: String,
        action: Action,
        account_id: impl Into<String>,
        region: impl Into<String>,
        attributes: Vec<AttrChange>,
        ops: Vec<S::Op>,
    ) -> Change<S> {
        Change {
            address,
            action,
            account_id: account_id.into(),
            region: region.into(),
            attributes,
            irreversible: false,
            organization_policy: false,
            manual: None,
            depends_on: vec![],
            ops,
        }
    }

    /// Applied only after the changes at these addresses succeed.
    pub fn depending_on(mut self, addresses: Vec<String>) -> Change<S> {
        self.depends_on = addresses;
        self
    }

    /// Cannot be undone (Object Lock): `apply` asks for `--allow-irreversible`.
    pub fn irreversible(mut self) -> Change<S> {
        self.irreversible = true;
        self
    }

    /// Writes an organization policy (an SCP or RCP): `apply` asks for `--allow-scp`.
    pub fn organization_policy(mut self) -> Change<S> {
        self.organization_policy = true;
        self
    }

    /// A step only a human can take: why, and the exact command.
    pub fn manual_step(
        address: String,
        account_id: impl Into<String>,
        region: impl Into<String>,
        attribute: AttrChange,
        reason: impl Into<String>,
        command: impl Into<String>,
    ) -> Change<S> {
        Change {
            manual: Some(ManualStep {
                reason: reason.into(),
                command: command.into(),
            }),
            ..Change::new(
                address,
                Action::Manual,
                account_id,
                region,
                vec![attribute],
                vec![],
            )
        }
    }
}

/// `word` as one word of a POSIX shell command line, quoted where it needs to be: a manual
/// step's command is meant to be pasted, and a name (a route key, a budget's name) may hold a
/// quote or a space. A NUL, which no shell word can hold, is dropped.
pub fn shell_word(word: &str) -> String {
    let clean: String;
    let word = if word.contains('\0') {
        clean = word.replace('\0', "");
        clean.as_str()
    } else {
        word
    };
    shlex::try_quote(word)
        .map(|q| q.into_owned())
        .unwrap_or_else(|_| word.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualStep {
    pub reason: String,
    pub command: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrChange {
    pub name: String,
    pub before: Option<String>,
    pub after: String,
}

impl AttrChange {
    pub fn new(name: &str, before: Option<impl Into<String>>, after: impl Into<String>) -> Self {
        AttrChange {
            name: name.into(),
            before: before.map(Into::into),
            after: after.into(),
        }
    }
}

/// A KMS key named before it exists: by alias (resolved to its ARN when applied) or by ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum KeyRef {
    Alias {
        alias: String,
        account_id: String,
        region: String,
    },
    Arn {
        arn: String,
    },
}

/// How a key is named in a plan, for people.
pub fn encryption_label(k: &Option<KeyRef>) -> String {
    match k {
        None => "AES256 (SSE-S3)".into(),
        Some(KeyRef::Alias { alias, .. }) => format!("aws:kms ({alias})"),
        Some(KeyRef::Arn { arn }) => format!("aws:kms ({arn})"),
    }
}

impl<S: Shape> Plan<S> {
    pub fn count(&self, action: Action) -> usize {
        self.changes.iter().filter(|c| c.action == action).count()
    }
    /// Changes `apply` can make (everything but manual steps).
    pub fn actionable(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.action != Action::Manual)
            .count()
    }
    /// The summary line, Terraform style.
    pub fn summary(&self) -> String {
        if self.changes.is_empty() {
            return "No changes. The organization matches the baseline.".into();
        }
        if self.actionable() == 0 {
            let n = self.count(Action::Manual);
            return format!(
                "No changes to apply. {n} manual step{} remain{} (see above).",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" }
            );
        }
        format!(
            "Plan: {} to create, {} to change, {} manual.",
            self.count(Action::Create),
            self.count(Action::Update),
            self.count(Action::Manual)
        )
    }
}

/// Why a saved plan could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    File(#[from] crate::io::FileError),
    #[error("{0}")]
    Invalid(String),
}

/// Read a plan saved by `plan --out`: it must be whole (its fingerprint matches its profile,
/// scope and changes) and its profile valid (`validate`: the registry's validation), like any
/// profile.
pub fn load<S: Shape>(
    path: &std::path::Path,
    validate: fn(&S::Baseline) -> Result<(), Issue>,
) -> Result<Plan<S>, LoadError> {
    let text = crate::io::read_capped(path, MAX_PLAN_BYTES)?;
    let unreadable = |e: serde_json::Error| {
        let (at, message) = crate::io::json_error(&text, &e);
        LoadError::Invalid(format!(
            "{}{at} is not a logwarden plan: {message}\n  hint: pass a file written by `logwarden plan --out FILE`",
            path.display()
        ))
    };
    let head: serde_json::Value = serde_json::from_str(&text).map_err(unreadable)?;
    let version = head["format_version"].as_u64();
    if version != Some(u64::from(PLAN_FORMAT_VERSION)) {
        return Err(LoadError::Invalid(format!(
            "{} has plan format {}; this logwarden reads format {PLAN_FORMAT_VERSION}\n  hint: make the plan again with this version (`logwarden plan --out FILE`)",
            path.display(),
            version.map(|v| v.to_string()).unwrap_or_else(|| "(none)".into())
        )));
    }
    // Read from the text again (not the value): a field of the wrong type is shown where it is.
    let plan: Plan<S> = serde_json::from_str(&text).map_err(unreadable)?;
    if plan.fingerprint != plan.seal() {
        return Err(LoadError::Invalid(format!(
            "{} was changed after it was made: its fingerprint does not match its profile, scope and changes\n  hint: make and review the plan again (`logwarden plan --out FILE`); a saved plan is applied only as it was reviewed",
            path.display()
        )));
    }
    validate(&plan.baseline).map_err(|issue| {
        LoadError::Invalid(format!(
            "the profile inside {} is not valid: {}: {}\n  hint: {}",
            path.display(),
            issue.path.join("."),
            issue.message,
            issue.hint
        ))
    })?;
    Ok(plan)
}

impl<S: Shape> Plan<S> {
    /// The fingerprint of the plan's profile, scope and changes.
    pub fn seal(&self) -> String {
        use sha2::{Digest, Sha256};
        // The JSON goes straight into the hash: a plan for a thousand accounts is tens of
        // megabytes, and a string of it (grown by doubling) took 150 MB at 1,000 × 17.
        struct Hashing(Sha256);
        impl std::io::Write for Hashing {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.update(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut h = Hashing(Sha256::new());
        // Serializing these types cannot fail; were it to, the seal would not match the plan.
        let _ = serde_json::to_writer(&mut h, &(&self.baseline, &self.scope, &self.changes));
        hex::encode(h.0.finalize())
    }

    /// The plan made for `scope` (fingerprint updated).
    pub fn with_scope(mut self, scope: PlanScope) -> Plan<S> {
        self.scope = scope;
        self.fingerprint = self.seal();
        self
    }
}
