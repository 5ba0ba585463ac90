//! Whether an organization policy (an SCP or an RCP) denies an action on the resources that hold
//! the logs: the statements of a policy document read the way AWS evaluates them, for an intruder
//! with administrator rights in a member account.
//!
//! A `Deny` counts on a resource when its `Action` (or `NotAction`) covers the action, its
//! `Resource` (or `NotResource`) covers the resource, and its conditions apply to the intruder's
//! request. Conditions are decided where the answer is known: exemptions of named principals
//! (`ArnNotLike aws:PrincipalArn`: the usual break-glass role) and of AWS services are listed;
//! conditions on the principal's account or organization are decided against the account being
//! judged; TLS-only and region conditions are decided as the intruder would choose. Any other
//! condition (a tag, an IP range, MFA) makes the statement *undecided*: never a pass.

use serde_json::Value;

/// How a policy, or all the policies in force, treat one action.
#[derive(Debug, Clone, PartialEq)]
pub enum Treatment {
    /// Denied on every resource for every principal but the ones named (an empty list: no
    /// exemption).
    Denied { exempt: Vec<String> },
    /// A Deny that leaves part of it open (why): a resource it does not name, a condition an
    /// intruder meets.
    Narrowed(String),
    /// A Deny whose reach depends on what logwarden cannot decide (why).
    Undecided(String),
    /// Not denied.
    Allowed,
    /// The document is not a policy logwarden can read (why): neither denied nor allowed.
    Unreadable(String),
}

impl Treatment {
    /// Which of two treatments protects more (the strongest statement wins within a policy).
    fn rank(&self) -> u8 {
        match self {
            Treatment::Denied { .. } => 4,
            Treatment::Unreadable(_) => 3,
            Treatment::Undecided(_) => 2,
            Treatment::Narrowed(_) => 1,
            Treatment::Allowed => 0,
        }
    }

    /// The stronger of two treatments (of two Denies, the one with fewer exemptions).
    pub fn or(self, other: Treatment) -> Treatment {
        match (self, other) {
            (Treatment::Denied { exempt: a }, Treatment::Denied { exempt: b }) => {
                Treatment::Denied {
                    exempt: if b.len() < a.len() { b } else { a },
                }
            }
            (a, b) if b.rank() > a.rank() => b,
            (a, _) => a,
        }
    }
}

/// A resource the action must be denied on: the forms its ARN is written in (a policy naming
/// any of them covers it), and, for a pattern standing for resources that could not be read,
/// what could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub arns: Vec<String>,
    pub unread: Option<String>,
}

impl Target {
    /// Any resource: actions that are not about one log resource (`cloudtrail:StopLogging`).
    pub fn any() -> Target {
        Target {
            arns: vec!["*".into()],
            unread: None,
        }
    }

    /// A resource known by its ARN, in one or more forms.
    pub fn known(arns: Vec<String>) -> Target {
        Target { arns, unread: None }
    }

    /// The resources a failed read could have named, as a pattern (`arn:aws:s3:::*`).
    pub fn unread(pattern: String, why: String) -> Target {
        Target {
            arns: vec![pattern],
            unread: Some(why),
        }
    }

    fn name(&self) -> &str {
        self.arns.first().map(String::as_str).unwrap_or("*")
    }
}

/// What is asked: the action, the resources it must be denied on, and who would ask (the
/// account the intruder is in, and its organization).
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub action: &'a str,
    pub targets: &'a [Target],
    pub account: &'a str,
    pub org_id: &'a str,
}

/// The statements of a policy document, or why it cannot be read.
fn statements(content: &str) -> Result<Vec<Value>, String> {
    let doc = serde_json::from_str::<Value>(content)
        .map_err(|e| format!("its document is not JSON ({e})"))?;
    match &doc["Statement"] {
        Value::Array(v) => Ok(v.clone()),
        v @ Value::Object(_) => Ok(vec![v.clone()]),
        _ => Err("its document has no Statement".into()),
    }
}

/// Whether a statement's `Action` or `NotAction` covers `action`.
fn covers_action(s: &Value, action: &str) -> bool {
    match (s.get("Action"), s.get("NotAction")) {
        (Some(a), _) => strings(a).iter().any(|p| action_matches(p, action)),
        (None, Some(na)) => !strings(na).iter().any(|p| action_matches(p, action)),
        (None, None) => false,
    }
}

/// How the policy document `content` treats the request: per resource the strongest of its
/// Deny statements, over the resources the weakest.
pub fn treatment(content: &str, req: &Request) -> Treatment {
    let statements = match statements(content) {
        Ok(s) => s,
        Err(why) => return Treatment::Unreadable(why),
    };
    let denies: Vec<&Value> = statements
        .iter()
        .filter(|s| s["Effect"].as_str() == Some("Deny") && covers_action(s, req.action))
        .collect();
    let per_target: Vec<(&Target, Treatment)> = req
        .targets
        .iter()
        .map(|t| {
            let best = denies
                .iter()
                .map(|s| on_target(s, t, req))
                .fold(Treatment::Allowed, Treatment::or);
            (t, best)
        })
        .collect();
    combine(per_target)
}

/// The treatment of every resource, as one: denied when each is, else what leaves one open.
pub fn combine(per_target: Vec<(&Target, Treatment)>) -> Treatment {
    if per_target.iter().all(|(_, t)| *t == Treatment::Allowed) {
        return Treatment::Allowed;
    }
    let mut exempt: Vec<String> = Vec::new();
    let (mut open, mut undecided, mut unreadable) = (Vec::new(), Vec::new(), Vec::new());
    let mut any_denied = false;
    let whole = per_target.len() == 1 && per_target[0].0.arns == ["*"];
    for (t, tr) in &per_target {
        let on = |why: &str| {
            if whole {
                why.to_string()
            } else {
                format!("on {}: {why}", t.name())
            }
        };
        match tr {
            Treatment::Denied { exempt: e } => {
                any_denied = true;
                for x in e {
                    if !exempt.contains(x) {
                        exempt.push(x.clone());
                    }
                }
            }
            _ if t.unread.is_some() => undecided.push(format!(
                "whether it is denied on {} is unknown ({})",
                t.name(),
                t.unread.as_deref().unwrap_or_default()
            )),
            Treatment::Narrowed(why) => open.push(on(why)),
            Treatment::Undecided(why) => undecided.push(on(why)),
            Treatment::Unreadable(why) => unreadable.push(why.clone()),
            Treatment::Allowed => {
                if !whole {
                    open.push(format!("not on {}", t.name()));
                }
            }
        }
    }
    if !open.is_empty() {
        return Treatment::Narrowed(open.join("; "));
    }
    if let Some(why) = unreadable.first() {
        return Treatment::Unreadable(why.clone());
    }
    if !undecided.is_empty() {
        return Treatment::Undecided(undecided.join("; "));
    }
    if any_denied {
        Treatment::Denied { exempt }
    } else {
        Treatment::Allowed
    }
}

/// How one Deny statement that covers the action treats one resource.
fn on_target(s: &Value, t: &Target, req: &Request) -> Treatment {
    let matches = |key: &str| {
        s.get(key).map(|v| {
            strings(v)
                .iter()
                .any(|p| t.arns.iter().any(|a| arn_matches(p, a)))
        })
    };
    let on_resource = match (matches("Resource"), matches("NotResource")) {
        (Some(m), _) => m,
        (None, Some(excluded)) => !excluded,
        (None, None) => false,
    };
    if !on_resource {
        return Treatment::Narrowed(match (s.get("Resource"), s.get("NotResource")) {
            (Some(r), _) => format!("only on resources {}", strings(r).join(", ")),
            (None, Some(nr)) => format!("not on resources {}", strings(nr).join(", ")),
            (None, None) => "it names no resource".into(),
        });
    }
    match conditions(s, req) {
        Reach::Applies(exempt) => Treatment::Denied { exempt },
        Reach::Never(why) => Treatment::Narrowed(why),
        Reach::Undecided(why) => Treatment::Undecided(why),
    }
}

/// Whether a statement's conditions apply to the intruder's request.
enum Reach {
    /// They apply, to every principal but the ones named.
    Applies(Vec<String>),
    /// An intruder's request escapes them (why).
    Never(String),
    /// logwarden cannot tell (why).
    Undecided(String),
}

fn conditions(s: &Value, req: &Request) -> Reach {
    let mut exempt = Vec::new();
    let Some(conditions) = s.get("Condition").and_then(Value::as_object) else {
        return Reach::Applies(exempt);
    };
    let mut undecided = None;
    for (op, keys) in conditions {
        let base = op
            .trim_start_matches("ForAnyValue:")
            .trim_start_matches("ForAllValues:")
            .trim_end_matches("IfExists");
        let negated = matches!(
            base,
            "ArnNotLike"
                | "ArnNotEquals"
                | "StringNotLike"
                | "StringNotEquals"
                | "StringNotEqualsIgnoreCase"
        );
        let positive = matches!(
            base,
            "ArnLike" | "ArnEquals" | "StringLike" | "StringEquals" | "StringEqualsIgnoreCase"
        );
        for (key, values) in keys.as_object().into_iter().flatten() {
            let k = key.to_ascii_lowercase();
            let vals = strings(values);
            let said = format!("{op} {key} {values}");
            let is = |b: &str| base == "Bool" && vals.iter().all(|v| v.eq_ignore_ascii_case(b));
            let names = |who: &str| vals.iter().any(|v| glob(v, who, false));
            match k.as_str() {
                "aws:principalarn" | "aws:userid" | "aws:username" | "aws:sourceidentity"
                    if negated =>
                {
                    exempt.extend(vals.iter().map(|v| format!("{key} {v}")));
                }
                _ if k.starts_with("aws:principaltag/") && negated => {
                    exempt.extend(vals.iter().map(|v| format!("{key} {v}")));
                }
                "aws:principalaccount" | "aws:principalorgid" if negated || positive => {
                    let who = if k == "aws:principalaccount" {
                        req.account
                    } else {
                        req.org_id
                    };
                    if names(who) == negated {
                        return Reach::Never(format!(
                            "only when {said}, which exempts the principals of {who}"
                        ));
                    }
                }
                "aws:principalisawsservice" if is("false") => exempt.push("AWS services".into()),
                "aws:viaawsservice" if is("false") => {
                    exempt.push("calls AWS services make on a principal's behalf".into())
                }
                "aws:principalisawsservice" | "aws:viaawsservice" if is("true") => {
                    return Reach::Never(format!("only when {said}: never for a person's call"));
                }
                "aws:securetransport" if is("false") => {
                    return Reach::Never(format!(
                        "only when {said}: the CLI and SDKs always use TLS"
                    ));
                }
                "aws:securetransport" if is("true") => {}
                "aws:requestedregion" if positive && vals.iter().any(|v| v == "*") => {}
                "aws:requestedregion" => {
                    return Reach::Never(format!(
                        "only when {said}: an intruder can call another region"
                    ));
                }
                _ => {
                    undecided.get_or_insert(format!(
                        "only when {said}, which logwarden cannot decide for an intruder's request"
                    ));
                }
            }
        }
    }
    match undecided {
        Some(why) => Reach::Undecided(why),
        None => Reach::Applies(exempt),
    }
}

/// Whether the document has an `Allow` statement that covers `action` (whatever its resources
/// and conditions: an SCP that may allow does not deny by omission).
pub fn allows(content: &str, action: &str) -> Result<bool, String> {
    Ok(statements(content)?
        .iter()
        .any(|s| s["Effect"].as_str() == Some("Allow") && covers_action(s, action)))
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

/// IAM action matching: case-insensitive, `*` any run of characters, `?` one character.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob(pattern, action, true)
}

/// IAM resource matching: an ARN pattern against an ARN, case-sensitive. A target that is itself
/// a pattern (`arn:aws:s3:::*`, resources that could not be read) is covered only by a pattern
/// that matches its wildcards as characters: `*` covers `arn:aws:s3:::*`, `arn:aws:s3:::logs-*`
/// does not.
pub fn arn_matches(pattern: &str, arn: &str) -> bool {
    glob(pattern, arn, false)
}

/// `*` any run of characters, `?` one character (greedy with one backtrack point: linear in
/// practice, never exponential).
fn glob(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let (p, a) = (pattern.as_bytes(), text.as_bytes());
    let same = |x: u8, y: u8| {
        if ignore_case {
            x.eq_ignore_ascii_case(&y)
        } else {
            x == y
        }
    };
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < a.len() {
        if i < p.len() && p[i] != b'*' && ((p[i] == b'?' && a[j] != b'*') || same(p[i], a[j])) {
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
