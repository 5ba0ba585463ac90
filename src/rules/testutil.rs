//! Builders of small inventories for the checks' unit tests.

use crate::finding::{CoverageState, Finding, Status};
use crate::inventory::{CallError, Collected, Organization, ScopeMode, INVENTORY_SCHEMA_VERSION};
use crate::rules::Evaluation;
use crate::sources::cloudtrail::model::{
    BasicSelector, EventSelectors, ReadWriteType, Trail, TrailRef, TrailStatus,
};
use crate::sources::s3_access_logs::model::{Bucket, BucketDetails, PublicAccessBlock, Versioning};
use crate::sources::{
    AccountData, AccountInventory, Baseline, Inventory, RegionData, RegionInventory, Sources,
};

pub const MGMT: &str = "111111111111";
pub const MEMBER: &str = "222222222222";
pub const R1: &str = "us-east-1";
pub const R2: &str = "eu-west-1";

pub fn ok<T>(v: T) -> Collected<T> {
    Collected::ok(v)
}

pub fn denied<T>(account: &str, region: Option<&str>, op: &str, action: &str) -> Collected<T> {
    Collected::Failed {
        error: CallError {
            account_id: account.into(),
            region: region.map(String::from),
            service: action.split(':').next().unwrap_or("").into(),
            operation: op.into(),
            code: "AccessDenied".into(),
            message: "User is not authorized".into(),
            iam_action: action.into(),
            attempts: 0,
            throttled_attempts: 0,
        },
    }
}

pub fn region(name: &str) -> RegionInventory {
    RegionInventory {
        region: name.into(),
        enabled: ok(()),
        data: RegionData::empty(),
    }
}

pub fn account(id: &str) -> AccountInventory {
    AccountInventory {
        account_id: id.into(),
        name: Some(format!("acct-{id}")),
        access: ok(()),
        regions: vec![region(R1), region(R2)],
        data: AccountData::empty(),
    }
}

/// Every check of the registry over `inv`.
pub fn evaluate(inv: &Inventory, b: &Baseline) -> Evaluation {
    crate::engine::evaluate::<Sources>(inv, b)
}

/// An organization of a management account and one member, two regions, nothing configured.
pub fn org() -> Inventory {
    Inventory {
        schema_version: INVENTORY_SCHEMA_VERSION,
        collected_at: "2026-01-01T00:00:00Z".into(),
        partition: "aws".into(),
        mode: ScopeMode::Organization,
        mode_reason: None,
        caller_account_id: MGMT.into(),
        organization: Some(Organization {
            id: "o-example".into(),
            management_account_id: MGMT.into(),
        }),
        regions: vec![R1.into(), R2.into()],
        regions_left_out: vec![],
        accounts: vec![account(MGMT), account(MEMBER)],
        managed: None,
    }
}

pub fn all_mgmt_selectors() -> EventSelectors {
    EventSelectors {
        basic: vec![BasicSelector {
            read_write_type: ReadWriteType::All,
            include_management_events: true,
            exclude_management_event_sources: vec![],
            data_resources: vec![],
        }],
        advanced: vec![],
    }
}

/// A healthy trail owned by `owner`, logging, all management events.
pub fn trail(owner: &str, name: &str, home: &str, multi: bool, org: bool) -> Trail {
    Trail {
        arn: format!("arn:aws:cloudtrail:{home}:{owner}:trail/{name}"),
        name: name.into(),
        home_region: home.into(),
        is_multi_region: multi,
        is_organization_trail: org,
        include_global_service_events: true,
        log_file_validation_enabled: true,
        kms_key_id: None,
        s3_bucket_name: Some(format!("{name}-bucket")),
        s3_key_prefix: None,
        cloudwatch_logs_log_group_arn: None,
        cloudwatch_logs_role_arn: None,
        has_insight_selectors: false,
        status: ok(TrailStatus {
            is_logging: true,
            latest_delivery_error: None,
            latest_cloudwatch_logs_delivery_error: None,
            latest_delivery_time: None,
            start_logging_time: None,
            latest_cloudwatch_logs_delivery_time: None,
        }),
        selectors: ok(all_mgmt_selectors()),
        insights: ok(vec![]),
    }
}

pub fn trail_ref(t: &Trail) -> TrailRef {
    TrailRef {
        arn: t.arn.clone(),
        name: t.name.clone(),
        home_region: t.home_region.clone(),
        is_multi_region: t.is_multi_region,
        is_organization_trail: t.is_organization_trail,
    }
}

/// Add a trail to its owner, and its refs (shadows included) to every region it appears in.
pub fn add_trail(inv: &mut Inventory, t: Trail) {
    let owner = crate::arn::account_of(&t.arn).unwrap().to_string();
    for a in inv.accounts.iter_mut() {
        if a.account_id == owner {
            for r in a.regions.iter_mut() {
                if t.is_multi_region || r.region == t.home_region {
                    if let Collected::Ok { value } = &mut r.data.cloudtrail.trails {
                        value.push(trail_ref(&t));
                    }
                }
            }
            a.data.cloudtrail.trails.push(t.clone());
        }
    }
}

pub fn acct<'a>(inv: &'a mut Inventory, id: &str) -> &'a mut AccountInventory {
    inv.accounts
        .iter_mut()
        .find(|a| a.account_id == id)
        .unwrap()
}

pub fn bucket(name: &str, region: &str) -> Bucket {
    Bucket {
        name: name.into(),
        region: ok(region.into()),
        logging: ok(None),
        details: None,
    }
}

/// The settings of a bucket that every bucket check passes on (versioned, public access blocked,
/// not public, no policy, no lifecycle rule, no Object Lock); tests change what they test.
pub fn protected_details() -> BucketDetails {
    BucketDetails {
        versioning: ok(Versioning {
            status: Some("Enabled".into()),
            mfa_delete: None,
        }),
        public_access_block: ok(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        })),
        policy_is_public: ok(Some(false)),
        acl_public_grants: ok(vec![]),
        policy: ok(None),
        lifecycle_rules: ok(vec![]),
        object_lock: ok(None),
        encryption: None,
    }
}

/// Parse and validate a profile (as `--baseline FILE` would).
pub fn parse_profile(text: &str, file: &str) -> Result<Baseline, crate::baseline::ProfileError> {
    use crate::engine::Registry;
    crate::baseline::parse(text, file, Sources::validate)
}

pub fn recommended() -> Baseline {
    crate::sources::load_baseline("recommended")
        .unwrap()
        .baseline
}

/// (status, message) of the finding of `check` for `account`/`region`/`resource`.
pub fn find<'a>(
    e: &'a Evaluation,
    check: &str,
    account: &str,
    region: Option<&str>,
) -> Vec<&'a Finding> {
    e.findings
        .iter()
        .filter(|f| {
            f.check_id == check
                && f.account_id.as_deref() == Some(account)
                && (region.is_none() || f.region.as_deref() == region)
        })
        .collect()
}

pub fn status(e: &Evaluation, check: &str, account: &str, region: Option<&str>) -> Status {
    let f = find(e, check, account, region);
    assert_eq!(f.len(), 1, "{check} {account} {region:?}: {f:#?}");
    f[0].status
}

pub fn cov(e: &Evaluation, account: &str, region: &str, source: &str) -> CoverageState {
    e.coverage
        .iter()
        .find(|c| c.account_id == account && c.region == region && c.source == source)
        .unwrap()
        .state
}
