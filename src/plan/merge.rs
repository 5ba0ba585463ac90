//! Merges of AWS documents that are replaced wholesale by their Put* calls (lifecycle rules,
//! bucket and key policies; trails' event selectors are merged in
//! `sources/cloudtrail/merge.rs`).
//!
//! What logwarden owns is marked: lifecycle rules by an `ID` starting with [`OWNED_PREFIX`],
//! policy statements by a `Sid` starting with [`OWNED_SID_PREFIX`]. Everything else is kept
//! byte-for-byte and in its place; owned items are replaced in place or appended. Retention never
//! shrinks: an owned lifecycle rule keeps the longer of its existing and desired expirations.

use serde_json::{Map, Value};

/// Lifecycle rule IDs logwarden owns start with this.
pub const OWNED_PREFIX: &str = "logwarden-";
/// Policy statement Sids logwarden owns start with this.
pub const OWNED_SID_PREFIX: &str = "Logwarden";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("the existing {what} is not valid JSON ({detail}); refusing to overwrite it")]
    Unreadable { what: &'static str, detail: String },
    #[error("the existing {what} has no Statement list; refusing to overwrite it")]
    NoStatements { what: &'static str },
}

#[cfg(test)]
fn rule_id(rule: &Value) -> Option<&str> {
    rule.get("ID").and_then(Value::as_str)
}

#[cfg(test)]
fn expiration_days(rule: &Value) -> Option<i64> {
    rule.get("Expiration")?.get("Days")?.as_i64()
}

/// Merge a list in which logwarden owns the items whose ID starts with [`OWNED_PREFIX`]
/// (lifecycle rules, as JSON or as SDK values): every other item is kept as it is, in its
/// place; an owned item is replaced in place by the desired one with the same ID (through
/// `reconcile(old, desired)`), or kept when no longer desired (a baseline that asks for less
/// never removes logging); desired items not yet present are appended.
pub fn merge_owned<T: Clone>(
    existing: &[T],
    desired: &[T],
    id: impl Fn(&T) -> Option<&str>,
    reconcile: impl Fn(&T, &T) -> T,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(existing.len() + desired.len());
    let mut placed = vec![false; desired.len()];
    for item in existing {
        let owned = id(item).is_some_and(|i| i.starts_with(OWNED_PREFIX));
        let replacement = owned
            .then(|| desired.iter().position(|d| id(d) == id(item)))
            .flatten();
        match replacement {
            Some(i) => {
                out.push(reconcile(item, &desired[i]));
                placed[i] = true;
            }
            None => out.push(item.clone()),
        }
    }
    for (i, d) in desired.iter().enumerate() {
        if !placed[i] {
            out.push(d.clone());
        }
    }
    out
}

/// The expiration (in days) an owned lifecycle rule gets: never shorter than it had, and none
/// if it had none (it kept objects forever). `None` with `want` set means: remove it.
pub fn kept_expiration(had_expiration: bool, old: Option<i64>, want: Option<i64>) -> Option<i64> {
    match (had_expiration, old, want) {
        (_, _, None) => None,
        (false, _, Some(_)) => None,
        (true, Some(o), Some(w)) => Some(o.max(w)),
        (true, None, Some(w)) => Some(w),
    }
}

/// Merge lifecycle rules in the API's JSON shape ([`merge_owned`] + [`kept_expiration`]), as
/// apply does with the SDK's rules; the property tests run on this form.
#[cfg(test)]
fn merge_lifecycle(existing: &[Value], desired: &[Value]) -> Vec<Value> {
    merge_owned(existing, desired, rule_id, |old, new| {
        let mut new = new.clone();
        let want = expiration_days(&new);
        match kept_expiration(old.get("Expiration").is_some(), expiration_days(old), want) {
            Some(d) => new["Expiration"]["Days"] = Value::from(d),
            None if want.is_some() => {
                if let Some(o) = new.as_object_mut() {
                    o.remove("Expiration");
                }
            }
            None => {}
        }
        new
    })
}

/// Merge policy statements into an existing policy document (bucket or key policy).
pub fn merge_policy(
    existing: Option<&str>,
    desired: &[Value],
    what: &'static str,
) -> Result<Value, MergeError> {
    let mut doc: Map<String, Value> = match existing {
        None => {
            let mut m = Map::new();
            m.insert("Version".into(), Value::from("2012-10-17"));
            m.insert("Statement".into(), Value::Array(vec![]));
            m
        }
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err(MergeError::NoStatements { what }),
            Err(e) => {
                return Err(MergeError::Unreadable {
                    what,
                    detail: e.to_string(),
                })
            }
        },
    };
    let statements = match doc.get_mut("Statement") {
        Some(Value::Array(v)) => v,
        Some(single @ Value::Object(_)) => {
            let one = single.take();
            *single = Value::Array(vec![one]);
            match single {
                Value::Array(v) => v,
                _ => unreachable!(),
            }
        }
        _ => return Err(MergeError::NoStatements { what }),
    };
    let sid = |v: &Value| v.get("Sid").and_then(Value::as_str).map(String::from);
    for d in desired {
        let d_sid = sid(d);
        match statements
            .iter()
            .position(|s| sid(s).is_some() && sid(s) == d_sid)
        {
            Some(i)
                if d_sid
                    .as_deref()
                    .is_some_and(|s| s.starts_with(OWNED_SID_PREFIX)) =>
            {
                statements[i] = d.clone()
            }
            Some(_) => {} // a statement with that Sid that logwarden does not own: never replaced
            None => statements.push(d.clone()),
        }
    }
    Ok(Value::Object(doc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn rule(id: &str, days: i64) -> Value {
        json!({"ID": id, "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": days}})
    }

    proptest! {
        #[test]
        fn lifecycle_merge_never_drops_a_foreign_rule(
            foreign in proptest::collection::vec(("[a-z]{1,8}", 1i64..5000), 0..12),
            owned in proptest::collection::vec(1i64..5000, 0..3),
            desired_days in 1i64..5000,
        ) {
            let mut existing: Vec<Value> = foreign.iter().map(|(id, d)| rule(&format!("team-{id}"), *d)).collect();
            for (i, d) in owned.iter().enumerate() {
                existing.insert(i.min(existing.len()), rule(&format!("{OWNED_PREFIX}tier-{i}"), *d));
            }
            let desired = vec![rule(&format!("{OWNED_PREFIX}tier-0"), desired_days)];
            let merged = merge_lifecycle(&existing, &desired);
            // Every foreign rule is there, unchanged, in its original relative order.
            let kept: Vec<&Value> = merged.iter().filter(|r| !rule_id(r).unwrap().starts_with(OWNED_PREFIX)).collect();
            let orig: Vec<&Value> = existing.iter().filter(|r| !rule_id(r).unwrap().starts_with(OWNED_PREFIX)).collect();
            prop_assert_eq!(kept, orig);
            // The owned rule exists once, and its retention never shrank.
            let tier0: Vec<&Value> = merged.iter().filter(|r| rule_id(r) == Some("logwarden-tier-0")).collect();
            prop_assert_eq!(tier0.len(), 1);
            let before = owned.first().copied().unwrap_or(0);
            prop_assert_eq!(expiration_days(tier0[0]).unwrap(), desired_days.max(before));
            // Idempotent.
            prop_assert_eq!(merge_lifecycle(&merged, &desired), merged.clone());
        }

        #[test]
        fn policy_merge_never_drops_or_alters_a_foreign_statement(
            sids in proptest::collection::vec("[A-Za-z]{1,10}", 0..10),
            with_owned in any::<bool>(),
        ) {
            let mut statements: Vec<Value> = sids.iter().map(|s| json!({"Sid": format!("Team{s}"), "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "s3:GetObject", "Resource": "*"})).collect();
            statements.push(json!({"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "*"}));
            if with_owned {
                statements.push(json!({"Sid": "LogwardenDenyInsecureTransport", "Effect": "Deny", "Action": "s3:GetObject"}));
            }
            let existing = json!({"Version": "2012-10-17", "Id": "team-policy", "Statement": statements}).to_string();
            let desired = vec![json!({"Sid": "LogwardenDenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}})];
            let merged = merge_policy(Some(&existing), &desired, "bucket policy").unwrap();
            let out = merged["Statement"].as_array().unwrap();
            let foreign = |v: &&Value| !v.get("Sid").and_then(Value::as_str).is_some_and(|s| s.starts_with(OWNED_SID_PREFIX));
            let before: Vec<Value> = serde_json::from_str::<Value>(&existing).unwrap()["Statement"].as_array().unwrap().iter().filter(foreign).cloned().collect();
            let after: Vec<Value> = out.iter().filter(foreign).cloned().collect();
            prop_assert_eq!(before, after);
            prop_assert_eq!(&merged["Id"], &json!("team-policy"));
            prop_assert_eq!(out.iter().filter(|v| !foreign(v)).count(), 1);
            prop_assert_eq!(merge_policy(Some(&merged.to_string()), &desired, "bucket policy").unwrap(), merged);
        }
    }

    #[test]
    fn expiration_is_never_shortened_nor_added_where_logs_were_kept_forever() {
        assert_eq!(kept_expiration(true, Some(800), Some(400)), Some(800));
        assert_eq!(kept_expiration(true, Some(100), Some(400)), Some(400));
        assert_eq!(kept_expiration(false, None, Some(400)), None);
        assert_eq!(
            kept_expiration(true, None, Some(400)),
            Some(400),
            "a dated expiration"
        );
        assert_eq!(kept_expiration(true, Some(30), None), None);
    }

    #[test]
    fn a_foreign_statement_with_the_same_sid_is_never_replaced() {
        let existing = r#"{"Statement":{"Sid":"AllowAudit","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#;
        let merged = merge_policy(
            Some(existing),
            &[json!({"Sid": "AllowAudit", "Effect": "Deny"})],
            "bucket policy",
        )
        .unwrap();
        assert_eq!(merged["Statement"].as_array().unwrap().len(), 1);
        assert_eq!(merged["Statement"][0]["Effect"], "Allow");
    }

    #[test]
    fn an_unreadable_policy_is_never_overwritten() {
        let e = merge_policy(Some("{not json"), &[], "key policy").unwrap_err();
        assert!(e.to_string().contains("refusing to overwrite"), "{e}");
    }

    #[test]
    fn an_owned_rule_no_longer_desired_is_kept_and_expiration_is_not_added_where_there_was_none() {
        let existing = vec![
            json!({"ID": "logwarden-old", "Status": "Enabled"}),
            json!({"ID": "logwarden-tiers", "Status": "Enabled"}),
        ];
        let merged = merge_lifecycle(&existing, &[rule("logwarden-tiers", 365)]);
        assert_eq!(merged[0], existing[0]);
        assert!(
            merged[1].get("Expiration").is_none(),
            "a rule that kept logs forever is not given an expiration"
        );
    }
}
