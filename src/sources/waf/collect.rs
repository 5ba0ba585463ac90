//! AWS WAF reads in one region: `ListWebACLs` and `ListLoggingConfigurations` for the REGIONAL
//! scope, and in us-east-1 for the CLOUDFRONT scope too (AWS serves that scope there only). Both
//! are listings (100 per page), never a call per web ACL; the logging listing only for a scope
//! that has a web ACL. A CloudFront web ACL the CLOUDFRONT listing leaves out is asked about
//! on its own (`GetLoggingConfiguration`): that listing is the one an endpoint is known to get
//! wrong (moto 5.2.1 files CloudFront configurations under REGIONAL), CloudFront ACLs are few
//! and live in us-east-1 only, and a logged ACL must never be reported as logging nothing.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::CallError;
use aws_sdk_wafv2::types::Scope;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_wafv2, ctx.session, ctx.region);
    let mut scopes = vec![Scope::Regional];
    if ctx.region == "us-east-1" {
        scopes.push(Scope::Cloudfront);
    }
    let (web_acls, logging) = read(&client, &ctx.call, &scopes).await;
    RegionData {
        web_acls: web_acls.into(),
        logging: logging.into(),
    }
}

/// The web ACLs and logging configurations of the given scopes. A scope with no web ACL has no
/// logging configuration (one belongs to an ACL and goes with it), so its logging listing is not
/// asked for: most regions have no ACL, and that is one call fewer in each. When the ACLs cannot
/// be listed, the logging configurations are not known either: both carry the failure.
pub async fn read(
    client: &aws_sdk_wafv2::Client,
    ctx: &CallCtx,
    scopes: &[Scope],
) -> (
    Result<Vec<WebAcl>, CallError>,
    Result<Vec<LoggingConfig>, CallError>,
) {
    let per_scope = futures::future::join_all(scopes.iter().map(|s| async move {
        let acls = web_acls(client, ctx, s.clone()).await?;
        let mut logging = if acls.is_empty() {
            Vec::new()
        } else {
            logging(client, ctx, s.clone()).await?
        };
        if *s == Scope::Cloudfront {
            logging.extend(unlisted(client, ctx, &acls, &logging).await?);
        }
        Ok::<_, CallError>((acls, logging))
    }))
    .await;
    let (mut acls, mut configs) = (Vec::new(), Vec::new());
    for scope in per_scope {
        match scope {
            Ok((a, l)) => {
                acls.extend(a);
                configs.extend(l);
            }
            Err(e) => return (Err(e.clone()), Err(e)),
        }
    }
    // One configuration per ACL: a listing that repeats one (moto ignores the scope) is
    // counted once.
    let mut seen = std::collections::BTreeSet::new();
    configs.retain(|c| seen.insert(c.resource_arn.clone()));
    (Ok(acls), Ok(configs))
}

/// The logging configurations of the web ACLs `listed` leaves out, asked one by one (an ACL
/// without one answers `WAFNonexistentItemException`).
async fn unlisted(
    client: &aws_sdk_wafv2::Client,
    ctx: &CallCtx,
    acls: &[WebAcl],
    listed: &[LoggingConfig],
) -> Result<Vec<LoggingConfig>, CallError> {
    let missing = acls
        .iter()
        .filter(|a| !listed.iter().any(|c| c.resource_arn == a.arn));
    let found = futures::future::try_join_all(missing.map(|a| async move {
        ctx.call_opt(
            "wafv2:GetLoggingConfiguration",
            &["WAFNonexistentItemException"],
            client
                .get_logging_configuration()
                .resource_arn(&a.arn)
                .send(),
        )
        .await
    }))
    .await?;
    Ok(found
        .iter()
        .flatten()
        .filter_map(|o| o.logging_configuration())
        .map(config)
        .collect())
}

/// Every web ACL of one scope (WAF has no paginator: `NextMarker` until it is absent).
pub async fn web_acls(
    client: &aws_sdk_wafv2::Client,
    ctx: &CallCtx,
    scope: Scope,
) -> Result<Vec<WebAcl>, CallError> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = ctx
            .call(
                "wafv2:ListWebACLs",
                client
                    .list_web_acls()
                    .scope(scope.clone())
                    .limit(100)
                    .set_next_marker(marker.clone())
                    .send(),
            )
            .await?;
        out.extend(page.web_acls().iter().map(|a| WebAcl {
            name: a.name().unwrap_or_default().to_string(),
            id: a.id().unwrap_or_default().to_string(),
            arn: a.arn().unwrap_or_default().to_string(),
            scope: scope.as_str().to_string(),
        }));
        // AWS returns a marker with the last page too: stop when a page is short.
        match page.next_marker() {
            Some(m) if !m.is_empty() && page.web_acls().len() >= 100 => marker = Some(m.into()),
            _ => return Ok(out),
        }
    }
}

/// Every logging configuration of one scope.
pub async fn logging(
    client: &aws_sdk_wafv2::Client,
    ctx: &CallCtx,
    scope: Scope,
) -> Result<Vec<LoggingConfig>, CallError> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = ctx
            .call(
                "wafv2:ListLoggingConfigurations",
                client
                    .list_logging_configurations()
                    .scope(scope.clone())
                    .limit(100)
                    .set_next_marker(marker.clone())
                    .send(),
            )
            .await?;
        out.extend(page.logging_configurations().iter().map(config));
        match page.next_marker() {
            Some(m) if !m.is_empty() && page.logging_configurations().len() >= 100 => {
                marker = Some(m.into())
            }
            _ => return Ok(out),
        }
    }
}

fn config(c: &aws_sdk_wafv2::types::LoggingConfiguration) -> LoggingConfig {
    LoggingConfig {
        resource_arn: c.resource_arn().to_string(),
        destinations: c.log_destination_configs().to_vec(),
        redacted_fields: c.redacted_fields().iter().map(field).collect(),
        managed_by_firewall_manager: c.managed_by_firewall_manager(),
        filter: c.logging_filter().map(|f| LogFilter {
            default_keep: f.default_behavior().as_str() == "KEEP",
            filters: f
                .filters()
                .iter()
                .map(|r| FilterRule {
                    keep: r.behavior().as_str() == "KEEP",
                    meets_all: r.requirement().as_str() == "MEETS_ALL",
                    actions: r
                        .conditions()
                        .iter()
                        .filter_map(|c| c.action_condition())
                        .map(|a| a.action().as_str().to_string())
                        .collect(),
                    labels: r
                        .conditions()
                        .iter()
                        .filter_map(|c| c.label_name_condition())
                        .map(|l| l.label_name().to_string())
                        .collect(),
                })
                .collect(),
        }),
    }
}

/// A redacted field, for people: `SingleHeader authorization`, `QueryString`, `UriPath`.
fn field(f: &aws_sdk_wafv2::types::FieldToMatch) -> String {
    if let Some(h) = f.single_header() {
        format!("SingleHeader {}", h.name())
    } else if f.query_string().is_some() {
        "QueryString".into()
    } else if f.uri_path().is_some() {
        "UriPath".into()
    } else if f.method().is_some() {
        "Method".into()
    } else {
        "another field".into()
    }
}
