//! The IAM roles log-delivery services assume (CloudTrail to CloudWatch Logs, the Config
//! aggregator, flow logs to CloudWatch Logs): `apply` makes them, each source says what they
//! trust and may do.

pub mod apply;
pub mod collect;
pub mod model;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "delivery_roles",
    title: "Roles of the log-delivery services",
    ..SourceDef::NONE
};

/// When a role of logwarden's name already exists and trusts other principals (or under other
/// conditions) than logwarden would write, the trust it has: logwarden does not give its
/// permissions to a role trusted more widely, nor replace a trust someone else wrote.
pub fn foreign_trust<'a>(
    role: &'a model::ManagedRole,
    want: &serde_json::Value,
) -> Option<&'a str> {
    let have = role.trust.as_deref()?;
    let same = serde_json::from_str::<serde_json::Value>(have)
        .is_ok_and(|v| normalize(&v) == normalize(want));
    (!same).then_some(have)
}

/// A policy document with single values as one-element lists and statements as a list, so two
/// spellings of the same policy compare equal.
fn normalize(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "Version")
                .map(|(k, v)| {
                    let v = normalize(v);
                    let v = match v {
                        Value::Object(_) if k == "Statement" => Value::Array(vec![v]),
                        Value::Array(_) | Value::Object(_) => v,
                        other => Value::Array(vec![other]),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        other => other.clone(),
    }
}
