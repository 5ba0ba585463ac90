//! Recorded exchanges (moto's answers to a real audit of the template organization, written by
//! tests/support/fault_proxy.py with FAULT_PROXY_RECORD), keyed by everything that decides an
//! answer: the caller's account, region, signing name, method, path and query, target and body.
//! A clone account's request is keyed as its template's (its id replaced by the template's) and
//! the answer carries the clone's id back.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use base64::Engine;
use bytes::Bytes;
use serde_json::Value;

/// One recorded answer.
pub struct Template {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// Every recorded answer, and the organization's accounts as the template listed them.
#[derive(Default)]
pub struct Templates {
    map: HashMap<Vec<u8>, Arc<Template>>,
    /// ListAccounts' entries, in order, once each.
    pub accounts: Vec<Value>,
    /// ListAccountsForParent: parent id -> account ids.
    pub parents: HashMap<String, Vec<String>>,
    /// ListBuckets: account -> the buckets it owns and that no other account's answers name
    /// (a bucket another account's configuration names, say an organization trail's selector,
    /// keeps its name in every clone, so that configuration still applies to the copies).
    pub buckets: HashMap<String, Vec<String>>,
    pub recorded: usize,
}

/// The lookup key of a request.
pub fn key(
    account: &str,
    region: &str,
    service: &str,
    method: &str,
    path: &str,
    target: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut k = Vec::with_capacity(64 + path.len() + body.len());
    for part in [account, region, service, method, target, path] {
        k.extend(part.as_bytes());
        k.push(b'\n');
    }
    k.extend(body);
    k
}

/// `haystack` with every `from` replaced by `to`.
pub fn replace(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    let finder = memchr::memmem::Finder::new(from);
    while let Some(i) = finder.find(rest) {
        out.extend(&rest[..i]);
        out.extend(to);
        rest = &rest[i + from.len()..];
    }
    out.extend(rest);
    out
}

/// `haystack` with every `from` that stands alone as a bucket name (not inside a longer name:
/// the bytes either side are not letters, digits, dots or hyphens) replaced by `to`.
pub fn replace_name(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut at = 0;
    for i in names_at(haystack, from) {
        if i < at {
            continue;
        }
        out.extend(&haystack[at..i]);
        out.extend(to);
        at = i + from.len();
    }
    out.extend(&haystack[at..]);
    out
}

/// Where `name` stands alone as a bucket name in `haystack` (see [`replace_name`]).
fn names_at<'h>(haystack: &'h [u8], name: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
    let part =
        |b: Option<&u8>| b.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'-');
    memchr::memmem::find_iter(haystack, name).filter(move |&i| {
        !part(i.checked_sub(1).and_then(|j| haystack.get(j))) && !part(haystack.get(i + name.len()))
    })
}

impl Templates {
    /// Reads the recording; exchanges made with credentials the recorder could not place
    /// (the caller's own, before any AssumeRole) belong to `management`.
    pub fn load(path: &Path, management: &str) -> Result<Templates> {
        let file = std::fs::File::open(path)
            .with_context(|| format!("cannot read the recording {}", path.display()))?;
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut t = Templates::default();
        let mut answers: Vec<(String, Arc<Template>)> = Vec::new();
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line?;
            let r: Value = serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: not a JSON line", path.display(), n + 1))?;
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            let account = match s("account") {
                a if a.is_empty() => management.to_string(),
                a => a,
            };
            let body = b64.decode(s("body"))?;
            let response = b64.decode(s("response"))?;
            if s("service") == "organizations" && r["status"] == 200 {
                t.learn_accounts(&s("operation"), &body, &response);
            }
            if s("service") == "s3" && s("operation") == "ListBuckets" && r["status"] == 200 {
                let text = String::from_utf8_lossy(&response);
                let names = text
                    .split("<Name>")
                    .skip(1)
                    .filter_map(|p| p.split("</Name>").next().map(str::to_string));
                t.buckets.entry(account.clone()).or_default().extend(names);
            }
            let headers = r["headers"]
                .as_array()
                .map(|h| {
                    h.iter()
                        .filter_map(|kv| Some((kv[0].as_str()?.into(), kv[1].as_str()?.into())))
                        .collect()
                })
                .unwrap_or_default();
            let k = key(
                &account,
                &s("region"),
                &s("service"),
                &s("method"),
                &s("path"),
                &s("target"),
                &body,
            );
            t.recorded += 1;
            let answer = t.map.entry(k).or_insert_with(|| {
                Arc::new(Template {
                    status: r["status"].as_u64().unwrap_or(500) as u16,
                    headers,
                    body: Bytes::from(response),
                })
            });
            answers.push((account, answer.clone()));
        }
        for (owner, names) in t.buckets.iter_mut() {
            names.retain(|name| {
                !answers.iter().any(|(account, a)| {
                    account != owner && names_at(&a.body, name.as_bytes()).next().is_some()
                })
            });
        }
        Ok(t)
    }

    fn learn_accounts(&mut self, operation: &str, request: &[u8], response: &[u8]) {
        let Ok(answer) = serde_json::from_slice::<Value>(response) else {
            return;
        };
        let listed = answer["Accounts"].as_array().cloned().unwrap_or_default();
        match operation {
            "ListAccounts" => {
                for a in listed {
                    if !self.accounts.iter().any(|b| b["Id"] == a["Id"]) {
                        self.accounts.push(a);
                    }
                }
            }
            "ListAccountsForParent" => {
                let parent = serde_json::from_slice::<Value>(request)
                    .ok()
                    .and_then(|v| v["ParentId"].as_str().map(str::to_string))
                    .unwrap_or_default();
                let ids = self.parents.entry(parent).or_default();
                for a in listed {
                    if let Some(id) = a["Id"].as_str() {
                        if !ids.iter().any(|i| i == id) {
                            ids.push(id.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }

    pub fn get(&self, key: &[u8]) -> Option<Arc<Template>> {
        self.map.get(key).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_swaps_every_occurrence() {
        assert_eq!(
            replace(b"arn:aws:s3:::logs-111/x/111", b"111", b"222"),
            b"arn:aws:s3:::logs-222/x/222".to_vec()
        );
        assert_eq!(replace(b"none", b"111", b"222"), b"none".to_vec());
    }

    #[test]
    fn replace_name_leaves_longer_names_alone() {
        assert_eq!(
            replace_name(
                b"<Name>logs</Name><Name>logs-2</Name>/logs?policy",
                b"logs",
                b"logs-9"
            ),
            b"<Name>logs-9</Name><Name>logs-2</Name>/logs-9?policy".to_vec()
        );
        assert_eq!(names_at(b"logs-2 xlogs", b"logs").count(), 0);
    }
}
