//! The SCP's plan: when a member account is left unprotected, a manual step with the policy
//! document to create and attach to the root: a deny in the wrong place locks people out of
//! every account, so by default a person reviews and attaches it. With
//! `scp_protection.managed`, the plan proposes the SCP (and an RCP on the log archive account
//! for its buckets and keys) as changes, shown in full, which `apply` makes only with
//! `--allow-scp`; a document that would deny logwarden's own apply role is never proposed.

use super::resources::{log_group, Kind, LogResources};
use crate::finding::Status;
use crate::plan::{note, AttrChange};
use crate::sources::Change;
use crate::sources::PlanCtx;
use serde_json::{json, Value};

/// The SCP document that denies `actions` to everyone but the `exempt` roles (ARN patterns):
/// actions on S3, KMS and CloudWatch Logs only on the log resources (denying them on every
/// bucket would stop all work; an action whose kind of resource holds no logs is left out), the
/// others on every resource.
pub fn document(actions: &[String], resources: &LogResources, exempt: &[String]) -> Value {
    let condition = json!({"ArnNotLike": {"aws:PrincipalArn": exempt}});
    let mut statements = Vec::new();
    let mut push = |sid: &str, acts: Vec<&String>, resource: Value| {
        if !acts.is_empty() && resource != json!([]) {
            statements.push(json!({
                "Sid": sid,
                "Effect": "Deny",
                "Action": acts,
                "Resource": resource,
                "Condition": condition,
            }));
        }
    };
    // The actions on one kind of resource (S3's split: bucket actions, object actions).
    let of = |kind: Option<Kind>, object: bool| -> Vec<&String> {
        actions
            .iter()
            .filter(|a| Kind::of(a) == kind && a.to_ascii_lowercase().contains("object") == object)
            .collect()
    };
    let every = |kind| actions.iter().filter(|a| Kind::of(a) == kind).collect();
    push("LogwardenProtectLogging", every(None), json!("*"));
    let buckets = resources.arns(Kind::Bucket);
    push(
        "LogwardenProtectLogBuckets",
        of(Some(Kind::Bucket), false),
        json!(buckets),
    );
    let objects: Vec<String> = buckets.iter().map(|b| format!("{b}/*")).collect();
    push(
        "LogwardenProtectLogObjects",
        of(Some(Kind::Bucket), true),
        json!(objects),
    );
    push(
        "LogwardenProtectLogKeys",
        every(Some(Kind::Key)),
        json!(resources.arns(Kind::Key)),
    );
    let groups: Vec<String> = resources
        .arns(Kind::LogGroup)
        .into_iter()
        .flat_map(|g| [g.clone(), format!("{g}:*")])
        .collect();
    push(
        "LogwardenProtectLogGroups",
        every(Some(Kind::LogGroup)),
        json!(groups),
    );
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The log resources the document names: every log bucket (and the log archive the plan
/// manages), the keys trails encrypt with and the log groups they deliver to.
fn log_resources(ctx: &PlanCtx) -> LogResources {
    let partition = crate::arn::Partition(&ctx.inv.partition);
    let mut r = LogResources::default();
    let archive = crate::sources::log_archive::archive(ctx);
    for b in ctx
        .log_buckets
        .names
        .iter()
        .chain(std::iter::once(&archive.bucket))
    {
        r.add("", Kind::Bucket, partition.s3_bucket(b));
    }
    for a in &ctx.inv.accounts {
        for t in &a.data.cloudtrail.trails {
            if let Some(k) = t.kms_key_id.as_deref().filter(|k| k.starts_with("arn:")) {
                r.add("", Kind::Key, k.to_string());
            }
            if let Some(g) = &t.cloudwatch_logs_log_group_arn {
                r.add("", Kind::LogGroup, log_group(g));
            }
        }
    }
    r
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
    // The audit's verdict per member: failing ones get the policy; where it could not decide
    // (a policy it cannot read, a condition it cannot judge), nothing is planned on a guess.
    let with = |status: Status| -> Vec<String> {
        ctx.evaluation
            .findings
            .iter()
            .filter(|f| f.check_id == "scp.protects_logging" && f.status == status)
            .filter_map(|f| f.account_id.clone())
            .collect()
    };
    let (unprotected, undecided) = (with(Status::Fail), with(Status::Unknown));
    if !undecided.is_empty() && m.access.error().is_none() {
        let mgmt = ctx.mgmt.clone();
        ctx.unknown.push(note(
            &address,
            &mgmt,
            "global",
            format!(
                "whether the policies in force protect the logging of {} is unknown (see scp.protects_logging); nothing is planned for them",
                undecided.join(", ")
            ),
        ));
    }
    if unprotected.is_empty() {
        return;
    }
    let partition = ctx.inv.partition.clone();
    let (_, apply_role) = crate::profile::access::resolve(&ctx.b.access, None, None);
    let exempt: Vec<String> = std::iter::once(&apply_role)
        .chain(&want.exempt_roles)
        .map(|r| format!("arn:{partition}:iam::*:role/{r}"))
        .collect();
    let doc = document(&want.actions, &log_resources(ctx), &exempt).to_string();
    let enable = if scps.enabled {
        String::new()
    } else {
        "aws organizations enable-policy-type --root-id ROOT_ID --policy-type SERVICE_CONTROL_POLICY && ".into()
    };
    let count = unprotected.len();
    // AWS refuses an SCP over 5,120 characters (AWS Organizations quotas).
    let too_long = if doc.len() > 5120 {
        format!(
            "; the document is {} characters, over the 5,120 an SCP may have: name the log buckets with wildcards (arn:{partition}:s3:::org-logs-*)",
            doc.len()
        )
    } else {
        String::new()
    };
    let break_glass = if want.exempt_roles.is_empty() {
        format!("it exempts only logwarden's apply role {apply_role}: list break-glass roles in scp_protection.exempt_roles")
    } else {
        format!(
            "it exempts logwarden's apply role {apply_role} and {}",
            want.exempt_roles.join(", ")
        )
    };
    if want.managed && too_long.is_empty() {
        let guard = format!("arn:{partition}:iam::{}:role/{apply_role}", ctx.mgmt);
        managed(ctx, scps, &want, &doc, &guard, &exempt, &unprotected);
        return;
    }
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
            "{count} member account(s) can turn their logging off ({}); an SCP can lock people out, so a person reviews and attaches it ({break_glass}){too_long}",
            unprotected.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                + if count > 5 { ", ..." } else { "" }
        ),
        format!(
            "{enable}aws organizations create-policy --type SERVICE_CONTROL_POLICY --name {} --description 'Deny turning logging off' --content '{doc}'   # then: aws organizations attach-policy --policy-id ID --target-id ROOT_ID",
            want.policy_name
        ),
    ));
}

/// The RCP for the log archive account: the S3 and KMS statements of the SCP's document, for
/// every principal (RCPs require `Principal: "*"`), on its log buckets and keys.
pub fn storage_document(scp: &Value) -> Option<Value> {
    let statements: Vec<Value> = scp["Statement"]
        .as_array()?
        .iter()
        .filter(|s| {
            matches!(
                s["Sid"].as_str(),
                Some(
                    "LogwardenProtectLogBuckets"
                        | "LogwardenProtectLogObjects"
                        | "LogwardenProtectLogKeys"
                )
            )
        })
        .map(|s| {
            let mut s = s.clone();
            s["Principal"] = json!("*");
            s
        })
        .collect();
    (!statements.is_empty()).then(|| json!({"Version": "2012-10-17", "Statement": statements}))
}

/// The SCP and the log archive's RCP as changes (unless logwarden's policy of that name is
/// already in force with this document).
fn managed(
    ctx: &mut PlanCtx,
    scps: &super::model::Scps,
    want: &super::profile::ScpProtection,
    doc: &str,
    guard: &str,
    exempt: &[String],
    unprotected: &[String],
) {
    use super::apply::{denies_principal, AttachTo, Op};
    use super::model::PolicyKind;
    let Ok(scp) = serde_json::from_str::<Value>(doc) else {
        return;
    };
    let archive = crate::sources::log_archive::archive(ctx).account_id.clone();
    let mut wanted = vec![(
        PolicyKind::Scp,
        want.policy_name.clone(),
        scp.clone(),
        AttachTo::Root,
    )];
    if let Some(rcp) = storage_document(&scp) {
        wanted.push((
            PolicyKind::Rcp,
            format!("{}-storage", want.policy_name),
            rcp,
            AttachTo::Account(archive.clone()),
        ));
    }
    let root = scps
        .ancestors
        .values()
        .filter_map(|a| a.last())
        .next()
        .cloned();
    for (kind, name, content, attach_to) in wanted {
        let address = format!("organizations_policy.{name}");
        let target = match &attach_to {
            AttachTo::Root => root.clone().unwrap_or_default(),
            AttachTo::Account(a) => a.clone(),
        };
        let existing = scps
            .policies
            .iter()
            .find(|p| p.kind == kind && p.name == name);
        let in_force = existing.is_some_and(|p| {
            serde_json::from_str::<Value>(&p.content).ok().as_ref() == Some(&content)
                && p.targets.contains(&target)
        });
        if in_force {
            continue;
        }
        if denies_principal(&content, guard) {
            let mgmt = ctx.mgmt.clone();
            ctx.unknown.push(note(
                &address,
                &mgmt,
                "global",
                format!(
                    "the {} document would deny logwarden's own role {guard}; nothing is planned",
                    kind.as_str()
                ),
            ));
            continue;
        }
        let mut attributes = vec![
            AttrChange::new("type", None::<String>, kind.as_str()),
            AttrChange::new(
                "attached to",
                None::<String>,
                match &attach_to {
                    AttachTo::Root => format!("{} (every member account)", target),
                    AttachTo::Account(a) => format!("{a} (the log archive account)"),
                },
            ),
            AttrChange::new("exempt principals", None::<String>, exempt.join(", ")),
            AttrChange::new(
                "document",
                existing.map(|p| p.content.clone()),
                content.to_string(),
            ),
        ];
        if kind == PolicyKind::Scp {
            attributes.insert(
                1,
                AttrChange::new(
                    "protects",
                    None::<String>,
                    format!(
                        "{} member account(s) that can turn their logging off",
                        unprotected.len()
                    ),
                ),
            );
        }
        ctx.push(
            Change::new(
                address,
                if existing.is_some() {
                    crate::plan::Action::Update
                } else {
                    crate::plan::Action::Create
                },
                ctx.mgmt.clone(),
                "global",
                attributes,
                vec![Op::EnsurePolicy {
                    kind,
                    name,
                    content,
                    attach_to,
                    guard: guard.to_string(),
                }
                .into()],
            )
            .organization_policy(),
        );
    }
}
