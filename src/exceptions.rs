//! Exceptions: accepted risks, with a reason and an expiry date. Matching failing findings are
//! reported as `excepted` (never hidden); an expired exception stops matching and is reported.
//!
//! ```yaml
//! version: 1
//! exceptions:
//!   - check: trail_bucket.mfa_delete
//!     resource: "arn:aws:s3:::legacy-*"   # `*` matches any run of characters
//!     account: "123456789012"              # or `organization_wide: true`
//!     reason: Root MFA is held by the provider; tracked in SEC-123
//!     expires: 2027-03-31                  # at most `exceptions.max_days` of the profile away
//! ```
//!
//! An exception names its account, or says `organization_wide: true`: nothing silences a check
//! in every account by omission, and organization-wide exceptions are shown at the top of every
//! report. No exception may last longer than the profile's `exceptions.max_days` (default 365)
//! from the day it is read.

use crate::baseline::ProfileError;
use crate::finding::{AppliedException, Finding, Status};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use time::Date;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Spanned<u32>,
    #[serde(default)]
    exceptions: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    check: Spanned<String>,
    resource: Spanned<String>,
    #[serde(default)]
    account: Option<Spanned<String>>,
    #[serde(default)]
    organization_wide: Option<Spanned<bool>>,
    reason: Spanned<String>,
    expires: Spanned<String>,
}

/// What an exceptions file is checked against when it is read: the day, and the profile's cap.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub today: Date,
    pub max_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub check: String,
    pub resource: String,
    pub account: Option<String>,
    /// Explicitly for every account.
    pub organization_wide: bool,
    pub reason: String,
    pub expires: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionState {
    Active,
    Expired,
}

/// Every exception of the file, with what became of it, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionReport {
    pub check_id: String,
    pub resource: String,
    pub account_id: Option<String>,
    /// For every account (`organization_wide: true`): shown at the top of every report.
    #[serde(default)]
    pub organization_wide: bool,
    pub reason: String,
    pub expires: String,
    pub state: ExceptionState,
    /// Failing findings it turned into `excepted`.
    pub matched: usize,
}

const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

pub fn date_string(d: Date) -> String {
    d.format(DATE).unwrap_or_default()
}

/// Read an exceptions file, checked against `limits` (see [`parse`]).
pub fn load(
    path: &str,
    checks: &[&str],
    limits: Option<Limits>,
) -> Result<Vec<Exception>, ProfileError> {
    // At most 1 MiB + 1 byte is read: a larger file is refused by `parse`, never loaded whole.
    let read = || -> std::io::Result<String> {
        use std::io::Read;
        let mut text = String::new();
        std::fs::File::open(path)?
            .take(1024 * 1024 + 1)
            .read_to_string(&mut text)?;
        Ok(text)
    };
    let text = read().map_err(|e| ProfileError {
        file: path.into(),
        line: 0,
        column: 0,
        snippet: String::new(),
        message: format!("cannot read the exceptions file: {e}"),
        hint: "pass the path of a YAML exceptions file (see docs/ci.md)".into(),
    })?;
    parse(&text, path, checks, limits)
}

/// Parse an exceptions file: each entry names one of `checks` (the catalogue's ids). With
/// `limits`, an entry expiring more than `max_days` after `today` is refused (the clock comes in
/// as an argument).
pub fn parse(
    text: &str,
    file: &str,
    checks: &[&str],
    limits: Option<Limits>,
) -> Result<Vec<Exception>, ProfileError> {
    let at = |line: u64, column: u64, message: String, hint: &str| ProfileError {
        file: file.into(),
        line,
        column,
        snippet: crate::baseline::snippet(text, line, column),
        message,
        hint: hint.into(),
    };
    if text.len() > 1024 * 1024 {
        return Err(at(
            1,
            1,
            "the exceptions file is larger than 1 MiB".into(),
            "check that this is the right file",
        ));
    }
    if crate::baseline::is_blank(text) {
        return Err(at(
            1,
            1,
            "the exceptions file is empty".into(),
            "start it with `version: 1` and `exceptions:`, one entry per accepted finding; docs/ci.md shows one",
        ));
    }
    let raw: RawFile = serde_saphyr::from_str(text).map_err(|e| {
        let (l, c) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        at(
            l,
            c,
            crate::baseline::clean_message(&e.to_string()),
            "each entry needs check, resource, reason and expires (YYYY-MM-DD); see docs/ci.md",
        )
    })?;
    let pos = |loc: &serde_saphyr::Location| (loc.line(), loc.column());
    if raw.version.value != 1 {
        let (l, c) = pos(&raw.version.referenced);
        return Err(at(
            l,
            c,
            format!("unsupported exceptions file version {}", raw.version.value),
            "set `version: 1`",
        ));
    }
    raw.exceptions
        .into_iter()
        .map(|e| entry(e, checks, limits, &at, &pos))
        .collect()
}

/// One entry, checked: a known check, a resource, a reason, an expiry within the limits, and
/// its account or `organization_wide: true` (never both).
fn entry(
    e: RawEntry,
    checks: &[&str],
    limits: Option<Limits>,
    at: &dyn Fn(u64, u64, String, &str) -> ProfileError,
    pos: &dyn Fn(&serde_saphyr::Location) -> (u64, u64),
) -> Result<Exception, ProfileError> {
    if !checks.contains(&e.check.value.as_str()) {
        let (l, c) = pos(&e.check.referenced);
        return Err(at(
            l,
            c,
            format!("unknown check id `{}`", e.check.value),
            "`logwarden checks` lists the check ids",
        ));
    }
    if e.resource.value.trim().is_empty() {
        let (l, c) = pos(&e.resource.referenced);
        return Err(at(
            l,
            c,
            "empty resource pattern".into(),
            "name the resource, or use `*` for every resource of the check",
        ));
    }
    if e.reason.value.trim().len() < 5 {
        let (l, c) = pos(&e.reason.referenced);
        return Err(at(
            l,
            c,
            format!(
                "an exception needs a reason of 5 characters or more (this one is {:?})",
                e.reason.value.trim()
            ),
            "say why the risk is accepted and where it is tracked",
        ));
    }
    let expires = Date::parse(e.expires.value.trim(), DATE).map_err(|_| {
        let (l, c) = pos(&e.expires.referenced);
        at(
            l,
            c,
            format!("`{}` is not a date", e.expires.value),
            "write the expiry as YYYY-MM-DD",
        )
    })?;
    if let Some(limits) = limits {
        let latest = limits.today + time::Duration::days(limits.max_days.into());
        if expires > latest {
            let (l, c) = pos(&e.expires.referenced);
            return Err(at(
                l,
                c,
                format!(
                    "expires {} is more than {} days after today ({})",
                    date_string(expires),
                    limits.max_days,
                    date_string(limits.today)
                ),
                &format!(
                    "exceptions are renewed, not granted forever: expire it on {} or earlier (or raise `exceptions.max_days` in the profile)",
                    date_string(latest)
                ),
            ));
        }
    }
    let org_wide = e.organization_wide.as_ref().is_some_and(|o| o.value);
    match (&e.account, org_wide) {
        (None, false) => {
            let (l, c) = pos(&e.check.referenced);
            return Err(at(
                l,
                c,
                format!(
                    "the exception for {} names no account: it would apply in every account",
                    e.check.value
                ),
                "add `account: \"123456789012\"`, or `organization_wide: true` to accept the risk in every account (it is then shown at the top of every report)",
            ));
        }
        (Some(a), true) => {
            let (l, c) = pos(&a.referenced);
            return Err(at(
                l,
                c,
                "an exception is for one account or organization-wide, not both".into(),
                "remove `account` or `organization_wide`",
            ));
        }
        _ => {}
    }
    if let Some(a) = &e.account {
        if a.value.len() != 12 || !a.value.chars().all(|c| c.is_ascii_digit()) {
            let (l, c) = pos(&a.referenced);
            return Err(at(
                l,
                c,
                format!("`{}` is not an account id", a.value),
                "account ids are 12 digits",
            ));
        }
    }
    Ok(Exception {
        check: e.check.value,
        resource: e.resource.value,
        account: e.account.map(|a| a.value),
        organization_wide: org_wide,
        reason: e.reason.value.trim().to_string(),
        expires,
    })
}

/// `*` matches any run of characters; everything else literally.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// Turn matching failing findings into `excepted`; report every exception's state.
pub fn apply(
    findings: &mut [Finding],
    exceptions: &[Exception],
    today: Date,
) -> Vec<ExceptionReport> {
    exceptions
        .iter()
        .map(|e| {
            let expired = e.expires < today;
            let mut matched = 0;
            if !expired {
                for f in findings.iter_mut() {
                    let hit = f.status == Status::Fail
                        && f.check_id == e.check
                        && glob_match(&e.resource, &f.resource)
                        && e.account
                            .as_ref()
                            .is_none_or(|a| f.account_id.as_ref() == Some(a));
                    if hit {
                        f.status = Status::Excepted;
                        f.exception = Some(AppliedException {
                            reason: e.reason.clone(),
                            expires: date_string(e.expires),
                            organization_wide: e.organization_wide,
                        });
                        matched += 1;
                    }
                }
            }
            ExceptionReport {
                check_id: e.check.clone(),
                resource: e.resource.clone(),
                account_id: e.account.clone(),
                organization_wide: e.organization_wide,
                reason: e.reason.clone(),
                expires: date_string(e.expires),
                state: if expired {
                    ExceptionState::Expired
                } else {
                    ExceptionState::Active
                },
                matched,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<&'static str> {
        use crate::engine::Registry;
        crate::sources::Sources::checks().map(|c| c.id).collect()
    }

    #[test]
    fn globs() {
        assert!(glob_match(
            "arn:aws:s3:::legacy-*",
            "arn:aws:s3:::legacy-logs"
        ));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("*:us-east-1", "111111111111:us-east-1"));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXcYYb"));
        assert!(!glob_match("exact", "exactly"));
        assert!(!glob_match("ab*ba", "aba"));
    }

    #[test]
    fn invalid_entries_are_rejected_with_their_position() {
        let e = parse("version: 1\nexceptions:\n  - check: cloudtrail.nope\n    resource: '*'\n    reason: because it is so\n    expires: 2030-01-01\n", "ex.yaml", &ids(), None).unwrap_err();
        assert_eq!((e.line, e.column), (3, 12), "{e}");
        assert!(e.message.contains("cloudtrail.nope"));
        let e = parse("version: 1\nexceptions:\n  - check: cloudtrail.logging\n    resource: '*'\n    reason: because it is so\n    expires: soon\n", "ex.yaml", &ids(), None).unwrap_err();
        assert_eq!((e.line, e.column), (6, 14), "{e}");
        assert!(e.hint.contains("YYYY-MM-DD"));
        let e = parse("version: 1\nexceptions:\n  - check: cloudtrail.logging\n    resource: '*'\n    expires: 2030-01-01\n", "ex.yaml", &ids(), None).unwrap_err();
        // Said once, without the parser's own "error: line 5 column 5:" in the message.
        assert_eq!(e.message, "missing field `reason`", "{e}");
        let e = parse("version: 1\nexceptions:\n  - check: cloudtrail.logging\n    resource: '*'\n    reason: ok\n    expires: 2030-01-01\n", "ex.yaml", &ids(), None).unwrap_err();
        assert_eq!((e.line, e.column), (5, 13), "{e}");
        assert!(e.message.contains("5 characters or more"), "{e}");
        for empty in ["", "# nothing yet\n"] {
            let e = parse(empty, "ex.yaml", &ids(), None).unwrap_err();
            assert_eq!(e.message, "the exceptions file is empty", "{e}");
            assert_eq!((e.line, e.column), (1, 1));
        }
        let e = parse(
            "version: 1\nexceptions:\n  - check: cloudtrail.logging\n    resourse: '*'\n",
            "ex.yaml",
            &ids(),
            None,
        )
        .unwrap_err();
        assert_eq!(e.line, 4, "{e}");
    }

    const ONE: &str = "version: 1\nexceptions:\n  - check: cloudtrail.logging\n    resource: '*'\n";

    #[test]
    fn an_exception_names_its_account_or_says_it_is_organization_wide() {
        let e = parse(
            &format!("{ONE}    reason: decommissioning\n    expires: 2027-01-01\n"),
            "ex.yaml",
            &ids(),
            None,
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (3, 12), "{e}");
        assert!(e.message.contains("names no account"), "{e}");
        assert!(e.hint.contains("organization_wide: true"), "{e}");
        let e = parse(
            &format!("{ONE}    account: '111111111111'\n    organization_wide: true\n    reason: decommissioning\n    expires: 2027-01-01\n"),
            "ex.yaml",
            &ids(),
            None,
        )
        .unwrap_err();
        assert!(e.message.contains("not both"), "{e}");
        let ok = parse(
            &format!("{ONE}    organization_wide: true\n    reason: decommissioning\n    expires: 2027-01-01\n"),
            "ex.yaml",
            &ids(),
            None,
        )
        .unwrap();
        assert!(ok[0].organization_wide && ok[0].account.is_none());
        // `organization_wide: false` is no answer either.
        let e = parse(
            &format!("{ONE}    organization_wide: false\n    reason: decommissioning\n    expires: 2027-01-01\n"),
            "ex.yaml",
            &ids(),
            None,
        )
        .unwrap_err();
        assert!(e.message.contains("names no account"), "{e}");
    }

    #[test]
    fn an_exception_cannot_outlive_the_profile_cap() {
        let limits = Limits {
            today: time::macros::date!(2026 - 12 - 01),
            max_days: 365,
        };
        let text = |d: &str| {
            format!(
                "{ONE}    account: '111111111111'\n    reason: decommissioning\n    expires: {d}\n"
            )
        };
        assert!(parse(&text("2027-12-01"), "ex.yaml", &ids(), Some(limits)).is_ok());
        // Already expired: read, and reported as expired.
        assert!(parse(&text("2020-01-01"), "ex.yaml", &ids(), Some(limits)).is_ok());
        let e = parse(&text("2099-12-31"), "ex.yaml", &ids(), Some(limits)).unwrap_err();
        assert_eq!((e.line, e.column), (7, 14), "{e}");
        assert!(
            e.message
                .contains("more than 365 days after today (2026-12-01)"),
            "{e}"
        );
        assert!(e.hint.contains("2027-12-01"), "{e}");
        let e = parse(
            &text("2027-12-02"),
            "ex.yaml",
            &ids(),
            Some(Limits {
                max_days: 30,
                ..limits
            }),
        )
        .unwrap_err();
        assert!(e.message.contains("more than 30 days"), "{e}");
        assert!(crate::profile::ExceptionPolicy { max_days: 0 }
            .validate()
            .is_err());
        assert!(crate::profile::ExceptionPolicy::default()
            .validate()
            .is_ok());
    }
}
