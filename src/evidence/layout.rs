//! Where a window's files are: the prefixes to list for each day of the window (from the same
//! key layout `logwarden query`'s tables project, so evidence and Athena agree on where logs
//! land), and the time in a log file's name, by which files are chosen as AWS's own
//! validation chooses them.

use super::Kind;
use crate::query::{format_date, Projection, Table, ACCOUNT, REGION};
use time::{Date, OffsetDateTime};

/// One prefix to list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Listing {
    pub bucket: String,
    pub prefix: String,
    pub kind: Kind,
    pub source: String,
    /// The account and region the prefix holds logs of (empty when the layout does not say).
    pub account: String,
    pub region: String,
}

/// The digest layout of a CloudTrail table: `.../CloudTrail/...` becomes
/// `.../CloudTrail-Digest/...`.
pub fn digest_table(t: &Table) -> Option<Table> {
    t.template.contains("/CloudTrail/").then(|| Table {
        template: t
            .template
            .replacen("/CloudTrail/", "/CloudTrail-Digest/", 1),
        ..t.clone()
    })
}

/// The prefixes holding `t`'s files for each of `days`, for the accounts and regions asked
/// (empty: all the table projects). A layout without a date lists its whole prefix once.
pub fn listings(
    t: &Table,
    kind: Kind,
    days: &[Date],
    accounts: &[String],
    regions: &[String],
) -> Vec<Listing> {
    let Some(template) = t.template.strip_prefix(&format!("s3://{}/", t.bucket)) else {
        return Vec::new();
    };
    // Partial prefixes with the account and region they name so far.
    let mut out: Vec<(String, String, String)> =
        vec![(String::new(), String::new(), String::new())];
    let mut rest = template;
    while !rest.is_empty() {
        let Some(start) = rest.find("${") else {
            for o in &mut out {
                o.0.push_str(rest);
            }
            break;
        };
        for o in &mut out {
            o.0.push_str(&rest[..start]);
        }
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        let name = &after[..end];
        rest = &after[end + 1..];
        let Some(p) = t.partitions.iter().find(|p| p.name == name) else {
            break;
        };
        let values: Vec<String> = match &p.projection {
            Projection::Enum { values } => {
                let only = match name {
                    ACCOUNT => accounts,
                    REGION => regions,
                    _ => &[][..],
                };
                values
                    .iter()
                    .filter(|v| only.is_empty() || only.contains(v))
                    .cloned()
                    .collect()
            }
            Projection::Date { format, .. } => {
                // Hourly layouts are listed a day at a time: the format up to its hour.
                let day_format = format.split("HH").next().unwrap_or(format);
                let mut v: Vec<String> = days
                    .iter()
                    .map(|d| format_date(day_format, *d, 0))
                    .collect();
                v.dedup();
                v
            }
        };
        let mut next = Vec::new();
        for (prefix, account, region) in &out {
            for v in &values {
                next.push((
                    format!("{prefix}{v}"),
                    if name == ACCOUNT {
                        v.clone()
                    } else {
                        account.clone()
                    },
                    if name == REGION {
                        v.clone()
                    } else {
                        region.clone()
                    },
                ));
            }
        }
        out = next;
    }
    let mut listed: Vec<Listing> = out
        .into_iter()
        .map(|(prefix, account, region)| {
            let prefix = if prefix.is_empty() || prefix.ends_with('/') {
                prefix
            } else {
                format!("{prefix}/")
            };
            let account = if account.is_empty() {
                account_in(&prefix).unwrap_or_default()
            } else {
                account
            };
            Listing {
                bucket: t.bucket.clone(),
                prefix,
                kind,
                source: t.source.clone(),
                account,
                region,
            }
        })
        .collect();
    listed.sort();
    listed.dedup();
    listed
}

/// The time a log or digest file's name carries: AWS's `YYYYMMDDTHHmmZ` (CloudTrail logs, flow
/// logs, load balancer and Resolver logs) or `YYYYMMDDTHHmmssZ` (digests), or S3 server access
/// logs' leading `YYYY-mm-DD-HH-MM-SS`.
pub fn key_time(key: &str) -> Option<OffsetDateTime> {
    let name = key.rsplit('/').next().unwrap_or(key);
    for token in name.split(['_', '.']) {
        let b = token.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b.get(r.clone())
                .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
        };
        let num = |r: std::ops::Range<usize>| token.get(r).and_then(|s| s.parse::<u32>().ok());
        let (sec, ok) = match b.len() {
            14 => (
                None,
                digits(0..8) && b[8] == b'T' && digits(9..13) && b[13] == b'Z',
            ),
            16 => (
                num(13..15),
                digits(0..8) && b[8] == b'T' && digits(9..15) && b[15] == b'Z',
            ),
            _ => (None, false),
        };
        if ok {
            return at(
                num(0..4)?,
                num(4..6)?,
                num(6..8)?,
                num(9..11)?,
                num(11..13)?,
                sec.unwrap_or(0),
            );
        }
    }
    // S3 server access logs: 2026-11-27-10-15-32-UNIQUE.
    let parts: Vec<&str> = name.splitn(7, '-').collect();
    if parts.len() == 7
        && parts[..6]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
    {
        let n = |i: usize| parts[i].parse::<u32>().ok();
        return at(n(0)?, n(1)?, n(2)?, n(3)?, n(4)?, n(5)?);
    }
    None
}

fn at(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<OffsetDateTime> {
    let month = time::Month::try_from(u8::try_from(mo).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()?;
    let t = time::Time::from_hms(
        u8::try_from(h).ok()?,
        u8::try_from(mi).ok()?,
        u8::try_from(s).ok()?,
    )
    .ok()?;
    Some(date.with_time(t).assume_utc())
}

/// The account and region of a CloudTrail log or digest key (`.../<account>/CloudTrail/<region>/...`).
pub fn cloudtrail_location(key: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = key.split('/').collect();
    let i = parts
        .iter()
        .position(|p| *p == "CloudTrail" || *p == "CloudTrail-Digest")?;
    let account = parts.get(i.checked_sub(1)?)?;
    let region = parts.get(i + 1)?;
    Some((account.to_string(), region.to_string()))
}

/// The account a key names after `AWSLogs/` (an organization's id may come first).
pub fn account_in(key: &str) -> Option<String> {
    let parts: Vec<&str> = key.split('/').collect();
    let i = parts.iter().position(|p| *p == "AWSLogs")?;
    parts[i + 1..]
        .iter()
        .take(2)
        .find(|p| p.len() == 12 && p.bytes().all(|c| c.is_ascii_digit()))
        .map(|p| p.to_string())
}

/// Every day from `since` to `until`, inclusive.
pub fn days(since: OffsetDateTime, until: OffsetDateTime) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = since.date();
    while d <= until.date() {
        out.push(d);
        match d.next_day() {
            Some(n) => d = n,
            None => break,
        }
    }
    out
}
