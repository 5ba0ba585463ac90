//! Amazon EventBridge event patterns, evaluated against events, so a rule is judged by the
//! events it matches (AWS: "Creating event patterns" and "Content filtering").
//!
//! Supported: nested objects; arrays of exact values (strings, numbers, `null`, booleans; an
//! event array matches when any element does); `prefix`, `suffix` (and their
//! `equals-ignore-case` forms), `equals-ignore-case`, `wildcard`, `anything-but` (values,
//! `prefix`, `suffix`, `wildcard`), `numeric` ranges, `exists` and `$or`. A filter logwarden
//! does not know (`cidr`...) makes the answer undecided.

use super::filter_pattern::{wildcard, Undecided};
use serde_json::{Map, Value};

/// Parse a rule's event pattern (JSON text).
pub fn parse(text: &str) -> Result<Value, String> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("the event pattern is not JSON: {e}"))?;
    if !v.is_object() {
        return Err("the event pattern is not a JSON object".into());
    }
    Ok(v)
}

/// Whether the event pattern `pattern` matches `event`.
pub fn matches(pattern: &Value, event: &Value) -> Result<bool, Undecided> {
    match pattern {
        Value::Object(m) => object(m, event),
        _ => Err("an event pattern level that is not an object".into()),
    }
}

fn object(pattern: &Map<String, Value>, event: &Value) -> Result<bool, Undecided> {
    for (key, want) in pattern {
        if key == "$or" {
            let Value::Array(alts) = want else {
                return Err("`$or` is not an array".into());
            };
            let mut any = false;
            for a in alts {
                any |= matches(a, event)?;
            }
            if !any {
                return Ok(false);
            }
            continue;
        }
        let got = event.get(key);
        let ok = match want {
            Value::Object(m) => match got {
                Some(g @ Value::Object(_)) => object(m, g)?,
                // Every leaf below finds nothing: only `exists: false` leaves match.
                _ => object(m, &Value::Null)?,
            },
            Value::Array(conds) => leaf(conds, got)?,
            _ => return Err(format!("`{key}` is neither an object nor an array")),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn leaf(conds: &[Value], got: Option<&Value>) -> Result<bool, Undecided> {
    for c in conds {
        if cond(c, got)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The scalar values an event field offers (an array offers each element).
fn values(got: Option<&Value>) -> Vec<&Value> {
    match got {
        None => vec![],
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    }
}

fn cond(c: &Value, got: Option<&Value>) -> Result<bool, Undecided> {
    let vals = values(got);
    let Value::Object(op) = c else {
        return Ok(vals.iter().any(|v| same(c, v)));
    };
    let Some((name, arg)) = op.iter().next().filter(|_| op.len() == 1) else {
        return Err(format!("a content filter with {} operators", op.len()));
    };
    let strs = || vals.iter().filter_map(|v| v.as_str());
    Ok(match name.as_str() {
        "exists" => match arg {
            Value::Bool(true) => got.is_some_and(|g| !matches!(g, Value::Object(_))),
            Value::Bool(false) => got.is_none(),
            _ => return Err("`exists` takes true or false".into()),
        },
        "prefix" | "suffix" | "equals-ignore-case" | "wildcard" => {
            let test = text_test(name, arg)?;
            strs().any(test)
        }
        "anything-but" => {
            if vals.is_empty() {
                return Ok(false);
            }
            let excluded = |v: &Value| -> Result<bool, Undecided> {
                Ok(match arg {
                    Value::Array(xs) => xs.iter().any(|x| same(x, v)),
                    Value::Object(m) => {
                        let Some((n, a)) = m.iter().next() else {
                            return Err("an empty `anything-but` filter".into());
                        };
                        let t = text_test(n, a)?;
                        v.as_str().is_some_and(t)
                    }
                    x => same(x, v),
                })
            };
            let mut all_kept = true;
            for v in &vals {
                all_kept &= !excluded(v)?;
            }
            all_kept
        }
        "numeric" => {
            let Value::Array(terms) = arg else {
                return Err("`numeric` takes an array".into());
            };
            let mut ok_any = false;
            for v in vals.iter().filter_map(|v| v.as_f64()) {
                let mut ok = true;
                for pair in terms.chunks(2) {
                    let (Some(op), Some(n)) = (
                        pair.first().and_then(Value::as_str),
                        pair.get(1).and_then(Value::as_f64),
                    ) else {
                        return Err("a `numeric` filter that is not operator, number pairs".into());
                    };
                    ok &= match op {
                        "=" => v == n,
                        "<" => v < n,
                        "<=" => v <= n,
                        ">" => v > n,
                        ">=" => v >= n,
                        _ => return Err(format!("numeric operator `{op}`")),
                    };
                }
                ok_any |= ok;
            }
            ok_any
        }
        other => {
            return Err(format!(
                "the `{other}` content filter is not evaluated by logwarden"
            ))
        }
    })
}

type TextTest = Box<dyn Fn(&str) -> bool>;

fn text_test(name: &str, arg: &Value) -> Result<TextTest, Undecided> {
    // `{"prefix": {"equals-ignore-case": "x"}}` and `{"suffix": ...}` likewise.
    let (s, ignore_case) = match arg {
        Value::String(s) => (s.clone(), name == "equals-ignore-case"),
        Value::Object(m) => match m.get("equals-ignore-case").and_then(Value::as_str) {
            Some(s) => (s.to_string(), true),
            None => return Err(format!("a `{name}` filter logwarden does not evaluate")),
        },
        _ => return Err(format!("`{name}` takes a string")),
    };
    let low = move |x: &str| {
        if ignore_case {
            x.to_lowercase()
        } else {
            x.to_string()
        }
    };
    let want = low(&s);
    Ok(match name {
        "prefix" => Box::new(move |x: &str| low(x).starts_with(&want)),
        "suffix" => Box::new(move |x: &str| low(x).ends_with(&want)),
        "equals-ignore-case" => Box::new(move |x: &str| x.to_lowercase() == want),
        _ => Box::new(move |x: &str| wildcard(&want, x)),
    })
}

/// Exact equality as EventBridge applies it (numbers compared as numbers).
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}
