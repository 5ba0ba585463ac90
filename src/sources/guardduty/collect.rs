//! GuardDuty reads in one region: `ListDetectors`, then per detector (AWS allows one)
//! `GetDetector` and `GetAdministratorAccount`; in the management account also
//! `ListOrganizationAdminAccounts`.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;
use aws_sdk_guardduty::Client;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client: Client = crate::client!(aws_sdk_guardduty, ctx.session, ctx.region);
    let management = ctx
        .org
        .organization
        .as_ref()
        .is_some_and(|o| o.management_account_id == ctx.account.id);
    let (detectors, admin_accounts) = tokio::join!(detectors(&client, &ctx.call), async {
        if management {
            Some(admin_accounts(&client, &ctx.call).await)
        } else {
            None
        }
    });
    RegionData {
        detectors,
        admin_accounts,
    }
}

async fn detectors(client: &Client, ctx: &CallCtx) -> Collected<Vec<Detector>> {
    let ids: Vec<String> = match ctx
        .pages(
            "guardduty:ListDetectors",
            client.list_detectors().into_paginator().send(),
        )
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.detector_ids().iter().cloned())
            .collect(),
        Err(e) => return Collected::Failed { error: e },
    };
    let mut out = Vec::new();
    for id in ids {
        let (d, admin) = tokio::join!(
            ctx.call(
                "guardduty:GetDetector",
                client.get_detector().detector_id(&id).send()
            ),
            ctx.call(
                "guardduty:GetAdministratorAccount",
                client.get_administrator_account().detector_id(&id).send()
            )
        );
        let d = match d {
            Ok(d) => d,
            Err(e) => return Collected::Failed { error: e },
        };
        out.push(Detector {
            status: d
                .status()
                .map(|s| Status::from(s.as_str()))
                .unwrap_or(Status::Unknown(String::new())),
            created_at: d.created_at().map(String::from),
            finding_publishing_frequency: d
                .finding_publishing_frequency()
                .map(|f| f.as_str().to_string()),
            features: d
                .features()
                .iter()
                .filter_map(|f| {
                    Some(Feature {
                        name: f.name()?.as_str().to_string(),
                        status: f
                            .status()
                            .map(|s| Status::from(s.as_str()))
                            .unwrap_or(Status::Unknown(String::new())),
                    })
                })
                .collect(),
            administrator: admin
                .map(|a| {
                    a.administrator()
                        .and_then(|x| x.account_id())
                        .map(String::from)
                })
                .into(),
            id,
        });
    }
    Collected::ok(out)
}

async fn admin_accounts(client: &Client, ctx: &CallCtx) -> Collected<Vec<AdminAccount>> {
    ctx.pages(
        "guardduty:ListOrganizationAdminAccounts",
        client
            .list_organization_admin_accounts()
            .into_paginator()
            .send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.admin_accounts())
            .map(|a| AdminAccount {
                account_id: a.admin_account_id().unwrap_or_default().to_string(),
                status: a
                    .admin_status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            })
            .collect()
    })
    .into()
}
