//! Trusted access: the services that deliver logs organization-wide (CloudTrail, Config) must
//! be trusted by the organization before their organization-wide resources can be made.

use crate::inventory::*;
use crate::plan::{Action, AttrChange};
use crate::sources::Change;
use crate::sources::PlanCtx;

/// The trusted access of `principal` as a dependency, when the plan enables it.
pub fn access_dep(ctx: &PlanCtx, principal: &str) -> Vec<String> {
    ctx.dep(&format!("organizations_service_access.{principal}"))
}

pub fn plan(ctx: &mut PlanCtx) {
    if ctx.inv.mode != ScopeMode::Organization {
        return;
    }
    let mut wanted = Vec::new();
    if !ctx.control_tower {
        wanted.push("cloudtrail.amazonaws.com");
        if ctx.b.config.organization_aggregator {
            wanted.push("config.amazonaws.com");
        }
    }
    if wanted.is_empty() {
        return;
    }
    let enabled = match ctx.plan_reads.organization.trusted_access.as_result() {
        Ok(v) => v,
        Err(e) => {
            let mgmt = ctx.mgmt.clone();
            ctx.unknown(
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
            ctx.push(Change {
                address: format!("organizations_service_access.{principal}"),
                action: Action::Create,
                account_id: ctx.mgmt.clone(),
                region: "global".into(),
                attributes: vec![AttrChange::new(
                    "trusted access",
                    Some("disabled"),
                    "enabled",
                )],
                irreversible: false,
                manual: None,
                depends_on: vec![],
                ops: vec![super::apply::Op::EnableServiceAccess {
                    principal: principal.into(),
                }
                .into()],
            });
        }
    }
}
