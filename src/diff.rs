//! `logwarden diff`: what got better, what got worse and what is new between two reports (or two
//! saved inventories, judged against one baseline), for drift detection in scheduled CI runs.

use crate::finding::{Finding, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Was passing (or unknown), now fails; or was passing, now unknown.
    Worse,
    /// A finding that did not exist before and does not pass.
    NewFailing,
    Better,
    /// A finding that did not exist before and passes (or is not applicable).
    New,
    /// A finding that no longer exists (resource gone, or check no longer judged).
    Gone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffEntry {
    pub change: Change,
    pub check_id: String,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub resource: String,
    pub old: Option<Status>,
    pub new: Option<Status>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diff {
    pub worse: usize,
    pub new_failing: usize,
    pub better: usize,
    pub new: usize,
    pub gone: usize,
    pub entries: Vec<DiffEntry>,
}

impl Diff {
    /// Anything got worse (or a new failing finding appeared).
    pub fn regressed(&self) -> bool {
        self.worse + self.new_failing > 0
    }
}

/// Lower is healthier.
fn rank(s: Status) -> u8 {
    match s {
        Status::Pass | Status::NotApplicable | Status::Excepted => 0,
        Status::Unknown => 1,
        Status::Fail => 2,
    }
}

type Key = (String, Option<String>, Option<String>, String);

fn key(f: &Finding) -> Key {
    (
        f.check_id.clone(),
        f.account_id.clone(),
        f.region.clone(),
        f.resource.clone(),
    )
}

pub fn diff(old: &[Finding], new: &[Finding]) -> Diff {
    let old_map: BTreeMap<Key, &Finding> = old.iter().map(|f| (key(f), f)).collect();
    let new_map: BTreeMap<Key, &Finding> = new.iter().map(|f| (key(f), f)).collect();
    let mut entries = Vec::new();
    let entry = |change, k: &Key, o: Option<&Finding>, n: Option<&Finding>| DiffEntry {
        change,
        check_id: k.0.clone(),
        account_id: k.1.clone(),
        region: k.2.clone(),
        resource: k.3.clone(),
        old: o.map(|f| f.status),
        new: n.map(|f| f.status),
        message: n.or(o).map(|f| f.message.clone()).unwrap_or_default(),
    };
    for (k, n) in &new_map {
        match old_map.get(k) {
            Some(o) if rank(n.status) > rank(o.status) => {
                entries.push(entry(Change::Worse, k, Some(o), Some(n)))
            }
            Some(o) if rank(n.status) < rank(o.status) => {
                entries.push(entry(Change::Better, k, Some(o), Some(n)))
            }
            Some(_) => {}
            None if rank(n.status) > 0 => entries.push(entry(Change::NewFailing, k, None, Some(n))),
            None => entries.push(entry(Change::New, k, None, Some(n))),
        }
    }
    for (k, o) in &old_map {
        if !new_map.contains_key(k) {
            entries.push(entry(Change::Gone, k, Some(o), None));
        }
    }
    entries.sort_by(|a, b| {
        (a.change, &a.check_id, &a.account_id, &a.region, &a.resource).cmp(&(
            b.change,
            &b.check_id,
            &b.account_id,
            &b.region,
            &b.resource,
        ))
    });
    let n = |c: Change| entries.iter().filter(|e| e.change == c).count();
    Diff {
        worse: n(Change::Worse),
        new_failing: n(Change::NewFailing),
        better: n(Change::Better),
        new: n(Change::New),
        gone: n(Change::Gone),
        entries,
    }
}

pub fn render_text(d: &Diff) -> String {
    let mut s = String::new();
    let label = |c: Change| match c {
        Change::Worse => "worse",
        Change::NewFailing => "new, failing",
        Change::Better => "better",
        Change::New => "new",
        Change::Gone => "gone",
    };
    let st = |s: Option<Status>| s.map(|s| s.as_str()).unwrap_or("-");
    for e in &d.entries {
        s.push_str(&format!(
            "{:<13} {} {} {} {}: {} -> {}  {}\n",
            label(e.change),
            e.check_id,
            e.account_id.as_deref().unwrap_or("-"),
            e.region.as_deref().unwrap_or("-"),
            e.resource,
            st(e.old),
            st(e.new),
            e.message
        ));
    }
    s.push_str(&format!(
        "{} worse, {} new failing, {} better, {} new, {} gone\n",
        d.worse, d.new_failing, d.better, d.new, d.gone
    ));
    s
}
