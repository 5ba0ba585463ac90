//! The SCP's plan: when a member account is left unprotected, a manual step with the policy
//! document to create and attach to the root. logwarden never writes an SCP itself: a deny in
//! the wrong place locks people out of every account, so a person reviews and attaches it.

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
