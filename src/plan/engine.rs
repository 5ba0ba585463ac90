//! The plan engine: profile + inventory → ordered changes. Pure and deterministic: the clock is
//! an argument, and the order is the registry's (Control Tower, trusted access, the log archive,
//! CloudTrail, Config, flow logs, access logs, budgets...), then account and region as the
//! inventory lists them. Each source plans its own resources ([`crate::sources::SourceDef::plan`])
//! through the [`PlanCtx`] they share.

use super::merge::merge_policy;
use super::policies::Origin;
use super::*;
use crate::inventory::*;
use crate::profile::templates::{render_template, TemplateValues};
use crate::sources::s3_access_logs::model::Bucket;
use crate::sources::SOURCES;
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

/// IAM roles `plan` reads in the management account for this profile.
pub fn managed_role_names(b: &Baseline) -> Vec<String> {
    SOURCES.iter().flat_map(|s| (s.roles)(b)).collect()
}

/// Bucket name templates whose buckets `plan` reads in detail.
pub fn managed_bucket_templates(b: &Baseline) -> Vec<String> {
    SOURCES.iter().flat_map(|s| (s.buckets)(b)).collect()
}

pub fn plan(
    b: &Baseline,
    source: &str,
    inv: &Inventory,
    now: time::OffsetDateTime,
) -> Result<Plan, PlanError> {
    let m = inv.managed.as_ref().ok_or(PlanError::NoManagedState)?;
    if inv.mode == ScopeMode::Accounts {
        return Err(PlanError::OrganizationUnread {
            reason: inv.mode_reason.clone().unwrap_or_default(),
        });
    }
    let org = inv
        .organization
        .as_ref()
        .filter(|_| inv.mode == ScopeMode::Organization);
    let mgmt = org
        .map(|o| o.management_account_id.clone())
        .unwrap_or_else(|| inv.caller_account_id.clone());
    if let Some(o) = org {
        if o.management_account_id != inv.caller_account_id {
            return Err(PlanError::NotManagement {
                management: o.management_account_id.clone(),
                org: o.id.clone(),
                caller: inv.caller_account_id.clone(),
            });
        }
    }
    let org_id = org.map(|o| o.id.clone());
    let values = TemplateValues {
        org_id: org_id.as_deref().unwrap_or(&mgmt),
        account_id: &m.archive_account_id,
        region: &m.archive_region,
        management_account_id: &mgmt,
    };
    let archive_bucket = render_template(&b.log_archive.bucket_name, &values);
    let trail_arn = crate::arn::Partition(&inv.partition).arn(
        "cloudtrail",
        &m.trail_region,
        &mgmt,
        &format!("trail/{}", b.organization_trail.name),
    );
    let mut ctx = PlanCtx {
        b,
        inv,
        m,
        mgmt,
        org_id,
        archive_bucket,
        trail_arn,
        key: None,
        key_address: None,
        changes: vec![],
        kept: vec![],
        not_manageable: vec![],
        unknown: vec![],
        planned_buckets: BTreeSet::new(),
        control_tower: false,
        trail_unreadable: None,
        evaluation: crate::rules::evaluate(inv, b),
        log_buckets: crate::rules::Ctx::new(inv, b).log_buckets,
    };
    // Every condition names the trail it protects: an adopted trail's own ARN, not the ARN a
    // trail of the profile's name would have.
    match crate::sources::cloudtrail::plan::managed_trail(&ctx) {
        Lookup::Found(t) => ctx.trail_arn = t.arn.clone(),
        // Which trail the policies must name is unknown: what names it waits.
        Lookup::Unknown(e) => ctx.trail_unreadable = Some(e.clone()),
        Lookup::Missing => {}
    }
    // An account logwarden could not enter: nothing in it is planned, and it says so once.
    for a in &inv.accounts {
        if let Some(e) = a.access.error() {
            ctx.unknown(
                &format!("account.{}", a.account_id),
                &a.account_id,
                "global",
                "the account (every resource the baseline wants in it)",
                e,
            );
        }
    }
    for s in SOURCES {
        if ctx.control_tower && s.control_tower_managed {
            continue;
        }
        if let Some(plan) = s.plan {
            plan(&mut ctx);
        }
    }
    let plan = Plan {
        format_version: PLAN_FORMAT_VERSION,
        logwarden_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: crate::timefmt::rfc3339(now),
        baseline_source: source.to_string(),
        baseline: b.clone(),
        organization_id: ctx.org_id,
        caller_account_id: inv.caller_account_id.clone(),
        scope: PlanScope::default(),
        fingerprint: String::new(),
        changes: ctx.changes,
        kept: ctx.kept,
        not_manageable: ctx.not_manageable,
        unknown: ctx.unknown,
    };
    Ok(plan.with_scope(PlanScope::default()))
}

/// What the sources' planners share: the profile, the inventory, where the baseline builds
/// (the management account, the log archive bucket and key, the organization trail), and the
/// plan so far.
pub struct PlanCtx<'a> {
    pub b: &'a Baseline,
    pub inv: &'a Inventory,
    pub m: &'a ManagedState,
    pub mgmt: String,
    pub org_id: Option<String>,
    pub archive_bucket: String,
    pub trail_arn: String,
    /// The log archive key, when encryption with KMS is wanted.
    pub key: Option<KeyRef>,
    pub key_address: Option<String>,
    pub changes: Vec<Change>,
    pub kept: Vec<Note>,
    pub not_manageable: Vec<Note>,
    pub unknown: Vec<Note>,
    pub planned_buckets: BTreeSet<String>,
    /// AWS Control Tower owns CloudTrail, the log archive and Config here.
    pub control_tower: bool,
    /// Why the organization trail (which the archive's policies name) could not be found, when
    /// the management account's trails could not all be read.
    pub trail_unreadable: Option<CallError>,
    /// The audit's verdicts on the same inventory (what unmanaged resources fail).
    pub evaluation: crate::rules::Evaluation,
    /// Buckets the audit counts as log buckets (never probed for data events), and where
    /// that list may be incomplete.
    pub log_buckets: crate::rules::LogBuckets,
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

impl<'a> PlanCtx<'a> {
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
    pub fn push(&mut self, c: Change) {
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

    /// The ids of the accounts read (the ones in scope).
    pub fn account_ids(&self) -> std::collections::BTreeSet<&'a str> {
        self.inv
            .accounts
            .iter()
            .map(|a| a.account_id.as_str())
            .collect()
    }

    pub fn account(&self, id: &str) -> Option<&'a AccountInventory> {
        self.inv.accounts.iter().find(|a| a.account_id == id)
    }

    pub fn bucket(&self, account: &str, name: &str) -> Lookup<'a, Bucket> {
        match self
            .account(account)
            .map(|a| a.data.s3_access_logs.buckets.as_result())
        {
            None => Lookup::Missing,
            Some(Err(e)) => Lookup::Unknown(e),
            Some(Ok(list)) => match list.iter().find(|bk| bk.name == name) {
                Some(bk) => Lookup::Found(bk),
                None => Lookup::Missing,
            },
        }
    }

    /// Regions of an account that are enabled and were read.
    pub fn enabled_regions(
        &self,
        a: &'a AccountInventory,
    ) -> impl Iterator<Item = &'a RegionInventory> {
        a.regions.iter().filter(|r| r.enabled.value().is_some())
    }

    /// The address, when a change with it is planned (for `depends_on`).
    /// `address` as a dependency: when it is changed by the plan, or could not be read (then
    /// [`PlanCtx::push`] plans nothing that depends on it).
    pub fn dep(&self, address: &str) -> Vec<String> {
        if self.changes.iter().any(|c| c.address == address) || self.is_unreadable(address) {
            vec![address.to_string()]
        } else {
            vec![]
        }
    }

    pub fn access_dep(&self, principal: &str) -> Vec<String> {
        self.dep(&format!("organizations_service_access.{principal}"))
    }

    pub fn key_dep(&self) -> Vec<String> {
        self.key_address.iter().cloned().collect()
    }
}

/// A policy change, or `None` when the owned statements are already in place.
pub fn policy_change(
    ctx: &mut PlanCtx,
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
