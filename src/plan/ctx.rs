//! What the sources' planners share ([`PlanCtx`]): the profile, the inventory, the facts the
//! sources published for each other, and the plan so far; and the helpers planners use
//! (lookups that tell "missing" from "could not be read", policy merges, notes). Pure: the clock
//! comes in as an argument of the driver (`crate::engine::plan`).

use super::merge::merge_policy;
use super::policies::Origin;
use super::*;
use crate::facts::Facts;
use crate::inventory::*;
use crate::profile::templates::{render_template, TemplateValues};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the inventory was collected by `audit`, without the resources plan needs\n  hint: run `logwarden plan` against AWS, or save the inventory with `logwarden plan --save-inventory`")]
    NoManagedState,
    #[error("plan needs the organization, which could not be read ({reason})\n  hint: run plan with credentials that may call organizations:DescribeOrganization and organizations:ListAccounts (the management account)")]
    OrganizationUnread { reason: String },
    #[error("plan must run in the management account {management} of organization {org}; the caller is account {caller}\n  hint: use credentials of the management account (--profile)")]
    NotManagement {
        management: String,
        org: String,
        caller: String,
    },
}

/// What the sources' planners share: the profile, the inventory, where the baseline builds
/// (the management account, the organization), what the sources published for each other, and
/// the plan so far.
pub struct PlanCtx<'a, S: Shape> {
    pub b: &'a S::Baseline,
    pub inv: &'a Inventory<S>,
    /// What the sources read for `plan` beyond the audit.
    pub plan_reads: &'a S::PlanData,
    pub mgmt: String,
    pub org_id: Option<String>,
    /// What the sources published for later planners (the log archive, the organization trail
    /// to name in policies...), by type.
    pub facts: Facts,
    pub changes: Vec<Change<S>>,
    pub kept: Vec<Note>,
    pub not_manageable: Vec<Note>,
    pub unknown: Vec<Note>,
    pub planned_buckets: BTreeSet<String>,
    /// AWS Control Tower owns the sources it manages here (`SourceDef::control_tower_managed`):
    /// nothing is planned for them.
    pub control_tower: bool,
    /// The audit's verdicts on the same inventory (what unmanaged resources fail): its findings
    /// only, without the coverage grid or lookbacks (`evaluate::verdicts_in`).
    pub evaluation: crate::rules::Evaluation,
    /// Buckets the audit counts as log buckets (never probed for data events), and where
    /// that list may be incomplete.
    pub log_buckets: crate::rules::LogBuckets,
}

/// One region to plan from ([`PlanCtx::regions_read`]).
pub struct RegionRead<'a, S: Shape, T> {
    pub account: &'a AccountInventory<S>,
    pub region: &'a RegionInventory<S>,
    /// `{kind}.{account}.{region}`: where the region's unknowns and changes are said.
    pub address: String,
    /// What was read.
    pub read: T,
}

/// An existing resource, one that does not exist, or one whose existence could not be read.
pub enum Lookup<'a, T> {
    Missing,
    Found(&'a T),
    Unknown(&'a CallError),
}

pub fn note(resource: &str, account: &str, region: &str, message: impl Into<String>) -> Note {
    Note {
        resource: resource.into(),
        account_id: account.into(),
        region: region.into(),
        message: message.into(),
    }
}

pub fn yes_no(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

impl<'a, S: Shape> PlanCtx<'a, S> {
    pub fn origin(&self) -> Origin<'_> {
        Origin {
            partition: &self.inv.partition,
            org_id: self.org_id.as_deref(),
            management_account_id: &self.mgmt,
        }
    }

    /// A bucket name template filled for `account` and `region`.
    pub fn template(&self, template: &str, account: &str, region: &str) -> String {
        render_template(
            template,
            &TemplateValues {
                org_id: self.org_id.as_deref().unwrap_or(&self.mgmt),
                account_id: account,
                region,
                management_account_id: &self.mgmt,
            },
        )
    }

    /// Add a change, unless it depends on something that could not be read: then it is listed
    /// as unreadable itself (and so are, in turn, the changes that depend on it).
    pub fn push(&mut self, c: Change<S>) {
        if let Some(d) = c.depends_on.iter().find(|d| self.is_unreadable(d)) {
            let message =
                format!("it depends on {d}, which could not be read; nothing is planned for it");
            self.unknown
                .push(note(&c.address, &c.account_id, &c.region, message));
            return;
        }
        self.changes.push(c);
    }

    /// Whether `address` (a resource of the plan) could not be read.
    pub fn is_unreadable(&self, address: &str) -> bool {
        self.unknown.iter().any(|n| n.resource == address)
    }

    /// Say that nothing is planned for `resource` because `what` could not be read.
    pub fn unknown(
        &mut self,
        resource: &str,
        account: &str,
        region: &str,
        what: &str,
        e: &CallError,
    ) {
        self.unknown.push(note(
            resource,
            account,
            region,
            format!(
                "{what} could not be read ({}: {}); nothing is planned for it; {}",
                e.iam_action,
                e.code,
                e.advice()
            ),
        ));
    }

    /// Say that nothing is planned for `resource` when its `region` is one `--regions` left
    /// out: what is there was never read, so making it could duplicate or overwrite it.
    /// False when the region was read.
    pub fn outside_regions(
        &mut self,
        resource: &str,
        account: &str,
        region: &str,
        what: &str,
    ) -> bool {
        if self.inv.regions.iter().any(|r| r == region) {
            return false;
        }
        let message = format!(
            "{what} belongs in {region}, which this plan did not read (left out by --regions); nothing is planned for it: include {region} in --regions"
        );
        self.unknown.push(note(resource, account, region, message));
        true
    }

    /// The ids of the accounts read (the ones in scope).
    pub fn account_ids(&self) -> std::collections::BTreeSet<&'a str> {
        self.inv
            .accounts
            .iter()
            .map(|a| a.account_id.as_str())
            .collect()
    }

    pub fn account(&self, id: &str) -> Option<&'a AccountInventory<S>> {
        self.inv.accounts.iter().find(|a| a.account_id == id)
    }

    /// Every region the plan may change, one row each: the account (reachable), the region
    /// (enabled), its address (`{kind}.{account}.{region}`) and what `read` takes from its
    /// inventory. A region where that could not be read is said unknown ("`what` could not be
    /// read") and left out: nothing is planned from a failed read. (An unreachable account is
    /// said once, by the engine.)
    pub fn regions_read<T>(
        &mut self,
        kind: &str,
        what: &str,
        read: impl Fn(&'a RegionInventory<S>) -> Result<T, &'a CallError>,
    ) -> Vec<RegionRead<'a, S, T>> {
        let inv = self.inv;
        let mut rows = Vec::new();
        for a in inv.accounts.iter().filter(|a| a.access.error().is_none()) {
            for r in a.regions.iter().filter(|r| r.enabled.value().is_some()) {
                let address = format!("{kind}.{}.{}", a.account_id, r.region);
                match read(r) {
                    Ok(read) => rows.push(RegionRead {
                        account: a,
                        region: r,
                        address,
                        read,
                    }),
                    Err(e) => self.unknown(&address, &a.account_id, &r.region, what, e),
                }
            }
        }
        rows
    }

    /// Regions of an account that are enabled and were read.
    pub fn enabled_regions(
        &self,
        a: &'a AccountInventory<S>,
    ) -> impl Iterator<Item = &'a RegionInventory<S>> {
        a.regions.iter().filter(|r| r.enabled.value().is_some())
    }

    /// `address` as a dependency: when it is changed by the plan, or could not be read (then
    /// [`PlanCtx::push`] plans nothing that depends on it).
    pub fn dep(&self, address: &str) -> Vec<String> {
        if self.changes.iter().any(|c| c.address == address) || self.is_unreadable(address) {
            vec![address.to_string()]
        } else {
            vec![]
        }
    }
}

/// A policy change, or `None` when the owned statements are already in place.
pub fn policy_change<S: Shape>(
    ctx: &mut PlanCtx<S>,
    current: Option<&str>,
    owned: &[Value],
    what: &'static str,
    address: &str,
    account: &str,
    region: &str,
) -> Option<AttrChange> {
    match merge_policy(current, owned, what) {
        Err(e) => {
            ctx.unknown.push(note(
                address,
                account,
                region,
                format!("{e}; nothing is planned for it"),
            ));
            None
        }
        Ok(merged) => {
            let before: Option<Value> = current.and_then(|c| serde_json::from_str(c).ok());
            let count = |v: &Value| v["Statement"].as_array().map(Vec::len).unwrap_or(1);
            if before.as_ref().is_some_and(|b| same_statements(b, &merged)) {
                return None;
            }
            let changed: Vec<&str> = owned
                .iter()
                .filter(|s| {
                    !before.as_ref().is_some_and(|b| {
                        b["Statement"]
                            .as_array()
                            .is_some_and(|list| list.contains(s))
                    })
                })
                .filter_map(|s| s["Sid"].as_str())
                .collect();
            Some(AttrChange::new(
                what,
                Some(
                    before
                        .as_ref()
                        .map(|b| format!("{} statement(s)", count(b)))
                        .unwrap_or_else(|| "none".into()),
                ),
                format!("{} statement(s): + {}", count(&merged), changed.join(", ")),
            ))
        }
    }
}

/// Policies compare by statements (AWS may reformat whitespace or wrap a lone statement).
fn same_statements(a: &Value, b: &Value) -> bool {
    let list = |v: &Value| match &v["Statement"] {
        Value::Array(x) => x.clone(),
        Value::Null => vec![],
        one => vec![one.clone()],
    };
    list(a) == list(b)
}
