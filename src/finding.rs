//! The finding model every layer shares: a check's verdict on one resource ([`Finding`], its
//! [`Status`] and [`Severity`], the [`Frameworks`] controls it maps to, the exception that accepts
//! it), the coverage matrix's cells and the lookback per account and source. A leaf: it uses
//! nothing of the crate but [`crate::frameworks`]. The rules make findings, the report and
//! `diff` read them.

use crate::frameworks::Framework;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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
#[serde(rename_all = "snake_case")]
pub enum Status {
    Fail,
    Unknown,
    Pass,
    NotApplicable,
    /// A failing finding an active exception accepts (never hidden).
    Excepted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Excepted => "excepted",
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not_applicable",
        }
    }
}

/// Ordered from most to least severe.
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
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
    /// `self` is at least as severe as `threshold`.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

/// Framework controls a finding maps to: every framework, in [`Framework::ALL`] order, with
/// the control ids (empty when the check maps to none of its controls). Serialized as an
/// object keyed by [`Framework::key`]. Shared (an `Arc`) by the findings of one check.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frameworks(std::sync::Arc<BTreeMap<Framework, Vec<String>>>);

impl Frameworks {
    pub fn from_refs(refs: &[(Framework, &[&str])]) -> Frameworks {
        Frameworks(std::sync::Arc::new(
            refs.iter()
                .filter(|(_, ids)| !ids.is_empty())
                .map(|(f, ids)| (*f, ids.iter().map(|s| s.to_string()).collect()))
                .collect(),
        ))
    }

    /// The control ids of one framework.
    pub fn of(&self, fw: Framework) -> &[String] {
        self.0.get(&fw).map(Vec::as_slice).unwrap_or(&[])
    }
}

impl Serialize for Frameworks {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(Framework::ALL.len()))?;
        for fw in Framework::ALL {
            m.serialize_entry(fw.key(), self.of(fw))?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Frameworks {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, Vec<String>>::deserialize(d)?;
        let mut out = BTreeMap::new();
        for (k, v) in raw {
            let fw = Framework::from_key(&k).ok_or_else(|| {
                serde::de::Error::unknown_field(
                    &k,
                    &["cis_aws_v3", "cis_aws_v7", "aws_fsbp", "nist_800_53"],
                )
            })?;
            if !v.is_empty() {
                out.insert(fw, v);
            }
        }
        Ok(Frameworks(std::sync::Arc::new(out)))
    }
}

impl schemars::JsonSchema for Frameworks {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Frameworks".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let keys: Vec<&str> = Framework::ALL.iter().map(|f| f.key()).collect();
        let props: serde_json::Map<String, serde_json::Value> = keys
            .iter()
            .map(|k| {
                (
                    k.to_string(),
                    serde_json::json!({"type": "array", "items": {"type": "string"}}),
                )
            })
            .collect();
        schemars::json_schema!({
            "description": "Framework controls a finding maps to.",
            "type": "object",
            "properties": props,
            "required": keys,
            "additionalProperties": false
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub check_id: String,
    pub status: Status,
    pub severity: Severity,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub resource: String,
    pub message: String,
    /// The check's remediation, shared by its findings (a large organization has hundreds of
    /// thousands of findings).
    pub remediation: std::sync::Arc<str>,
    pub frameworks: Frameworks,
    /// The exception that accepts this finding, when its status is `excepted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<AppliedException>,
    /// The parts the verdict is made of, when a check judges several items at once (per
    /// protected action, for `scp.protects_logging`): each item's own status and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<Part>,
}

/// One item of a finding's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub item: String,
    pub status: Status,
    /// Why (which policy denies it, what leaves it open, what could not be decided).
    pub note: String,
}

/// Attached to a finding an exception matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppliedException {
    pub reason: String,
    pub expires: String,
    /// The exception covers every account (`organization_wide: true`).
    #[serde(default)]
    pub organization_wide: bool,
}

impl AppliedException {
    /// "excepted until DATE: REASON" ("excepted organization-wide until ...").
    pub fn describe(&self) -> String {
        format!(
            "excepted{} until {}: {}",
            if self.organization_wide {
                " organization-wide"
            } else {
                ""
            },
            self.expires,
            self.reason
        )
    }
}

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
#[serde(rename_all = "snake_case")]
pub enum CoverageState {
    Covered,
    Partial,
    Missing,
    Unknown,
    NotApplicable,
}

impl CoverageState {
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageState::Covered => "covered",
            CoverageState::Partial => "partial",
            CoverageState::Missing => "missing",
            CoverageState::Unknown => "unknown",
            CoverageState::NotApplicable => "not_applicable",
        }
    }

    /// Combine the cells of one source across regions (or resources).
    pub fn combine(states: impl IntoIterator<Item = CoverageState>) -> CoverageState {
        let set: BTreeSet<CoverageState> = states
            .into_iter()
            .filter(|s| *s != CoverageState::NotApplicable)
            .collect();
        if set.is_empty() {
            return CoverageState::NotApplicable;
        }
        if set.len() == 1 {
            return *set.iter().next().unwrap_or(&CoverageState::Unknown);
        }
        if set.contains(&CoverageState::Covered) || set.contains(&CoverageState::Partial) {
            if set.contains(&CoverageState::Unknown)
                && !set.contains(&CoverageState::Missing)
                && !set.contains(&CoverageState::Partial)
            {
                return CoverageState::Unknown;
            }
            return CoverageState::Partial;
        }
        if set.contains(&CoverageState::Missing) {
            return CoverageState::Missing;
        }
        CoverageState::Unknown
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverageCell {
    pub account_id: String,
    pub region: String,
    #[schemars(schema_with = "source_id_schema")]
    pub source: String,
    pub state: CoverageState,
}

/// A log source of the coverage matrix, by id. The ids are the registry's: the report's schema
/// lists them ([`crate::report::json_schema`]).
fn source_id_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Log sources of the coverage matrix.",
        "type": "string"
    })
}

/// A source that reports how far back its logs answer, by id (listed like [`source_id_schema`]).
fn lookback_source_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Log sources with a lookback.",
        "type": "string"
    })
}

/// How far back one account's logs can answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lookback {
    pub account_id: String,
    /// The log source (`cloudtrail`: management events).
    #[schemars(schema_with = "lookback_source_schema")]
    pub source: String,
    pub days: u32,
    /// Where the number comes from.
    pub basis: String,
    /// When only what the service keeps on its own answers (CloudTrail's 90-day event
    /// history), its name: reports draw such a lookback apart. Not part of the JSON report,
    /// whose `basis` says it in words.
    #[serde(skip)]
    #[schemars(skip)]
    pub floor: Option<&'static str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combine_coverage() {
        use CoverageState::*;
        assert_eq!(CoverageState::combine([Covered, Covered]), Covered);
        assert_eq!(CoverageState::combine([Covered, Missing]), Partial);
        assert_eq!(CoverageState::combine([Missing, Missing]), Missing);
        assert_eq!(CoverageState::combine([Covered, Unknown]), Unknown);
        assert_eq!(CoverageState::combine([NotApplicable]), NotApplicable);
        assert_eq!(CoverageState::combine([]), NotApplicable);
        assert_eq!(CoverageState::combine([Missing, Unknown]), Missing);
    }

    #[test]
    fn severity_threshold() {
        assert!(Severity::Critical.at_least(Severity::Low));
        assert!(!Severity::Low.at_least(Severity::High));
        assert!(Severity::High.at_least(Severity::High));
    }
}
