//! Network Firewall reads in one region: the firewalls (`ListFirewalls`, paginated), then each
//! firewall's logging (`DescribeLoggingConfiguration`, concurrently: the service has no batch
//! call). A firewall deleted between the two calls is left out; a description that fails
//! leaves only that firewall `unknown`.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::inventory::Collected;
use futures::future::join_all;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_networkfirewall, ctx.session, ctx.region);
    let listed: Vec<(String, String)> = match ctx
        .call
        .pages(
            "network-firewall:ListFirewalls",
            client.list_firewalls().into_paginator().send(),
        )
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.firewalls())
            .filter_map(|f| {
                Some((
                    f.firewall_name()?.to_string(),
                    f.firewall_arn()?.to_string(),
                ))
            })
            .collect(),
        Err(e) => {
            return RegionData {
                firewalls: Collected::failed(&e),
            }
        }
    };
    let described = join_all(listed.iter().map(|(_, arn)| {
        ctx.call.call_opt(
            "network-firewall:DescribeLoggingConfiguration",
            &["ResourceNotFoundException"],
            client
                .describe_logging_configuration()
                .firewall_arn(arn)
                .send(),
        )
    }))
    .await;
    let firewalls = listed
        .into_iter()
        .zip(described)
        .filter_map(|((name, arn), d)| {
            let logging = match d {
                Ok(None) => return None, // deleted since it was listed
                Ok(Some(out)) => Collected::ok(
                    out.logging_configuration()
                        .map(|l| l.log_destination_configs())
                        .unwrap_or_default()
                        .iter()
                        .map(|c| LogDestination {
                            log_type: c.log_type().as_str().to_string(),
                            destination_type: c.log_destination_type().as_str().to_string(),
                            destination: c
                                .log_destination()
                                .iter()
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect(),
                        })
                        .collect(),
                ),
                Err(e) => Collected::failed(&e),
            };
            Some(Firewall { name, arn, logging })
        })
        .collect();
    RegionData {
        firewalls: Collected::ok(firewalls),
    }
}
