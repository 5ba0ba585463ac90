//! GuardDuty's plan: in each account and region in scope, an enabled detector with the
//! protection plans the profile names (created, re-enabled or completed; never a plan turned
//! off). Protection plans of a detector another account administers, and the organization's
//! delegated administrator, are manual steps.

use super::apply::Op;
use super::model::Status;
use crate::plan::{Action, AttrChange};
use crate::sources::Change;
use crate::sources::PlanCtx;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.guardduty.clone() else {
        return;
    };
    for row in ctx.regions_read("guardduty_detector", "the GuardDuty detectors", |r| {
        r.data.guardduty.detectors.as_result()
    }) {
        let (a, r, detectors) = (row.account, row.region, row.read);
        let address = row.address;
        let existing = detectors
            .iter()
            .find(|d| d.status == Status::Enabled)
            .or(detectors.first());
        let missing: Vec<String> = want
            .features
            .iter()
            .filter(|f| !existing.is_some_and(|d| d.feature_enabled(f)))
            .cloned()
            .collect();
        let mut attributes = Vec::new();
        match existing {
            None => attributes.push(AttrChange::new("detector", None::<String>, "ENABLED")),
            Some(d) if d.status != Status::Enabled => attributes.push(AttrChange::new(
                "status",
                Some(d.status.as_str().to_string()),
                "ENABLED",
            )),
            Some(_) => {}
        }
        if let (Some(d), false) = (existing, missing.is_empty()) {
            match d.administrator.as_result() {
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &address,
                        &a.account_id,
                        &r.region,
                        "the GuardDuty detector's administrator",
                        &e,
                    );
                    continue;
                }
                Ok(Some(admin)) => {
                    // A member cannot change the protection plans its administrator manages.
                    ctx.push(Change::manual_step(
                        format!("{address}.features"),
                        a.account_id.clone(),
                        r.region.clone(),
                        AttrChange::new("features", None::<String>, missing.join(", ")),
                        format!(
                            "account {admin} administers this detector; the protection plans are turned on there for the member"
                        ),
                        format!(
                            "aws guardduty update-member-detectors --region {} --detector-id ADMIN_DETECTOR_ID --account-ids {} --features {}   # in account {admin}",
                            r.region,
                            a.account_id,
                            missing
                                .iter()
                                .map(|f| format!("Name={f},Status=ENABLED"))
                                .collect::<Vec<_>>()
                                .join(" ")
                        ),
                    ));
                    if attributes.is_empty() {
                        continue;
                    }
                }
                Ok(None) => attributes.extend(
                    missing
                        .iter()
                        .map(|f| AttrChange::new(f, Some("DISABLED"), "ENABLED")),
                ),
            }
        } else if existing.is_none() {
            attributes.extend(
                missing
                    .iter()
                    .map(|f| AttrChange::new(f, None::<String>, "ENABLED")),
            );
        }
        if attributes.is_empty() {
            continue;
        }
        let managed_elsewhere = existing
            .and_then(|d| d.administrator.value())
            .is_some_and(|x| x.is_some());
        ctx.push(Change::new(
            address,
            if existing.is_some() {
                Action::Update
            } else {
                Action::Create
            },
            a.account_id.clone(),
            r.region.clone(),
            attributes,
            vec![Op::EnsureDetector {
                features: if managed_elsewhere { vec![] } else { missing },
            }
            .into()],
        ));
    }
    delegated_admin(ctx, want.delegated_admin);
}

/// A manual step per region of the management account without a delegated administrator.
fn delegated_admin(ctx: &mut PlanCtx, required: bool) {
    if !required || ctx.org_id.is_none() {
        return;
    }
    let Some(mgmt) = ctx.inv.accounts.iter().find(|a| a.account_id == ctx.mgmt) else {
        return;
    };
    if mgmt.access.error().is_some() {
        return;
    }
    for r in ctx.enabled_regions(mgmt) {
        let address = format!("guardduty_organization_admin.{}", r.region);
        match r.data.guardduty.admin_accounts.as_ref().map(|c| c.as_result()) {
            Some(Ok(admins)) if admins.iter().any(|x| x.status == "ENABLED") => {}
            Some(Ok(_)) => ctx.push(Change::manual_step(
                address,
                ctx.mgmt.clone(),
                r.region.clone(),
                AttrChange::new("delegated_admin", None::<String>, "SECURITY_ACCOUNT_ID"),
                "choosing the account that administers GuardDuty for the organization (a security account, not the management account) is a decision for a person",
                format!(
                    "aws guardduty enable-organization-admin-account --region {} --admin-account-id SECURITY_ACCOUNT_ID   # in the management account {}",
                    r.region, ctx.mgmt
                ),
            )),
            Some(Err(e)) => {
                let e = e.clone();
                let mgmt = ctx.mgmt.clone();
                ctx.unknown(&address, &mgmt, &r.region, "the delegated GuardDuty administrators", &e);
            }
            None => {}
        }
    }
}
