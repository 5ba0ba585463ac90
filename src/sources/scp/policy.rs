//! Whether a service control policy denies an action: the statements of a policy document read
//! the way AWS evaluates them. A `Deny` counts when its `Action` (or `NotAction`) covers the
//! action, its `Resource` is `*`, and its conditions only exempt principals (the usual
//! break-glass role: `ArnNotLike aws:PrincipalArn`); any other condition or resource narrows it,
//! and the verdict says how.

use serde_json::Value;

/// How one policy treats one action.
#[derive(Debug, Clone, PartialEq)]
pub enum Treatment {
    /// Denied for every principal but the ones named (an empty list: no exemption).
    Denied { exempt: Vec<String> },
    /// A Deny that covers the action only in part (why).
    Narrowed(String),
    /// Not denied.
    Allowed,
    /// The document is not a policy logwarden can read (why): neither denied nor allowed.
    Unreadable(String),
}

/// How the policy document `content` treats `action` (the strongest of its statements).
pub fn treatment(content: &str, action: &str) -> Treatment {
    let doc = match serde_json::from_str::<Value>(content) {
        Ok(d) => d,
        Err(e) => return Treatment::Unreadable(format!("its document is not JSON ({e})")),
    };
    let statements: Vec<&Value> = match &doc["Statement"] {
        Value::Array(v) => v.iter().collect(),
        v @ Value::Object(_) => vec![v],
        _ => return Treatment::Unreadable("its document has no Statement".into()),
    };
    let mut best = Treatment::Allowed;
    for s in statements {
        if s["Effect"].as_str() != Some("Deny") {
            continue;
        }
        let covers = match (s.get("Action"), s.get("NotAction")) {
            (Some(a), _) => strings(a).iter().any(|p| action_matches(p, action)),
            (None, Some(na)) => !strings(na).iter().any(|p| action_matches(p, action)),
            (None, None) => false,
        };
        if !covers {
            continue;
        }
        let t = match narrowing(s) {
            Ok(exempt) => Treatment::Denied { exempt },
            Err(why) => Treatment::Narrowed(why),
        };
        best = match (best, t) {
            (Treatment::Denied { exempt: a }, Treatment::Denied { exempt: b }) => {
                // The statement with fewer exemptions protects more.
                Treatment::Denied {
                    exempt: if b.len() < a.len() { b } else { a },
                }
            }
            (d @ Treatment::Denied { .. }, _) | (_, d @ Treatment::Denied { .. }) => d,
            (n @ Treatment::Narrowed(_), _) | (_, n @ Treatment::Narrowed(_)) => n,
            _ => Treatment::Allowed,
        };
    }
    best
}

/// A statement's exempted principals, or why its resource or conditions narrow it.
fn narrowing(s: &Value) -> Result<Vec<String>, String> {
    if s.get("NotResource").is_some() {
        return Err(format!("it excludes resources ({})", s["NotResource"]));
    }
    let resources = s.get("Resource").map(strings).unwrap_or_default();
    if !resources.iter().any(|r| r == "*") {
        return Err(format!("only on resources {}", resources.join(", ")));
    }
    let mut exempt = Vec::new();
    let Some(conditions) = s.get("Condition").and_then(Value::as_object) else {
        return Ok(exempt);
    };
    for (op, keys) in conditions {
        let base = op
            .trim_start_matches("ForAnyValue:")
            .trim_start_matches("ForAllValues:")
            .trim_end_matches("IfExists");
        for (key, values) in keys.as_object().into_iter().flatten() {
            let k = key.to_ascii_lowercase();
            let principal_key = k.starts_with("aws:principal") || k == "aws:userid";
            let negated = matches!(
                base,
                "ArnNotLike"
                    | "ArnNotEquals"
                    | "StringNotLike"
                    | "StringNotEquals"
                    | "StringNotEqualsIgnoreCase"
            );
            let not_a_service = base == "Bool"
                && k == "aws:principalisawsservice"
                && strings(values)
                    .iter()
                    .all(|v| v.eq_ignore_ascii_case("false"));
            if principal_key && negated {
                exempt.extend(strings(values).into_iter().map(|v| format!("{key} {v}")));
            } else if not_a_service {
                exempt.push("AWS services".into());
            } else {
                return Err(format!("only when {op} {key} {values}"));
            }
        }
    }
    Ok(exempt)
}

/// A string or a list of strings.
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => vec![],
    }
}

/// IAM action matching: case-insensitive, `*` any run of characters, `?` one character
/// (greedy with one backtrack point: linear in practice, never exponential).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let (p, a) = (pattern.as_bytes(), action.as_bytes());
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < a.len() {
        if i < p.len() && (p[i] == b'?' || p[i].eq_ignore_ascii_case(&a[j])) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == b'*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == b'*')
}
