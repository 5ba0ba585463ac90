//! The SCP's plan: when a member account is left unprotected, a manual step with the policy
//! document to create and attach to the root. logwarden never writes an SCP itself: a deny in
//! the wrong place locks people out of every account, so a person reviews and attaches it.

use super::checks::in_force;
use super::policy::{treatment, Treatment};
use crate::plan::AttrChange;
use crate::sources::Change;
use crate::sources::PlanCtx;

/// The SCP document that denies `actions` to everyone but principals tagged for break-glass.
pub fn document(actions: &[String]) -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenProtectLogging",
            "Effect": "Deny",
            "Action": actions,
            "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:*:iam::*:role/BREAK_GLASS_ROLE"}}
        }]
    })
}

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.scp_protection.clone() else {
        return;
    };
    if ctx.org_id.is_none() {
        return;
    }
    let Some(m) = ctx.inv.accounts.iter().find(|a| a.account_id == ctx.mgmt) else {
        return;
    };
    let address = "scp.protect_logging".to_string();
    let scps = match m.data.scp.policies.as_ref().map(|c| c.as_result()) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            let (e, mgmt) = (e.clone(), ctx.mgmt.clone());
            ctx.unknown(
                &address,
                &mgmt,
                "global",
                "the service control policies",
                &e,
            );
            return;
        }
        None => return,
    };
    let unprotected: Vec<&str> = ctx
        .inv
        .accounts
        .iter()
        .map(|a| a.account_id.as_str())
        .filter(|id| *id != ctx.mgmt)
        .filter(|id| match in_force(scps, id) {
            None => false, // not in the tree read: the audit says unknown
            Some(ps) => {
                !scps.enabled
                    || want.actions.iter().any(|act| {
                        // An unreadable policy might deny it: not planned on a guess.
                        !ps.iter().any(|(p, _)| {
                            matches!(
                                treatment(&p.content, act),
                                Treatment::Denied { .. } | Treatment::Unreadable(_)
                            )
                        })
                    })
            }
        })
        .collect();
    if unprotected.is_empty() {
        return;
    }
    let doc = document(&want.actions).to_string();
    let enable = if scps.enabled {
        String::new()
    } else {
        "aws organizations enable-policy-type --root-id ROOT_ID --policy-type SERVICE_CONTROL_POLICY && ".into()
    };
    let count = unprotected.len();
    ctx.push(Change::manual_step(
        address,
        ctx.mgmt.clone(),
        "global",
        AttrChange::new(
            "denied actions",
            None::<String>,
            want.actions.join(", "),
        ),
        format!(
            "{count} member account(s) can turn their logging off ({}); an SCP can lock people out, so a person writes the break-glass exemption and attaches it",
            unprotected.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                + if count > 5 { ", ..." } else { "" }
        ),
        format!(
            "{enable}aws organizations create-policy --type SERVICE_CONTROL_POLICY --name {} --description 'Deny turning logging off' --content '{doc}'   # replace BREAK_GLASS_ROLE, then: aws organizations attach-policy --policy-id ID --target-id ROOT_ID",
            want.policy_name
        ),
    ));
}
