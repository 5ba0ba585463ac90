//! The synthetic organization: the template organization's accounts, then clones of the chosen
//! member accounts (round robin) up to N; and the calls that must know every account, answered
//! here rather than replayed: STS (whose credentials name the account each later call is for)
//! and Organizations' account listings (paginated as AWS does, 20 a page).

use std::collections::HashMap;

use anyhow::{bail, Result};
use bytes::Bytes;
use serde_json::{json, Value};

use crate::templates::Templates;
use crate::wire::{Answer, Call};

pub struct Org {
    pub management: String,
    /// Every account's ListAccounts entry, templates first.
    accounts: Vec<Value>,
    /// Parent id -> its accounts' ids.
    parents: HashMap<String, Vec<String>>,
    /// Clone id -> the template account it copies.
    pub clone_of: HashMap<String, String>,
    ids: std::collections::HashSet<String>,
    /// Template account -> its buckets, longest name first.
    buckets: HashMap<String, Vec<String>>,
}

/// The id of the i-th clone: 12 digits, as every account id, in a range moto never hands out.
fn clone_id(i: usize) -> String {
    format!("{:012}", 900_000_000_000u64 + i as u64)
}

impl Org {
    pub fn new(t: &Templates, management: &str, size: usize, clone_from: &[String]) -> Result<Org> {
        let mut accounts = t.accounts.clone();
        let mut parents = t.parents.clone();
        let mut clone_of = HashMap::new();
        for id in clone_from {
            if !accounts.iter().any(|a| a["Id"] == id.as_str()) {
                bail!("--clone-from {id}: the recording's ListAccounts does not list that account");
            }
        }
        if !clone_from.is_empty() {
            for i in 0..size.saturating_sub(accounts.len()) {
                let template = &clone_from[i % clone_from.len()];
                let id = clone_id(i);
                let entry = accounts
                    .iter()
                    .find(|a| a["Id"] == template.as_str())
                    .cloned()
                    .unwrap_or_default();
                let text = entry.to_string().replace(template.as_str(), &id);
                let mut entry: Value = serde_json::from_str(&text)?;
                if let Some(name) = entry["Name"].as_str() {
                    entry["Name"] = json!(format!("{name}-{i:04}"));
                }
                accounts.push(entry);
                for ids in parents.values_mut() {
                    if ids.contains(template) {
                        ids.push(id.clone());
                    }
                }
                clone_of.insert(id, template.clone());
            }
        }
        let ids = accounts
            .iter()
            .filter_map(|a| a["Id"].as_str().map(str::to_string))
            .collect();
        let mut buckets = t.buckets.clone();
        for names in buckets.values_mut() {
            names.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            names.dedup();
        }
        Ok(Org {
            buckets,
            management: management.to_string(),
            accounts,
            parents,
            clone_of,
            ids,
        })
    }

    /// The buckets a template account owns, longest name first.
    pub fn buckets_of(&self, template: &str) -> &[String] {
        self.buckets.get(template).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    /// The account a call's credentials belong to: AssumeRole's keys name it; any other key is
    /// the caller's own (the management account).
    pub fn account_of(&self, access_key: &str) -> String {
        match access_key.strip_prefix("ASIA") {
            Some(rest) if rest.len() == 16 && rest.ends_with("STND") => rest[..12].to_string(),
            _ => self.management.clone(),
        }
    }

    /// STS and Organizations' listings; None for every other call.
    pub fn answer(&self, call: &Call, account: &str, body: &[u8]) -> Option<Answer> {
        match (call.service.as_str(), call.operation.as_str()) {
            ("sts", "GetCallerIdentity") => Some(xml(format!(
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                 <GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/standin</Arn>\
                 <UserId>AIDASTANDIN</UserId><Account>{account}</Account></GetCallerIdentityResult>\
                 <ResponseMetadata><RequestId>standin</RequestId></ResponseMetadata>\
                 </GetCallerIdentityResponse>"
            ))),
            ("sts", "AssumeRole") => Some(self.assume_role(call, body)),
            ("organizations", "ListAccounts") => Some(self.page(&self.accounts, body)),
            ("organizations", "ListAccountsForParent") => {
                let request: Value = serde_json::from_slice(body).unwrap_or_default();
                let parent = request["ParentId"].as_str().unwrap_or("");
                let listed: Vec<Value> = self
                    .parents
                    .get(parent)
                    .map(|ids| {
                        ids.iter()
                            .filter_map(|id| self.accounts.iter().find(|a| a["Id"] == id.as_str()))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                Some(self.page(&listed, body))
            }
            _ => None,
        }
    }

    fn assume_role(&self, call: &Call, body: &[u8]) -> Answer {
        let form = String::from_utf8_lossy(body);
        let field = |name: &str| {
            form.split('&')
                .find_map(|kv| kv.strip_prefix(name))
                .map(|v| v.replace("%3A", ":").replace("%2F", "/"))
                .unwrap_or_default()
        };
        let role = field("RoleArn=");
        let session = field("RoleSessionName=");
        let account = role.split(':').nth(4).unwrap_or("").to_string();
        if !self.ids.contains(&account) {
            return crate::wire::error(call, "deny");
        }
        let role_name = role.rsplit('/').next().unwrap_or("");
        let expires = (time::OffsetDateTime::now_utc() + time::Duration::hours(1))
            .replace_nanosecond(0)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        xml(format!(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>\
             <Credentials><AccessKeyId>ASIA{account}STND</AccessKeyId>\
             <SecretAccessKey>standin</SecretAccessKey><SessionToken>standin</SessionToken>\
             <Expiration>{expires}</Expiration></Credentials><AssumedRoleUser>\
             <AssumedRoleId>AROASTANDIN:{session}</AssumedRoleId>\
             <Arn>arn:aws:sts::{account}:assumed-role/{role_name}/{session}</Arn></AssumedRoleUser>\
             </AssumeRoleResult><ResponseMetadata><RequestId>standin</RequestId></ResponseMetadata>\
             </AssumeRoleResponse>"
        ))
    }

    /// One page of `listed`: MaxResults (default and most 20) from the NextToken's offset.
    fn page(&self, listed: &[Value], body: &[u8]) -> Answer {
        let request: Value = serde_json::from_slice(body).unwrap_or_default();
        let size = request["MaxResults"].as_u64().unwrap_or(20).clamp(1, 20) as usize;
        let from: usize = request["NextToken"]
            .as_str()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let to = (from + size).min(listed.len());
        let mut answer = json!({"Accounts": listed.get(from..to).unwrap_or(&[])});
        if to < listed.len() {
            answer["NextToken"] = json!(to.to_string());
        }
        Answer {
            status: 200,
            headers: vec![("content-type".into(), "application/x-amz-json-1.1".into())],
            body: Bytes::from(answer.to_string()),
        }
    }
}

fn xml(body: String) -> Answer {
    Answer {
        status: 200,
        headers: vec![("content-type".into(), "text/xml".into())],
        body: Bytes::from(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clone_ids_are_twelve_digits_and_distinct() {
        assert_eq!(clone_id(0), "900000000000");
        assert_eq!(clone_id(999), "900000000999");
    }
}
