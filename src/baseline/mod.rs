//! The baseline loader: reads a versioned YAML profile saying what logging an organization must
//! have, and validates it.
//!
//! The profile's sections belong to the sources (the registry declares them and makes the
//! profile type, a [`Profile`]); this module parses any such type with `serde-saphyr` (a
//! maintained, panic-free YAML parser with resource budgets), rejects unknown and duplicate
//! keys, runs the validation it is given (the registry's: every source's), and reports errors
//! with file, line, column and a hint. Bundled profiles live in
//! `profiles/` and are compiled in, so `--baseline recommended` works from any directory. Every
//! section is optional with documented defaults, so new keys can be added without breaking
//! existing profiles.

use crate::profile::{Issue, Profile};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a profile must pass besides its shape: the registry's validation.
pub type Validate<B> = fn(&B) -> Result<(), Issue>;

/// The only profile schema version this build understands.
pub const PROFILE_VERSION: u32 = 1;

/// Profiles larger than this are rejected before parsing (hostile input).
const MAX_PROFILE_BYTES: usize = 1024 * 1024;

/// Profiles shipped with the tool: (name, YAML text).
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "recommended",
        include_str!("../../profiles/recommended.yaml"),
    ),
    ("cis-aws-v3", include_str!("../../profiles/cis-aws-v3.yaml")),
    ("minimal", include_str!("../../profiles/minimal.yaml")),
];

/// Where a baseline came from, for the report and for error messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct LoadedBaseline<B: Profile> {
    pub baseline: B,
    /// `bundled:recommended` or the file path.
    pub source: String,
}

/// A profile that could not be used: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ProfileError {
    pub file: String,
    /// 1-based; 0 when the file could not be read at all.
    pub line: u64,
    pub column: u64,
    pub message: String,
    pub hint: String,
    /// The offending line with a caret under the column (empty when there is no line).
    pub snippet: String,
}

impl ProfileError {
    /// `file:line:column: message`, the line with a caret, and the hint (as just and uv do).
    fn render(&self) -> String {
        let at = if self.line > 0 {
            format!("{}:{}:{}", self.file, self.line, self.column)
        } else {
            self.file.clone()
        };
        let mut s = format!("{at}: {}", self.message);
        if !self.snippet.is_empty() {
            s.push('\n');
            s.push_str(&self.snippet);
        }
        s.push_str(&format!("\n  hint: {}", self.hint));
        s
    }
}

pub use crate::io::snippet;

/// Resolve `--baseline NAME|PATH`: a bundled name first, else a file path.
pub fn load<B: Profile>(
    name_or_path: &str,
    validate: Validate<B>,
) -> Result<LoadedBaseline<B>, ProfileError> {
    if let Some((name, text)) = BUNDLED.iter().find(|(n, _)| *n == name_or_path) {
        let source = format!("bundled:{name}");
        return parse(text, &source, validate).map(|baseline| LoadedBaseline { baseline, source });
    }
    let path = Path::new(name_or_path);
    // At most one byte more than a profile may be is read: a larger file is refused by
    // `parse`, never loaded whole.
    let read = |path: &Path| -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(MAX_PROFILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    let bytes = read(path).map_err(|e| ProfileError {
        file: name_or_path.to_string(),
        line: 0,
        column: 0,
        snippet: String::new(),
        message: format!("cannot read the profile: {e}"),
        hint: format!(
            "pass a file path or a bundled profile name ({})",
            bundled_names().join(", ")
        ),
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| ProfileError {
        file: name_or_path.to_string(),
        line: 0,
        column: 0,
        snippet: String::new(),
        message: "the profile is not text (UTF-8): is it the right file?".into(),
        hint: "a profile is a YAML file; pass its path, or a bundled profile name".into(),
    })?;
    parse(text, name_or_path, validate).map(|baseline| LoadedBaseline {
        baseline,
        source: name_or_path.to_string(),
    })
}

pub fn bundled_names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(n, _)| *n).collect()
}

/// The JSON Schema of profiles, for editors (`logwarden profiles schema`).
pub fn json_schema<B: Profile>() -> String {
    let schema = schemars::schema_for!(B);
    serde_json::to_string_pretty(&schema).expect("the schema serializes") + "\n"
}

/// Parse and validate a profile. `file` is used in error messages only.
pub fn parse<B: Profile>(text: &str, file: &str, validate: Validate<B>) -> Result<B, ProfileError> {
    let err = |line: u64, column: u64, message: String, hint: &str| ProfileError {
        file: file.to_string(),
        line,
        column,
        snippet: snippet(text, line, column),
        message,
        hint: hint.to_string(),
    };
    if text.len() > MAX_PROFILE_BYTES {
        return Err(err(
            1,
            1,
            format!("the profile is larger than the limit of {MAX_PROFILE_BYTES} bytes"),
            "a baseline profile is a short document; check that this is the right file",
        ));
    }
    if let Some((line, column)) = find_tab_indent(text) {
        return Err(err(
            line,
            column,
            "a tab character is used for indentation".into(),
            "YAML indentation must use spaces; replace the tab with spaces",
        ));
    }
    if is_blank(text) {
        return Err(err(
            1,
            1,
            "the profile is empty".into(),
            "a profile needs at least `version: 1` and `name: ...`; `logwarden profiles show recommended` prints a complete one to start from",
        ));
    }
    let baseline: B = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = clean_message(&e.to_string());
        let key = key_at(text, line, column);
        let message = match (&key, message.contains('`')) {
            // Name the key whose value is wrong ("invalid boolean" alone does not).
            (Some(k), false) => format!("{message} (key `{k}`)"),
            _ => message,
        };
        let hint = hint_for(&message);
        err(line, column, message, &hint)
    })?;
    if baseline.version() != PROFILE_VERSION {
        let (line, column) = locate(text, &["version"]).unwrap_or((1, 1));
        return Err(err(
            line,
            column,
            format!(
                "unsupported profile version {}; this logwarden understands version {PROFILE_VERSION}",
                baseline.version()
            ),
            "set `version: 1`, or upgrade logwarden",
        ));
    }
    validate(&baseline).map_err(|issue| {
        let (line, column) = locate(text, &issue.path)
            .or_else(|| locate(text, &issue.otherwise))
            .unwrap_or((1, 1));
        err(line, column, issue.message, &issue.hint)
    })?;
    Ok(baseline)
}

/// Whether a YAML document says nothing: blank lines, comments and document markers only.
pub(crate) fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    })
}

/// The parser's message without its own location ("error: line 9 column 3: ...": the location
/// is shown once, in front) and without advice about parser options.
pub(crate) fn clean_message(s: &str) -> String {
    let mut m = s.lines().next().unwrap_or("").trim();
    m = m.strip_prefix("error: ").unwrap_or(m);
    if let Some(rest) = m.strip_prefix("line ") {
        // "line N column M: message"
        if let Some((_, after)) = rest.split_once(": ") {
            m = after;
        }
    }
    let mut m = m.to_string();
    for cut in [
        "; set ",
        " (set ",
        ", set DuplicateKeyPolicy",
        " set DuplicateKeyPolicy",
    ] {
        if let Some(i) = m.find(cut) {
            m.truncate(i);
        }
    }
    m.trim_end_matches(['.', ';', ',']).to_string()
}

/// The key whose value starts at (or on the line of) `line`:`column`, if any.
fn key_at(text: &str, line: u64, column: u64) -> Option<String> {
    let code = text.lines().nth(line.checked_sub(1)? as usize)?;
    let upto: String = code
        .chars()
        .take(column.saturating_sub(1) as usize)
        .collect();
    let head = upto.rsplit_once(':')?.0;
    let key = head
        .trim_start_matches(|c: char| c.is_whitespace() || c == '-' || c == '{' || c == ',')
        .rsplit([' ', '{', ','])
        .next()?
        .trim();
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| key.to_string())
}

/// The valid key nearest to an unknown one, from the parser's "expected one of `a`, `b`" list.
fn nearest_key(message: &str) -> Option<String> {
    let unknown = message.split('`').nth(1)?;
    let expected = message.split_once("expected")?.1;
    let expected = expected.trim_start().trim_start_matches("one of").trim();
    expected
        .split(',')
        .map(|k| k.trim().trim_matches('`'))
        .filter(|k| !k.is_empty())
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.to_string())
}

fn hint_for(message: &str) -> String {
    let m = message.to_ascii_lowercase();
    if m.contains("unknown field") {
        match nearest_key(message) {
            Some(k) => format!("did you mean `{k}`? docs/profiles.md lists every key"),
            None => "remove the key or fix its spelling; docs/profiles.md lists every key".into(),
        }
    } else if m.contains("invalid boolean") {
        "use true or false (unquoted)".into()
    } else if m.contains("duplicate") {
        "each key may appear once in a mapping; remove the repeated key".into()
    } else if m.contains("missing field") {
        "add the missing key; docs/profiles.md shows a complete profile".into()
    } else if m.contains("unknown variant") {
        "use one of the values the message lists".into()
    } else if ["u8", "u16", "u32", "u64", "i32", "i64"]
        .iter()
        .any(|t| m.contains(&format!("invalid {t}")))
    {
        "use a whole number in the key's range (no sign, no decimals for counts and days); docs/profiles.md gives each key's values".into()
    } else if m.contains("invalid type") {
        "check the value's type against docs/profiles.md (true/false, a number, a list...)".into()
    } else if m.contains("budget")
        || m.contains("limit")
        || m.contains("depth")
        || m.contains("nest")
    {
        "the document is too large or too deeply nested for a profile".into()
    } else {
        "check the YAML syntax around this position; docs/profiles.md has examples".into()
    }
}

/// The first line and column (1-based) where a tab is part of a line's indentation.
fn find_tab_indent(text: &str) -> Option<(u64, u64)> {
    for (i, line) in text.lines().enumerate() {
        for (j, c) in line.chars().enumerate() {
            match c {
                ' ' => continue,
                '\t' => return Some((i as u64 + 1, j as u64 + 1)),
                _ => break,
            }
        }
    }
    None
}

/// The line and column (1-based) of a key path (`["budgets", "notifications", "emails"]`):
/// each key is looked for after the previous one, in block or flow style, so the position is
/// the one inside the right section. When a key is absent (a default), the deepest key found.
fn locate(text: &str, path: &[&str]) -> Option<(u64, u64)> {
    let mut from = 0;
    let mut found = None;
    for key in path {
        match find_key(text, key, from) {
            Some(at) => {
                found = Some(at);
                from = at + key.len();
            }
            None => break,
        }
    }
    let at = found?;
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u64 + 1;
    Some((line, column))
}

/// The byte offset of the first `key:` at or after `from` that is a key (not part of another
/// word, not in a comment).
fn find_key(text: &str, key: &str, from: usize) -> Option<usize> {
    let needle = format!("{key}:");
    let mut line_start = text[..from].rfind('\n').map(|i| i + 1).unwrap_or(0);
    for line in text[line_start..].split_inclusive('\n') {
        let code_end = line.find(" #").unwrap_or(line.len());
        let code = &line[..code_end];
        let skip = from.saturating_sub(line_start);
        for (i, _) in code.match_indices(&needle) {
            if i < skip {
                continue;
            }
            let prev = code[..i].chars().next_back();
            if matches!(prev, None | Some(' ' | '{' | ',' | '-' | '\t')) {
                return Some(line_start + i);
            }
        }
        line_start += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Registry;
    use crate::sources::{Baseline, Sources};

    fn load(name_or_path: &str) -> Result<LoadedBaseline<Baseline>, ProfileError> {
        super::load(name_or_path, Sources::validate)
    }

    fn parse(text: &str, file: &str) -> Result<Baseline, ProfileError> {
        super::parse(text, file, Sources::validate)
    }

    #[test]
    fn bundled_profiles_parse() {
        for (name, text) in BUNDLED {
            let b = parse(text, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(&b.name, name);
        }
    }

    #[test]
    fn minimal_is_management_events_only() {
        let b = load("minimal").unwrap().baseline;
        assert!(b.cloudtrail.s3_data_events.is_none() && b.cloudtrail.lambda_data_events.is_none());
        assert!(b.vpc_flow_logs.is_none());
        assert_eq!(
            b.trail_bucket.lifecycle.unwrap().max_retention_days,
            Some(400)
        );
    }

    #[test]
    fn recommended_asks_for_what_responders_want() {
        let b = load("recommended").unwrap().baseline;
        assert_eq!(
            b.cloudtrail.management_events,
            crate::sources::cloudtrail::profile::ManagementEvents::All
        );
        assert!(b.cloudtrail.s3_data_events.is_some());
        assert!(b.cloudtrail.lambda_data_events.is_some());
        assert!(b.trail_bucket.lifecycle.is_some());
        assert!(b.vpc_flow_logs.is_some());
        assert!(b.budgets.logging_cost);
    }

    #[test]
    fn cis_does_not_ask_for_budgets_or_elb() {
        let b = load("cis-aws-v3").unwrap().baseline;
        assert!(!b.budgets.logging_cost);
        assert!(!b.elb_access_logs.alb);
        assert!(b.cloudtrail.insights.is_empty());
    }

    #[test]
    fn unknown_key_is_rejected_with_its_position() {
        let e = parse(
            "version: 1\nname: x\ncloudtrail:\n  log_file_validaton: true\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.file, "p.yaml");
        assert_eq!(e.line, 4, "{e}");
        assert_eq!(e.column, 3, "{e}");
        assert!(e.message.contains("log_file_validaton"), "{e}");
        assert!(
            e.hint.contains("did you mean `log_file_validation`?"),
            "{e}"
        );
        // The location once, then the line with a caret under the key.
        let text = e.to_string();
        assert!(
            text.starts_with("p.yaml:4:3: unknown field `log_file_validaton`"),
            "{text}"
        );
        assert_eq!(text.matches("line 4").count(), 0, "{text}");
        assert!(
            text.contains(" 4 |   log_file_validaton: true\n   |   ^"),
            "{text}"
        );
    }

    #[test]
    fn profile_errors_read_cleanly() {
        // A wrong value names its key and gets a hint about values, not about YAML syntax.
        let e = parse(
            "version: 1\nname: x\ncloudtrail:\n  log_file_validation: maybe\n",
            "p.yaml",
        )
        .unwrap_err();
        assert!(e.message.contains("(key `log_file_validation`)"), "{e}");
        assert_eq!(e.hint, "use true or false (unquoted)");
        // A duplicate key: no advice about parser options.
        let e = parse("version: 1\nname: x\nname: y\n", "p.yaml").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(!e.to_string().contains("DuplicateKeyPolicy"), "{e}");
        assert!(e.hint.contains("remove the repeated key"), "{e}");
        // A binary file is not located at 0:0.
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("b.yaml");
        std::fs::write(&bin, [0u8, 1, 0xff]).unwrap();
        let text = load(bin.to_str().unwrap()).unwrap_err().to_string();
        assert!(!text.contains(":0:0"), "{text}");
        assert!(text.contains("is not text (UTF-8)"), "{text}");
    }

    #[test]
    fn an_empty_profile_says_so() {
        for text in ["", "\n\n", "# a comment only\n", "---\n# nothing\n"] {
            let e = parse(text, "p.yaml").unwrap_err();
            assert_eq!(e.message, "the profile is empty", "{text:?}: {e}");
            assert_eq!((e.line, e.column), (1, 1));
            assert!(e.hint.contains("profiles show recommended"), "{e}");
        }
        // A number out of its type's range names the key and says what fits.
        let e = parse(
            "version: 1\nname: x\nlog_group_retention:\n  min_days: 99999999999999999999\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (4, 13), "{e}");
        assert!(e.message.contains("`min_days`"), "{e}");
        assert!(e.hint.starts_with("use a whole number"), "{e}");
    }

    #[test]
    fn wrong_type_is_rejected_with_its_position() {
        let e = parse(
            "version: 1\nname: x\ncloudtrail:\n  kms_encryption: maybe\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (4, 19), "{e}");
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let e = parse("version: 1\nname: x\nname: y\n", "p.yaml").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.hint.contains("once"), "{e}");
    }

    #[test]
    fn tabs_are_rejected() {
        let e = parse(
            "version: 1\nname: x\ncloudtrail:\n\tkms_encryption: true\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (4, 1));
        assert!(e.message.contains("tab"));
    }

    #[test]
    fn wrong_version_is_rejected() {
        let e = parse("version: 2\nname: x\n", "p.yaml").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("version 2"), "{e}");
    }

    #[test]
    fn a_default_that_contradicts_another_section_points_at_the_key_that_is_written() {
        // The organization trail's log group keeps its default retention (365 days, no key in
        // the file), shorter than the retention this file asks of every group: the caret goes
        // to the key the file has, not to 1:1.
        let e = parse(
            "version: 1\nname: x\nlog_group_retention:\n  min_days: 400\n",
            "p.yaml",
        )
        .unwrap_err();
        assert!(
            e.message
                .contains("shorter than log_group_retention.min_days"),
            "{e}"
        );
        assert_eq!((e.line, e.column), (4, 3), "{e}");
        // Where the contradicting key is written, it is the one pointed at.
        let e = parse(
            "version: 1\nname: x\nlog_group_retention:\n  min_days: 400\norganization_trail:\n  cloudwatch_logs:\n    retention_days: 365\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (7, 5), "{e}");
    }

    #[test]
    fn mfa_delete_with_lifecycle_is_a_contradiction() {
        let e = parse(
            "version: 1\nname: x\ntrail_bucket:\n  mfa_delete: true\n  lifecycle:\n    min_retention_days: 365\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("MFA delete"), "{e}");
    }

    #[test]
    fn standard_ia_before_30_days_is_rejected() {
        let e = parse(
            "version: 1\nname: x\ntrail_bucket:\n  lifecycle:\n    transitions:\n      - after_days: 10\n        storage_class: STANDARD_IA\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.line, 6);
        assert!(e.message.contains("30 days"), "{e}");
    }

    #[test]
    fn unknown_storage_class_is_rejected() {
        let e = parse(
            "version: 1\nname: x\ntrail_bucket:\n  lifecycle:\n    transitions:\n      - after_days: 90\n        storage_class: TAPE\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.line, 7, "{e}");
        assert!(e.message.contains("TAPE"), "{e}");
    }

    #[test]
    fn hostile_documents_are_rejected_without_panic() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep, "deep.yaml").is_err());
        let huge = "a".repeat(MAX_PROFILE_BYTES + 1);
        assert!(parse(&huge, "huge.yaml")
            .unwrap_err()
            .message
            .contains("limit"));
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
        assert!(parse(bomb, "bomb.yaml").is_err());
        for s in [
            "",
            ":",
            "- - -",
            "version: [",
            "\u{0}",
            "version: 1\nname: x\ncloudtrail: 3\n",
        ] {
            assert!(parse(s, "x.yaml").is_err(), "{s:?}");
        }
    }

    #[test]
    fn missing_file_names_the_bundled_profiles() {
        let e = load("/nonexistent/profile.yaml").unwrap_err();
        assert!(e.hint.contains("recommended"));
    }

    fn rejected(yaml: &str) -> ProfileError {
        parse(&format!("version: 1\nname: x\n{yaml}"), "p.yaml").unwrap_err()
    }

    #[test]
    fn enforcement_contradictions_are_rejected_with_their_position() {
        let cases: &[(&str, u64, &str)] = &[
            (
                "trail_bucket:\n  object_lock: {mode: GOVERNANCE, days: 30}\n",
                4,
                "AWS Config delivers",
            ),
            (
                "config: {delivery_channel: false}\ntrail_bucket:\n  object_lock: {mode: COMPLIANCE, days: 400}\n  lifecycle:\n    expiration_days: 365\n",
                7,
                "Object Lock retains them for 400 days",
            ),
            (
                "trail_bucket:\n  lifecycle:\n    min_retention_days: 365\n    expiration_days: 90\n",
                6,
                "shorter than `min_retention_days`",
            ),
            (
                "trail_bucket:\n  lifecycle:\n    transitions: [{after_days: 400, storage_class: GLACIER}]\n    expiration_days: 365\n",
                5,
                "comes after the expiration",
            ),
            (
                "log_archive: {bucket_name: \"{org_id}-logs-{account_id}-{region}\"}\nelb_access_logs: {bucket: \"{org_id}-logs-{account_id}-{region}\"}\n",
                4,
                "load balancers deliver only to SSE-S3",
            ),
            (
                "log_archive: {bucket_name: \"{org_id}-logs-{account_id}-{region}\"}\ns3_access_logs: {target_bucket: \"{org_id}-logs-{account_id}-{region}\"}\n",
                4,
                "server access logs need an SSE-S3 target",
            ),
            (
                "log_archive: {bucket_name: \"{org}-logs\"}\n",
                3,
                "unknown placeholder `{org}`",
            ),
            (
                "s3_access_logs: {target_bucket: \"{org_id}-access-logs\"}\n",
                3,
                "must contain {account_id} and {region}",
            ),
            (
                "log_archive: {bucket_name: \"Logs_{account_id}\"}\n",
                3,
                "not a valid bucket name",
            ),
            ("log_archive: {kms_key: my-key}\n", 3, "neither `create` nor a KMS key ARN"),
            (
                "organization_trail:\n  cloudwatch_logs: {retention_days: 42}\n",
                4,
                "retention of 42 days",
            ),
            ("scope: {regions: [useast1]}\n", 3, "not a region name"),
            ("scope: {organizational_units: [prod]}\n", 3, "not an organizational unit"),
            (
                "scope: {accounts: [\"111111111111\"], exclude_accounts: [\"111111111111\"]}\n",
                3,
                "both included and excluded",
            ),
            (
                "budgets:\n  logging_cost: true\n  amount: 10\n",
                5,
                "at least one notification",
            ),
            (
                "budgets:\n  amount: 10\n  notifications: [{type: actual, threshold_percent: 80}]\n",
                5,
                "no subscriber",
            ),
            (
                "budgets:\n  logging_cost: true\n  services: [Amazon Simple Storage Service]\n",
                5,
                "leaves out `AWS CloudTrail`",
            ),
        ];
        for (yaml, line, needle) in cases {
            let e = rejected(yaml);
            assert!(e.message.contains(needle), "{yaml}: {e}");
            assert_eq!(e.line, *line, "{yaml}: {e}");
            assert!(!e.hint.is_empty());
        }
    }

    #[test]
    fn enforcement_defaults_fill_in() {
        let b = parse("version: 1\nname: x\n", "p.yaml").unwrap();
        assert_eq!(b.organization_trail.name, "logwarden-organization-trail");
        assert_eq!(b.log_archive.bucket_name, "{org_id}-logs-{account_id}");
        assert_eq!(b.log_archive.kms_key, "create");
        assert_eq!(b.organization_trail.cloudwatch_logs.retention_days, 365);
        assert!(b.scope.is_empty());
        assert_eq!(
            b.budgets.period,
            crate::sources::budgets::profile::BudgetPeriod::MONTHLY
        );
        assert!(b.budgets.services.iter().any(|s| s == "AWS CloudTrail"));
    }

    #[test]
    fn key_paths_are_located_inside_their_section() {
        let text = "organization_trail:\n  cloudwatch_logs: {retention_days: 365}\nvpc_flow_logs:\n  cloudwatch_logs:\n    retention_days: 42 # here\n";
        assert_eq!(
            locate(
                text,
                &["vpc_flow_logs", "cloudwatch_logs", "retention_days"]
            ),
            Some((5, 5))
        );
        assert_eq!(
            locate(
                text,
                &["organization_trail", "cloudwatch_logs", "retention_days"]
            ),
            Some((2, 21))
        );
        // A key left to its default points at the deepest key present.
        assert_eq!(locate(text, &["vpc_flow_logs", "log_format"]), Some((3, 1)));
        assert_eq!(locate(text, &["budgets"]), None);
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(text in "(version: 1\nname: x\n)?[ -~\n\t]{0,400}") {
            let _ = parse(&text, "fuzz.yaml");
        }

        #[test]
        fn mutated_bundled_profiles_never_panic(cut in 0usize..4000, insert in "[ -~\n]{0,12}") {
            let base = BUNDLED[0].1;
            let at = (0..=cut.min(base.len())).rev().find(|i| base.is_char_boundary(*i)).unwrap_or(0);
            let text = format!("{}{insert}{}", &base[..at], &base[at..]);
            if let Err(e) = parse(&text, "fuzz.yaml") {
                proptest::prop_assert!(!e.message.is_empty() && !e.hint.is_empty());
            }
        }
    }
}
