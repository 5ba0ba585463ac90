//! AWS WAF logging's plan: in each account and region with web ACLs that log nothing, the
//! profile's `aws-waf-logs-` log group (made when missing, at log_group_retention's days) and a
//! logging configuration for each of them. Existing configurations are kept as they are (named
//! under Kept when their filter leaves requests out); an ACL Firewall Manager manages is a
//! manual step (its logging belongs to the Firewall Manager policy).

use super::apply::Op;
use crate::plan::note;
use crate::plan::{Action, AttrChange};
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::{Change, PlanCtx};

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.waf_logging.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    for row in ctx.regions_read("waf_logging", "the web ACLs or their logging", |r| {
        Ok((
            r.data.waf.web_acls.as_result()?,
            r.data.waf.logging.as_result()?,
        ))
    }) {
        let (a, r, (acls, configs)) = (row.account, row.region, row.read);
        let address = row.address;
        let mut todo = Vec::new();
        for acl in acls {
            match configs.iter().find(|c| c.resource_arn == acl.arn) {
                Some(c) => {
                    let (status, msg) = super::checks::judge(acl, Some(c));
                    if status != crate::finding::Status::Pass {
                        ctx.kept.push(note(
                            &format!("waf_logging_configuration.{}", acl.arn),
                            &a.account_id,
                            &r.region,
                            format!("{msg}: the configuration is kept as it is; widening its filter is its owner's decision"),
                        ));
                    }
                }
                None if acl.managed_by_firewall_manager() => ctx.push(Change::manual_step(
                    format!("waf_logging_configuration.{}", acl.arn),
                    a.account_id.clone(),
                    r.region.clone(),
                    AttrChange::new("logging", Some("none"), "aws-waf-logs-... destination"),
                    format!("web ACL {} is managed by AWS Firewall Manager: its logging is set in the Firewall Manager policy, which would undo a change made here", acl.name),
                    "aws fms put-policy   # in the Firewall Manager administrator account: set the policy's LoggingConfiguration (ManagedServiceData) to an aws-waf-logs- destination",
                )),
                None => todo.push(acl),
            }
        }
        if todo.is_empty() {
            continue;
        }
        let group_arn = crate::arn::Partition(&ctx.inv.partition).arn(
            "logs",
            &r.region,
            &a.account_id,
            &format!("log-group:{}", want.log_group),
        );
        let kept = LogsOp::kept_at_floor(floor);
        let mut attributes = vec![AttrChange::new(
            "log_group",
            None::<String>,
            format!("{} ({kept}; created only if missing)", want.log_group),
        )];
        attributes.extend(todo.iter().map(|acl| {
            AttrChange::new(
                &format!("{} ({})", acl.name, acl.scope),
                None::<String>,
                format!("every request logged to {group_arn}"),
            )
        }));
        ctx.push(Change::new(
            address,
            Action::Create,
            a.account_id.clone(),
            r.region.clone(),
            attributes,
            vec![
                LogsOp::group_at_floor(&want.log_group, floor).into(),
                Op::PutLoggingConfigurations {
                    web_acl_arns: todo.iter().map(|acl| acl.arn.clone()).collect(),
                    destination_arn: group_arn,
                }
                .into(),
            ],
        ));
    }
}
