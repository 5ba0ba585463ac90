//! Security Hub's plan: enable it in each account and region in scope where it is not.

use super::apply::Op;
use crate::plan::{Action, AttrChange};
use crate::sources::Change;
use crate::sources::PlanCtx;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.security_hub.clone() else {
        return;
    };
    for a in &ctx.inv.accounts {
        if a.access.error().is_some() {
            continue;
        }
        for r in ctx.enabled_regions(a) {
            let address = format!("securityhub_hub.{}.{}", a.account_id, r.region);
            match r.data.security_hub.hub.as_result() {
                Ok(Some(_)) => {}
                Ok(None) => ctx.push(Change::new(
                    address,
                    Action::Create,
                    a.account_id.clone(),
                    r.region.clone(),
                    vec![AttrChange::new(
                        "default standards",
                        None::<String>,
                        want.enable_default_standards.to_string(),
                    )],
                    vec![Op::EnableHub {
                        enable_default_standards: want.enable_default_standards,
                    }
                    .into()],
                )),
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(&address, &a.account_id, &r.region, "Security Hub", &e);
                }
            }
        }
    }
}
