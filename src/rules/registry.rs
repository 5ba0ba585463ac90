//! What a check is: a stable ID, its metadata and framework references, and its function.
//!
//! IDs are a public contract (reports, exceptions, CI gates): never rename or reuse one. Each
//! source lists its checks; the registry's order is the catalogue's (`docs/checks.md` is
//! generated from it and a test keeps it in sync).

use super::{Ctx, Raw};
use crate::finding::{Frameworks, Severity};
use crate::frameworks::Framework;
use crate::shape::Shape;
use serde::Serialize;

/// What one finding of the check is about: the organization, an account, an account × region,
/// or a kind of AWS resource a source defines ([`Resource`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Organization,
    Account,
    AccountRegion,
    Resource(&'static Resource),
}

/// A kind of AWS resource a check judges one by one: how the catalogue and the security
/// formats name it.
#[derive(Debug, PartialEq, Eq)]
pub struct Resource {
    /// The catalogue's id (`checks --format json`): `trail`, `bucket`...
    pub id: &'static str,
    /// For people: `trail KMS key`.
    pub label: &'static str,
    /// The CloudFormation resource type OCSF events name (`AWS::S3::Bucket`).
    pub cloudformation_type: &'static str,
    /// The ASFF resource type (`AwsS3Bucket`, or `Other` where ASFF has none that fits).
    pub asff_type: &'static str,
}

impl Subject {
    /// For people (the catalogue, `logwarden checks`).
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Organization => "organization",
            Subject::Account => "account",
            Subject::AccountRegion => "account × region",
            Subject::Resource(r) => r.label,
        }
    }

    /// The catalogue's id.
    pub fn id(self) -> &'static str {
        match self {
            Subject::Organization => "organization",
            Subject::Account => "account",
            Subject::AccountRegion => "account_region",
            Subject::Resource(r) => r.id,
        }
    }

    /// The resource type of OCSF events.
    pub fn cloudformation_type(self) -> &'static str {
        match self {
            Subject::Organization => "AWS::Organizations::Organization",
            Subject::Account | Subject::AccountRegion => "AWS::Account",
            Subject::Resource(r) => r.cloudformation_type,
        }
    }

    /// The resource type of ASFF findings.
    pub fn asff_type(self) -> &'static str {
        match self {
            Subject::Organization => "Other",
            Subject::Account | Subject::AccountRegion => "AwsAccount",
            Subject::Resource(r) => r.asff_type,
        }
    }
}

impl Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// The controls a check maps to, per framework (frameworks a check does not map to are left out).
pub type FrameworkRefs = &'static [(Framework, &'static [&'static str])];

/// Who fixes a failing finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fix {
    /// `logwarden plan` proposes the change, `apply` makes it (for resources the profile manages).
    Plan,
    /// Only a person can (the root user's MFA, or a change logwarden never makes, such as
    /// stopping another trail's management events).
    Manual,
}

impl Fix {
    /// The next step for a failing finding of a check.
    pub fn next_step(self, remediation: &str) -> String {
        match self {
            Fix::Plan => format!("run `logwarden plan` (apply makes the fix), or: {remediation}"),
            Fix::Manual => remediation.to_string(),
        }
    }
}

/// A check: what reports say of it, and the function that judges the inventory.
pub struct CheckDef<S: Shape> {
    pub info: CheckInfo,
    pub eval: fn(&Ctx<S>) -> Vec<Raw>,
}

/// What reports and the catalogue say of a check (everything but its function).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CheckInfo {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub scope: Subject,
    /// What the check reads.
    pub looks_at: &'static str,
    /// Why an incident responder cares.
    pub rationale: &'static str,
    pub remediation: &'static str,
    /// Whether `logwarden plan` proposes the fix (where the profile manages the resource).
    pub fix: Fix,
    #[serde(serialize_with = "serialize_refs")]
    pub frameworks: FrameworkRefs,
}

impl<S: Shape> std::ops::Deref for CheckDef<S> {
    type Target = CheckInfo;
    fn deref(&self) -> &CheckInfo {
        &self.info
    }
}

fn serialize_refs<S: serde::Serializer>(refs: &FrameworkRefs, s: S) -> Result<S::Ok, S::Error> {
    Frameworks::from_refs(refs).serialize(s)
}

impl CheckInfo {
    /// The findings' `frameworks`: every framework, with this check's controls (or none).
    pub fn to_frameworks(&self) -> Frameworks {
        Frameworks::from_refs(self.frameworks)
    }

    /// Whether this check judges `control` of `fw`.
    pub fn maps_to(&self, fw: Framework, control: &str) -> bool {
        self.frameworks
            .iter()
            .any(|(f, ids)| *f == fw && ids.contains(&control))
    }
}
