//! The check catalogue: stable IDs, metadata and framework references, in one place.
//!
//! IDs are a public contract (reports, exceptions, CI gates): never rename or reuse one.
//! `docs/checks.md` is generated from this registry and a test keeps it in sync.

use super::{Ctx, Raw};
use crate::finding::{Frameworks, Severity};
use crate::frameworks::Framework;
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
    /// Whether `logwarden plan` proposes the fix (where the profile manages the resource).
    pub fix: Fix,
    #[serde(serialize_with = "serialize_refs")]
    pub frameworks: FrameworkRefs,
    #[serde(skip)]
    pub eval: fn(&Ctx) -> Vec<Raw>,
}

fn serialize_refs<S: serde::Serializer>(refs: &FrameworkRefs, s: S) -> Result<S::Ok, S::Error> {
    Frameworks::from_refs(refs).serialize(s)
}

impl CheckDef {
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

/// The catalogue, in report order: every source's checks, sources in registry order.
pub fn registry() -> &'static [CheckDef] {
    static ALL: std::sync::OnceLock<Vec<CheckDef>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        crate::sources::SOURCES
            .iter()
            .flat_map(|s| s.checks.iter().copied())
            .collect()
    })
}
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
        // Every source's checks, in registry order, none lost.
        let expected: Vec<&str> = crate::sources::SOURCES
            .iter()
            .flat_map(|s| s.checks.iter().map(|c| c.id))
            .collect();
        let got: Vec<&str> = registry().iter().map(|c| c.id).collect();
        assert_eq!(got, expected);
        assert!(got.len() >= 26, "{got:?}");
    }
}
