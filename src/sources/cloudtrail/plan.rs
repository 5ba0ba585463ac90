//! The organization trail's plan: its CloudWatch Logs group and delivery role, the trail itself
//! (created, or an existing one completed: validation, KMS, CloudWatch Logs, merged advanced
//! selectors, insights, logging), and manual steps for the trails logwarden does not manage.

use super::apply::{RequiredSelector, TrailSettings};
use super::merge::merged_selectors;
use super::model::{AdvancedSelector, EventSelectors, FieldSelector, Trail};
use super::profile::{ManagementEvents, ResourceSet};
use super::selectors::{management_probes, ProbeEvent};
use crate::inventory::*;
use crate::plan::{encryption_label, Action, AttrChange};
use crate::plan::{note, yes_no, Lookup};
use crate::sources::control_tower::plan::CONTROL_TOWER_TRAIL;
use crate::sources::Change;
use crate::sources::PlanCtx;

/// The trail logwarden manages: the profile's, else the management account's organization trail
/// (adopted, never duplicated), never Control Tower's. Unknown when the management account's
/// trails could not all be listed: the trail may exist where the listing failed.
pub fn managed_trail<'a>(ctx: &PlanCtx<'a>) -> Lookup<'a, Trail> {
    let Some(a) = ctx.account(&ctx.mgmt) else {
        return Lookup::Missing;
    };
    let trails = &a.data.cloudtrail.trails;
    let found = trails
        .iter()
        .find(|t| {
            t.name == ctx.b.organization_trail.name
                && crate::arn::account_of(&t.arn) == Some(&ctx.mgmt)
        })
        .or_else(|| {
            trails.iter().find(|t| {
                t.is_organization_trail
                    && crate::arn::account_of(&t.arn) == Some(&ctx.mgmt)
                    && t.name != CONTROL_TOWER_TRAIL
            })
        });
    match (found, super::listing_error(a)) {
        (Some(t), _) => Lookup::Found(t),
        (None, Some(e)) => Lookup::Unknown(e),
        (None, None) => Lookup::Missing,
    }
}

/// The ARN every condition names: an adopted trail's own ARN, not the ARN a trail of the
/// profile's name would have. Published for the planners.
#[derive(Debug, Default)]
pub struct OrgTrailArn(pub String);

/// Publish the organization trail's ARN; when the management account's trails could not all be
/// read, which trail the policies must name is unknown, and the log archive's policies wait.
pub fn publish(ctx: &mut PlanCtx) {
    let arn = crate::arn::Partition(&ctx.inv.partition).arn(
        "cloudtrail",
        &ctx.plan_reads.cloudtrail.trail_region,
        &ctx.mgmt,
        &format!("trail/{}", ctx.b.organization_trail.name),
    );
    let arn = match managed_trail(ctx) {
        Lookup::Found(t) => t.arn.clone(),
        Lookup::Unknown(e) => {
            let e = e.clone();
            crate::sources::log_archive::archive_mut(ctx).waits_for = Some(e);
            arn
        }
        Lookup::Missing => arn,
    };
    ctx.facts.insert(OrgTrailArn(arn));
}

/// The organization trail's ARN, as [`publish`] found it.
pub fn trail_arn<'c>(ctx: &'c PlanCtx) -> &'c str {
    ctx.facts.get::<OrgTrailArn>().map_or("", |t| t.0.as_str())
}

/// The organization trail's address in a plan.
pub fn trail_address(ctx: &PlanCtx) -> String {
    format!("cloudtrail_trail.{}", ctx.b.organization_trail.name)
}

pub fn log_group_arn(ctx: &PlanCtx) -> String {
    crate::arn::Partition(&ctx.inv.partition).arn(
        "logs",
        &ctx.plan_reads.cloudtrail.trail_region,
        &ctx.mgmt,
        &format!(
            "log-group:{}:*",
            ctx.b.organization_trail.cloudwatch_logs.log_group
        ),
    )
}

/// The trail's CloudWatch Logs group and delivery role, the trail, then the trails logwarden does
/// not manage.
pub fn plan(ctx: &mut PlanCtx) {
    cloudwatch_logs(ctx);
    trail(ctx);
    other_trails(ctx);
}

fn cloudwatch_logs(ctx: &mut PlanCtx) {
    if !ctx.b.cloudtrail.cloudwatch_logs {
        return;
    }
    let cw = ctx.b.organization_trail.cloudwatch_logs.clone();
    let region = ctx.plan_reads.cloudtrail.trail_region.clone();
    let mgmt = ctx.mgmt.clone();
    let address = format!("cloudwatch_log_group.{}", cw.log_group);
    match managed_trail(ctx) {
        Lookup::Found(t) if t.cloudwatch_logs_log_group_arn.is_some() => return,
        Lookup::Unknown(e) => {
            // What the trail delivers to is unknown: neither its log group nor its role.
            let e = e.clone();
            ctx.unknown(
                &address,
                &mgmt,
                &region,
                "the organization trail (which may already deliver to CloudWatch Logs)",
                &e,
            );
            let role = format!("iam_role.{}", cw.role_name);
            ctx.unknown(
                &role,
                &mgmt,
                "global",
                "the organization trail (which may already deliver to CloudWatch Logs)",
                &e,
            );
            return;
        }
        _ => {}
    }
    match ctx
        .plan_reads
        .cloudtrail
        .log_group
        .as_ref()
        .map(|g| g.as_result())
    {
        None => {}
        Some(Err(e)) => {
            let e = e.clone();
            ctx.unknown(&address, &mgmt, &region, "the log group", &e);
        }
        Some(Ok(None)) => ctx.push(Change {
            address,
            action: Action::Create,
            account_id: mgmt.clone(),
            region: region.clone(),
            attributes: vec![AttrChange::new(
                "retention",
                None::<String>,
                format!("{} days", cw.retention_days),
            )],
            irreversible: false,
            manual: None,
            depends_on: vec![],
            ops: vec![
                crate::sources::cloudwatch_logs::apply::Op::CreateLogGroup {
                    name: cw.log_group.clone(),
                }
                .into(),
                crate::sources::cloudwatch_logs::apply::Op::PutRetention {
                    name: cw.log_group.clone(),
                    days: cw.retention_days,
                }
                .into(),
            ],
        }),
        Some(Ok(Some(g))) => match g.retention_days {
            Some(d) if (d as u32) < cw.retention_days => ctx.push(Change {
                address,
                action: Action::Update,
                account_id: mgmt.clone(),
                region: region.clone(),
                attributes: vec![AttrChange::new(
                    "retention",
                    Some(format!("{d} days")),
                    format!("{} days", cw.retention_days),
                )],
                irreversible: false,
                manual: None,
                depends_on: vec![],
                ops: vec![crate::sources::cloudwatch_logs::apply::Op::PutRetention {
                    name: cw.log_group.clone(),
                    days: cw.retention_days,
                }
                .into()],
            }),
            Some(d) if d as u32 > cw.retention_days => ctx.kept.push(note(
                &address,
                &mgmt,
                &region,
                format!(
                    "retention {d} days is longer than the profile's {}; kept",
                    cw.retention_days
                ),
            )),
            None => ctx.kept.push(note(
                &address,
                &mgmt,
                &region,
                "the log group never expires events; kept",
            )),
            _ => {}
        },
    }
    let role = ctx.plan_reads.cloudtrail.role.as_ref();
    let role_address = format!("iam_role.{}", cw.role_name);
    match role.map(|r| r.arn.as_result()) {
        None => {}
        Some(Err(e)) => {
            let e = e.clone();
            ctx.unknown(&role_address, &mgmt, "global", "the delivery role", &e);
        }
        // The trail does not deliver yet: the role is (re)written with its permissions, so a
        // role half-made by an interrupted run is finished before the trail uses it.
        Some(Ok(existing)) => {
            let exists = existing.is_some();
            let (trust, permissions) = super::policies::cloudwatch_logs_role(
                &ctx.inv.partition,
                &mgmt,
                ctx.org_id.as_deref(),
                &region,
                &cw.log_group,
                crate::sources::cloudtrail::plan::trail_arn(ctx),
            );
            if let Some(have) =
                role.and_then(|r| crate::sources::delivery_roles::foreign_trust(r, &trust))
            {
                let want = serde_json::to_string(&trust).unwrap_or_default();
                ctx.push(Change::manual_step(
                    role_address,
                    mgmt.clone(),
                    "global",
                    AttrChange::new("trust policy", Some(have.to_string()), want.clone()),
                    format!("role {} already exists and its trust policy is not the one logwarden writes (CloudTrail for {} only); logwarden does not give its permissions to a role trusted otherwise. Review who may assume it, then replace its trust policy, or name another role in organization_trail.cloudwatch_logs.role_name", cw.role_name, crate::sources::cloudtrail::plan::trail_arn(ctx)),
                    format!("aws iam update-assume-role-policy --role-name {} --policy-document '{want}'", cw.role_name),
                ));
                return;
            }
            let before = exists.then_some("(existing role)");
            ctx.push(Change {
                address: role_address,
                action: if exists {
                    Action::Update
                } else {
                    Action::Create
                },
                account_id: mgmt.clone(),
                region: "global".into(),
                attributes: vec![
                    AttrChange::new(
                        "trusts",
                        before,
                        format!(
                            "cloudtrail.amazonaws.com for {}",
                            crate::sources::cloudtrail::plan::trail_arn(ctx)
                        ),
                    ),
                    AttrChange::new(
                        "permissions",
                        before,
                        "logs:CreateLogStream, logs:PutLogEvents on the trail's streams",
                    ),
                ],
                irreversible: false,
                manual: None,
                depends_on: vec![],
                ops: vec![crate::sources::delivery_roles::apply::Op::EnsureRole {
                    name: cw.role_name.clone(),
                    trust_policy: trust,
                    inline_policy: Some(permissions),
                    managed_policy_arns: vec![],
                }
                .into()],
            });
        }
    }
}

pub fn required_selectors(ctx: &PlanCtx, existing: &EventSelectors) -> Vec<RequiredSelector> {
    let ct = &ctx.b.cloudtrail;
    let mut v = Vec::new();
    let want_read = ct.management_events == ManagementEvents::All;
    let mut fields = vec![field("eventCategory", &["Management"])];
    if !want_read {
        fields.push(field("readOnly", &["false"]));
    }
    v.push(RequiredSelector {
        selector: AdvancedSelector {
            name: Some("logwarden-management-events".into()),
            field_selectors: fields,
        },
        probes: management_probes(existing, want_read, &ct.allowed_excluded_event_sources),
    });
    let p = &ctx.inv.partition;
    if let Some(d) = &ct.s3_data_events {
        let mut fields = vec![
            field("eventCategory", &["Data"]),
            field("resources.type", &["AWS::S3::Object"]),
        ];
        if d.read != d.write {
            fields.push(field("readOnly", &[yes_no(d.read)]));
        }
        let modes: Vec<bool> = [(d.read, true), (d.write, false)]
            .iter()
            .filter(|(w, _)| *w)
            .map(|(_, ro)| *ro)
            .collect();
        let probes = match &d.resources {
            ResourceSet::All => {
                let part = crate::arn::Partition(p);
                let mut prefixes = vec![part.s3_bucket(&format!(
                    "{}/",
                    crate::sources::log_archive::archive(ctx).bucket
                ))];
                for t in
                    crate::engine::plan::managed_bucket_templates::<crate::sources::Sources>(ctx.b)
                        .iter()
                        .skip(1)
                {
                    let rendered = ctx.template(t, "{account_id}", "{region}");
                    let prefix = rendered.split('{').next().unwrap_or("");
                    if prefix.len() >= 3 {
                        prefixes.push(part.s3_bucket(prefix));
                    }
                }
                fields.push(FieldSelector {
                    field: "resources.ARN".into(),
                    not_starts_with: prefixes,
                    ..FieldSelector::default()
                });
                modes
                    .iter()
                    .flat_map(|&ro| {
                        ProbeEvent::s3_object_events(
                            &ctx.inv.partition,
                            "logwarden-any-new-bucket",
                            ro,
                            "S3 object events on any bucket",
                        )
                    })
                    .chain(
                        // Buckets the trail's selectors leave out that the audit requires
                        // (every bucket of the organization but the log buckets).
                        excluded_data_buckets(ctx, existing)
                            .into_iter()
                            .filter_map(|(b, doubt)| doubt.is_none().then_some(b))
                            .flat_map(|b| {
                                modes.iter().flat_map(move |&ro| {
                                    ProbeEvent::s3_object_events(
                                        &ctx.inv.partition,
                                        &b,
                                        ro,
                                        format!("S3 object events on {b}"),
                                    )
                                })
                            }),
                    )
                    .collect::<Vec<_>>()
            }
            ResourceSet::Named(names) => {
                fields.push(FieldSelector {
                    field: "resources.ARN".into(),
                    starts_with: names
                        .iter()
                        .map(|n| crate::arn::Partition(p).s3_bucket(&format!("{n}/")))
                        .collect(),
                    ..FieldSelector::default()
                });
                names
                    .iter()
                    .flat_map(|n| {
                        modes.iter().flat_map(move |&ro| {
                            ProbeEvent::s3_object_events(
                                &ctx.inv.partition,
                                n,
                                ro,
                                format!("S3 object events on {n}"),
                            )
                        })
                    })
                    .collect()
            }
        };
        v.push(RequiredSelector {
            selector: AdvancedSelector {
                name: Some("logwarden-s3-data-events".into()),
                field_selectors: fields,
            },
            probes,
        });
    }
    if let Some(d) = &ct.lambda_data_events {
        let mut fields = vec![
            field("eventCategory", &["Data"]),
            field("resources.type", &["AWS::Lambda::Function"]),
        ];
        let probes = match &d.resources {
            ResourceSet::All => vec![ProbeEvent::lambda_invoke(
                &format!(
                    "arn:{p}:lambda:{}:{}:function:logwarden-any-function",
                    ctx.plan_reads.cloudtrail.trail_region, ctx.mgmt
                ),
                "Lambda Invoke events",
            )],
            ResourceSet::Named(names) => {
                fields.push(FieldSelector {
                    field: "resources.ARN".into(),
                    starts_with: names.clone(),
                    ..FieldSelector::default()
                });
                names
                    .iter()
                    .map(|n| ProbeEvent::lambda_invoke(n, format!("Invoke events on {n}")))
                    .collect()
            }
        };
        v.push(RequiredSelector {
            selector: AdvancedSelector {
                name: Some("logwarden-lambda-data-events".into()),
                field_selectors: fields,
            },
            probes,
        });
    }
    v
}

/// Buckets the trail's selectors leave out of S3 data events that belong to the organization,
/// with why each may not need them after all (it may be a log bucket, or whether it is one of
/// the organization's buckets could not be read); `None` when it needs them.
pub fn excluded_data_buckets(
    ctx: &PlanCtx,
    existing: &EventSelectors,
) -> Vec<(String, Option<String>)> {
    let unlisted = ctx
        .inv
        .accounts
        .iter()
        .find_map(|a| a.data.s3_access_logs.buckets.error().map(|e| (a, e)));
    crate::sources::cloudtrail::selectors::excluded_s3_buckets(existing)
        .into_iter()
        .filter(|b| !ctx.log_buckets.contains(b))
        .filter_map(|b| {
            let owner = ctx.inv.accounts.iter().find_map(|a| {
                a.data
                    .s3_access_logs
                    .buckets
                    .value()
                    .and_then(|l| l.iter().find(|x| x.name == b))
                    .map(|x| (a, x))
            });
            match (owner, unlisted) {
                (Some((a, x)), _) => {
                    let doubt = ctx
                        .log_buckets
                        .doubt_about(&a.account_id, x.region.value().map(String::as_str))
                        .map(|why| format!("it may be a log bucket: {why}"));
                    Some((b, doubt))
                }
                (None, Some((a, e))) => Some((
                    b,
                    Some(format!(
                        "whether it is one of the organization's buckets is unknown: the buckets of account {} could not be listed ({}: {})",
                        a.account_id, e.iam_action, e.code
                    )),
                )),
                (None, None) => None,
            }
        })
        .collect()
}

pub fn trail_deps(ctx: &PlanCtx) -> Vec<String> {
    let mut d = crate::sources::organization::plan::access_dep(ctx, "cloudtrail.amazonaws.com");
    d.extend(crate::sources::log_archive::key_dep(ctx));
    let wanted = [
        format!(
            "s3_bucket.{}",
            crate::sources::log_archive::archive(ctx).bucket
        ),
        format!(
            "cloudwatch_log_group.{}",
            ctx.b.organization_trail.cloudwatch_logs.log_group
        ),
        format!(
            "iam_role.{}",
            ctx.b.organization_trail.cloudwatch_logs.role_name
        ),
    ];
    d.extend(
        ctx.changes
            .iter()
            .filter(|c| wanted.contains(&c.address))
            .map(|c| c.address.clone()),
    );
    d
}

fn trail(ctx: &mut PlanCtx) {
    let ot = ctx.b.organization_trail.clone();
    let ct = ctx.b.cloudtrail.clone();
    let is_org = ctx.inv.mode == ScopeMode::Organization;
    let cwl = ct.cloudwatch_logs.then(|| {
        (
            crate::sources::cloudtrail::plan::log_group_arn(ctx),
            ot.cloudwatch_logs.role_name.clone(),
        )
    });
    let mgmt = ctx.mgmt.clone();
    match crate::sources::cloudtrail::plan::managed_trail(ctx) {
        Lookup::Unknown(e) => {
            let (e, address) = (e.clone(), trail_address(ctx));
            ctx.unknown(
                &address,
                &mgmt,
                &ctx.plan_reads.cloudtrail.trail_region.clone(),
                "the management account's trails",
                &e,
            );
        }
        Lookup::Missing => {
            let settings = TrailSettings {
                bucket: Some(crate::sources::log_archive::archive(ctx).bucket.clone()),
                s3_key_prefix: ot.s3_key_prefix.clone(),
                multi_region: Some(ot.multi_region),
                include_global_service_events: Some(ot.include_global_service_events),
                log_file_validation: Some(ct.log_file_validation),
                organization: Some(is_org),
                kms_key: crate::sources::log_archive::archive(ctx).key.clone(),
                cloudwatch_logs: cwl,
            };
            let required = crate::sources::cloudtrail::plan::required_selectors(
                ctx,
                &EventSelectors::default(),
            );
            let mut attributes = vec![
                AttrChange::new(
                    "bucket",
                    None::<String>,
                    crate::sources::log_archive::archive(ctx).bucket.clone(),
                ),
                AttrChange::new("organization trail", None::<String>, yes_no(is_org)),
                AttrChange::new("multi-region", None::<String>, yes_no(ot.multi_region)),
                AttrChange::new(
                    "log file validation",
                    None::<String>,
                    yes_no(ct.log_file_validation),
                ),
                AttrChange::new(
                    "encryption",
                    None::<String>,
                    encryption_label(&crate::sources::log_archive::archive(ctx).key),
                ),
                AttrChange::new(
                    "event selectors",
                    None::<String>,
                    required
                        .iter()
                        .filter_map(|r| r.selector.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ];
            let mut ops = vec![
                super::apply::Op::CreateTrail {
                    name: ot.name.clone(),
                    settings,
                }
                .into(),
                super::apply::Op::MergeEventSelectors {
                    trail: ot.name.clone(),
                    required,
                }
                .into(),
            ];
            if !ct.insights.is_empty() {
                let names: Vec<String> = ct
                    .insights
                    .iter()
                    .map(|i| i.aws_name().to_string())
                    .collect();
                attributes.push(AttrChange::new(
                    "insights",
                    None::<String>,
                    names.join(", "),
                ));
                ops.push(
                    super::apply::Op::AddInsights {
                        trail: ot.name.clone(),
                        insights: names,
                    }
                    .into(),
                );
            }
            attributes.push(AttrChange::new("logging", None::<String>, "started"));
            ops.push(
                super::apply::Op::StartLogging {
                    trail: ot.name.clone(),
                }
                .into(),
            );
            let depends_on = crate::sources::cloudtrail::plan::trail_deps(ctx);
            ctx.push(Change {
                address: format!("cloudtrail_trail.{}", ot.name),
                action: Action::Create,
                account_id: mgmt,
                region: ctx.plan_reads.cloudtrail.trail_region.clone(),
                attributes,
                irreversible: false,
                manual: None,
                depends_on,
                ops,
            });
        }
        Lookup::Found(t) => {
            let address = format!("cloudtrail_trail.{}", t.name);
            let region = t.home_region.clone();
            let mut s = TrailSettings::default();
            let mut attributes = Vec::new();
            if ot.multi_region && !t.is_multi_region {
                s.multi_region = Some(true);
                attributes.push(AttrChange::new("multi-region", Some("false"), "true"));
            }
            if ot.include_global_service_events && !t.include_global_service_events {
                s.include_global_service_events = Some(true);
                attributes.push(AttrChange::new(
                    "global service events",
                    Some("false"),
                    "true",
                ));
            }
            if ct.log_file_validation && !t.log_file_validation_enabled {
                s.log_file_validation = Some(true);
                attributes.push(AttrChange::new(
                    "log file validation",
                    Some("false"),
                    "true",
                ));
            }
            if is_org && !t.is_organization_trail {
                s.organization = Some(true);
                attributes.push(AttrChange::new("organization trail", Some("false"), "true"));
            }
            if ct.kms_encryption && t.kms_key_id.is_none() {
                if let Some(k) = &crate::sources::log_archive::archive(ctx).key {
                    s.kms_key = Some(k.clone());
                    attributes.push(AttrChange::new(
                        "encryption",
                        Some("SSE-S3"),
                        encryption_label(&crate::sources::log_archive::archive(ctx).key),
                    ));
                }
            }
            if let Some(c) = cwl.filter(|_| t.cloudwatch_logs_log_group_arn.is_none()) {
                attributes.push(AttrChange::new(
                    "CloudWatch Logs",
                    Some("none"),
                    c.0.clone(),
                ));
                s.cloudwatch_logs = Some(c);
            }
            // The profile asks for less than the trail does: kept, and said.
            let mut more = Vec::new();
            if !ot.multi_region && t.is_multi_region {
                more.push("it is multi-region");
            }
            if !ct.log_file_validation && t.log_file_validation_enabled {
                more.push("log file validation is on");
            }
            if !ct.kms_encryption && t.kms_key_id.is_some() {
                more.push("it is encrypted with KMS");
            }
            if !ct.cloudwatch_logs && t.cloudwatch_logs_log_group_arn.is_some() {
                more.push("it delivers to CloudWatch Logs");
            }
            if t.insights.value().is_some_and(|have| {
                have.iter()
                    .any(|h| !ct.insights.iter().any(|i| i.aws_name() == h))
            }) {
                more.push("it has insights the profile does not ask for");
            }
            if ct.management_events == ManagementEvents::WriteOnly
                && t.selectors.value().is_some_and(|sel| {
                    crate::sources::cloudtrail::selectors::captures(
                        sel,
                        &ProbeEvent::management(true, "ec2.amazonaws.com", "DescribeInstances", ""),
                    )
                })
            {
                more.push("it records read management events too");
            }
            if ct.s3_data_events.is_none()
                && t.selectors.value().is_some_and(|sel| {
                    crate::sources::cloudtrail::selectors::captures(
                        sel,
                        &ProbeEvent::s3_object(
                            &ctx.inv.partition,
                            "logwarden-any-new-bucket",
                            false,
                            "",
                        ),
                    )
                })
            {
                more.push("it records S3 data events");
            }
            if !more.is_empty() {
                ctx.kept.push(note(
                    &address,
                    &mgmt,
                    &region,
                    format!(
                        "{}: more than the profile asks; kept (logwarden never narrows logging)",
                        more.join(", ")
                    ),
                ));
            }
            if t.s3_bucket_name.as_deref()
                != Some(crate::sources::log_archive::archive(ctx).bucket.as_str())
            {
                let other = t.s3_bucket_name.clone().unwrap_or_else(|| "?".into());
                let bucket_checks: Vec<String> = failing_checks(ctx, t)
                    .into_iter()
                    .filter(|c| c.starts_with("trail_bucket."))
                    .collect();
                if bucket_checks.is_empty() {
                    ctx.kept.push(note(&address, &mgmt, &region, format!(
                        "the trail delivers to bucket {other}, not the log archive {}; logwarden does not move a trail's logs, and that bucket meets the baseline",
                        crate::sources::log_archive::archive(ctx).bucket
                    )));
                } else {
                    ctx.push(Change::manual_step(
format!("s3_bucket_unmanaged.{other}"),
mgmt.clone(),
region.clone(),
AttrChange::new("failing checks", Some(bucket_checks.join(", ")), "none"),
format!("the organization trail delivers to bucket {other}, not the log archive {}, and the audit fails that bucket on {}; logwarden does not move a trail's logs", crate::sources::log_archive::archive(ctx).bucket, bucket_checks.join(", ")),
format!("aws cloudtrail update-trail --name {} --s3-bucket-name {} --region {region}   # after checking who reads {other}", t.arn, crate::sources::log_archive::archive(ctx).bucket),
));
                }
            }
            if region != ctx.plan_reads.cloudtrail.trail_region {
                ctx.kept.push(note(&address, &mgmt, &region, format!("the trail's home region is {region}, not {}; a trail cannot move, so it is completed where it is", ctx.plan_reads.cloudtrail.trail_region)));
            }
            let mut ops = Vec::new();
            if s != TrailSettings::default() {
                ops.push(
                    super::apply::Op::UpdateTrail {
                        name: t.name.clone(),
                        settings: s,
                    }
                    .into(),
                );
            }
            match t.selectors.as_result() {
                Ok(sel) => {
                    if ctx
                        .b
                        .cloudtrail
                        .s3_data_events
                        .as_ref()
                        .is_some_and(|d| d.resources == ResourceSet::All)
                    {
                        for (b, doubt) in excluded_data_buckets(ctx, sel) {
                            if let Some(why) = doubt {
                                ctx.unknown.push(note(&format!("s3_data_events.{b}"), &mgmt, &region, format!("trail {} leaves bucket {b} out of S3 data events and {why}; nothing is planned for it", t.name)));
                            }
                        }
                    }
                    let required = crate::sources::cloudtrail::plan::required_selectors(ctx, sel);
                    if let Some(next) = merged_selectors(sel, &required) {
                        let added: Vec<String> = next
                            .iter()
                            .filter(|n| !sel.advanced.contains(n))
                            .filter_map(|n| n.name.clone())
                            .collect();
                        let before = if sel.basic.is_empty() && sel.advanced.is_empty() {
                            "default (all management events)".to_string()
                        } else if sel.advanced.is_empty() {
                            format!("{} basic selector(s)", sel.basic.len())
                        } else {
                            format!("{} advanced selector(s)", sel.advanced.len())
                        };
                        attributes.push(AttrChange::new(
                            "event selectors",
                            Some(before),
                            format!(
                                "{} advanced selector(s), adding {}",
                                next.len(),
                                if added.is_empty() {
                                    "equivalents of the basic ones".into()
                                } else {
                                    added.join(", ")
                                }
                            ),
                        ));
                        ops.push(
                            super::apply::Op::MergeEventSelectors {
                                trail: t.name.clone(),
                                required,
                            }
                            .into(),
                        );
                    }
                }
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(&address, &mgmt, &region, "the event selectors", &e);
                }
            }
            if !ct.insights.is_empty() {
                match t.insights.as_result() {
                    Ok(have) => {
                        let missing: Vec<String> = ct
                            .insights
                            .iter()
                            .map(|i| i.aws_name().to_string())
                            .filter(|n| !have.contains(n))
                            .collect();
                        if !missing.is_empty() {
                            attributes.push(AttrChange::new(
                                "insights",
                                Some(if have.is_empty() {
                                    "none".into()
                                } else {
                                    have.join(", ")
                                }),
                                missing.join(", "),
                            ));
                            ops.push(
                                super::apply::Op::AddInsights {
                                    trail: t.name.clone(),
                                    insights: missing,
                                }
                                .into(),
                            );
                        }
                    }
                    Err(e) => {
                        let e = e.clone();
                        ctx.unknown(&address, &mgmt, &region, "the insight selectors", &e);
                    }
                }
            }
            match t.status.as_result() {
                Ok(st) if !st.is_logging => {
                    attributes.push(AttrChange::new("logging", Some("stopped"), "started"));
                    ops.push(
                        super::apply::Op::StartLogging {
                            trail: t.name.clone(),
                        }
                        .into(),
                    );
                }
                Ok(_) => {}
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(&address, &mgmt, &region, "the trail status", &e);
                }
            }
            if !ops.is_empty() {
                let depends_on = crate::sources::cloudtrail::plan::trail_deps(ctx);
                ctx.push(Change {
                    address,
                    action: Action::Update,
                    account_id: mgmt,
                    region,
                    attributes,
                    irreversible: false,
                    manual: None,
                    depends_on,
                    ops,
                });
            }
        }
    }
}

/// Trails logwarden does not manage: a duplicate copy of management events is a manual
/// step (logwarden never deletes a trail); anything else about them is the audit's to judge.
/// Failing audit findings on a trail and on the bucket it delivers to (unless that is the
/// log archive, which this plan manages).
pub fn failing_checks(ctx: &PlanCtx, t: &Trail) -> Vec<String> {
    let bucket = t
        .s3_bucket_name
        .as_deref()
        .filter(|b| *b != crate::sources::log_archive::archive(ctx).bucket)
        .map(|b| format!("arn:{}:s3:::{b}", ctx.inv.partition));
    let mut v: Vec<String> = ctx
        .evaluation
        .findings
        .iter()
        .filter(|f| f.status == crate::finding::Status::Fail)
        .filter(|f| {
            f.resource == t.arn
                || (f.check_id.starts_with("trail_bucket.") && Some(&f.resource) == bucket.as_ref())
        })
        .map(|f| f.check_id.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Trails logwarden does not manage (every trail but the organization trail). It never
/// changes or deletes them; where the audit fails them (a duplicate copy of management
/// events, a stopped trail, an unprotected bucket), that is a manual step naming the checks.
fn other_trails(ctx: &mut PlanCtx) {
    let (managed, unknown) = match managed_trail(ctx) {
        Lookup::Found(t) => (Some(t.arn.clone()), false),
        Lookup::Missing => (None, false),
        Lookup::Unknown(_) => (None, true),
    };
    for a in &ctx.inv.accounts {
        if unknown && a.account_id == ctx.mgmt {
            // Which of these trails logwarden manages is unknown (reported with the trail).
            continue;
        }
        for t in &a.data.cloudtrail.trails {
            if Some(&t.arn) == managed.as_ref() || t.name == CONTROL_TOWER_TRAIL {
                continue;
            }
            let owner = crate::arn::account_of(&t.arn)
                .unwrap_or(&a.account_id)
                .to_string();
            if owner != a.account_id {
                continue; // another account's organization trail, seen from a member
            }
            let records_management = t
                .selectors
                .value()
                .is_some_and(crate::sources::cloudtrail::selectors::records_management_events);
            let logging = t.status.value().is_some_and(|s| s.is_logging);
            let mut checks = crate::sources::cloudtrail::plan::failing_checks(ctx, t);
            let duplicate = records_management
                && logging
                && !ctx.b.cloudtrail.allow_duplicate_management_events
                && ctx.inv.mode == ScopeMode::Organization;
            if duplicate {
                checks.insert(0, "cloudtrail.duplicate_management_events".into());
            }
            let address = format!("cloudtrail_trail.{}", t.name);
            if checks.is_empty() {
                ctx.kept.push(note(&address, &owner, &t.home_region, "not managed by logwarden (it manages the organization trail); it meets the baseline"));
                continue;
            }
            let why = if duplicate {
                "it records management events the organization trail already records (every copy after the first is billed)"
            } else {
                "it is not the organization trail, which already covers this account"
            };
            ctx.push(Change::manual_step(
format!("cloudtrail_trail_unmanaged.{owner}.{}", t.name),
owner.clone(),
t.home_region.clone(),
AttrChange::new("failing checks", Some(checks.join(", ")), "none"),
format!("trail {} fails {}; {why}. logwarden manages only the organization trail and never deletes a trail: bring this one to the baseline yourself, or, once nobody depends on it, delete it", t.name, checks.join(", ")),
format!("aws cloudtrail delete-trail --name {} --region {}   # in account {owner}", t.arn, t.home_region),
));
        }
    }
}

fn field(name: &str, equals: &[&str]) -> FieldSelector {
    FieldSelector {
        field: name.into(),
        equals: equals.iter().map(|s| s.to_string()).collect(),
        ..FieldSelector::default()
    }
}
