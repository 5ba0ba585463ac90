//! The IAM permissions each command needs, generated from the code (`build.rs` reads every
//! AWS call site and each apply module's `IMPLIED` list), and the documents `logwarden
//! permissions` prints: an IAM policy, a list, Markdown, and a read-only audit role as a
//! CloudFormation (StackSets) template or Terraform.
//!
//! The phases build on each other: `plan` reads what `audit` reads and more, `apply` plans
//! again before it writes, `query` reads what `audit` reads and (with `--apply`) runs Athena.

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/permissions.rs"));
}

/// A command whose permissions are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Audit,
    Plan,
    Apply,
    Query,
    Evidence,
}

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::Audit,
        Phase::Plan,
        Phase::Apply,
        Phase::Query,
        Phase::Evidence,
    ];

    /// The phases whose actions this one needs (itself last).
    pub fn needs(self) -> &'static [Phase] {
        match self {
            Phase::Audit => &[Phase::Audit],
            Phase::Plan => &[Phase::Audit, Phase::Plan],
            Phase::Apply => &[Phase::Audit, Phase::Plan, Phase::Apply],
            Phase::Query => &[Phase::Audit, Phase::Query],
            Phase::Evidence => &[Phase::Audit, Phase::Evidence],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::Audit => "audit",
            Phase::Plan => "plan",
            Phase::Apply => "apply",
            Phase::Query => "query",
            Phase::Evidence => "evidence",
        }
    }

    /// The actions this phase adds to the previous one, with the files that call them.
    pub fn own(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Phase::Audit => generated::AUDIT,
            Phase::Plan => generated::PLAN,
            Phase::Apply => generated::APPLY,
            Phase::Query => generated::QUERY,
            Phase::Evidence => generated::EVIDENCE,
        }
    }
}

/// Every IAM action the command needs (its phase and the ones it builds on), sorted.
pub fn actions(phase: Phase) -> BTreeSet<&'static str> {
    phase
        .needs()
        .iter()
        .flat_map(|p| p.own().iter().map(|(a, _)| *a))
        .collect()
}

/// Actions only the management account (the caller) needs: the call sites marked
/// `// permissions: management account` (reading the organization, assuming the member roles,
/// the budgets).
fn caller_only(action: &str) -> bool {
    generated::MANAGEMENT_ONLY.contains(&action)
}

/// A ready IAM policy document for the caller of `phase` (who also works in each account
/// through `role_name`): `sts:AssumeRole` only on that role, `iam:PassRole` only to the
/// services that take logwarden's roles, the rest by service.
pub fn policy(phase: Phase, role_name: &str, partition: &str) -> Value {
    let all = actions(phase);
    let mut by_service: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for a in &all {
        if *a == "sts:AssumeRole" || *a == "iam:PassRole" {
            continue;
        }
        by_service
            .entry(a.split(':').next().unwrap_or(a))
            .or_default()
            .push(a);
    }
    let mut statements: Vec<Value> = by_service
        .into_iter()
        .map(|(svc, acts)| {
            json!({
                "Sid": format!("Logwarden{}{}", title(phase.name()), title(&svc.replace('-', ""))),
                "Effect": "Allow",
                "Action": acts,
                "Resource": "*",
            })
        })
        .collect();
    if all.contains("sts:AssumeRole") {
        statements.push(json!({
            "Sid": "LogwardenAssumeMemberRole",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": crate::arn::Partition(partition).iam_role("*", role_name),
        }));
    }
    if all.contains("iam:PassRole") {
        statements.push(json!({
            "Sid": "LogwardenPassDeliveryRoles",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:PassedToService": generated::PASSED_TO}},
        }));
    }
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn title(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The read-only audit role's inline policy: what `audit` calls inside a member account.
pub fn member_audit_policy() -> Value {
    let acts: Vec<&str> = actions(Phase::Audit)
        .into_iter()
        .filter(|a| !caller_only(a))
        .collect();
    json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "LogwardenAuditRead",
        "Effect": "Allow",
        "Action": acts,
        "Resource": "*",
    }]})
}

/// One action per line, with the phase that first needs it and the code that calls it.
pub fn list(phase: Phase) -> String {
    let mut out = String::new();
    for p in phase.needs() {
        for (a, files) in p.own() {
            if p.own_first(a) {
                out.push_str(&format!("{a}\t{}\t{}\n", p.name(), files.join(", ")));
            }
        }
    }
    out
}

impl Phase {
    /// Whether `action` is not already needed by a phase this one builds on.
    fn own_first(self, action: &str) -> bool {
        !self
            .needs()
            .iter()
            .filter(|p| **p != self)
            .any(|p| p.own().iter().any(|(a, _)| *a == action))
    }
}

/// `docs/permissions.md`: every phase's actions and where the code calls them.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Permissions\n\nGenerated from the code by `logwarden permissions --format markdown` (`build.rs` reads\nevery AWS call site and each apply module's `IMPLIED` list); `tests/docs.rs` keeps this file\nin sync. `logwarden permissions audit|plan|apply|query|evidence` prints a ready IAM policy, and\n`--format cloudformation` / `--format terraform` a read-only audit role for every member account.\n\nEach phase needs the actions of the phases before it: `plan` reads what `audit` reads, `apply`\nplans again before it writes; `query` reads what `audit` reads, and runs Athena with `--apply`;\n`evidence` reads what `audit` reads (unless given a saved inventory), the log objects and\nCloudTrail's public keys.\nActions marked *implied* are not calls logwarden makes: AWS\nauthorizes them on the caller during another call (passing a role, the log delivery behind an\nS3 destination, tagging a key).\n",
    );
    for p in Phase::ALL {
        out.push_str(&format!(
            "\n## {} ({} actions in all)\n\n| action | called from |\n|---|---|\n",
            p.name(),
            actions(p).len()
        ));
        for (a, files) in p.own() {
            if p.own_first(a) {
                let files: Vec<String> = files
                    .iter()
                    .map(|f| match f.strip_suffix(" (IMPLIED)") {
                        Some(f) => format!("`{f}` (implied)"),
                        None => format!("`{f}`"),
                    })
                    .collect();
                out.push_str(&format!("| `{a}` | {} |\n", files.join(", ")));
            }
        }
    }
    out
}

/// A CloudFormation template (deployable as a StackSet to every member account) for the
/// read-only audit role, trusted by one principal of the management account.
pub fn cloudformation(role_name: &str) -> String {
    let policy = serde_json::to_string_pretty(&member_audit_policy()).unwrap_or_default();
    let indented: String = policy
        .lines()
        .map(|l| format!("            {l}\n"))
        .collect();
    format!(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: >-\n  Read-only role logwarden audit assumes in every account (deploy with a service-managed\n  StackSet to the organization). Generated by `logwarden permissions audit --format cloudformation`.\nParameters:\n  AuditorPrincipalArn:\n    Type: String\n    Description: The IAM role or user in the management account that runs `logwarden audit`.\nResources:\n  LogwardenAuditRole:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: {role_name}\n      MaxSessionDuration: 3600\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Principal:\n              AWS: !Ref AuditorPrincipalArn\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: logwarden-audit-read\n          PolicyDocument:\n{indented}Outputs:\n  RoleArn:\n    Value: !GetAtt LogwardenAuditRole.Arn\n"
    )
}

/// The same role as Terraform (one `aws` provider per member account, or a module per account).
pub fn terraform(role_name: &str) -> String {
    let policy = serde_json::to_string_pretty(&member_audit_policy()).unwrap_or_default();
    format!(
        "# Read-only role logwarden audit assumes in each member account.\n# Generated by `logwarden permissions audit --format terraform`.\nvariable \"auditor_principal_arn\" {{\n  description = \"The IAM role or user in the management account that runs `logwarden audit`.\"\n  type        = string\n}}\n\nresource \"aws_iam_role\" \"logwarden_audit\" {{\n  name                 = \"{role_name}\"\n  max_session_duration = 3600\n  assume_role_policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect    = \"Allow\"\n      Principal = {{ AWS = var.auditor_principal_arn }}\n      Action    = \"sts:AssumeRole\"\n    }}]\n  }})\n}}\n\nresource \"aws_iam_role_policy\" \"logwarden_audit_read\" {{\n  name   = \"logwarden-audit-read\"\n  role   = aws_iam_role.logwarden_audit.id\n  policy = <<-POLICY\n{policy}\n  POLICY\n}}\n"
    )
}

#[cfg(test)]
mod scan {
    #![allow(dead_code)]
    include!("../build/scan.rs");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn the_scanner_misses_no_aws_call() {
        // Every call that sends a request names its action among its first two arguments, so
        // build.rs lists it; the only wrapper calls without one forward their caller's action.
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut sends = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for args in scan::wrapper_calls(&text) {
                if !args.contains(".send()") {
                    continue;
                }
                sends += 1;
                assert!(
                    scan::first_action(scan::args_prefix(args)).is_some(),
                    "{}: an AWS call without its IAM action as a literal: ({args}",
                    f.display()
                );
            }
        }
        assert!(sends > 80, "{sends} call sites found");
    }

    #[test]
    fn the_lists_come_from_the_call_sites() {
        let audit = actions(Phase::Audit);
        for a in [
            "cloudtrail:DescribeTrails",
            "organizations:ListRoots",
            "organizations:ListAccountsForParent",
            "organizations:ListOrganizationalUnitsForParent",
            "sts:AssumeRole",
            "budgets:ViewBudget",
        ] {
            assert!(audit.contains(a), "audit lacks {a}");
        }
        // Write actions never reach the audit's list.
        assert!(
            audit.iter().all(|a| {
                let op = a.split(':').nth(1).unwrap_or("");
                ![
                    "Put",
                    "Create",
                    "Update",
                    "Delete",
                    "Start",
                    "Modify",
                    "Enable",
                    "Associate",
                    "Attach",
                ]
                .iter()
                .any(|w| op.starts_with(w))
            }),
            "{audit:?}"
        );
        let plan = actions(Phase::Plan);
        assert!(plan.contains("iam:GetRole") && !audit.contains("iam:GetRole"));
        assert!(plan.contains("logs:DescribeLogGroups"));
        // Marked `// permissions: plan`: read only for the buckets plan manages.
        assert!(plan.contains("s3:GetEncryptionConfiguration"));
        assert!(!audit.contains("s3:GetEncryptionConfiguration"));
        let apply = actions(Phase::Apply);
        assert!(plan.is_subset(&apply) && audit.is_subset(&plan));
        for a in [
            "cloudtrail:CreateTrail",
            "kms:PutKeyPolicy",
            "s3:PutLifecycleConfiguration",
            "iam:PassRole",
            "logs:CreateLogDelivery",
            "kms:TagResource",
            "route53resolver:AssociateResolverQueryLogConfig",
        ] {
            assert!(apply.contains(a), "apply lacks {a}");
        }
    }

    #[test]
    fn every_apply_operation_names_an_action_on_the_list() {
        // The action each operation names for its messages (`iam_action`) is one apply is
        // granted: read from every source's apply.rs.
        let apply = actions(Phase::Apply);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sources");
        let mut named = 0;
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let Ok(text) = std::fs::read_to_string(e.path().join("apply.rs")) else {
                continue;
            };
            let Some(i) = text.find("fn iam_action") else {
                continue;
            };
            let body = &text[i..];
            let body = &body[..body.find("\n    }\n").unwrap_or(body.len())];
            for a in scan::actions(body) {
                named += 1;
                assert!(
                    apply.contains(a),
                    "{}: {a} is not granted",
                    e.path().display()
                );
            }
        }
        assert!(named >= 20, "{named} operations found");
    }

    #[test]
    fn the_policy_limits_assume_role_and_pass_role() {
        let p = policy(Phase::Apply, "logwarden-apply", "aws");
        let st = p["Statement"].as_array().unwrap();
        let assume = st.iter().find(|s| s["Action"] == "sts:AssumeRole").unwrap();
        assert_eq!(assume["Resource"], "arn:aws:iam::*:role/logwarden-apply");
        let pass = st.iter().find(|s| s["Action"] == "iam:PassRole").unwrap();
        // The services the apply modules hand roles to (their PASSES_ROLE_TO lists).
        assert_eq!(
            pass["Condition"]["StringEquals"]["iam:PassedToService"],
            json!([
                "cloudtrail.amazonaws.com",
                "config.amazonaws.com",
                "vpc-flow-logs.amazonaws.com"
            ])
        );
        // The member role is named in the caller's partition.
        let gov = policy(Phase::Audit, "logwarden-audit", "aws-us-gov");
        let assume = gov["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["Action"] == "sts:AssumeRole")
            .unwrap();
        assert_eq!(
            assume["Resource"],
            "arn:aws-us-gov:iam::*:role/logwarden-audit"
        );
        // Every action appears exactly once.
        let mut seen = BTreeSet::new();
        for s in st {
            match &s["Action"] {
                Value::String(a) => assert!(seen.insert(a.clone())),
                Value::Array(v) => {
                    for a in v {
                        assert!(seen.insert(a.as_str().unwrap().to_string()), "{a}");
                    }
                }
                other => panic!("{other}"),
            }
        }
        let want: BTreeSet<String> = actions(Phase::Apply)
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn the_member_role_reads_only() {
        let p = member_audit_policy();
        let acts = p["Statement"][0]["Action"].as_array().unwrap();
        assert!(acts.iter().any(|a| a == "cloudtrail:GetTrailStatus"));
        assert!(!acts.iter().any(|a| a == "sts:AssumeRole"
            || a.as_str().unwrap().starts_with("organizations:")
            || a.as_str().unwrap().starts_with("budgets:")));
        // What the management account alone calls comes from the marked call sites.
        assert!(generated::MANAGEMENT_ONLY.contains(&"organizations:ListPolicies"));
        assert!(generated::MANAGEMENT_ONLY.contains(&"budgets:ViewBudget"));
        assert!(!generated::MANAGEMENT_ONLY.contains(&"sts:GetCallerIdentity"));
        let cfn = cloudformation("logwarden-audit");
        assert!(cfn.contains("RoleName: logwarden-audit"));
        assert!(cfn.contains("\"cloudtrail:GetTrailStatus\""));
        let tf = terraform("logwarden-audit");
        assert!(tf.contains("name                 = \"logwarden-audit\""));
        assert!(tf.contains("\"s3:GetBucketPolicy\""));
    }
}
