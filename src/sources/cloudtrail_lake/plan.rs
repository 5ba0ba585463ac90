//! CloudTrail Lake's plan: only manual steps (Lake is closed to new customers; logwarden never
//! creates a store, and changes an owner's store only through them): termination protection
//! for a store without it, restarting ingestion for a stopped store (billed per GB).

use super::model::StoreStatus;
use crate::plan::AttrChange;
use crate::sources::Change;
use crate::sources::PlanCtx;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.cloudtrail_lake.clone() else {
        return;
    };
    for row in ctx.regions_read(
        "cloudtrail_lake",
        "the CloudTrail Lake event data stores",
        |r| r.data.cloudtrail_lake.stores.as_result(),
    ) {
        let (a, r, stores) = (row.account, row.region, row.read);
        for s in stores {
            let address = format!("cloudtrail_event_data_store.{}", s.arn);
            let d = match s.details.as_result() {
                Ok(d) => d,
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &address,
                        &a.account_id,
                        &r.region,
                        "the event data store",
                        &e,
                    );
                    continue;
                }
            };
            if want.termination_protection && !d.termination_protection {
                ctx.push(Change::manual_step(
                    format!("{address}.termination_protection"),
                    a.account_id.clone(),
                    r.region.clone(),
                    AttrChange::new("termination_protection", Some("false"), "true"),
                    format!("event data store {} can be deleted in one call; protecting it is the owner's decision (logwarden changes no Lake store)", s.name),
                    format!(
                        "aws cloudtrail update-event-data-store --region {} --event-data-store {} --termination-protection-enabled   # in account {}",
                        r.region, s.arn, a.account_id
                    ),
                ));
            }
            if want.ingesting && d.status == StoreStatus::StoppedIngestion {
                ctx.push(Change::manual_step(
                    format!("{address}.ingestion"),
                    a.account_id.clone(),
                    r.region.clone(),
                    AttrChange::new("status", Some(d.status.as_str().to_string()), "ENABLED"),
                    format!("event data store {} stopped ingesting; restarting it resumes billing per GB ingested", s.name),
                    format!(
                        "aws cloudtrail start-event-data-store-ingestion --region {} --event-data-store {}   # in account {}",
                        r.region, s.arn, a.account_id
                    ),
                ));
            }
        }
    }
}
