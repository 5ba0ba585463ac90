//! Trusted access: the services that deliver logs organization-wide (each source names its own,
//! `SourceDef::trusted_access`) must be trusted by the organization before their
//! organization-wide resources can be made.

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
    // The service principals the sources need trusted for what they build organization-wide
    // (`SourceDef::trusted_access`), in registry order; none for what Control Tower owns.
    let wanted: Vec<&str> = crate::sources::SOURCES
        .iter()
        .filter(|s| !(ctx.control_tower && s.control_tower_managed))
        .filter_map(|s| (s.trusted_access)(ctx.b))
        .collect();
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
            ctx.push(Change::new(
                format!("organizations_service_access.{principal}"),
                Action::Create,
                ctx.mgmt.clone(),
                "global",
                vec![AttrChange::new(
                    "trusted access",
                    Some("disabled"),
                    "enabled",
                )],
                vec![super::apply::Op::EnableServiceAccess {
                    principal: principal.into(),
                }
                .into()],
            ));
        }
    }
}
