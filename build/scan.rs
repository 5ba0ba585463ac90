// The call-site scanner shared by build.rs and the test that proves it misses no call site
// (`src/permissions.rs`). Plain functions over source text: no dependencies.

/// The wrappers every AWS call goes through; their first or second argument is the action.
pub const WRAPPERS: &[&str] = &[
    ".call(",
    ".call_opt(",
    ".pages(",
    ".retrying(",
    "retry_while_propagating(",
];

/// What the line before a call may say of it (`// permissions: plan, management account`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// Read only for `plan` (the resources plan manages).
    pub plan: bool,
    /// Called only in the management account (the caller's own), never in a member account.
    pub management: bool,
    /// Made only by `query --apply` (Athena), not by audit, plan or apply.
    pub query: bool,
    /// Made only by `evidence pull` (reading log objects and CloudTrail's public keys).
    pub evidence: bool,
}

fn marks(line: &str) -> Marks {
    let Some(said) = line.trim().strip_prefix("// permissions:") else {
        return Marks::default();
    };
    // Each mark may be followed by a word of why, in parentheses.
    let said = said.split('(').next().unwrap_or("");
    let words: Vec<&str> = said.split(',').map(str::trim).collect();
    Marks {
        plan: words.contains(&"plan"),
        management: words.contains(&"management account"),
        query: words.contains(&"query"),
        evidence: words.contains(&"evidence"),
    }
}

/// The action literal of each wrapper call: the first `"svc:Action"` among its first two
/// arguments; and what the line before the call says of it (`// permissions: ...`).
pub fn call_sites(text: &str) -> Vec<(&str, Marks)> {
    let mut out = Vec::new();
    for w in WRAPPERS {
        let mut from = 0;
        while let Some(i) = text[from..].find(w) {
            let at = from + i;
            let args = at + w.len();
            from = args;
            if let Some(a) = first_action(args_prefix(&text[args..])) {
                let line_start = text[..at].rfind('\n').unwrap_or(0);
                let prev = text[..line_start].lines().last().unwrap_or("");
                out.push((a, marks(prev)));
            }
        }
    }
    out
}

/// The text of a call's first two arguments (up to the second top-level comma or the closing
/// parenthesis).
pub fn args_prefix(s: &str) -> &str {
    let (mut depth, mut commas) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return &s[..i],
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                commas += 1;
                if commas == 2 {
                    return &s[..i];
                }
            }
            _ => {}
        }
    }
    s
}

pub fn first_action(s: &str) -> Option<&str> {
    actions(s).into_iter().next()
}

/// The `"svc:Action"` literals in `s`.
pub fn actions(s: &str) -> Vec<&str> {
    s.split('"')
        .skip(1)
        .step_by(2)
        .filter(|lit| is_action(lit))
        .collect()
}

pub fn is_action(lit: &str) -> bool {
    let Some((svc, op)) = lit.split_once(':') else {
        return false;
    };
    !svc.is_empty()
        && svc
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && op.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && op.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The literals of `const IMPLIED: &[&str] = &[ ... ];`.
pub fn implied(text: &str) -> Vec<&str> {
    actions(const_list(text, "IMPLIED"))
}

/// The service principals an apply module's `PASSES_ROLE_TO` list names (the services it
/// hands a role to, for `iam:PassedToService`).
pub fn passes_role_to(text: &str) -> Vec<&str> {
    const_list(text, "PASSES_ROLE_TO")
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|p| p.ends_with(".amazonaws.com"))
        .collect()
}

/// The text of a `const NAME: &[&str] = &[...]` list, or "".
fn const_list<'a>(text: &'a str, name: &str) -> &'a str {
    let Some(i) = text.find(&format!("const {name}: &[&str] = &[")) else {
        return "";
    };
    let rest = &text[i..];
    &rest[..rest.find("];").unwrap_or(rest.len())]
}

/// The whole argument list of a call whose arguments start at `s` (up to its closing
/// parenthesis).
pub fn call_args(s: &str) -> &str {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return &s[..i],
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    s
}

/// Every wrapper call in `text`: its whole argument list.
pub fn wrapper_calls(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for w in WRAPPERS {
        let mut from = 0;
        while let Some(i) = text[from..].find(w) {
            let args = from + i + w.len();
            from = args;
            out.push(call_args(&text[args..]));
        }
    }
    out
}
