//! Fan-out over accounts × regions: the organization, role assumption, then every
//! account-region, trail, bucket and budget read under one cap on in-flight calls.

use super::call::{CallCtx, Counter};
use super::client::{self, AccountSession, AwsOptions};
use super::{budgets, cloudtrail, config_service, ec2, elb, kms, organizations, s3};
use crate::error::Error;
use crate::inventory::*;
use aws_sdk_cloudtrail::types::Trail as SdkTrail;
use futures::stream::{self, StreamExt};
use indicatif::ProgressBar;
use std::collections::{BTreeMap, BTreeSet};

/// What to collect.
#[derive(Debug, Clone)]
pub struct CollectRequest {
    pub aws: AwsOptions,
    /// Explicit regions, or `None` for every region enabled for the caller.
    pub regions: Option<Vec<String>>,
    pub accounts: Option<Vec<String>>,
    pub exclude_accounts: Vec<String>,
    pub concurrency: usize,
    /// The profile's scope (accounts, OUs, regions).
    pub scope: crate::profile::Scope,
    /// Bucket name templates (`{org_id}`, `{account_id}`, `{region}`...) whose buckets are read
    /// in detail, encryption included, besides the trail buckets: the buckets `plan` manages.
    pub managed_buckets: Vec<String>,
    /// For `plan`: the other resources the profile names.
    pub managed: Option<super::managed::ManagedRequest>,
}

struct Target {
    id: String,
    name: Option<String>,
    session: Result<AccountSession, CallError>,
}

struct RegionResult {
    account: String,
    inv: RegionInventory,
    sdk_trails: Vec<SdkTrail>,
}

/// Collect the inventory. Fails only when the caller itself cannot be identified (no usable
/// credentials); every other failure is recorded in the inventory.
pub async fn collect(
    req: &CollectRequest,
    progress: &ProgressBar,
) -> Result<(Inventory, u64), Error> {
    let counter = Counter::new(req.concurrency);
    let base_cfg = client::base_config(&req.aws).await;
    let path_style = req.aws.endpoint_url.is_some()
        || std::env::var_os("AWS_ENDPOINT_URL").is_some()
        || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
    let mut caller = AccountSession {
        account_id: String::new(),
        config: base_cfg,
        path_style,
    };
    let signing_region = caller.home_region();
    let gctx = CallCtx::new("caller", None, &counter);
    let (caller_id, caller_arn) = client::caller_identity(&caller.sts(), &gctx)
        .await
        .map_err(|e| Error::Credentials(Box::new(e)))?;
    caller.account_id = caller_id.clone();
    let partition = crate::arn::Partition::of_arn(&caller_arn)
        .name()
        .to_string();
    let cctx = CallCtx::new(&caller_id, None, &counter);

    // The organization, or single-account mode with the reason.
    progress.set_message("reading the organization");
    let org = organizations::describe_organization(&caller.organizations(), &cctx).await;
    let listed = match &org {
        Ok(_) => Some(organizations::list_active_accounts(&caller.organizations(), &cctx).await),
        Err(_) => None,
    };
    let (mode, mode_reason, organization, mut accounts) = match (org, listed) {
        (Ok((id, mgmt)), Some(Ok(list))) => (
            ScopeMode::Organization,
            None,
            Some(Organization { id, management_account_id: mgmt }),
            list,
        ),
        (Ok((id, mgmt)), Some(Err(e))) => (
            ScopeMode::SingleAccount,
            Some(format!(
                "account {caller_id} is in organization {id} but cannot list its accounts ({}: {}); only this account is audited. Run from the management account or a delegated administrator to audit the organization.",
                e.iam_action, e.code
            )),
            Some(Organization { id, management_account_id: mgmt }),
            vec![organizations::OrgAccount { id: caller_id.clone(), name: None }],
        ),
        (Err(e), _) => (
            ScopeMode::SingleAccount,
            Some(if e.code == "AWSOrganizationsNotInUseException" {
                format!("account {caller_id} is not in an organization; only this account is audited")
            } else {
                format!(
                    "the organization could not be read ({}: {}); only account {caller_id} is audited",
                    e.iam_action, e.code
                )
            }),
            None,
            vec![organizations::OrgAccount { id: caller_id.clone(), name: None }],
        ),
        (Ok(_), None) => unreachable!("listing follows a successful DescribeOrganization"),
    };
    if let Some(only) = &req.accounts {
        accounts.retain(|a| only.contains(&a.id));
    }
    if !req.scope.is_empty() {
        let ancestors = if req.scope.uses_ous() && mode == ScopeMode::Organization {
            progress.set_message("reading organizational units");
            organizations::account_ancestors(&caller.organizations(), &cctx)
                .await
                .map_err(|e| {
                    Error::Usage(format!(
                        "the profile's scope names organizational units, but {} in account {} failed ({}: {})\n  hint: run from the management account or a delegated administrator, or scope by `accounts`",
                        e.iam_action, e.account_id, e.code, e.message
                    ))
                })?
        } else {
            BTreeMap::new()
        };
        accounts.retain(|a| {
            let ous = ancestors.get(&a.id).cloned().unwrap_or_default();
            req.scope.includes_account(&a.id, a.name.as_deref(), &ous)
        });
    }
    accounts.retain(|a| !req.exclude_accounts.contains(&a.id));
    if accounts.is_empty() {
        return Err(Error::Usage(
            "no account left to audit after --accounts / --exclude-accounts".into(),
        ));
    }

    // Regions: the caller's enabled regions, or the explicit list.
    let caller_regions = organizations::describe_regions(
        &caller.ec2(&signing_region),
        &cctx.in_region(&signing_region),
        &partition,
    )
    .await;
    let regions: Vec<String> = match (&req.regions, &caller_regions) {
        (Some(r), Ok(known)) => {
            if let Some(bad) = r.iter().find(|r| !known.iter().any(|(k, _)| k == *r)) {
                return Err(Error::Usage(format!(
                    "region `{bad}` does not exist in partition {partition}\n  hint: known regions: {}",
                    known.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(", ")
                )));
            }
            r.clone()
        }
        (Some(r), Err(_)) => r.clone(),
        (None, Ok(list)) => list
            .iter()
            .filter(|(_, on)| *on)
            .map(|(n, _)| n.clone())
            .collect(),
        (None, Err(e)) => {
            return Err(Error::Usage(format!(
                "cannot list the enabled regions ({}: {}); pass --regions explicitly",
                e.iam_action, e.code
            )))
        }
    };

    let regions: Vec<String> = regions
        .into_iter()
        .filter(|r| req.scope.includes_region(r))
        .collect();
    if regions.is_empty() {
        return Err(Error::Usage(
            "no region left after the profile's scope (`scope.regions` / `scope.exclude_regions`)"
                .into(),
        ));
    }

    // Sessions: the caller's own account directly, the others through the role.
    progress.set_message("assuming roles");
    let targets: Vec<Target> = stream::iter(accounts.into_iter().map(|a| {
        let caller = caller.clone();
        let counter = counter.clone();
        let role = format!("arn:{partition}:iam::{}:role/{}", a.id, req.aws.role_name);
        let external_id = req.aws.external_id.clone();
        async move {
            let session = if a.id == caller.account_id {
                Ok(caller.clone())
            } else {
                let ctx = CallCtx::new(&a.id, None, &counter);
                client::assume_role(
                    &caller.sts(),
                    &caller,
                    &ctx,
                    &a.id,
                    &role,
                    external_id.as_deref(),
                )
                .await
            };
            Target {
                id: a.id,
                name: a.name,
                session,
            }
        }
    }))
    .buffer_unordered(req.concurrency.max(1))
    .collect()
    .await;

    // Enabled regions per account (the caller's answer is reused).
    let enabled: BTreeMap<String, Option<Vec<(String, bool)>>> =
        stream::iter(targets.iter().map(|t| {
            let counter = counter.clone();
            let signing_region = signing_region.clone();
            let partition = partition.clone();
            let caller_regions = caller_regions.clone();
            let caller_id = &caller_id;
            async move {
                let list = match &t.session {
                    Err(_) => None,
                    Ok(_) if &t.id == caller_id => caller_regions.ok(),
                    Ok(s) => {
                        let ctx = CallCtx::new(&t.id, Some(&signing_region), &counter);
                        organizations::describe_regions(&s.ec2(&signing_region), &ctx, &partition)
                            .await
                            .ok()
                    }
                };
                (t.id.clone(), list)
            }
        }))
        .buffer_unordered(req.concurrency.max(1))
        .collect()
        .await;

    // Account × region reads.
    let units: Vec<(&Target, String)> = targets
        .iter()
        .filter(|t| t.session.is_ok())
        .flat_map(|t| regions.iter().map(move |r| (t, r.clone())))
        .collect();
    progress.set_length(units.len() as u64);
    progress.set_message("reading accounts × regions");
    let region_results: Vec<RegionResult> = stream::iter(units.into_iter().map(|(t, region)| {
        let counter = counter.clone();
        let en = enabled.get(&t.id).cloned().flatten();
        async move {
            let ctx = CallCtx::new(&t.id, Some(&region), &counter);
            let session = t.session.as_ref().expect("filtered to reachable accounts");
            let status = match &en {
                None => Ok(()),
                Some(list) => match list.iter().find(|(n, _)| n == &region) {
                    Some((_, true)) => Ok(()),
                    Some((_, false)) => Err(ctx.error(
                        "ec2:DescribeRegions",
                        "RegionNotEnabled",
                        format!(
                            "region {region} is not enabled (opt-in) for account {}",
                            t.id
                        ),
                    )),
                    None => Err(ctx.error(
                        "ec2:DescribeRegions",
                        "UnknownRegion",
                        format!("region {region} does not exist in this partition"),
                    )),
                },
            };
            let r = match status {
                Ok(()) => collect_region(session, &ctx, &region).await,
                Err(e) => RegionResult {
                    account: t.id.clone(),
                    inv: failed_region(&region, e),
                    sdk_trails: vec![],
                },
            };
            progress.inc(1);
            r
        }
    }))
    .buffer_unordered(req.concurrency.max(1))
    .collect()
    .await;

    let mut by_account: BTreeMap<String, Vec<RegionResult>> = BTreeMap::new();
    for r in region_results {
        by_account.entry(r.account.clone()).or_default().push(r);
    }
    let in_scope: BTreeSet<String> = targets.iter().map(|t| t.id.clone()).collect();
    let payer = organization
        .as_ref()
        .filter(|_| mode == ScopeMode::Organization)
        .map(|o| o.management_account_id.clone())
        .unwrap_or_else(|| caller_id.clone());

    // Per account: trail details, KMS keys, buckets, budgets.
    progress.set_message("reading trails, keys and buckets");
    let mut accounts_inv: Vec<AccountInventory> = stream::iter(targets.iter().map(|t| {
        let counter = counter.clone();
        let results = by_account.remove(&t.id).unwrap_or_default();
        let in_scope = &in_scope;
        let regions = &regions;
        let payer = &payer;
        let all = &targets;
        async move { collect_account(t, all, results, regions, in_scope, payer, &counter).await }
    }))
    .buffer_unordered(req.concurrency.max(1))
    .collect()
    .await;
    accounts_inv.sort_by(|a, b| a.account_id.cmp(&b.account_id));

    // Trail buckets, read through the account that owns each.
    let trail_buckets: BTreeSet<String> = accounts_inv
        .iter()
        .flat_map(|a| a.trails.iter().filter_map(|t| t.s3_bucket_name.clone()))
        .collect();
    let org_id = organization.as_ref().map(|o| o.id.as_str()).unwrap_or("");
    let mgmt_id = organization
        .as_ref()
        .map(|o| o.management_account_id.as_str())
        .unwrap_or(&caller_id);
    let managed = |owner: &str, name: &str, region: &str| {
        req.managed_buckets.iter().any(|t| {
            crate::profile::templates::render_template(
                t,
                &crate::profile::templates::TemplateValues {
                    org_id,
                    account_id: owner,
                    region,
                    management_account_id: mgmt_id,
                },
            ) == name
        })
    };
    let mut jobs = Vec::new();
    for (ai, a) in accounts_inv.iter().enumerate() {
        let Some(t) = targets.iter().find(|t| t.id == a.account_id) else {
            continue;
        };
        let Ok(session) = &t.session else { continue };
        if let Some(list) = a.buckets.value() {
            for (bi, b) in list.iter().enumerate() {
                if let Some(region) = b.region.value() {
                    let is_managed = managed(&a.account_id, &b.name, region);
                    if is_managed || trail_buckets.contains(&b.name) {
                        jobs.push((
                            ai,
                            bi,
                            session.clone(),
                            b.name.clone(),
                            region.clone(),
                            is_managed,
                        ));
                    }
                }
            }
        }
    }
    let details: Vec<(usize, usize, TrailBucketDetails)> =
        stream::iter(jobs.into_iter().map(|(ai, bi, s, name, region, enc)| {
            let counter = counter.clone();
            async move {
                let ctx = CallCtx::new(&s.account_id, Some(&region), &counter);
                (
                    ai,
                    bi,
                    s3::trail_bucket_details(&s, &ctx, &name, &region, enc).await,
                )
            }
        }))
        .buffer_unordered(req.concurrency.max(1))
        .collect()
        .await;
    for (ai, bi, d) in details {
        if let Collected::Ok { value } = &mut accounts_inv[ai].buckets {
            value[bi].trail_bucket = Some(d);
        }
    }

    let managed = match &req.managed {
        None => None,
        Some(m) => {
            let archive_id = match &m.archive_account {
                None => mgmt_id.to_string(),
                Some(a) => targets
                    .iter()
                    .find(|t| &t.id == a || t.name.as_deref() == Some(a.as_str()))
                    .map(|t| t.id.clone())
                    .ok_or_else(|| {
                        Error::Usage(format!(
                            "the log archive account `{a}` (log_archive.account) is not an active account in scope\n  hint: name an account id or name that `logwarden audit` lists, and keep it in the profile's scope"
                        ))
                    })?,
            };
            let session_of = |id: &str| -> Result<&AccountSession, Error> {
                match targets.iter().find(|t| t.id == id).map(|t| &t.session) {
                    Some(Ok(s)) => Ok(s),
                    Some(Err(e)) => Err(Error::Usage(format!(
                        "cannot reach account {id}: {} failed ({}: {})\n  hint: plan needs the management and log archive accounts; check --role-name",
                        e.iam_action, e.code, e.message
                    ))),
                    None => Err(Error::Usage(format!(
                        "account {id} is outside the scope being planned\n  hint: the management and log archive accounts must be in scope"
                    ))),
                }
            };
            let archive_region = m
                .archive_region
                .clone()
                .unwrap_or_else(|| signing_region.clone());
            let trail_region = m
                .trail_region
                .clone()
                .unwrap_or_else(|| archive_region.clone());
            let resolved = super::managed::Resolved {
                archive: session_of(&archive_id)?,
                archive_region,
                management: session_of(mgmt_id)?,
                trail_region,
                is_organization: mode == ScopeMode::Organization,
            };
            Some(super::managed::read(m, resolved, &cctx).await)
        }
    };

    let inv = Inventory {
        managed,
        schema_version: INVENTORY_SCHEMA_VERSION,
        collected_at: crate::report::rfc3339(time::OffsetDateTime::now_utc()),
        partition,
        mode,
        mode_reason,
        caller_account_id: caller_id,
        organization,
        regions,
        accounts: accounts_inv,
    };
    Ok((inv, counter.get()))
}

fn failed<T>(e: &CallError) -> Collected<T> {
    Collected::Failed { error: e.clone() }
}

/// A region nothing could be read from, every field carrying the same reason.
fn failed_region(region: &str, e: CallError) -> RegionInventory {
    RegionInventory {
        region: region.to_string(),
        enabled: failed(&e),
        trails: failed(&e),
        config_recorders: failed(&e),
        config_delivery_channels: failed(&e),
        config_aggregators: failed(&e),
        vpcs: failed(&e),
        flow_logs: failed(&e),
        load_balancers: failed(&e),
    }
}

async fn collect_region(s: &AccountSession, ctx: &CallCtx, region: &str) -> RegionResult {
    let ct = s.cloudtrail(region);
    let cfg = s.config_service(region);
    let ec2c = s.ec2(region);
    let (v2, classic) = (s.elbv2(region), s.elb(region));
    let (trails, recorders, channels, aggregators, vpcs, flow_logs, lbs) = tokio::join!(
        cloudtrail::describe_trails(&ct, ctx),
        config_service::recorders(&cfg, ctx),
        config_service::delivery_channels(&cfg, ctx),
        config_service::aggregators(&cfg, ctx),
        ec2::vpcs(&ec2c, ctx),
        ec2::flow_logs(&ec2c, ctx),
        elb::load_balancers(&v2, &classic, ctx),
    );
    let (refs, sdk_trails) = match trails {
        Ok(list) => (
            Collected::ok(
                list.iter()
                    .filter_map(|t| cloudtrail::to_ref(t, region))
                    .collect(),
            ),
            list,
        ),
        Err(error) => (Collected::Failed { error }, vec![]),
    };
    RegionResult {
        account: s.account_id.clone(),
        inv: RegionInventory {
            region: region.to_string(),
            enabled: Collected::ok(()),
            trails: refs,
            config_recorders: recorders,
            config_delivery_channels: channels,
            config_aggregators: aggregators,
            vpcs,
            flow_logs,
            load_balancers: lbs,
        },
        sdk_trails,
    }
}

async fn collect_account(
    t: &Target,
    all: &[Target],
    results: Vec<RegionResult>,
    regions: &[String],
    in_scope: &BTreeSet<String>,
    payer: &str,
    counter: &Counter,
) -> AccountInventory {
    let session = match &t.session {
        Err(e) => {
            return AccountInventory {
                account_id: t.id.clone(),
                name: t.name.clone(),
                access: Collected::Failed { error: e.clone() },
                regions: regions
                    .iter()
                    .map(|r| failed_region(r, e.clone()))
                    .collect(),
                trails: vec![],
                kms_keys: vec![],
                buckets: Collected::Failed { error: e.clone() },
                budgets: None,
            }
        }
        Ok(s) => s,
    };
    let ctx = CallCtx::new(&t.id, None, counter);

    // Trails to read from here: the ones this account owns, and the ones whose owner is not
    // audited (an organization trail seen from a member when the management account is out of scope).
    let mut to_read: BTreeMap<String, SdkTrail> = BTreeMap::new();
    for r in &results {
        for st in &r.sdk_trails {
            let Some(arn) = st.trail_arn() else { continue };
            let owner = crate::arn::account_of(arn).unwrap_or_default();
            if owner == t.id || !in_scope.contains(owner) {
                to_read.entry(arn.to_string()).or_insert_with(|| st.clone());
            }
        }
    }
    let trails: Vec<Trail> =
        futures::future::join_all(
            to_read.values().map(|st| {
                let home = st
                    .home_region()
                    .map(String::from)
                    .or_else(|| {
                        st.trail_arn()
                            .and_then(crate::arn::region_of)
                            .map(String::from)
                    })
                    .unwrap_or_else(|| session.home_region());
                let ctx = ctx.in_region(&home);
                async move {
                    cloudtrail::trail_details(&session.cloudtrail(&home), &ctx, st, &home).await
                }
            }),
        )
        .await;

    let mut key_ids: BTreeMap<String, String> = BTreeMap::new();
    for tr in &trails {
        if let Some(k) = &tr.kms_key_id {
            let region = crate::arn::region_of(k)
                .map(String::from)
                .unwrap_or_else(|| tr.home_region.clone());
            key_ids.insert(k.clone(), region);
        }
    }
    // A key in another audited account (a central log-archive key) is read through that
    // account: KMS answers GetKeyRotationStatus only to the key's own account.
    let kms_keys = futures::future::join_all(key_ids.iter().map(|(k, region)| {
        let owner = crate::arn::account_of(k).and_then(|id| {
            all.iter()
                .find(|o| o.id == id)
                .and_then(|o| o.session.as_ref().ok())
        });
        let (s, ctx) = match owner {
            Some(o) => (o, CallCtx::new(&o.account_id, Some(region), counter)),
            None => (session, ctx.in_region(region)),
        };
        async move { kms::key(&s.kms(region), &ctx, k, region).await }
    }))
    .await;

    let home = session.home_region();
    let buckets = match s3::list_buckets(&session.s3(&home), &ctx.in_region(&home)).await {
        Err(error) => Collected::Failed { error },
        Ok(list) => Collected::ok(
            futures::future::join_all(list.into_iter().map(|(name, region)| {
                let ctx = ctx.clone();
                let home = home.clone();
                async move {
                    let region = match region {
                        Some(r) => Collected::ok(r),
                        None => {
                            s3::bucket_region(&session.s3(&home), &ctx.in_region(&home), &name)
                                .await
                        }
                    };
                    let logging = match region.value() {
                        Some(r) => s3::logging(&session.s3(r), &ctx.in_region(r), &name).await,
                        None => Collected::Failed {
                            error: region.error().cloned().expect("region failed"),
                        },
                    };
                    Bucket {
                        name,
                        region,
                        logging,
                        trail_bucket: None,
                    }
                }
            }))
            .await,
        ),
    };

    let budgets = if t.id == payer {
        Some(budgets::budgets(&session.budgets(), &ctx.in_region("us-east-1"), &t.id).await)
    } else {
        None
    };

    let mut region_inv: Vec<RegionInventory> = results.into_iter().map(|r| r.inv).collect();
    region_inv.sort_by_key(|r| regions.iter().position(|x| x == &r.region));
    AccountInventory {
        account_id: t.id.clone(),
        name: t.name.clone(),
        access: Collected::ok(()),
        regions: region_inv,
        trails,
        kms_keys,
        buckets,
        budgets,
    }
}
