//! Resolver query logging's plan: in each account and region where VPCs in scope lack an ACTIVE
//! association, the account's configuration (created when missing, delivering to the log
//! archive bucket) associated with them. A broken association is a manual step.

use super::apply::Op;
use super::model::AssociationStatus;
use crate::plan::note;
use crate::plan::{Action, AttrChange};
use crate::sources::Change;
use crate::sources::PlanCtx;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.resolver_query_logs.clone() else {
        return;
    };
    let destination = crate::arn::Partition(&ctx.inv.partition)
        .s3_bucket(&crate::sources::log_archive::archive(ctx).bucket);
    let depends_on = ctx.dep(&format!(
        "s3_bucket.{}",
        crate::sources::log_archive::archive(ctx).bucket
    ));
    for row in ctx.regions_read(
        "resolver_query_logs",
        "the VPCs or their DNS query logging",
        |r| {
            Ok((
                r.data.vpc_flow_logs.vpcs.as_result()?,
                r.data.resolver_query_logs.associations.as_result()?,
                r.data.resolver_query_logs.configs.as_result()?,
            ))
        },
    ) {
        let (a, r, (vpcs, associations, configs)) = (row.account, row.region, row.read);
        let address = row.address;
        let mut todo = Vec::new();
        // A VPC shared by its owner: only the owner can associate its DNS query logging.
        for v in vpcs
            .iter()
            .filter(|v| v.shared_by(&a.account_id).is_none() && want.selects(&v.tags))
        {
            let mine: Vec<_> = associations
                .iter()
                .filter(|x| x.resource_id == v.id)
                .collect();
            if mine.iter().any(|x| x.status == AssociationStatus::Active) {
                continue;
            }
            if let Some(x) = mine.iter().find(|x| {
                matches!(
                    x.status,
                    AssociationStatus::ActionNeeded | AssociationStatus::Failed
                )
            }) {
                ctx.push(Change::manual_step(
                    format!("resolver_query_log_association.{}", x.id),
                    a.account_id.clone(),
                    r.region.clone(),
                    AttrChange::new(
                        "status",
                        Some(x.status.as_str().to_string()),
                        "ACTIVE",
                    ),
                    format!(
                        "the DNS query logging of VPC {} is {}{}: its destination must be fixed (it exists, and its policy lets log delivery write), or the association removed so logwarden can make a new one",
                        v.id,
                        x.status,
                        x.error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default()
                    ),
                    format!(
                        "aws route53resolver disassociate-resolver-query-log-config --region {} --resolver-query-log-config-id {} --resource-id {}   # in account {}; then run apply again",
                        r.region, x.config_id, v.id, a.account_id
                    ),
                ));
                continue;
            }
            if mine.iter().any(|x| x.status == AssociationStatus::Creating) {
                continue; // AWS is making it; the next plan sees it ACTIVE
            }
            todo.push(v.id.clone());
        }
        if todo.is_empty() {
            continue;
        }
        let existing = configs
            .iter()
            .find(|c| c.name == want.config_name && c.owner_id == a.account_id);
        let mut attributes = Vec::new();
        match existing {
            None => attributes.push(AttrChange::new(
                "configuration",
                None::<String>,
                format!("{} → {destination}", want.config_name),
            )),
            Some(c) if c.destination_arn != destination => ctx.kept.push(note(
                &address,
                &a.account_id,
                &r.region,
                format!(
                    "query-logging configuration {} delivers to {}, not the log archive; VPCs are associated with it as it is",
                    c.name, c.destination_arn
                ),
            )),
            Some(_) => {}
        }
        attributes.extend(todo.iter().map(|vpc| {
            AttrChange::new(vpc, None::<String>, format!("DNS queries to {destination}"))
        }));
        ctx.push(
            Change::new(
                address,
                if existing.is_some() {
                    Action::Update
                } else {
                    Action::Create
                },
                a.account_id.clone(),
                r.region.clone(),
                attributes,
                vec![Op::EnsureQueryLogging {
                    config_name: want.config_name.clone(),
                    destination_arn: existing
                        .map(|c| c.destination_arn.clone())
                        .unwrap_or_else(|| destination.clone()),
                    vpc_ids: todo,
                }
                .into()],
            )
            .depending_on(depends_on.clone()),
        );
    }
}
