//! The planner: profile + inventory → ordered changes. Pure and deterministic: the order is
//! dependency order (organization, key, buckets, trail, Config, flow logs, access logs,
//! budgets), then account and region as the inventory lists them.

use super::merge::{kept_expiration, merge_policy, merged_selectors, OWNED_PREFIX};
use super::policies::{self, Origin};
use super::*;
use crate::inventory::*;
use crate::profile::templates::{render_template, TemplateValues};
use crate::sources::budgets::model::{Budget, BudgetType};
use crate::sources::cloudtrail::model::{EventSelectors, FieldSelector, Trail};
use crate::sources::cloudtrail::profile::{ManagementEvents, ResourceSet};
use crate::sources::cloudtrail::selectors::{management_probes, ProbeEvent};
use crate::sources::elb_access_logs::model::LoadBalancerKind;
use crate::sources::s3_access_logs::model::{Bucket, LifecycleRule, MfaDelete, VersioningStatus};
use crate::sources::trail_bucket::profile::ObjectLockMode;
use crate::sources::vpc_flow_logs::model::Vpc;
use crate::sources::vpc_flow_logs::profile::FlowLogDestination;
use serde_json::json;
use std::collections::BTreeSet;

/// The trail Control Tower creates; its presence means Control Tower owns CloudTrail, the log
/// archive and AWS Config.
pub const CONTROL_TOWER_TRAIL: &str = "aws-controltower-BaselineCloudTrail";
const CONTROL_TOWER_BUCKETS: &[&str] =
    &["aws-controltower-logs-", "aws-controltower-s3-access-logs-"];
/// The lifecycle rule logwarden owns on the log archive bucket.
pub const ARCHIVE_RULE_ID: &str = "logwarden-log-archive";
pub const AGGREGATOR_ROLE: &str = "logwarden-config-aggregator";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the inventory was collected by `audit`, without the resources plan needs\n  hint: run `logwarden plan` against AWS, or save the inventory with `logwarden plan --save-inventory`")]
    NoManagedState,
    #[error("plan must run in the management account {management} of organization {org}; the caller is account {caller}\n  hint: use credentials of the management account (--profile)")]
    NotManagement {
        management: String,
        org: String,
        caller: String,
    },
}

/// IAM roles `plan` reads in the management account for this profile.
pub fn managed_role_names(b: &Baseline) -> Vec<String> {
    let mut v = Vec::new();
    if b.cloudtrail.cloudwatch_logs {
        v.push(b.organization_trail.cloudwatch_logs.role_name.clone());
    }
    if b.config.organization_aggregator {
        v.push(AGGREGATOR_ROLE.to_string());
    }
    v
}

/// Bucket name templates whose buckets `plan` reads in detail.
pub fn managed_bucket_templates(b: &Baseline) -> Vec<String> {
    vec![
        b.log_archive.bucket_name.clone(),
        b.s3_access_logs.clone().unwrap_or_default().target_bucket,
        b.elb_access_logs.bucket.clone(),
    ]
}

pub fn plan(
    b: &Baseline,
    source: &str,
    inv: &Inventory,
    now: time::OffsetDateTime,
) -> Result<Plan, PlanError> {
    let m = inv.managed.as_ref().ok_or(PlanError::NoManagedState)?;
    let mgmt = inv
        .organization
        .as_ref()
        .filter(|_| inv.mode == ScopeMode::Organization)
        .map(|o| o.management_account_id.clone())
        .unwrap_or_else(|| inv.caller_account_id.clone());
    if let Some(o) = inv
        .organization
        .as_ref()
        .filter(|_| inv.mode == ScopeMode::Organization)
    {
        if o.management_account_id != inv.caller_account_id {
            return Err(PlanError::NotManagement {
                management: o.management_account_id.clone(),
                org: o.id.clone(),
                caller: inv.caller_account_id.clone(),
            });
        }
    }
    let org_id = inv
        .organization
        .as_ref()
        .filter(|_| inv.mode == ScopeMode::Organization)
        .map(|o| o.id.clone());
    let values = TemplateValues {
        org_id: org_id.as_deref().unwrap_or(&mgmt),
        account_id: &m.archive_account_id,
        region: &m.archive_region,
        management_account_id: &mgmt,
    };
    let archive_bucket = render_template(&b.log_archive.bucket_name, &values);
    let trail_arn = format!(
        "arn:{}:cloudtrail:{}:{}:trail/{}",
        inv.partition, m.trail_region, mgmt, b.organization_trail.name
    );
    let mut p = Planner {
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
        evaluation: crate::rules::evaluate(inv, b),
        log_buckets: crate::rules::Ctx::new(inv, b).log_buckets,
    };
    p.control_tower();
    p.service_access();
    if !p.control_tower {
        p.archive_key();
        p.archive_bucket();
        p.cloudwatch_logs();
        p.trail();
        p.other_trails();
        p.config();
        p.flow_logs();
    }
    p.elb_logs();
    p.s3_access_logs();
    p.budget();
    let changes = p.changes;
    Ok(Plan {
        format_version: PLAN_FORMAT_VERSION,
        logwarden_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: crate::report::rfc3339(now),
        baseline_source: source.to_string(),
        baseline: b.clone(),
        organization_id: p.org_id,
        caller_account_id: inv.caller_account_id.clone(),
        fingerprint: fingerprint(&changes),
        changes,
        kept: p.kept,
        not_manageable: p.not_manageable,
        unknown: p.unknown,
    })
}

struct Planner<'a> {
    b: &'a Baseline,
    inv: &'a Inventory,
    m: &'a ManagedState,
    mgmt: String,
    org_id: Option<String>,
    archive_bucket: String,
    trail_arn: String,
    /// The log archive key, when encryption with KMS is wanted.
    key: Option<KeyRef>,
    key_address: Option<String>,
    changes: Vec<Change>,
    kept: Vec<Note>,
    not_manageable: Vec<Note>,
    unknown: Vec<Note>,
    planned_buckets: BTreeSet<String>,
    control_tower: bool,
    /// The audit's verdicts on the same inventory (what unmanaged resources fail).
    evaluation: crate::rules::Evaluation,
    /// Buckets the audit counts as log buckets (never probed for data events).
    log_buckets: BTreeSet<String>,
}

/// A bucket as logwarden wants it.
struct BucketSpec {
    name: String,
    account_id: String,
    region: String,
    versioning: bool,
    kms: Option<KeyRef>,
    public_access_block: bool,
    statements: Vec<Value>,
    lifecycle: Option<Value>,
    object_lock: Option<crate::sources::trail_bucket::profile::ObjectLockBaseline>,
    logging_target: Option<String>,
    mfa_delete: bool,
    depends_on: Vec<String>,
}

enum Lookup<'a, T> {
    Missing,
    Found(&'a T),
    Unknown(&'a CallError),
}

fn note(resource: &str, account: &str, region: &str, message: impl Into<String>) -> Note {
    Note {
        resource: resource.into(),
        account_id: account.into(),
        region: region.into(),
        message: message.into(),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

impl<'a> Planner<'a> {
    fn origin(&self) -> Origin<'_> {
        Origin {
            partition: &self.inv.partition,
            org_id: self.org_id.as_deref(),
            management_account_id: &self.mgmt,
        }
    }

    fn template(&self, template: &str, account: &str, region: &str) -> String {
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

    fn push(&mut self, c: Change) {
        self.changes.push(c);
    }

    fn unknown(&mut self, resource: &str, account: &str, region: &str, what: &str, e: &CallError) {
        self.unknown.push(note(
            resource,
            account,
            region,
            format!(
                "{what} could not be read ({}: {}); nothing is planned for it",
                e.iam_action, e.code
            ),
        ));
    }

    fn account(&self, id: &str) -> Option<&'a AccountInventory> {
        self.inv.accounts.iter().find(|a| a.account_id == id)
    }

    fn bucket(&self, account: &str, name: &str) -> Lookup<'a, Bucket> {
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
    fn enabled_regions(
        &self,
        a: &'a AccountInventory,
    ) -> impl Iterator<Item = &'a RegionInventory> {
        a.regions.iter().filter(|r| r.enabled.value().is_some())
    }

    fn control_tower(&mut self) {
        let Some(a) = self.account(&self.mgmt) else {
            return;
        };
        if let Some(t) = a
            .data
            .cloudtrail
            .trails
            .iter()
            .find(|t| t.name == CONTROL_TOWER_TRAIL)
        {
            self.control_tower = true;
            self.not_manageable.push(note(
                &format!("cloudtrail_trail.{}", t.name),
                &a.account_id,
                &t.home_region,
                "AWS Control Tower manages the organization trail, the log archive and AWS Config (its SCPs deny changes); logwarden plans only flow-log-independent sources: load balancer and S3 access logs, and budgets",
            ));
        }
        for acct in &self.inv.accounts {
            for bk in acct
                .data
                .s3_access_logs
                .buckets
                .value()
                .into_iter()
                .flatten()
            {
                if CONTROL_TOWER_BUCKETS.iter().any(|p| bk.name.starts_with(p)) {
                    self.not_manageable.push(note(
                        &format!("s3_bucket.{}", bk.name),
                        &acct.account_id,
                        bk.region.value().map(String::as_str).unwrap_or(""),
                        "a Control Tower log bucket: never changed",
                    ));
                }
            }
        }
    }

    fn is_control_tower_bucket(name: &str) -> bool {
        CONTROL_TOWER_BUCKETS.iter().any(|p| name.starts_with(p))
    }

    fn service_access(&mut self) {
        if self.inv.mode != ScopeMode::Organization {
            return;
        }
        let mut wanted = Vec::new();
        if !self.control_tower {
            wanted.push("cloudtrail.amazonaws.com");
            if self.b.config.organization_aggregator {
                wanted.push("config.amazonaws.com");
            }
        }
        if wanted.is_empty() {
            return;
        }
        let enabled = match self.m.trusted_access.as_result() {
            Ok(v) => v,
            Err(e) => {
                let mgmt = self.mgmt.clone();
                self.unknown(
                    "organizations_service_access",
                    &mgmt,
                    "global",
                    "trusted access of the organization",
                    e,
                );
                return;
            }
        };
        for principal in wanted {
            if !enabled.iter().any(|e| e == principal) {
                self.push(Change {
                    address: format!("organizations_service_access.{principal}"),
                    action: Action::Create,
                    account_id: self.mgmt.clone(),
                    region: "global".into(),
                    attributes: vec![AttrChange::new(
                        "trusted access",
                        Some("disabled"),
                        "enabled",
                    )],
                    irreversible: false,
                    manual: None,
                    depends_on: vec![],
                    ops: vec![Op::EnableServiceAccess {
                        principal: principal.into(),
                    }],
                });
            }
        }
    }

    fn access_dep(&self, principal: &str) -> Vec<String> {
        let a = format!("organizations_service_access.{principal}");
        self.changes
            .iter()
            .filter(|c| c.address == a)
            .map(|c| c.address.clone())
            .collect()
    }

    fn archive_key(&mut self) {
        if !self.b.cloudtrail.kms_encryption {
            return;
        }
        let la = &self.b.log_archive;
        let account = self.m.archive_account_id.clone();
        let key_ref = if la.kms_key == "create" {
            KeyRef::Alias {
                alias: la.kms_key_alias.clone(),
                account_id: account.clone(),
                region: self.m.archive_region.clone(),
            }
        } else {
            KeyRef::Arn {
                arn: la.kms_key.clone(),
            }
        };
        let region = match &key_ref {
            KeyRef::Alias { region, .. } => region.clone(),
            KeyRef::Arn { arn } => crate::arn::region_of(arn)
                .unwrap_or(&self.m.archive_region)
                .to_string(),
        };
        let key_account = match &key_ref {
            KeyRef::Alias { .. } => account.clone(),
            KeyRef::Arn { arn } => crate::arn::account_of(arn).unwrap_or(&account).to_string(),
        };
        let address = format!(
            "kms_key.{}",
            if la.kms_key == "create" {
                &la.kms_key_alias
            } else {
                &la.kms_key
            }
        );
        let owned = policies::archive_key(&self.origin(), &self.trail_arn, &key_account);
        let (action, attributes, ops) = match self.m.archive_key.as_result() {
            Err(e) => {
                let e = e.clone();
                self.unknown(&address, &key_account, &region, "the log archive key", &e);
                return;
            }
            Ok(None) if la.kms_key != "create" => {
                self.unknown.push(note(
                    &address,
                    &key_account,
                    &region,
                    format!("the key {} does not exist or is not visible from account {account}; nothing is planned for it", la.kms_key),
                ));
                return;
            }
            Ok(None) => {
                let mut ops = vec![Op::CreateKey {
                    alias: la.kms_key_alias.clone(),
                    description: "logwarden log archive (CloudTrail, Config, VPC flow logs)".into(),
                    policy: policies::new_key_policy(&self.inv.partition, &key_account, owned),
                }];
                let mut attributes = vec![
                    AttrChange::new("alias", None::<String>, la.kms_key_alias.clone()),
                    AttrChange::new(
                        "key policy",
                        None::<String>,
                        "account IAM + CloudTrail, Config and flow-log delivery",
                    ),
                ];
                if self.b.cloudtrail.kms_key_rotation {
                    ops.push(Op::EnableKeyRotation {
                        key: key_ref.clone(),
                    });
                    attributes.push(AttrChange::new("rotation", None::<String>, "enabled"));
                }
                (Action::Create, attributes, ops)
            }
            Ok(Some(k)) => {
                let mut ops = Vec::new();
                let mut attributes = Vec::new();
                match k.policy.as_result() {
                    Err(e) => {
                        let e = e.clone();
                        self.unknown(&address, &key_account, &region, "the key policy", &e);
                    }
                    Ok(current) => {
                        if let Some(attr) = policy_change(
                            current.as_deref(),
                            &owned,
                            "key policy",
                            &mut self.unknown,
                            &address,
                            &key_account,
                            &region,
                        ) {
                            attributes.push(attr);
                            ops.push(Op::MergeKeyPolicy {
                                key: key_ref.clone(),
                                statements: owned,
                            });
                        }
                    }
                }
                if self.b.cloudtrail.kms_key_rotation {
                    match k.rotation_enabled.as_result() {
                        Ok(true) => {}
                        Ok(false) => {
                            attributes.push(AttrChange::new(
                                "rotation",
                                Some("disabled"),
                                "enabled",
                            ));
                            ops.push(Op::EnableKeyRotation {
                                key: key_ref.clone(),
                            });
                        }
                        Err(e) => {
                            let e = e.clone();
                            self.unknown(&address, &key_account, &region, "key rotation", &e);
                        }
                    }
                }
                (Action::Update, attributes, ops)
            }
        };
        if !ops.is_empty() {
            self.push(Change {
                address: address.clone(),
                action,
                account_id: key_account,
                region,
                attributes,
                irreversible: false,
                manual: None,
                depends_on: vec![],
                ops,
            });
            self.key_address = Some(address);
        }
        self.key = Some(key_ref);
    }

    fn key_dep(&self) -> Vec<String> {
        self.key_address.iter().cloned().collect()
    }

    fn access_log_target(&mut self, account: &str, region: &str) -> (String, Vec<String>) {
        let template = self
            .b
            .s3_access_logs
            .clone()
            .unwrap_or_default()
            .target_bucket;
        let name = self.template(&template, account, region);
        if self.planned_buckets.insert(name.clone()) {
            let spec = BucketSpec {
                name: name.clone(),
                account_id: account.into(),
                region: region.into(),
                versioning: false,
                kms: None,
                public_access_block: true,
                statements: policies::access_log_bucket(&self.inv.partition, &name, account),
                lifecycle: None,
                object_lock: None,
                logging_target: None,
                mfa_delete: false,
                depends_on: vec![],
            };
            self.bucket_change(spec);
        }
        let dep = format!("s3_bucket.{name}");
        let deps = self
            .changes
            .iter()
            .filter(|c| c.address == dep)
            .map(|c| c.address.clone())
            .collect();
        (name, deps)
    }

    fn archive_bucket(&mut self) {
        let tb = self.b.trail_bucket.clone();
        let account = self.m.archive_account_id.clone();
        let region = self.m.archive_region.clone();
        let name = self.archive_bucket.clone();
        self.planned_buckets.insert(name.clone());
        let mut depends_on = self.key_dep();
        let logging_target = if tb.access_logging || self.b.s3_access_logs.is_some() {
            let (target, deps) = self.access_log_target(&account, &region);
            depends_on.extend(deps);
            Some(target)
        } else {
            None
        };
        let statements = policies::archive_bucket(
            &self.origin(),
            &name,
            self.b.organization_trail.s3_key_prefix.as_deref(),
            &self.trail_arn,
            self.b.config.recorder && self.b.config.delivery_channel,
            self.b
                .vpc_flow_logs
                .as_ref()
                .is_some_and(|f| f.destination == FlowLogDestination::LogArchive),
            tb.tls_only,
        );
        let lifecycle = tb.lifecycle.as_ref().map(|lc| {
            let mut rule =
                json!({"ID": ARCHIVE_RULE_ID, "Status": "Enabled", "Filter": {"Prefix": ""}});
            if !lc.transitions.is_empty() {
                rule["Transitions"] = lc
                    .transitions
                    .iter()
                    .map(
                        |t| json!({"Days": t.after_days, "StorageClass": t.storage_class.as_str()}),
                    )
                    .collect();
            }
            if let Some(d) = lc.effective_expiration() {
                rule["Expiration"] = json!({"Days": d});
            }
            if let Some(d) = lc.noncurrent_expiration_days {
                rule["NoncurrentVersionExpiration"] = json!({"NoncurrentDays": d});
            }
            if let Some(d) = lc.abort_incomplete_upload_days {
                rule["AbortIncompleteMultipartUpload"] = json!({"DaysAfterInitiation": d});
            }
            rule
        });
        let spec = BucketSpec {
            name,
            account_id: account,
            region,
            versioning: tb.versioning || tb.object_lock.is_some(),
            kms: self.key.clone(),
            public_access_block: tb.public_access_block,
            statements,
            lifecycle,
            object_lock: tb.object_lock.clone(),
            logging_target,
            mfa_delete: tb.mfa_delete,
            depends_on,
        };
        self.bucket_change(spec);
    }

    /// Create the bucket, or bring an existing one up to the spec without weakening anything.
    fn bucket_change(&mut self, spec: BucketSpec) {
        let address = format!("s3_bucket.{}", spec.name);
        if Self::is_control_tower_bucket(&spec.name) {
            return;
        }
        let bucket = spec.name.clone();
        let existing = self.bucket(&spec.account_id, &spec.name);
        let mut ops = Vec::new();
        let mut attributes = Vec::new();
        let action;
        let mut region = spec.region.clone();
        // Object Lock is its own change: irreversible, it needs --allow-irreversible, and
        // everything else about the bucket is made without it.
        let mut lock_change: Option<(AttrChange, Op)> = None;
        let mut manual_mfa = false;
        match existing {
            Lookup::Unknown(e) => {
                let e = e.clone();
                self.unknown(
                    &address,
                    &spec.account_id,
                    &spec.region,
                    "the bucket list",
                    &e,
                );
                return;
            }
            Lookup::Missing => {
                action = Action::Create;
                ops.push(Op::CreateBucket {
                    bucket: bucket.clone(),
                });
                attributes.push(AttrChange::new(
                    "region",
                    None::<String>,
                    spec.region.clone(),
                ));
                if spec.versioning {
                    ops.push(Op::PutVersioning {
                        bucket: bucket.clone(),
                    });
                    attributes.push(AttrChange::new("versioning", None::<String>, "Enabled"));
                }
                ops.push(Op::PutEncryption {
                    bucket: bucket.clone(),
                    kms_key: spec.kms.clone(),
                });
                attributes.push(AttrChange::new(
                    "encryption",
                    None::<String>,
                    encryption_label(&spec.kms),
                ));
                if spec.public_access_block {
                    ops.push(Op::PutPublicAccessBlock {
                        bucket: bucket.clone(),
                    });
                    attributes.push(AttrChange::new(
                        "public access block",
                        None::<String>,
                        "all four on",
                    ));
                }
                if !spec.statements.is_empty() {
                    attributes.push(AttrChange::new(
                        "policy",
                        None::<String>,
                        sid_list(&spec.statements),
                    ));
                    ops.push(Op::MergeBucketPolicy {
                        bucket: bucket.clone(),
                        statements: spec.statements.clone(),
                    });
                }
                if let Some(rule) = &spec.lifecycle {
                    attributes.push(AttrChange::new(
                        "lifecycle",
                        None::<String>,
                        rule_label(rule),
                    ));
                    ops.push(Op::MergeLifecycle {
                        bucket: bucket.clone(),
                        rules: vec![rule.clone()],
                    });
                }
                if let Some(lock) = &spec.object_lock {
                    lock_change = Some((
                        AttrChange::new(
                            "object lock",
                            Some("off"),
                            format!("{:?} {} days", lock.mode, lock.days),
                        ),
                        Op::PutObjectLock {
                            bucket: bucket.clone(),
                            mode: format!("{:?}", lock.mode),
                            days: lock.days,
                        },
                    ));
                }
                if let Some(t) = &spec.logging_target {
                    attributes.push(AttrChange::new(
                        "access logging",
                        None::<String>,
                        format!("s3://{t}/{bucket}/"),
                    ));
                    ops.push(Op::PutBucketLogging {
                        bucket: bucket.clone(),
                        target_bucket: t.clone(),
                        target_prefix: format!("{bucket}/"),
                    });
                }
                manual_mfa = spec.mfa_delete;
            }
            Lookup::Found(bk) => {
                action = Action::Update;
                if let Some(r) = bk.region.value() {
                    if r != &spec.region {
                        self.kept.push(note(
                            &address,
                            &spec.account_id,
                            r,
                            format!(
                                "the bucket exists in {r}, not {}; it is used where it is",
                                spec.region
                            ),
                        ));
                        region = r.clone();
                    }
                }
                let Some(d) = &bk.details else {
                    self.unknown.push(note(
                        &address,
                        &spec.account_id,
                        &region,
                        "the bucket's settings were not read; nothing is planned for it",
                    ));
                    return;
                };
                let mut missing = Vec::new();
                match d.versioning.as_result() {
                    Ok(v) => {
                        if spec.versioning && v.status != Some(VersioningStatus::Enabled) {
                            attributes.push(AttrChange::new(
                                "versioning",
                                Some(v.status.clone().unwrap_or_else(|| "Disabled".into())),
                                "Enabled",
                            ));
                            ops.push(Op::PutVersioning {
                                bucket: bucket.clone(),
                            });
                        }
                        manual_mfa = spec.mfa_delete && v.mfa_delete != Some(MfaDelete::Enabled);
                    }
                    Err(e) => missing.push(("versioning", e.clone())),
                }
                match d.encryption.as_ref().map(|c| c.as_result()) {
                    None => self.unknown.push(note(
                        &address,
                        &spec.account_id,
                        &region,
                        "default encryption was not read",
                    )),
                    Some(Err(e)) => missing.push(("default encryption", e.clone())),
                    Some(Ok(current)) => {
                        let algo = current.as_ref().map(|e| e.algorithm.as_str());
                        match (&spec.kms, algo) {
                            (Some(_), Some(a)) if a.starts_with("aws:kms") => {}
                            (Some(_), before) => {
                                attributes.push(AttrChange::new(
                                    "encryption",
                                    Some(before.unwrap_or("none")),
                                    encryption_label(&spec.kms),
                                ));
                                ops.push(Op::PutEncryption {
                                    bucket: bucket.clone(),
                                    kms_key: spec.kms.clone(),
                                });
                            }
                            (None, None) => {
                                attributes.push(AttrChange::new(
                                    "encryption",
                                    Some("none"),
                                    "AES256",
                                ));
                                ops.push(Op::PutEncryption {
                                    bucket: bucket.clone(),
                                    kms_key: None,
                                });
                            }
                            (None, Some("AES256")) => {}
                            (None, Some(other)) => {
                                self.push(Change::manual_step(
format!("s3_bucket_encryption.{bucket}"),
spec.account_id.clone(),
region.clone(),
AttrChange::new("encryption", Some(other), "AES256"),
format!("bucket {bucket} receives load balancer or S3 server access logs, which are delivered only to SSE-S3 buckets, but it is encrypted with {other}; logwarden never changes encryption to a weaker kind"),
format!("aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"AES256\"}}}}]}}'"),
));
                            }
                        }
                    }
                }
                if spec.public_access_block {
                    match d.public_access_block.as_result() {
                        Ok(Some(p))
                            if p.block_public_acls
                                && p.ignore_public_acls
                                && p.block_public_policy
                                && p.restrict_public_buckets => {}
                        Ok(p) => {
                            let before = match p {
                                None => "none".to_string(),
                                Some(_) => "partly on".to_string(),
                            };
                            attributes.push(AttrChange::new(
                                "public access block",
                                Some(before),
                                "all four on",
                            ));
                            ops.push(Op::PutPublicAccessBlock {
                                bucket: bucket.clone(),
                            });
                        }
                        Err(e) => missing.push(("public access block", e.clone())),
                    }
                }
                if !spec.statements.is_empty() {
                    match d.policy.as_result() {
                        Ok(current) => {
                            if let Some(attr) = policy_change(
                                current.as_deref(),
                                &spec.statements,
                                "bucket policy",
                                &mut self.unknown,
                                &address,
                                &spec.account_id,
                                &region,
                            ) {
                                attributes.push(attr);
                                ops.push(Op::MergeBucketPolicy {
                                    bucket: bucket.clone(),
                                    statements: spec.statements.clone(),
                                });
                            }
                        }
                        Err(e) => missing.push(("bucket policy", e.clone())),
                    }
                }
                if let Some(rule) = &spec.lifecycle {
                    match d.lifecycle_rules.as_result() {
                        Ok(rules) => {
                            let owned = rules
                                .iter()
                                .find(|r| r.id.as_deref() == Some(ARCHIVE_RULE_ID));
                            let mut want = rule.clone();
                            // Never shorten: an owned rule's longer expiration (or none) stays.
                            if let Some(o) = owned {
                                let asked = want["Expiration"]["Days"].as_i64();
                                let old = o.expiration_days.map(i64::from);
                                match kept_expiration(old.is_some(), old, asked) {
                                    k if k == asked => {}
                                    None => {
                                        want.as_object_mut().map(|w| w.remove("Expiration"));
                                        self.kept.push(note(&address, &spec.account_id, &region, format!("lifecycle rule {ARCHIVE_RULE_ID} never expires objects; the expiration the profile asks for is not added")));
                                    }
                                    Some(d) => {
                                        want["Expiration"]["Days"] = json!(d);
                                        self.kept.push(note(&address, &spec.account_id, &region, format!("lifecycle rule {ARCHIVE_RULE_ID} keeps objects {d} days, longer than the profile asks; kept")));
                                    }
                                }
                            }
                            if owned.map(|o| !rule_matches(o, &want)).unwrap_or(true) {
                                attributes.push(AttrChange::new(
                                    "lifecycle",
                                    owned.map(inventory_rule_label),
                                    rule_label(&want),
                                ));
                                ops.push(Op::MergeLifecycle {
                                    bucket: bucket.clone(),
                                    rules: vec![want],
                                });
                            }
                            // Rules on the whole bucket only: a rule on a prefix (tmp/) does not
                            // shorten the logs' retention.
                            for r in rules.iter().filter(|r| {
                                r.prefix.is_empty()
                                    && !r.id.as_deref().unwrap_or("").starts_with(OWNED_PREFIX)
                            }) {
                                if let (Some(exp), Some(min)) = (
                                    r.expiration_days,
                                    self.b
                                        .trail_bucket
                                        .lifecycle
                                        .as_ref()
                                        .and_then(|l| l.min_retention_days),
                                ) {
                                    if r.enabled && exp < min as i32 {
                                        self.kept.push(note(&address, &spec.account_id, &region, format!("lifecycle rule {} expires objects after {exp} days, before the {min} days the profile asks; logwarden never changes rules it does not own", r.id.as_deref().unwrap_or("(no id)"))));
                                    }
                                }
                            }
                        }
                        Err(e) => missing.push(("lifecycle rules", e.clone())),
                    }
                }
                if let Some(lock) = &spec.object_lock {
                    match d.object_lock.as_result() {
                        Ok(current) => {
                            let have_days = current
                                .as_ref()
                                .and_then(|c| {
                                    c.days.map(|d| d as u32).or(c.years.map(|y| y as u32 * 365))
                                })
                                .unwrap_or(0);
                            let have_mode = current
                                .as_ref()
                                .and_then(|c| c.mode.clone())
                                .map(String::from);
                            let enabled = current.as_ref().is_some_and(|c| c.enabled);
                            let stronger_mode = have_mode.as_deref() == Some("COMPLIANCE")
                                || lock.mode == ObjectLockMode::GOVERNANCE;
                            if enabled
                                && have_mode.is_some()
                                && have_days >= lock.days
                                && stronger_mode
                            {
                                // As strong as asked, or stronger: kept.
                            } else if enabled
                                && have_mode.is_some()
                                && (have_days > lock.days
                                    || have_mode.as_deref() == Some("COMPLIANCE"))
                            {
                                self.kept.push(note(&address, &spec.account_id, &region, format!("Object Lock {} {} days is kept (stronger in one respect than the profile)", have_mode.unwrap_or_default(), have_days)));
                            } else {
                                let before = if enabled {
                                    format!(
                                        "{} {} days",
                                        have_mode.unwrap_or_else(|| "no default".into()),
                                        have_days
                                    )
                                } else {
                                    "off".into()
                                };
                                lock_change = Some((
                                    AttrChange::new(
                                        "object lock",
                                        Some(before),
                                        format!("{:?} {} days", lock.mode, lock.days),
                                    ),
                                    Op::PutObjectLock {
                                        bucket: bucket.clone(),
                                        mode: format!("{:?}", lock.mode),
                                        days: lock.days,
                                    },
                                ));
                            }
                        }
                        Err(e) => missing.push(("Object Lock", e.clone())),
                    }
                }
                if let Some(t) = &spec.logging_target {
                    match bk.logging.as_result() {
                        Ok(Some(_)) => {}
                        Ok(None) => {
                            attributes.push(AttrChange::new(
                                "access logging",
                                Some("off"),
                                format!("s3://{t}/{bucket}/"),
                            ));
                            ops.push(Op::PutBucketLogging {
                                bucket: bucket.clone(),
                                target_bucket: t.clone(),
                                target_prefix: format!("{bucket}/"),
                            });
                        }
                        Err(e) => missing.push(("access logging", e.clone())),
                    }
                }
                for (what, e) in missing {
                    self.unknown(
                        &address,
                        &spec.account_id,
                        &region,
                        &format!("the bucket's {what}"),
                        &e,
                    );
                }
            }
        }
        if !ops.is_empty() {
            self.push(Change {
                address: address.clone(),
                action,
                account_id: spec.account_id.clone(),
                region: region.clone(),
                attributes,
                irreversible: false,
                manual: None,
                depends_on: spec.depends_on.clone(),
                ops,
            });
        }
        if let Some((attr, op)) = lock_change {
            let depends_on = self
                .changes
                .iter()
                .filter(|c| c.address == address)
                .map(|c| c.address.clone())
                .collect();
            self.push(Change {
                address: format!("s3_bucket_object_lock.{bucket}"),
                action: Action::Update,
                account_id: spec.account_id.clone(),
                region: region.clone(),
                attributes: vec![attr],
                irreversible: true,
                manual: None,
                depends_on,
                ops: vec![op],
            });
        }
        if manual_mfa {
            let account = &spec.account_id;
            self.push(Change::manual_step(
format!("s3_bucket_mfa_delete.{bucket}"),
account.clone(),
region,
AttrChange::new("MFA delete", Some("Disabled"), "Enabled"),
format!("only the root user of account {account}, signed in with its MFA device, can enable MFA delete (through the API or CLI, never the console)"),
format!("aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"arn:{}:iam::{account}:mfa/root-account-mfa-device CODE\"", self.inv.partition),
));
        }
    }

    fn managed_trail(&self) -> Option<&'a Trail> {
        let a = self.account(&self.mgmt)?;
        a.data
            .cloudtrail
            .trails
            .iter()
            .find(|t| {
                t.name == self.b.organization_trail.name
                    && crate::arn::account_of(&t.arn) == Some(&self.mgmt)
            })
            .or_else(|| {
                a.data.cloudtrail.trails.iter().find(|t| {
                    t.is_organization_trail
                        && crate::arn::account_of(&t.arn) == Some(&self.mgmt)
                        && t.name != CONTROL_TOWER_TRAIL
                })
            })
    }

    fn log_group_arn(&self) -> String {
        format!(
            "arn:{}:logs:{}:{}:log-group:{}:*",
            self.inv.partition,
            self.m.trail_region,
            self.mgmt,
            self.b.organization_trail.cloudwatch_logs.log_group
        )
    }

    fn cloudwatch_logs(&mut self) {
        if !self.b.cloudtrail.cloudwatch_logs {
            return;
        }
        if self
            .managed_trail()
            .is_some_and(|t| t.cloudwatch_logs_log_group_arn.is_some())
        {
            return;
        }
        let cw = self.b.organization_trail.cloudwatch_logs.clone();
        let region = self.m.trail_region.clone();
        let mgmt = self.mgmt.clone();
        let address = format!("cloudwatch_log_group.{}", cw.log_group);
        match self.m.log_group.as_ref().map(|g| g.as_result()) {
            None => {}
            Some(Err(e)) => {
                let e = e.clone();
                self.unknown(&address, &mgmt, &region, "the log group", &e);
            }
            Some(Ok(None)) => self.push(Change {
                address,
                action: Action::Create,
                account_id: mgmt.clone(),
                region: region.clone(),
                attributes: vec![AttrChange::new(
                    "retention",
                    None::<String>,
                    format!("{} days", cw.retention_days),
                )],
                irreversible: false,
                manual: None,
                depends_on: vec![],
                ops: vec![
                    Op::CreateLogGroup {
                        name: cw.log_group.clone(),
                    },
                    Op::PutRetention {
                        name: cw.log_group.clone(),
                        days: cw.retention_days,
                    },
                ],
            }),
            Some(Ok(Some(g))) => match g.retention_days {
                Some(d) if (d as u32) < cw.retention_days => self.push(Change {
                    address,
                    action: Action::Update,
                    account_id: mgmt.clone(),
                    region: region.clone(),
                    attributes: vec![AttrChange::new(
                        "retention",
                        Some(format!("{d} days")),
                        format!("{} days", cw.retention_days),
                    )],
                    irreversible: false,
                    manual: None,
                    depends_on: vec![],
                    ops: vec![Op::PutRetention {
                        name: cw.log_group.clone(),
                        days: cw.retention_days,
                    }],
                }),
                Some(d) if d as u32 > cw.retention_days => self.kept.push(note(
                    &address,
                    &mgmt,
                    &region,
                    format!(
                        "retention {d} days is longer than the profile's {}; kept",
                        cw.retention_days
                    ),
                )),
                None => self.kept.push(note(
                    &address,
                    &mgmt,
                    &region,
                    "the log group never expires events; kept",
                )),
                _ => {}
            },
        }
        let role = self.m.roles.iter().find(|r| r.name == cw.role_name);
        let role_address = format!("iam_role.{}", cw.role_name);
        match role.map(|r| r.arn.as_result()) {
            None => {}
            Some(Err(e)) => {
                let e = e.clone();
                self.unknown(&role_address, &mgmt, "global", "the delivery role", &e);
            }
            // The trail does not deliver yet: the role is (re)written with its permissions, so a
            // role half-made by an interrupted run is finished before the trail uses it.
            Some(Ok(existing)) => {
                let exists = existing.is_some();
                let (trust, permissions) = policies::cloudwatch_logs_role(
                    &self.inv.partition,
                    &mgmt,
                    self.org_id.as_deref(),
                    &region,
                    &cw.log_group,
                    &self.trail_arn,
                );
                let before = exists.then_some("(existing role)");
                self.push(Change {
                    address: role_address,
                    action: if exists {
                        Action::Update
                    } else {
                        Action::Create
                    },
                    account_id: mgmt.clone(),
                    region: "global".into(),
                    attributes: vec![
                        AttrChange::new(
                            "trusts",
                            before,
                            format!("cloudtrail.amazonaws.com for {}", self.trail_arn),
                        ),
                        AttrChange::new(
                            "permissions",
                            before,
                            "logs:CreateLogStream, logs:PutLogEvents on the trail's streams",
                        ),
                    ],
                    irreversible: false,
                    manual: None,
                    depends_on: vec![],
                    ops: vec![Op::EnsureRole {
                        name: cw.role_name.clone(),
                        trust_policy: trust,
                        inline_policy: Some(permissions),
                        managed_policy_arns: vec![],
                    }],
                });
            }
        }
    }

    fn required_selectors(&self, existing: &EventSelectors) -> Vec<RequiredSelector> {
        let ct = &self.b.cloudtrail;
        let mut v = Vec::new();
        let want_read = ct.management_events == ManagementEvents::All;
        let mut fields = vec![field("eventCategory", &["Management"])];
        if !want_read {
            fields.push(field("readOnly", &["false"]));
        }
        v.push(RequiredSelector {
            selector: AdvancedSelector {
                name: Some("logwarden-management-events".into()),
                field_selectors: fields,
            },
            probes: management_probes(existing, want_read, &ct.allowed_excluded_event_sources),
        });
        let p = &self.inv.partition;
        if let Some(d) = &ct.s3_data_events {
            let mut fields = vec![
                field("eventCategory", &["Data"]),
                field("resources.type", &["AWS::S3::Object"]),
            ];
            if d.read != d.write {
                fields.push(field("readOnly", &[yes_no(d.read)]));
            }
            let modes: Vec<bool> = [(d.read, true), (d.write, false)]
                .iter()
                .filter(|(w, _)| *w)
                .map(|(_, ro)| *ro)
                .collect();
            let probes = match &d.resources {
                ResourceSet::All => {
                    let mut prefixes = vec![format!("arn:{p}:s3:::{}/", self.archive_bucket)];
                    for t in managed_bucket_templates(self.b).iter().skip(1) {
                        let rendered = self.template(t, "{account_id}", "{region}");
                        let prefix = rendered.split('{').next().unwrap_or("");
                        if prefix.len() >= 3 {
                            prefixes.push(format!("arn:{p}:s3:::{prefix}"));
                        }
                    }
                    fields.push(FieldSelector {
                        field: "resources.ARN".into(),
                        not_starts_with: prefixes,
                        ..FieldSelector::default()
                    });
                    modes
                        .iter()
                        .map(|&ro| {
                            ProbeEvent::s3_object(
                                &self.inv.partition,
                                "logwarden-any-new-bucket",
                                ro,
                                "S3 object events on any bucket",
                            )
                        })
                        .chain(
                            // Buckets the trail's selectors leave out that the audit requires
                            // (every bucket of the organization but the log buckets).
                            crate::sources::cloudtrail::selectors::excluded_s3_buckets(existing)
                                .into_iter()
                                .filter(|b| {
                                    !self.log_buckets.contains(b)
                                        && self.inv.accounts.iter().any(|a| {
                                            a.data
                                                .s3_access_logs
                                                .buckets
                                                .value()
                                                .is_some_and(|l| l.iter().any(|x| &x.name == b))
                                        })
                                })
                                .flat_map(|b| {
                                    modes.iter().map(move |&ro| {
                                        ProbeEvent::s3_object(
                                            &self.inv.partition,
                                            &b,
                                            ro,
                                            format!("S3 object events on {b}"),
                                        )
                                    })
                                }),
                        )
                        .collect::<Vec<_>>()
                }
                ResourceSet::Named(names) => {
                    fields.push(FieldSelector {
                        field: "resources.ARN".into(),
                        starts_with: names.iter().map(|n| format!("arn:{p}:s3:::{n}/")).collect(),
                        ..FieldSelector::default()
                    });
                    names
                        .iter()
                        .flat_map(|n| {
                            modes.iter().map(move |&ro| {
                                ProbeEvent::s3_object(
                                    &self.inv.partition,
                                    n,
                                    ro,
                                    format!("S3 object events on {n}"),
                                )
                            })
                        })
                        .collect()
                }
            };
            v.push(RequiredSelector {
                selector: AdvancedSelector {
                    name: Some("logwarden-s3-data-events".into()),
                    field_selectors: fields,
                },
                probes,
            });
        }
        if let Some(d) = &ct.lambda_data_events {
            let mut fields = vec![
                field("eventCategory", &["Data"]),
                field("resources.type", &["AWS::Lambda::Function"]),
            ];
            let probes = match &d.resources {
                ResourceSet::All => vec![ProbeEvent::lambda_invoke(
                    &format!(
                        "arn:{p}:lambda:{}:{}:function:logwarden-any-function",
                        self.m.trail_region, self.mgmt
                    ),
                    "Lambda Invoke events",
                )],
                ResourceSet::Named(names) => {
                    fields.push(FieldSelector {
                        field: "resources.ARN".into(),
                        starts_with: names.clone(),
                        ..FieldSelector::default()
                    });
                    names
                        .iter()
                        .map(|n| ProbeEvent::lambda_invoke(n, format!("Invoke events on {n}")))
                        .collect()
                }
            };
            v.push(RequiredSelector {
                selector: AdvancedSelector {
                    name: Some("logwarden-lambda-data-events".into()),
                    field_selectors: fields,
                },
                probes,
            });
        }
        v
    }

    fn trail_deps(&self) -> Vec<String> {
        let mut d = self.access_dep("cloudtrail.amazonaws.com");
        d.extend(self.key_dep());
        let wanted = [
            format!("s3_bucket.{}", self.archive_bucket),
            format!(
                "cloudwatch_log_group.{}",
                self.b.organization_trail.cloudwatch_logs.log_group
            ),
            format!(
                "iam_role.{}",
                self.b.organization_trail.cloudwatch_logs.role_name
            ),
        ];
        d.extend(
            self.changes
                .iter()
                .filter(|c| wanted.contains(&c.address))
                .map(|c| c.address.clone()),
        );
        d
    }

    fn trail(&mut self) {
        let ot = self.b.organization_trail.clone();
        let ct = self.b.cloudtrail.clone();
        let is_org = self.inv.mode == ScopeMode::Organization;
        let cwl = ct
            .cloudwatch_logs
            .then(|| (self.log_group_arn(), ot.cloudwatch_logs.role_name.clone()));
        let mgmt = self.mgmt.clone();
        match self.managed_trail() {
            None => {
                let settings = TrailSettings {
                    bucket: Some(self.archive_bucket.clone()),
                    s3_key_prefix: ot.s3_key_prefix.clone(),
                    multi_region: Some(ot.multi_region),
                    include_global_service_events: Some(ot.include_global_service_events),
                    log_file_validation: Some(ct.log_file_validation),
                    organization: Some(is_org),
                    kms_key: self.key.clone(),
                    cloudwatch_logs: cwl,
                };
                let required = self.required_selectors(&EventSelectors::default());
                let mut attributes = vec![
                    AttrChange::new("bucket", None::<String>, self.archive_bucket.clone()),
                    AttrChange::new("organization trail", None::<String>, yes_no(is_org)),
                    AttrChange::new("multi-region", None::<String>, yes_no(ot.multi_region)),
                    AttrChange::new(
                        "log file validation",
                        None::<String>,
                        yes_no(ct.log_file_validation),
                    ),
                    AttrChange::new("encryption", None::<String>, encryption_label(&self.key)),
                    AttrChange::new(
                        "event selectors",
                        None::<String>,
                        required
                            .iter()
                            .filter_map(|r| r.selector.name.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ];
                let mut ops = vec![
                    Op::CreateTrail {
                        name: ot.name.clone(),
                        settings,
                    },
                    Op::MergeEventSelectors {
                        trail: ot.name.clone(),
                        required,
                    },
                ];
                if !ct.insights.is_empty() {
                    let names: Vec<String> = ct
                        .insights
                        .iter()
                        .map(|i| i.aws_name().to_string())
                        .collect();
                    attributes.push(AttrChange::new(
                        "insights",
                        None::<String>,
                        names.join(", "),
                    ));
                    ops.push(Op::AddInsights {
                        trail: ot.name.clone(),
                        insights: names,
                    });
                }
                attributes.push(AttrChange::new("logging", None::<String>, "started"));
                ops.push(Op::StartLogging {
                    trail: ot.name.clone(),
                });
                let depends_on = self.trail_deps();
                self.push(Change {
                    address: format!("cloudtrail_trail.{}", ot.name),
                    action: Action::Create,
                    account_id: mgmt,
                    region: self.m.trail_region.clone(),
                    attributes,
                    irreversible: false,
                    manual: None,
                    depends_on,
                    ops,
                });
            }
            Some(t) => {
                let address = format!("cloudtrail_trail.{}", t.name);
                let region = t.home_region.clone();
                let mut s = TrailSettings::default();
                let mut attributes = Vec::new();
                if ot.multi_region && !t.is_multi_region {
                    s.multi_region = Some(true);
                    attributes.push(AttrChange::new("multi-region", Some("false"), "true"));
                }
                if ot.include_global_service_events && !t.include_global_service_events {
                    s.include_global_service_events = Some(true);
                    attributes.push(AttrChange::new(
                        "global service events",
                        Some("false"),
                        "true",
                    ));
                }
                if ct.log_file_validation && !t.log_file_validation_enabled {
                    s.log_file_validation = Some(true);
                    attributes.push(AttrChange::new(
                        "log file validation",
                        Some("false"),
                        "true",
                    ));
                }
                if is_org && !t.is_organization_trail {
                    s.organization = Some(true);
                    attributes.push(AttrChange::new("organization trail", Some("false"), "true"));
                }
                if ct.kms_encryption && t.kms_key_id.is_none() {
                    if let Some(k) = &self.key {
                        s.kms_key = Some(k.clone());
                        attributes.push(AttrChange::new(
                            "encryption",
                            Some("SSE-S3"),
                            encryption_label(&self.key),
                        ));
                    }
                }
                if let Some(c) = cwl.filter(|_| t.cloudwatch_logs_log_group_arn.is_none()) {
                    attributes.push(AttrChange::new(
                        "CloudWatch Logs",
                        Some("none"),
                        c.0.clone(),
                    ));
                    s.cloudwatch_logs = Some(c);
                }
                // The profile asks for less than the trail does: kept, and said.
                let mut more = Vec::new();
                if !ot.multi_region && t.is_multi_region {
                    more.push("it is multi-region");
                }
                if !ct.log_file_validation && t.log_file_validation_enabled {
                    more.push("log file validation is on");
                }
                if !ct.kms_encryption && t.kms_key_id.is_some() {
                    more.push("it is encrypted with KMS");
                }
                if !ct.cloudwatch_logs && t.cloudwatch_logs_log_group_arn.is_some() {
                    more.push("it delivers to CloudWatch Logs");
                }
                if t.insights.value().is_some_and(|have| {
                    have.iter()
                        .any(|h| !ct.insights.iter().any(|i| i.aws_name() == h))
                }) {
                    more.push("it has insights the profile does not ask for");
                }
                if ct.management_events == ManagementEvents::WriteOnly
                    && t.selectors.value().is_some_and(|sel| {
                        crate::sources::cloudtrail::selectors::captures(
                            sel,
                            &ProbeEvent::management(
                                true,
                                "ec2.amazonaws.com",
                                "DescribeInstances",
                                "",
                            ),
                        )
                    })
                {
                    more.push("it records read management events too");
                }
                if ct.s3_data_events.is_none()
                    && t.selectors.value().is_some_and(|sel| {
                        crate::sources::cloudtrail::selectors::captures(
                            sel,
                            &ProbeEvent::s3_object(
                                &self.inv.partition,
                                "logwarden-any-new-bucket",
                                false,
                                "",
                            ),
                        )
                    })
                {
                    more.push("it records S3 data events");
                }
                if !more.is_empty() {
                    self.kept.push(note(
                        &address,
                        &mgmt,
                        &region,
                        format!(
                        "{}: more than the profile asks; kept (logwarden never narrows logging)",
                        more.join(", ")
                    ),
                    ));
                }
                if t.s3_bucket_name.as_deref() != Some(self.archive_bucket.as_str()) {
                    let other = t.s3_bucket_name.clone().unwrap_or_else(|| "?".into());
                    let bucket_checks: Vec<String> = self
                        .failing_checks(t)
                        .into_iter()
                        .filter(|c| c.starts_with("trail_bucket."))
                        .collect();
                    if bucket_checks.is_empty() {
                        self.kept.push(note(&address, &mgmt, &region, format!(
                            "the trail delivers to bucket {other}, not the log archive {}; logwarden does not move a trail's logs, and that bucket meets the baseline",
                            self.archive_bucket
                        )));
                    } else {
                        self.push(Change::manual_step(
format!("s3_bucket_unmanaged.{other}"),
mgmt.clone(),
region.clone(),
AttrChange::new("failing checks", Some(bucket_checks.join(", ")), "none"),
format!("the organization trail delivers to bucket {other}, not the log archive {}, and the audit fails that bucket on {}; logwarden does not move a trail's logs", self.archive_bucket, bucket_checks.join(", ")),
format!("aws cloudtrail update-trail --name {} --s3-bucket-name {} --region {region}   # after checking who reads {other}", t.arn, self.archive_bucket),
));
                    }
                }
                if region != self.m.trail_region {
                    self.kept.push(note(&address, &mgmt, &region, format!("the trail's home region is {region}, not {}; a trail cannot move, so it is completed where it is", self.m.trail_region)));
                }
                let mut ops = Vec::new();
                if s != TrailSettings::default() {
                    ops.push(Op::UpdateTrail {
                        name: t.name.clone(),
                        settings: s,
                    });
                }
                match t.selectors.as_result() {
                    Ok(sel) => {
                        let required = self.required_selectors(sel);
                        if let Some(next) = merged_selectors(sel, &required) {
                            let added: Vec<String> = next
                                .iter()
                                .filter(|n| !sel.advanced.contains(n))
                                .filter_map(|n| n.name.clone())
                                .collect();
                            let before = if sel.basic.is_empty() && sel.advanced.is_empty() {
                                "default (all management events)".to_string()
                            } else if sel.advanced.is_empty() {
                                format!("{} basic selector(s)", sel.basic.len())
                            } else {
                                format!("{} advanced selector(s)", sel.advanced.len())
                            };
                            attributes.push(AttrChange::new(
                                "event selectors",
                                Some(before),
                                format!(
                                    "{} advanced selector(s), adding {}",
                                    next.len(),
                                    if added.is_empty() {
                                        "equivalents of the basic ones".into()
                                    } else {
                                        added.join(", ")
                                    }
                                ),
                            ));
                            ops.push(Op::MergeEventSelectors {
                                trail: t.name.clone(),
                                required,
                            });
                        }
                    }
                    Err(e) => {
                        let e = e.clone();
                        self.unknown(&address, &mgmt, &region, "the event selectors", &e);
                    }
                }
                if !ct.insights.is_empty() {
                    match t.insights.as_result() {
                        Ok(have) => {
                            let missing: Vec<String> = ct
                                .insights
                                .iter()
                                .map(|i| i.aws_name().to_string())
                                .filter(|n| !have.contains(n))
                                .collect();
                            if !missing.is_empty() {
                                attributes.push(AttrChange::new(
                                    "insights",
                                    Some(if have.is_empty() {
                                        "none".into()
                                    } else {
                                        have.join(", ")
                                    }),
                                    missing.join(", "),
                                ));
                                ops.push(Op::AddInsights {
                                    trail: t.name.clone(),
                                    insights: missing,
                                });
                            }
                        }
                        Err(e) => {
                            let e = e.clone();
                            self.unknown(&address, &mgmt, &region, "the insight selectors", &e);
                        }
                    }
                }
                match t.status.as_result() {
                    Ok(st) if !st.is_logging => {
                        attributes.push(AttrChange::new("logging", Some("stopped"), "started"));
                        ops.push(Op::StartLogging {
                            trail: t.name.clone(),
                        });
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let e = e.clone();
                        self.unknown(&address, &mgmt, &region, "the trail status", &e);
                    }
                }
                if !ops.is_empty() {
                    let depends_on = self.trail_deps();
                    self.push(Change {
                        address,
                        action: Action::Update,
                        account_id: mgmt,
                        region,
                        attributes,
                        irreversible: false,
                        manual: None,
                        depends_on,
                        ops,
                    });
                }
            }
        }
    }

    /// Trails logwarden does not manage: a duplicate copy of management events is a manual
    /// step (logwarden never deletes a trail); anything else about them is the audit's to judge.
    /// Failing audit findings on a trail and on the bucket it delivers to (unless that is the
    /// log archive, which this plan manages).
    fn failing_checks(&self, t: &Trail) -> Vec<String> {
        let bucket = t
            .s3_bucket_name
            .as_deref()
            .filter(|b| *b != self.archive_bucket)
            .map(|b| format!("arn:{}:s3:::{b}", self.inv.partition));
        let mut v: Vec<String> = self
            .evaluation
            .findings
            .iter()
            .filter(|f| f.status == crate::rules::Status::Fail)
            .filter(|f| {
                f.resource == t.arn
                    || (f.check_id.starts_with("trail_bucket.")
                        && Some(&f.resource) == bucket.as_ref())
            })
            .map(|f| f.check_id.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Trails logwarden does not manage (every trail but the organization trail). It never
    /// changes or deletes them; where the audit fails them (a duplicate copy of management
    /// events, a stopped trail, an unprotected bucket), that is a manual step naming the checks.
    fn other_trails(&mut self) {
        let managed = self.managed_trail().map(|t| t.arn.clone());
        for a in &self.inv.accounts {
            for t in &a.data.cloudtrail.trails {
                if Some(&t.arn) == managed.as_ref() || t.name == CONTROL_TOWER_TRAIL {
                    continue;
                }
                let owner = crate::arn::account_of(&t.arn)
                    .unwrap_or(&a.account_id)
                    .to_string();
                if owner != a.account_id {
                    continue; // another account's organization trail, seen from a member
                }
                let records_management = t
                    .selectors
                    .value()
                    .is_some_and(crate::sources::cloudtrail::selectors::records_management_events);
                let logging = t.status.value().is_some_and(|s| s.is_logging);
                let mut checks = self.failing_checks(t);
                let duplicate = records_management
                    && logging
                    && !self.b.cloudtrail.allow_duplicate_management_events
                    && self.inv.mode == ScopeMode::Organization;
                if duplicate {
                    checks.insert(0, "cloudtrail.duplicate_management_events".into());
                }
                let address = format!("cloudtrail_trail.{}", t.name);
                if checks.is_empty() {
                    self.kept.push(note(&address, &owner, &t.home_region, "not managed by logwarden (it manages the organization trail); it meets the baseline"));
                    continue;
                }
                let why = if duplicate {
                    "it records management events the organization trail already records (every copy after the first is billed)"
                } else {
                    "it is not the organization trail, which already covers this account"
                };
                self.push(Change::manual_step(
format!("cloudtrail_trail_unmanaged.{owner}.{}", t.name),
owner.clone(),
t.home_region.clone(),
AttrChange::new("failing checks", Some(checks.join(", ")), "none"),
format!("trail {} fails {}; {why}. logwarden manages only the organization trail and never deletes a trail: bring this one to the baseline yourself, or, once nobody depends on it, delete it", t.name, checks.join(", ")),
format!("aws cloudtrail delete-trail --name {} --region {}   # in account {owner}", t.arn, t.home_region),
));
            }
        }
    }

    fn config(&mut self) {
        let cb = self.b.config.clone();
        let global_region = cb
            .global_resources_region
            .clone()
            .unwrap_or_else(|| self.m.trail_region.clone());
        let archive_dep: Vec<String> = self
            .changes
            .iter()
            .filter(|c| c.address == format!("s3_bucket.{}", self.archive_bucket))
            .map(|c| c.address.clone())
            .chain(self.key_dep())
            .collect();
        if cb.recorder {
            for a in &self.inv.accounts {
                if a.access.error().is_some() {
                    continue;
                }
                let regions: Vec<&RegionInventory> = self.enabled_regions(a).collect();
                let global_somewhere = regions.iter().any(|r| {
                    r.data
                        .config
                        .recorders
                        .value()
                        .is_some_and(|v| v.iter().any(|c| c.include_global_resource_types))
                });
                for r in regions {
                    let address = format!("config_recorder.{}.{}", a.account_id, r.region);
                    let (recs, chans) = match (
                        r.data.config.recorders.as_result(),
                        r.data.config.delivery_channels.as_result(),
                    ) {
                        (Ok(x), Ok(y)) => (x, y),
                        (Err(e), _) | (_, Err(e)) => {
                            let e = e.clone();
                            self.unknown(
                                &address,
                                &a.account_id,
                                &r.region,
                                "the Config recorder",
                                &e,
                            );
                            continue;
                        }
                    };
                    let mut ops = Vec::new();
                    let mut attributes = Vec::new();
                    let global_here =
                        cb.global_resources_once && r.region == global_region && !global_somewhere;
                    let (name, action) = match recs.first() {
                        None => {
                            let include = r.region == global_region || !cb.global_resources_once;
                            ops.push(Op::PutRecorder {
                                name: "default".into(),
                                include_global_resource_types: include,
                            });
                            attributes.push(AttrChange::new(
                                "recording",
                                None::<String>,
                                if include {
                                    "all supported + global types"
                                } else {
                                    "all supported"
                                },
                            ));
                            ("default".to_string(), Action::Create)
                        }
                        Some(rec) => {
                            if !rec.all_supported || global_here {
                                let include = rec.include_global_resource_types || global_here;
                                ops.push(Op::PutRecorder {
                                    name: rec.name.clone(),
                                    include_global_resource_types: include,
                                });
                                attributes.push(AttrChange::new(
                                    "recording",
                                    Some(if rec.all_supported {
                                        "all supported"
                                    } else {
                                        "selected types"
                                    }),
                                    if include {
                                        "all supported + global types"
                                    } else {
                                        "all supported"
                                    },
                                ));
                            }
                            (rec.name.clone(), Action::Update)
                        }
                    };
                    // A recorder records only with a delivery channel.
                    let can_start = !chans.is_empty() || cb.delivery_channel;
                    if !can_start {
                        self.push(Change::manual_step(
format!("config_delivery_channel.{}.{}", a.account_id, r.region),
a.account_id.clone(),
r.region.clone(),
AttrChange::new("delivery channel", None::<String>, "a bucket you choose"),
"the profile sets `config.delivery_channel: false` (logwarden does not deliver Config to the log archive), but a recorder records only with a delivery channel",
format!("aws configservice put-delivery-channel --region {} --delivery-channel name=default,s3BucketName=BUCKET   # in account {}; then run apply again", r.region, a.account_id),
));
                    }
                    if chans.is_empty() && cb.delivery_channel {
                        ops.push(Op::PutDeliveryChannel {
                            name: "default".into(),
                            bucket: self.archive_bucket.clone(),
                            kms_key: self.key.clone(),
                        });
                        attributes.push(AttrChange::new(
                            "delivery channel",
                            None::<String>,
                            format!("s3://{}", self.archive_bucket),
                        ));
                    }
                    let recording = recs.first().map(|rec| rec.recording.as_result());
                    match recording {
                        None | Some(Ok(false)) if can_start => {
                            ops.push(Op::StartRecorder { name: name.clone() });
                            attributes.push(AttrChange::new(
                                "status",
                                recording.map(|_| "stopped"),
                                "recording",
                            ));
                        }
                        Some(Ok(true)) | None | Some(Ok(false)) => {}
                        Some(Err(e)) => {
                            let e = e.clone();
                            self.unknown(
                                &address,
                                &a.account_id,
                                &r.region,
                                "the recorder status",
                                &e,
                            );
                        }
                    }
                    if !ops.is_empty() {
                        self.push(Change {
                            address,
                            action,
                            account_id: a.account_id.clone(),
                            region: r.region.clone(),
                            attributes,
                            irreversible: false,
                            manual: None,
                            depends_on: archive_dep.clone(),
                            ops,
                        });
                    }
                }
            }
        }
        if cb.organization_aggregator && self.inv.mode == ScopeMode::Organization {
            let Some(a) = self.account(&self.mgmt) else {
                return;
            };
            let mut unknown = None;
            let mut found = false;
            for r in &a.regions {
                match r.data.config.aggregators.as_result() {
                    Ok(v) => found |= v.iter().any(|g| g.organization_wide),
                    Err(e) if e.code != "RegionNotEnabled" => unknown = Some(e.clone()),
                    Err(_) => {}
                }
            }
            let address = format!("config_aggregator.{}", cb.aggregator_name);
            let mgmt = self.mgmt.clone();
            let region = self.m.trail_region.clone();
            if found {
                return;
            }
            if let Some(e) = unknown {
                self.unknown(&address, &mgmt, &region, "the Config aggregators", &e);
                return;
            }
            let mut ops = Vec::new();
            match self
                .m
                .roles
                .iter()
                .find(|r| r.name == AGGREGATOR_ROLE)
                .map(|r| r.arn.as_result())
            {
                Some(Err(e)) => {
                    let e = e.clone();
                    self.unknown(&address, &mgmt, &region, "the aggregator role", &e);
                    return;
                }
                // Missing, or made by an interrupted run: (re)written before the aggregator.
                _ => ops.push(Op::EnsureRole {
                    name: AGGREGATOR_ROLE.into(),
                    trust_policy: policies::config_aggregator_trust(&mgmt),
                    inline_policy: Some(policies::config_aggregator_permissions()),
                    managed_policy_arns: vec![],
                }),
            }
            ops.push(Op::PutOrganizationAggregator {
                name: cb.aggregator_name.clone(),
                role_name: AGGREGATOR_ROLE.into(),
            });
            let depends_on = self.access_dep("config.amazonaws.com");
            self.push(Change {
                address,
                action: Action::Create,
                account_id: mgmt,
                region,
                attributes: vec![
                    AttrChange::new("source", None::<String>, "the organization, all regions"),
                    AttrChange::new("role", None::<String>, AGGREGATOR_ROLE),
                ],
                irreversible: false,
                manual: None,
                depends_on,
                ops,
            });
        }
    }

    fn flow_logs(&mut self) {
        let Some(fl) = self.b.vpc_flow_logs.clone() else {
            return;
        };
        let dep: Vec<String> = self
            .changes
            .iter()
            .filter(|c| c.address == format!("s3_bucket.{}", self.archive_bucket))
            .map(|c| c.address.clone())
            .collect();
        for a in &self.inv.accounts {
            if a.access.error().is_some() {
                continue;
            }
            for r in self.enabled_regions(a) {
                let address = format!("flow_logs.{}.{}", a.account_id, r.region);
                let (vpcs, logs) = match (
                    r.data.vpc_flow_logs.vpcs.as_result(),
                    r.data.vpc_flow_logs.flow_logs.as_result(),
                ) {
                    (Ok(v), Ok(l)) => (v, l),
                    (Err(e), _) | (_, Err(e)) => {
                        let e = e.clone();
                        self.unknown(&address, &a.account_id, &r.region, "VPCs or flow logs", &e);
                        continue;
                    }
                };
                let missing: Vec<&Vpc> = vpcs
                    .iter()
                    .filter(|v| {
                        fl.vpc_tags
                            .iter()
                            .all(|(k, val)| v.tags.get(k) == Some(val))
                    })
                    .filter(|v| {
                        !crate::sources::vpc_flow_logs::checks::vpc_is_logged(
                            &v.id,
                            logs,
                            fl.traffic_type,
                        )
                    })
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let traffic = fl.traffic_type.as_str();
                let (target, label, mut ops) = match fl.destination {
                    FlowLogDestination::LogArchive => (
                        FlowLogTarget::S3 {
                            bucket: self.archive_bucket.clone(),
                        },
                        format!("s3://{}", self.archive_bucket),
                        vec![],
                    ),
                    FlowLogDestination::CloudwatchLogs => {
                        let cw = &fl.cloudwatch_logs;
                        let (trust, permissions) = policies::flow_logs_role(
                            &self.inv.partition,
                            &a.account_id,
                            &cw.log_group,
                        );
                        (
                            FlowLogTarget::CloudwatchLogs {
                                log_group: cw.log_group.clone(),
                                role_name: cw.role_name.clone(),
                            },
                            format!("CloudWatch Logs {}", cw.log_group),
                            // Only while VPCs of this account-region lack flow logs; both idempotent.
                            vec![
                                Op::EnsureRole {
                                    name: cw.role_name.clone(),
                                    trust_policy: trust,
                                    inline_policy: Some(permissions),
                                    managed_policy_arns: vec![],
                                },
                                Op::EnsureLogGroup {
                                    name: cw.log_group.clone(),
                                    retention_days: cw.retention_days,
                                },
                            ],
                        )
                    }
                };
                ops.push(Op::CreateFlowLogs {
                    vpc_ids: missing.iter().map(|v| v.id.clone()).collect(),
                    destination: target,
                    traffic_type: traffic.into(),
                    log_format: fl.log_format.clone(),
                });
                self.push(Change {
                    address,
                    action: Action::Create,
                    account_id: a.account_id.clone(),
                    region: r.region.clone(),
                    attributes: missing
                        .iter()
                        .map(|v| {
                            AttrChange::new(
                                &v.id,
                                None::<String>,
                                format!("{traffic} traffic to {label}"),
                            )
                        })
                        .collect(),
                    irreversible: false,
                    manual: None,
                    depends_on: if fl.destination == FlowLogDestination::LogArchive {
                        dep.clone()
                    } else {
                        vec![]
                    },
                    ops,
                });
            }
        }
    }

    fn elb_logs(&mut self) {
        let eb = self.b.elb_access_logs.clone();
        if !(eb.alb || eb.clb || eb.nlb) {
            return;
        }
        for a in &self.inv.accounts {
            if a.access.error().is_some() {
                continue;
            }
            for r in self.enabled_regions(a) {
                let address = format!("elb_access_logs.{}.{}", a.account_id, r.region);
                let lbs = match r.data.elb_access_logs.load_balancers.as_result() {
                    Ok(v) => v,
                    Err(e) => {
                        let e = e.clone();
                        self.unknown(&address, &a.account_id, &r.region, "the load balancers", &e);
                        continue;
                    }
                };
                let mut todo = Vec::new();
                for lb in lbs {
                    let wanted = match lb.kind {
                        LoadBalancerKind::Application => eb.alb,
                        LoadBalancerKind::Classic => eb.clb,
                        LoadBalancerKind::Network => eb.nlb,
                        LoadBalancerKind::Gateway => false,
                    };
                    if !wanted {
                        continue;
                    }
                    match lb.access_logs_enabled.as_result() {
                        Ok(true) => {}
                        Ok(false) => todo.push(lb),
                        Err(e) => {
                            let e = e.clone();
                            self.unknown(
                                &format!("load_balancer.{}", lb.name),
                                &a.account_id,
                                &r.region,
                                "the access-log attribute",
                                &e,
                            );
                        }
                    }
                }
                if todo.is_empty() {
                    continue;
                }
                let bucket = self.template(&eb.bucket, &a.account_id, &r.region);
                if self.planned_buckets.insert(bucket.clone()) {
                    let (logging_target, depends_on) = if self.b.s3_access_logs.is_some() {
                        let (t, d) = self.access_log_target(&a.account_id, &r.region);
                        (Some(t), d)
                    } else {
                        (None, vec![])
                    };
                    self.bucket_change(BucketSpec {
                        name: bucket.clone(),
                        account_id: a.account_id.clone(),
                        region: r.region.clone(),
                        versioning: false,
                        kms: None,
                        public_access_block: true,
                        statements: policies::elb_bucket(
                            &self.inv.partition,
                            &bucket,
                            &a.account_id,
                            &r.region,
                        ),
                        lifecycle: None,
                        object_lock: None,
                        logging_target,
                        mfa_delete: false,
                        depends_on,
                    });
                }
                let dep = format!("s3_bucket.{bucket}");
                let depends_on = self
                    .changes
                    .iter()
                    .filter(|c| c.address == dep)
                    .map(|c| c.address.clone())
                    .collect();
                self.push(Change {
                    address,
                    action: Action::Update,
                    account_id: a.account_id.clone(),
                    region: r.region.clone(),
                    attributes: todo
                        .iter()
                        .map(|lb| {
                            AttrChange::new(
                                &format!("{} access logs", lb.name),
                                Some("off"),
                                format!("s3://{bucket}"),
                            )
                        })
                        .collect(),
                    irreversible: false,
                    manual: None,
                    depends_on,
                    ops: todo
                        .iter()
                        .map(|lb| Op::EnableElbLogs {
                            load_balancer: lb.id.clone(),
                            classic: lb.kind == LoadBalancerKind::Classic,
                            bucket: bucket.clone(),
                        })
                        .collect(),
                });
            }
        }
    }

    fn s3_access_logs(&mut self) {
        let Some(s3) = self.b.s3_access_logs.clone() else {
            return;
        };
        let scoped: BTreeSet<&str> = self.inv.regions.iter().map(String::as_str).collect();
        // Buckets that already receive access logs are targets: they never log to themselves,
        // and the audit does not require it of them.
        let targets: BTreeSet<String> = self
            .inv
            .accounts
            .iter()
            .flat_map(|a| a.data.s3_access_logs.buckets.value().into_iter().flatten())
            .filter_map(|b| {
                b.logging
                    .value()
                    .cloned()
                    .flatten()
                    .map(|t| t.target_bucket)
            })
            .collect();
        for a in &self.inv.accounts {
            if a.access.error().is_some() {
                continue;
            }
            let buckets = match a.data.s3_access_logs.buckets.as_result() {
                Ok(v) => v,
                Err(e) => {
                    let e = e.clone();
                    self.unknown(
                        &format!("s3_access_logs.{}", a.account_id),
                        &a.account_id,
                        "global",
                        "the bucket list",
                        &e,
                    );
                    continue;
                }
            };
            let mut by_region: std::collections::BTreeMap<String, Vec<&Bucket>> =
                Default::default();
            for bk in buckets {
                let region = match bk.region.as_result() {
                    Ok(r) => r,
                    Err(e) => {
                        let e = e.clone();
                        self.unknown(
                            &format!("s3_bucket.{}", bk.name),
                            &a.account_id,
                            "global",
                            "the bucket's region",
                            &e,
                        );
                        continue;
                    }
                };
                if !scoped.contains(region.as_str())
                    || s3.excludes(&bk.name)
                    || Self::is_control_tower_bucket(&bk.name)
                {
                    continue;
                }
                let is_target = self.template(&s3.target_bucket, &a.account_id, region) == bk.name;
                if is_target
                    || targets.contains(&bk.name)
                    || self.planned_buckets.contains(&bk.name)
                {
                    continue; // targets never log to themselves; planned buckets get logging with their change
                }
                match bk.logging.as_result() {
                    Ok(None) => by_region.entry(region.clone()).or_default().push(bk),
                    Ok(Some(_)) => {}
                    Err(e) => {
                        let e = e.clone();
                        self.unknown(
                            &format!("s3_bucket.{}", bk.name),
                            &a.account_id,
                            region,
                            "the bucket's access logging",
                            &e,
                        );
                    }
                }
            }
            for (region, list) in by_region {
                let (target, depends_on) = self.access_log_target(&a.account_id, &region);
                self.push(Change {
                    address: format!("s3_access_logs.{}.{}", a.account_id, region),
                    action: Action::Update,
                    account_id: a.account_id.clone(),
                    region: region.clone(),
                    attributes: list
                        .iter()
                        .map(|bk| {
                            AttrChange::new(
                                &format!("{} access logging", bk.name),
                                Some("off"),
                                format!("s3://{target}/{}/", bk.name),
                            )
                        })
                        .collect(),
                    irreversible: false,
                    manual: None,
                    depends_on,
                    ops: list
                        .iter()
                        .map(|bk| Op::PutBucketLogging {
                            bucket: bk.name.clone(),
                            target_bucket: target.clone(),
                            target_prefix: format!("{}/", bk.name),
                        })
                        .collect(),
                });
            }
        }
    }

    fn budget(&mut self) {
        let bb = self.b.budgets.clone();
        if !bb.logging_cost {
            return;
        }
        let mgmt = self.mgmt.clone();
        let address = format!("budget.{}", bb.name);
        let Some(a) = self.account(&mgmt) else { return };
        let list = match a.data.budgets.budgets.as_ref().map(|b| b.as_result()) {
            None => return,
            Some(Err(e)) => {
                let e = e.clone();
                self.unknown(&address, &mgmt, "global", "the budgets", &e);
                return;
            }
            Some(Ok(v)) => v,
        };
        let covers = |b: &Budget| {
            b.budget_type == BudgetType::Cost
                && (b.service_filter.is_empty()
                    || b.service_filter.iter().any(|s| s == "AWS CloudTrail"))
        };
        if list
            .iter()
            .any(|b| covers(b) && b.notification_count.value().is_some_and(|n| *n > 0))
        {
            return;
        }
        if let Some(existing) = list.iter().find(|b| b.name == bb.name) {
            if existing.notification_count.value() == Some(&0)
                && !bb.notifications.is_empty()
                && covers(existing)
            {
                self.push(Change {
                    address,
                    action: Action::Update,
                    account_id: mgmt,
                    region: "global".into(),
                    attributes: vec![AttrChange::new(
                        "notifications",
                        Some("none"),
                        notification_label(&bb.notifications),
                    )],
                    irreversible: false,
                    manual: None,
                    depends_on: vec![],
                    ops: vec![Op::AddBudgetNotifications {
                        name: bb.name.clone(),
                        notifications: bb.notifications.clone(),
                    }],
                });
            } else {
                self.kept.push(note(&address, &mgmt, "global", "a budget with this name exists; logwarden does not change its amount or filters"));
            }
            return;
        }
        match bb.amount {
            None => self.push(Change::manual_step(
                address,
                mgmt.clone(),
                "global",
                AttrChange::new("budget", None::<String>, "a cost budget covering CloudTrail, with notifications"),
                "the profile sets no `budgets.amount`: only you know what logging should cost",
                format!("set `budgets.amount` (and `budgets.notifications`) in the profile, then run `logwarden apply` again; or: aws budgets create-budget --account-id {mgmt} --budget '{{\"BudgetName\":\"{}\",\"BudgetLimit\":{{\"Amount\":\"AMOUNT\",\"Unit\":\"{}\"}},\"TimeUnit\":\"{}\",\"BudgetType\":\"COST\"}}' --notifications-with-subscribers '[{{\"Notification\":{{\"NotificationType\":\"ACTUAL\",\"ComparisonOperator\":\"GREATER_THAN\",\"Threshold\":80,\"ThresholdType\":\"PERCENTAGE\"}},\"Subscribers\":[{{\"SubscriptionType\":\"EMAIL\",\"Address\":\"YOU@EXAMPLE.COM\"}}]}}]'", bb.name, bb.currency, bb.period.as_str()),
            )),
            Some(amount) => self.push(Change {
                address,
                action: Action::Create,
                account_id: mgmt,
                region: "global".into(),
                attributes: vec![
                    AttrChange::new("limit", None::<String>, format!("{amount} {} {}", bb.currency, bb.period.as_str())),
                    AttrChange::new("services", None::<String>, if bb.services.is_empty() { "all".into() } else { bb.services.join(", ") }),
                    AttrChange::new("notifications", None::<String>, notification_label(&bb.notifications)),
                ],
                irreversible: false,
                manual: None,
                depends_on: vec![],
                ops: vec![Op::CreateBudget {
                    name: bb.name.clone(),
                    amount: format_amount(amount),
                    currency: bb.currency.clone(),
                    period: bb.period.as_str().into(),
                    services: bb.services.clone(),
                    notifications: bb.notifications.clone(),
                }],
            }),
        }
    }
}

fn format_amount(a: f64) -> String {
    if a.fract() == 0.0 {
        format!("{a:.0}")
    } else {
        format!("{a:.2}")
    }
}

fn notification_label(n: &[crate::sources::budgets::profile::BudgetNotification]) -> String {
    n.iter()
        .map(|n| format!("{:?} > {}%", n.kind, n.threshold_percent).to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

fn field(name: &str, equals: &[&str]) -> FieldSelector {
    FieldSelector {
        field: name.into(),
        equals: equals.iter().map(|s| s.to_string()).collect(),
        ..FieldSelector::default()
    }
}

fn encryption_label(k: &Option<KeyRef>) -> String {
    match k {
        None => "AES256 (SSE-S3)".into(),
        Some(KeyRef::Alias { alias, .. }) => format!("aws:kms ({alias})"),
        Some(KeyRef::Arn { arn }) => format!("aws:kms ({arn})"),
    }
}

fn sid_list(statements: &[Value]) -> String {
    statements
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A policy change, or `None` when the owned statements are already in place.
#[allow(clippy::too_many_arguments)]
fn policy_change(
    current: Option<&str>,
    owned: &[Value],
    what: &'static str,
    unknown: &mut Vec<Note>,
    address: &str,
    account: &str,
    region: &str,
) -> Option<AttrChange> {
    match merge_policy(current, owned, what) {
        Err(e) => {
            unknown.push(note(
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

fn rule_label(rule: &Value) -> String {
    let mut parts = Vec::new();
    for t in rule["Transitions"].as_array().into_iter().flatten() {
        parts.push(format!(
            "{} after {}d",
            t["StorageClass"].as_str().unwrap_or("?"),
            t["Days"]
        ));
    }
    if let Some(d) = rule["Expiration"]["Days"].as_i64() {
        parts.push(format!("expire after {d}d"));
    }
    if let Some(d) = rule["NoncurrentVersionExpiration"]["NoncurrentDays"].as_i64() {
        parts.push(format!("noncurrent versions after {d}d"));
    }
    if let Some(d) = rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"].as_i64() {
        parts.push(format!("abort uploads after {d}d"));
    }
    format!(
        "{}: {}",
        rule["ID"].as_str().unwrap_or("?"),
        parts.join(", ")
    )
}

fn inventory_rule_label(r: &LifecycleRule) -> String {
    let mut parts: Vec<String> = r
        .transitions
        .iter()
        .map(|t| format!("{} after {}d", t.storage_class, t.days))
        .collect();
    if let Some(d) = r.expiration_days {
        parts.push(format!("expire after {d}d"));
    }
    if let Some(d) = r.noncurrent_expiration_days {
        parts.push(format!("noncurrent versions after {d}d"));
    }
    if let Some(d) = r.abort_incomplete_upload_days {
        parts.push(format!("abort uploads after {d}d"));
    }
    format!("{}: {}", r.id.as_deref().unwrap_or("?"), parts.join(", "))
}

/// Whether an existing rule (as the inventory reads it) is the rule logwarden would write.
fn rule_matches(have: &LifecycleRule, want: &Value) -> bool {
    let transitions: Vec<(i64, String)> = want["Transitions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["Days"].as_i64().unwrap_or(0),
                t["StorageClass"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let have_t: Vec<(i64, String)> = have
        .transitions
        .iter()
        .map(|t| (i64::from(t.days), t.storage_class.clone()))
        .collect();
    have.enabled
        && have.prefix.is_empty()
        && have_t == transitions
        && have.expiration_days.map(i64::from) == want["Expiration"]["Days"].as_i64()
        && have.noncurrent_expiration_days.map(i64::from)
            == want["NoncurrentVersionExpiration"]["NoncurrentDays"].as_i64()
        && have.abort_incomplete_upload_days.map(i64::from)
            == want["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"].as_i64()
}

#[cfg(test)]
#[path = "planner_tests.rs"]
mod tests;
