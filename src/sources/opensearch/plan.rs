//! OpenSearch's plan: for each domain missing asked log types, a manual step with the exact
//! commands: the CloudWatch Logs resource policy letting `es.amazonaws.com` write to the
//! domain's groups (only `CreateLogStream`/`PutLogEvents`, only those groups, only for this
//! domain: `aws:SourceArn` and `aws:SourceAccount`), then `update-domain-config` publishing the
//! types. logwarden does not run them: a region holds at most ten resource policies, shared by
//! every team and service, and which of them to extend is the account owner's call. When the
//! profile sets a log-group retention, the groups are created first at that retention.

use super::checks::split;
use super::model::{Domain, DomainDetails};
use super::profile::LogType;
use crate::plan::AttrChange;
use crate::sources::cloudwatch_logs::plan::groups_at_floor;
use crate::sources::{AccountInventory, Change, PlanCtx, RegionInventory};
use serde_json::json;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.opensearch_logging.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    let partition = ctx.inv.partition.clone();
    for row in ctx.regions_read("opensearch", "the OpenSearch domains", |r| {
        r.data.opensearch.domains.as_result()
    }) {
        let (a, r, domains) = (row.account, row.region, row.read);
        for d in domains {
            let address = format!("opensearch_domain.{}.{}.{}", a.account_id, r.region, d.name);
            let x = match d.details.as_result() {
                Ok(x) => x,
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &address,
                        &a.account_id,
                        &r.region,
                        "the domain's log publishing",
                        &e,
                    );
                    continue;
                }
            };
            let (_, missing) = split(&want, x);
            if missing.is_empty() {
                continue;
            }
            if let Some(days) = floor {
                let groups: Vec<(String, String)> = missing
                    .iter()
                    .map(|t| {
                        (
                            super::log_group(&d.name, *t),
                            format!(
                                "the {} logs of OpenSearch domain {} (a manual step)",
                                t.as_str(),
                                d.name
                            ),
                        )
                    })
                    .collect();
                if !groups_at_floor(ctx, &address, r, &a.account_id, &groups, days) {
                    continue;
                }
            }
            ctx.push(manual_step(address, &partition, a, r, d, x, &missing));
        }
    }
}

/// The resource policy and the domain change, as commands.
fn manual_step(
    address: String,
    partition: &str,
    a: &AccountInventory,
    r: &RegionInventory,
    d: &Domain,
    x: &DomainDetails,
    missing: &[LogType],
) -> Change {
    let group_arn = |t: LogType| {
        format!(
            "arn:{partition}:logs:{}:{}:log-group:{}",
            r.region,
            a.account_id,
            super::log_group(&d.name, t)
        )
    };
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "OpenSearchLogs",
            "Effect": "Allow",
            "Principal": {"Service": "es.amazonaws.com"},
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": missing.iter().map(|t| format!("{}:*", group_arn(*t))).collect::<Vec<_>>(),
            "Condition": {
                "StringEquals": {"aws:SourceAccount": a.account_id},
                "ArnLike": {"aws:SourceArn": x.arn},
            },
        }],
    });
    let options = missing
        .iter()
        .map(|t| {
            format!(
                "{}={{CloudWatchLogsLogGroupArn={},Enabled=true}}",
                t.aws(),
                group_arn(*t)
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    let command = format!(
        "aws logs put-resource-policy --region {} --policy-name logwarden-opensearch-{} --policy-document '{}' && aws opensearch update-domain-config --region {} --domain-name {} --log-publishing-options '{}'   # in account {}",
        r.region, d.name, policy, r.region, d.name, options, a.account_id
    );
    let audit = if missing.contains(&LogType::Audit) {
        "; audit logs also need `audit log` enabled in OpenSearch Dashboards' security settings"
    } else {
        ""
    };
    let busy = if x.processing {
        "; a configuration change is under way now: run it when the domain is Active"
    } else {
        ""
    };
    let published: Vec<&str> = x.published.keys().map(String::as_str).collect();
    Change::manual_step(
        address,
        a.account_id.clone(),
        r.region.clone(),
        AttrChange::new(
            "log_publishing",
            Some(if published.is_empty() {
                "none".to_string()
            } else {
                published.join(", ")
            }),
            published
                .iter()
                .copied()
                .chain(missing.iter().map(|t| t.aws()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        format!(
            "OpenSearch domain {}: publishing needs a CloudWatch Logs resource policy for es.amazonaws.com; a region holds at most ten, shared by every team, so the account's owner decides where the statement goes{audit}{busy}",
            d.name
        ),
        command,
    )
}
