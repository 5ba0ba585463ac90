//! The CloudWatch Logs filter-pattern language, parsed and evaluated against log events, so a
//! metric filter is judged by the events it matches, never by comparing its text with a
//! reference pattern.
//!
//! Supported as AWS documents it ("Filter pattern syntax for metric filters"):
//! - the empty pattern (every event);
//! - term patterns: `ERROR`, `"exact phrase"`, `ERROR -DEBUG` (all terms, none of the excluded),
//!   `?ERROR ?WARN` (any of the terms), case-sensitive, anywhere in the event's text;
//! - JSON patterns `{ $.a.b[0] = "x*" && ($.c != 5 || $.d NOT EXISTS) }` with `=`, `!=`, `<`,
//!   `>`, `<=`, `>=`, `*` wildcards, `%regex%` values, `IS NULL`, `IS TRUE`, `IS FALSE`,
//!   `EXISTS`, `NOT EXISTS`, `&&`, `||` and parentheses.
//!
//! AWS does not document how `&&` and `||` bind when they are mixed without parentheses (the CIS
//! benchmark's own patterns do it). Such a pattern is evaluated both ways (`&&` first, and left
//! to right); where the two readings disagree on an event, the answer is undecided, never a
//! guess. Space-delimited patterns (`[ip, user, ...]`) do not apply to JSON events and are
//! reported as such.

use serde_json::Value;

/// A parsed filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterPattern {
    /// The empty pattern: every event.
    All,
    /// Terms searched in the event's text.
    Terms {
        all: Vec<String>,
        none: Vec<String>,
        any: Vec<String>,
    },
    /// A JSON pattern.
    Json(Expr),
}

/// A JSON pattern's expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Test(Selector, Test),
    /// Operands joined by operators at one level of parentheses (`ops.len() == items.len() - 1`).
    Chain {
        items: Vec<Expr>,
        ops: Vec<Logic>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logic {
    And,
    Or,
}

/// A property selector: `$.a.b[0]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector(pub Vec<Step>);

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Compare(Cmp, Literal),
    IsNull,
    IsTrue,
    IsFalse,
    Exists,
    NotExists,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// Text, with `*` wildcards when unescaped.
    Text(String),
    Number(f64),
    Regex(String),
}

/// Why a pattern could not be parsed: the byte offset and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub at: usize,
    pub message: String,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at character {})", self.message, self.at + 1)
    }
}

/// Parse a filter pattern.
pub fn parse(src: &str) -> Result<FilterPattern, PatternError> {
    let t = src.trim();
    if t.is_empty() || t == "\"\"" {
        return Ok(FilterPattern::All);
    }
    let lead = src.len() - src.trim_start().len();
    if t.starts_with('{') {
        let mut p = Parser {
            s: src.as_bytes(),
            i: lead + 1,
        };
        let e = p.expr()?;
        p.ws();
        if p.peek() != Some(b'}') {
            return Err(p.err("expected `}` or `&&`/`||`"));
        }
        p.i += 1;
        p.ws();
        if p.i != src.len() {
            return Err(p.err("text after the closing `}`"));
        }
        return Ok(FilterPattern::Json(e));
    }
    if t.starts_with('[') {
        return Err(PatternError {
            at: lead,
            message: "a space-delimited pattern (`[...]`) matches fields of space-separated text, not JSON events such as CloudTrail's".into(),
        });
    }
    terms(src)
}

fn terms(src: &str) -> Result<FilterPattern, PatternError> {
    let (mut all, mut none, mut any) = (vec![], vec![], vec![]);
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let kind = match b[i] {
            b'-' => Some(&mut none),
            b'?' => Some(&mut any),
            _ => None,
        };
        let start = if kind.is_some() { i + 1 } else { i };
        let (word, next) = if b.get(start) == Some(&b'"') {
            let Some(end) = src[start + 1..].find('"') else {
                return Err(PatternError {
                    at: start,
                    message: "unclosed quotation mark".into(),
                });
            };
            (src[start + 1..start + 1 + end].to_string(), start + end + 2)
        } else {
            let end = src[start..]
                .find(|c: char| c.is_ascii_whitespace())
                .map_or(src.len(), |e| start + e);
            (src[start..end].to_string(), end)
        };
        match kind {
            Some(v) => v.push(word),
            None => all.push(word),
        }
        i = next;
    }
    Ok(FilterPattern::Terms { all, none, any })
}

struct Parser<'s> {
    s: &'s [u8],
    i: usize,
}

impl Parser<'_> {
    fn err(&self, m: &str) -> PatternError {
        PatternError {
            at: self.i.min(self.s.len()),
            message: m.to_string(),
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    fn eat(&mut self, tok: &str) -> bool {
        if self.s[self.i..].starts_with(tok.as_bytes()) {
            self.i += tok.len();
            true
        } else {
            false
        }
    }
    /// A keyword, case-insensitive, followed by a non-word character.
    fn keyword(&mut self, kw: &str) -> bool {
        let end = self.i + kw.len();
        let ok = self.s.len() >= end
            && self.s[self.i..end].eq_ignore_ascii_case(kw.as_bytes())
            && self
                .s
                .get(end)
                .is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'_');
        if ok {
            self.i = end;
        }
        ok
    }

    fn expr(&mut self) -> Result<Expr, PatternError> {
        let mut items = vec![self.operand()?];
        let mut ops = vec![];
        loop {
            self.ws();
            let op = if self.eat("&&") {
                Logic::And
            } else if self.eat("||") {
                Logic::Or
            } else {
                break;
            };
            ops.push(op);
            items.push(self.operand()?);
        }
        Ok(if ops.is_empty() {
            items.remove(0)
        } else {
            Expr::Chain { items, ops }
        })
    }

    fn operand(&mut self) -> Result<Expr, PatternError> {
        self.ws();
        if self.eat("(") {
            let e = self.expr()?;
            self.ws();
            if !self.eat(")") {
                return Err(self.err("expected `)`"));
            }
            return Ok(e);
        }
        let sel = self.selector()?;
        self.ws();
        let test = if self.keyword("IS") {
            self.ws();
            if self.keyword("NULL") {
                Test::IsNull
            } else if self.keyword("TRUE") {
                Test::IsTrue
            } else if self.keyword("FALSE") {
                Test::IsFalse
            } else {
                return Err(self.err("expected NULL, TRUE or FALSE after IS"));
            }
        } else if self.keyword("NOT") {
            self.ws();
            if !self.keyword("EXISTS") {
                return Err(self.err("expected EXISTS after NOT"));
            }
            Test::NotExists
        } else if self.keyword("EXISTS") {
            Test::Exists
        } else {
            let cmp = if self.eat("!=") {
                Cmp::Ne
            } else if self.eat("<=") {
                Cmp::Le
            } else if self.eat(">=") {
                Cmp::Ge
            } else if self.eat("=") {
                Cmp::Eq
            } else if self.eat("<") {
                Cmp::Lt
            } else if self.eat(">") {
                Cmp::Gt
            } else {
                return Err(self.err("expected a comparison (`=`, `!=`, `<`, `>`, `<=`, `>=`), IS, EXISTS or NOT EXISTS"));
            };
            self.ws();
            Test::Compare(cmp, self.literal()?)
        };
        Ok(Expr::Test(sel, test))
    }

    fn selector(&mut self) -> Result<Selector, PatternError> {
        if !self.eat("$") {
            return Err(self.err("expected a property selector starting with `$.`"));
        }
        let mut steps = vec![];
        loop {
            if self.eat(".") {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || b"_-:@".contains(&c))
                {
                    self.i += 1;
                }
                if start == self.i {
                    return Err(self.err("expected a property name after `.`"));
                }
                steps.push(Step::Key(
                    String::from_utf8_lossy(&self.s[start..self.i]).into(),
                ));
            } else if self.eat("[") {
                let start = self.i;
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.i += 1;
                }
                let n = std::str::from_utf8(&self.s[start..self.i])
                    .ok()
                    .and_then(|d| d.parse().ok());
                match (n, self.eat("]")) {
                    (Some(n), true) => steps.push(Step::Index(n)),
                    _ => return Err(self.err("expected an array index such as `[0]`")),
                }
            } else {
                break;
            }
        }
        if steps.is_empty() {
            return Err(self.err("expected `.name` or `[index]` after `$`"));
        }
        Ok(Selector(steps))
    }

    fn literal(&mut self) -> Result<Literal, PatternError> {
        match self.peek() {
            Some(b'"') => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    match self.peek() {
                        None => return Err(self.err("unclosed quotation mark")),
                        Some(b'"') => break,
                        Some(b'\\') if self.s.get(self.i + 1) == Some(&b'"') => {
                            out.push(b'"');
                            self.i += 2;
                        }
                        Some(c) => {
                            out.push(c);
                            self.i += 1;
                        }
                    }
                }
                self.i += 1;
                Ok(Literal::Text(String::from_utf8_lossy(&out).into()))
            }
            Some(b'%') => {
                self.i += 1;
                let start = self.i;
                while self.peek().is_some_and(|c| c != b'%') {
                    self.i += 1;
                }
                if !self.eat("%") {
                    return Err(self.err("unclosed regular expression (`%...%`)"));
                }
                let re = String::from_utf8_lossy(&self.s[start..self.i - 1]).to_string();
                if let Err(e) = regex::Regex::new(&re) {
                    return Err(PatternError {
                        at: start,
                        message: format!("invalid regular expression: {e}"),
                    });
                }
                Ok(Literal::Regex(re))
            }
            _ => {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| !c.is_ascii_whitespace() && !b")}".contains(&c))
                    && !self.s[self.i..].starts_with(b"&&")
                    && !self.s[self.i..].starts_with(b"||")
                {
                    self.i += 1;
                }
                if start == self.i {
                    return Err(self.err("expected a value"));
                }
                let text = String::from_utf8_lossy(&self.s[start..self.i]).to_string();
                Ok(match text.parse::<f64>() {
                    Ok(n) if n.is_finite() => Literal::Number(n),
                    _ => Literal::Text(text),
                })
            }
        }
    }
}

/// Why an event could not be judged.
pub type Undecided = String;

impl FilterPattern {
    /// Whether the pattern matches `event` (a JSON log event such as a CloudTrail record).
    pub fn matches(&self, event: &Value) -> Result<bool, Undecided> {
        match self {
            FilterPattern::All => Ok(true),
            FilterPattern::Terms { all, none, any } => {
                let text = event.to_string();
                let has = |w: &String| text.contains(w.as_str());
                Ok(all.iter().all(has)
                    && !none.iter().any(has)
                    && (any.is_empty() || any.iter().any(has)))
            }
            FilterPattern::Json(e) => {
                let (precedence, flat) = (e.eval(event, true), e.eval(event, false));
                if precedence == flat {
                    Ok(precedence)
                } else {
                    Err("the pattern mixes `&&` and `||` without parentheses, and its two possible readings disagree on this event".into())
                }
            }
        }
    }
}

impl Expr {
    /// `precedence`: `&&` binds tighter than `||`; otherwise left to right.
    fn eval(&self, ev: &Value, precedence: bool) -> bool {
        match self {
            Expr::Test(sel, t) => test(sel.resolve(ev), t),
            Expr::Chain { items, ops } => {
                if precedence {
                    // OR of AND-groups.
                    let mut any = false;
                    let mut group = items[0].eval(ev, true);
                    for (op, item) in ops.iter().zip(&items[1..]) {
                        match op {
                            Logic::And => group = group && item.eval(ev, true),
                            Logic::Or => {
                                any |= group;
                                group = item.eval(ev, true);
                            }
                        }
                    }
                    any || group
                } else {
                    let mut acc = items[0].eval(ev, false);
                    for (op, item) in ops.iter().zip(&items[1..]) {
                        let v = item.eval(ev, false);
                        acc = match op {
                            Logic::And => acc && v,
                            Logic::Or => acc || v,
                        };
                    }
                    acc
                }
            }
        }
    }
}

impl Selector {
    fn resolve<'v>(&self, ev: &'v Value) -> Option<&'v Value> {
        self.0.iter().try_fold(ev, |v, step| match step {
            Step::Key(k) => v.get(k),
            Step::Index(i) => v.get(i),
        })
    }
}

fn test(v: Option<&Value>, t: &Test) -> bool {
    match (t, v) {
        (Test::Exists, v) => v.is_some(),
        (Test::NotExists, v) => v.is_none(),
        (Test::IsNull, v) => v.is_some_and(Value::is_null),
        (Test::IsTrue, v) => v == Some(&Value::Bool(true)),
        (Test::IsFalse, v) => v == Some(&Value::Bool(false)),
        // A comparison on a property the event lacks is false, `!=` included.
        (Test::Compare(..), None) => false,
        (Test::Compare(cmp, lit), Some(v)) => compare(v, *cmp, lit),
    }
}

fn compare(v: &Value, cmp: Cmp, lit: &Literal) -> bool {
    let text = match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let eq = match lit {
        Literal::Number(n) => match v {
            Value::Number(x) => x.as_f64().map(|x| x == *n),
            Value::String(s) => s.parse::<f64>().ok().map(|x| x == *n),
            _ => None,
        },
        Literal::Text(t) => text.as_deref().map(|s| wildcard(t, s)),
        Literal::Regex(re) => text
            .as_deref()
            .map(|s| regex::Regex::new(re).is_ok_and(|r| r.is_match(s))),
    };
    match cmp {
        Cmp::Eq => eq == Some(true),
        Cmp::Ne => eq == Some(false),
        _ => {
            let (Literal::Number(n), Some(x)) = (lit, v.as_f64()) else {
                return false;
            };
            match cmp {
                Cmp::Lt => x < *n,
                Cmp::Gt => x > *n,
                Cmp::Le => x <= *n,
                _ => x >= *n,
            }
        }
    }
}

/// `pattern` with `*` matching any run of characters, against all of `s`.
pub fn wildcard(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !s.starts_with(first) || s.len() < first.len() + last.len() || !s.ends_with(last) {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}
