//! The plan engine end to end: order, determinism, what is never planned, how a plan reads.

use crate::engine::Registry;
use crate::inventory::ScopeMode;
use crate::plan::testutil::*;
use crate::plan::PlanError;
use crate::plan::*;
use crate::rules::testutil::*;
use crate::sources::Op;
use crate::sources::Plan;

#[test]
fn a_bare_organization_gets_everything_in_dependency_order() {
    let p = plan(&profile(""), "t.yaml", &managed_org(), NOW).unwrap();
    let key = "kms_key.alias/logwarden-log-archive";
    let bucket = format!("s3_bucket.{ARCHIVE}");
    let trail = "cloudtrail_trail.logwarden-organization-trail";
    for a in [
        "organizations_service_access.cloudtrail.amazonaws.com",
        key,
        &bucket,
        "cloudwatch_log_group./logwarden/organization-trail",
        "iam_role.logwarden-cloudtrail-cloudwatch-logs",
        trail,
        "config_recorder.222222222222.eu-west-1",
        "config_aggregator.logwarden-organization",
        "budget.logwarden-logging-cost",
    ] {
        assert!(
            addresses(&p).contains(&a),
            "{a} missing: {:?}",
            addresses(&p)
        );
    }
    assert!(pos(&p, key) < pos(&p, &bucket) && pos(&p, &bucket) < pos(&p, trail));
    let t = change(&p, trail);
    assert_eq!(t.action, Action::Create);
    for dep in [
        key,
        bucket.as_str(),
        "organizations_service_access.cloudtrail.amazonaws.com",
    ] {
        assert!(
            t.depends_on.iter().any(|d| d == dep),
            "{dep} not in {:?}",
            t.depends_on
        );
    }
    // Create, then selectors, then start: logging is the last step.
    assert!(
        matches!(t.ops.first(), Some(Op::Cloudtrail(crate::sources::cloudtrail::apply::Op::CreateTrail { settings, .. }))
        if settings.organization == Some(true) && settings.log_file_validation == Some(true)
            && settings.bucket.as_deref() == Some(ARCHIVE))
    );
    assert!(matches!(
        t.ops.last(),
        Some(Op::Cloudtrail(
            crate::sources::cloudtrail::apply::Op::StartLogging { .. }
        ))
    ));
    // Every delivery into the archive waits for its policy.
    let cfg = change(&p, "config_recorder.222222222222.us-east-1");
    assert!(cfg.depends_on.contains(&bucket));
    assert!(matches!(
        cfg.ops[0],
        Op::Config(crate::sources::config::apply::Op::PutRecorder {
            include_global_resource_types: true,
            ..
        })
    ));
    let cfg2 = change(&p, "config_recorder.222222222222.eu-west-1");
    assert!(matches!(
        cfg2.ops[0],
        Op::Config(crate::sources::config::apply::Op::PutRecorder {
            include_global_resource_types: false,
            ..
        })
    ));
    assert_eq!(
        p.summary(),
        format!(
            "Plan: {} to create, {} to change, 0 manual.",
            p.count(Action::Create),
            p.count(Action::Update)
        )
    );
    assert!(p.changes.iter().all(|c| !c.irreversible));
    assert_eq!(p.fingerprint, p.seal());
    assert_eq!(p.fingerprint.len(), 64);
    // The seal is SHA-256 of the profile, scope and changes as JSON, whether streamed or not:
    // plans saved by earlier versions keep their fingerprints.
    use sha2::Digest;
    let text = serde_json::to_string(&(&p.baseline, &p.scope, &p.changes)).unwrap();
    assert_eq!(
        p.fingerprint,
        hex::encode(sha2::Sha256::digest(text.as_bytes()))
    );
    // And any change to a change changes it.
    let mut tampered = p.clone();
    tampered.changes[0].address.push('x');
    assert_ne!(tampered.seal(), p.fingerprint);
}

#[test]
fn unreadable_resources_plan_nothing_and_say_so() {
    let mut inv = managed_org();
    acct(&mut inv, MEMBER).regions[0].data.config.recorders = denied(
        MEMBER,
        Some(R1),
        "DescribeConfigurationRecorders",
        "config:DescribeConfigurationRecorders",
    );
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    assert!(!addresses(&p).contains(&"config_recorder.222222222222.us-east-1"));
    let n = p
        .unknown
        .iter()
        .find(|n| n.resource == "config_recorder.222222222222.us-east-1")
        .unwrap();
    assert!(n.message.contains("config:DescribeConfigurationRecorders"));
}

#[test]
fn plan_needs_the_managed_state_and_the_management_account() {
    assert_eq!(
        plan(&profile(""), "t.yaml", &org(), NOW).unwrap_err(),
        PlanError::NoManagedState
    );
    let mut inv = managed_org();
    inv.caller_account_id = MEMBER.into();
    assert!(matches!(
        plan(&profile(""), "t.yaml", &inv, NOW),
        Err(PlanError::NotManagement { .. })
    ));
}

#[test]
fn planning_is_deterministic() {
    let inv = managed_org();
    let a = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let b = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    assert_eq!(a.changes, b.changes);
    assert_eq!(a.fingerprint, b.fingerprint);
}

#[test]
fn the_text_plan_reads_like_terraform() {
    let mut inv = managed_org();
    let mut t = trail(MGMT, "logwarden-organization-trail", R1, true, true);
    t.log_file_validation_enabled = false;
    add_trail(&mut inv, t);
    let p = plan(
        &profile("trail_bucket:\n  mfa_delete: true\n  lifecycle: null\n"),
        "t.yaml",
        &inv,
        NOW,
    )
    .unwrap();
    let text = render::text(&p);
    assert!(
        text.contains("  + kms_key.alias/logwarden-log-archive  (111111111111 us-east-1)"),
        "{text}"
    );
    assert!(
        text.contains("  ~ cloudtrail_trail.logwarden-organization-trail"),
        "{text}"
    );
    assert!(
        text.contains("      log file validation: false → true"),
        "{text}"
    );
    assert!(text.contains("  ! s3_bucket_mfa_delete."), "{text}");
    assert!(
        text.contains("      run: aws s3api put-bucket-versioning"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .lines()
            .rev()
            .any(|l| l.starts_with("Plan: ")),
        "{text}"
    );
}

/// Every policy statement a plan writes (bucket and key policies, role documents).
fn written_statements(p: &Plan) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for c in &p.changes {
        for op in &c.ops {
            let v = serde_json::to_value(op).unwrap();
            let mut docs: Vec<serde_json::Value> = Vec::new();
            if let Some(s) = v["statements"].as_array() {
                docs.extend(s.iter().cloned());
            }
            for k in ["policy", "trust_policy", "inline_policy"] {
                if let Some(s) = v[k]["Statement"].as_array() {
                    docs.extend(s.iter().cloned());
                }
            }
            out.extend(docs.into_iter().map(|s| (c.address.clone(), s)));
        }
    }
    out
}

#[test]
fn every_statement_written_is_owned_and_conditioned_and_every_bucket_is_tls_only() {
    let mut b = profile("s3_access_logs: {}\n");
    b.elb_access_logs.bucket = "{org_id}-elb-logs-{account_id}-{region}".into();
    let mut inv = managed_org();
    acct(&mut inv, MEMBER).regions[0]
        .data
        .elb_access_logs
        .load_balancers = ok(vec![crate::sources::elb_access_logs::model::LoadBalancer {
        id: "arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/app/a/1".into(),
        name: "a".into(),
        kind: crate::sources::elb_access_logs::model::LoadBalancerKind::Application,
        access_logs_enabled: ok(false),
        access_logs_bucket: None,
        access_logs_prefix: None,
    }]);
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    let statements = written_statements(&p);
    assert!(statements.len() > 10, "{statements:#?}");
    for (address, s) in &statements {
        let sid = s["Sid"].as_str().unwrap_or_default();
        if sid == "EnableIamUserPermissions" {
            continue; // the new key's administration by the account (never locked out)
        }
        assert!(sid.starts_with("Logwarden"), "{address}: {s}");
        let is_elb_account = sid == "LogwardenElbAccessLogs";
        let is_permission = s.get("Principal").is_none();
        assert!(
            s.get("Condition").is_some() || is_elb_account || is_permission,
            "{address}: {sid} has no condition"
        );
    }
    let buckets: Vec<&String> = p
        .changes
        .iter()
        .filter(|c| c.address.starts_with("s3_bucket."))
        .map(|c| &c.address)
        .collect();
    assert!(buckets.len() >= 3, "{buckets:?}");
    for bucket in buckets {
        assert!(
            statements
                .iter()
                .any(|(a, s)| a == bucket && s["Sid"] == "LogwardenDenyInsecureTransport"),
            "{bucket} is not TLS-only"
        );
    }
}

#[test]
fn outside_an_organization_delivering_services_act_for_the_account() {
    let mut inv = managed_org();
    inv.mode = ScopeMode::SingleAccount;
    inv.organization = None;
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let statements = written_statements(&p);
    let config = statements
        .iter()
        .find(|(_, s)| s["Sid"] == "LogwardenConfigWrite")
        .expect("Config delivers to the log archive");
    assert_eq!(
        config.1["Condition"]["StringEquals"]["aws:SourceAccount"],
        MGMT
    );
    let trail = statements
        .iter()
        .find(|(_, s)| s["Sid"] == "LogwardenCloudTrailWrite")
        .unwrap();
    assert_eq!(trail.1["Resource"].as_array().unwrap().len(), 1);
}

fn unknown_resources(p: &Plan) -> Vec<&str> {
    p.unknown.iter().map(|n| n.resource.as_str()).collect()
}

#[test]
fn trails_that_could_not_be_listed_are_never_created_again() {
    let mut inv = managed_org();
    acct(&mut inv, MGMT).regions[1].data.cloudtrail.trails = denied(
        MGMT,
        Some(R2),
        "DescribeTrails",
        "cloudtrail:DescribeTrails",
    );
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let trail = "cloudtrail_trail.logwarden-organization-trail";
    // The organization trail may exist in the region that could not be listed.
    assert!(!addresses(&p).contains(&trail), "{:?}", addresses(&p));
    let bucket = format!("s3_bucket.{ARCHIVE}");
    for blocked in [
        trail,
        "cloudwatch_log_group./logwarden/organization-trail",
        "iam_role.logwarden-cloudtrail-cloudwatch-logs",
        // Their policies name the organization trail, which may be another than the profile's.
        "kms_key.alias/logwarden-log-archive",
        bucket.as_str(),
    ] {
        assert!(
            unknown_resources(&p).contains(&blocked),
            "{blocked}: {:?}",
            unknown_resources(&p)
        );
    }
    let note = p.unknown.iter().find(|n| n.resource == trail).unwrap();
    assert!(
        note.message.contains("cloudtrail:DescribeTrails"),
        "{}",
        note.message
    );
}

#[test]
fn an_unreadable_archive_key_blocks_what_encrypts_with_it_and_never_downgrades() {
    let mut inv = managed_org();
    inv.managed.as_mut().unwrap().log_archive.key =
        denied(MGMT, Some(R1), "DescribeKey", "kms:DescribeKey");
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let bucket = format!("s3_bucket.{ARCHIVE}");
    for blocked in [
        "kms_key.alias/logwarden-log-archive",
        bucket.as_str(),
        "cloudtrail_trail.logwarden-organization-trail",
        "config_recorder.222222222222.us-east-1",
    ] {
        assert!(
            unknown_resources(&p).contains(&blocked),
            "{blocked}: {:?}",
            unknown_resources(&p)
        );
        assert!(!addresses(&p).contains(&blocked), "{blocked} is planned");
    }
    // Nothing that would have used the key is planned without it: the archive bucket is not
    // touched at all (access-log buckets use SSE-S3 by design: S3 cannot deliver to SSE-KMS).
    let json = serde_json::to_string(&p.changes).unwrap();
    assert!(!json.contains(ARCHIVE), "{json}");
}

#[test]
fn an_account_that_could_not_be_entered_is_listed_once_and_nothing_is_planned_in_it() {
    let mut inv = managed_org();
    acct(&mut inv, MEMBER).access = denied(MEMBER, None, "AssumeRole", "sts:AssumeRole");
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    assert!(
        p.changes.iter().all(|c| c.account_id != MEMBER),
        "{:?}",
        addresses(&p)
    );
    let note = p
        .unknown
        .iter()
        .find(|n| n.resource == format!("account.{MEMBER}"))
        .expect("the account is listed as unreadable");
    assert!(note.message.contains("sts:AssumeRole"), "{}", note.message);
}

#[test]
fn plan_refuses_to_guess_the_organization_it_could_not_read() {
    let mut inv = managed_org();
    inv.mode = ScopeMode::Accounts;
    inv.mode_reason = Some("organizations:DescribeOrganization: AccessDenied".into());
    let err = plan(&profile(""), "t.yaml", &inv, NOW).unwrap_err();
    assert!(matches!(err, PlanError::OrganizationUnread { .. }));
    assert!(
        err.to_string()
            .contains("organizations:DescribeOrganization"),
        "{err}"
    );
}

#[test]
fn a_saved_plan_is_read_only_whole_and_with_a_valid_profile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let scope = PlanScope {
        accounts: Some(vec![MEMBER.into()]),
        exclude_accounts: vec![],
        regions: Some(vec![R1.into()]),
    };
    let p = plan(&profile(""), "t.yaml", &managed_org(), NOW)
        .unwrap()
        .with_scope(scope.clone());
    std::fs::write(&path, serde_json::to_string_pretty(&p).unwrap()).unwrap();
    let back: Plan = load(&path, crate::sources::Sources::validate).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.scope, scope);

    // Edited after it was made (another budget amount): refused.
    let mut edited: serde_json::Value = serde_json::to_value(&p).unwrap();
    edited["baseline"]["budgets"]["amount"] = serde_json::json!(99999);
    std::fs::write(&path, edited.to_string()).unwrap();
    let err = load::<crate::sources::Sources>(&path, crate::sources::Sources::validate)
        .unwrap_err()
        .to_string();
    assert!(err.contains("was changed after it was made"), "{err}");

    // The scope is covered too.
    let mut edited: serde_json::Value = serde_json::to_value(&p).unwrap();
    edited["scope"]["regions"] = serde_json::json!(["eu-west-1"]);
    std::fs::write(&path, edited.to_string()).unwrap();
    assert!(
        load::<crate::sources::Sources>(&path, crate::sources::Sources::validate)
            .unwrap_err()
            .to_string()
            .contains("was changed after it was made")
    );

    // Consistent but with a profile no profile file could have: validated like any profile.
    let mut bad = p.clone();
    bad.baseline.resolver_query_logs = Some(
        crate::sources::resolver_query_logs::profile::ResolverQueryLogsBaseline {
            vpc_tags: Default::default(),
            config_name: "12345".into(),
        },
    );
    let bad = bad.clone().with_scope(bad.scope.clone());
    std::fs::write(&path, serde_json::to_string(&bad).unwrap()).unwrap();
    let err = load::<crate::sources::Sources>(&path, crate::sources::Sources::validate)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the profile inside") && err.contains("config_name"),
        "{err}"
    );

    // An older format is refused with the way forward.
    let mut old: serde_json::Value = serde_json::to_value(&p).unwrap();
    old["format_version"] = serde_json::json!(1);
    std::fs::write(&path, old.to_string()).unwrap();
    let err = load::<crate::sources::Sources>(&path, crate::sources::Sources::validate)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("plan format 1") && err.contains("make the plan again"),
        "{err}"
    );

    // A field of the wrong type: the file, line and column, the line with a caret, the hint.
    let text: Vec<String> = serde_json::to_string_pretty(&p)
        .unwrap()
        .lines()
        .map(|l| match l.strip_prefix("  \"fingerprint\": ") {
            Some(v) => {
                let (v, comma) = v.strip_suffix(',').map_or((v, ""), |v| (v, ","));
                format!("  \"fingerprint\": [{v}]{comma}")
            }
            None => l.to_string(),
        })
        .collect();
    let text = text.join("\n");
    std::fs::write(&path, &text).unwrap();
    let err = load::<crate::sources::Sources>(&path, crate::sources::Sources::validate)
        .unwrap_err()
        .to_string();
    let line = text
        .lines()
        .position(|l| l.contains("\"fingerprint\""))
        .unwrap()
        + 1;
    assert!(
        err.starts_with(&format!("{}:{line}:", path.display()))
            && err
                .contains(" is not a logwarden plan: invalid type: sequence, expected a string\n")
            && err.contains(&format!("\n {line} |   \"fingerprint\": [\""))
            && err.contains("^\n  hint: pass a file written by `logwarden plan --out FILE`"),
        "{err}"
    );
}

#[test]
fn a_saved_plan_is_applied_where_it_was_made_and_only_there() {
    use clap::Parser;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let scope = PlanScope {
        accounts: Some(vec![MEMBER.into()]),
        exclude_accounts: vec![],
        regions: Some(vec![R2.into()]),
    };
    let p = plan(&profile(""), "t.yaml", &managed_org(), NOW)
        .unwrap()
        .with_scope(scope);
    std::fs::write(&path, serde_json::to_string(&p).unwrap()).unwrap();
    let args = |extra: &[&str]| {
        let mut v = vec!["logwarden", "apply", path.to_str().unwrap()];
        v.extend_from_slice(extra);
        match crate::cli::Cli::try_parse_from(v).unwrap().command {
            crate::cli::Command::Apply(a) => a,
            _ => unreachable!(),
        }
    };
    let cfg = crate::config::ApplyConfig::from_args(args(&[])).unwrap();
    assert_eq!(cfg.request.accounts, Some(vec![MEMBER.to_string()]));
    assert_eq!(cfg.request.regions, Some(vec![R2.to_string()]));
    let err = crate::config::ApplyConfig::from_args(args(&["--regions", R1]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("was made for its own accounts and regions"),
        "{err}"
    );
}

#[test]
fn an_existing_role_trusted_otherwise_is_a_manual_step_not_a_grant() {
    let role = "logwarden-cloudtrail-cloudwatch-logs";
    let ours = |inv: &crate::sources::Inventory| {
        let p = plan(&profile(""), "t.yaml", inv, NOW).unwrap();
        change(&p, &format!("iam_role.{role}")).clone()
    };
    let mut inv = managed_org();
    let r = inv
        .managed
        .as_mut()
        .unwrap()
        .cloudtrail
        .role
        .as_mut()
        .unwrap();
    r.arn = ok(Some(format!("arn:aws:iam::{MGMT}:role/{role}")));
    // Trusted by a whole account, not by CloudTrail for the trail.
    r.trust = Some(format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{MGMT}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    ));
    let c = ours(&inv);
    assert_eq!(c.action, Action::Manual, "{c:?}");
    assert!(c.ops.is_empty());
    let m = c.manual.unwrap();
    assert!(
        m.reason
            .contains("its trust policy is not the one logwarden writes"),
        "{}",
        m.reason
    );
    assert!(m.command.starts_with(&format!(
        "aws iam update-assume-role-policy --role-name {role}"
    )));

    // Its own trust, spelled differently (single values, statement object): kept and updated.
    let trail = format!("arn:aws:cloudtrail:us-east-1:{MGMT}:trail/logwarden-organization-trail");
    inv.managed
        .as_mut()
        .unwrap()
        .cloudtrail
        .role
        .as_mut()
        .unwrap()
        .trust = Some(format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Sid":"LogwardenCloudTrailAssume","Effect":"Allow","Principal":{{"Service":["cloudtrail.amazonaws.com"]}},"Action":["sts:AssumeRole"],"Condition":{{"StringEquals":{{"aws:SourceArn":["{trail}"]}}}}}}}}"#
    ));
    assert_eq!(ours(&inv).action, Action::Update);
}

#[test]
fn conditions_name_the_adopted_trail_not_the_profiles() {
    // The organization already has a trail of another name: it is adopted, and every
    // condition logwarden writes names it.
    let mut inv = managed_org();
    let mut t = trail(MGMT, "team-org-trail", R1, true, true);
    t.cloudwatch_logs_log_group_arn = None;
    add_trail(&mut inv, t);
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let adopted = format!("arn:aws:cloudtrail:us-east-1:{MGMT}:trail/team-org-trail");
    let json = serde_json::to_string(&p.changes).unwrap();
    assert!(
        !json.contains("trail/logwarden-organization-trail"),
        "{json}"
    );
    for address in [
        format!("s3_bucket.{ARCHIVE}"),
        "kms_key.alias/logwarden-log-archive".to_string(),
        "iam_role.logwarden-cloudtrail-cloudwatch-logs".to_string(),
    ] {
        let c = serde_json::to_string(change(&p, &address)).unwrap();
        assert!(
            c.contains(&adopted),
            "{address} does not name the adopted trail: {c}"
        );
    }
}

#[test]
fn shell_words_read_back_as_themselves() {
    for word in [
        "plain",
        "",
        "two words",
        "it's",
        r#"{"$connect":{"LoggingLevel":"ERROR"}}"#,
        "back\\slash `tick` $(cmd) \"dq\" 'sq'",
        "new\nline",
    ] {
        let quoted = shell_word(word);
        assert_eq!(
            shlex::split(&quoted),
            Some(vec![word.to_string()]),
            "{quoted}"
        );
    }
    assert_eq!(shell_word("plain"), "plain");
    // A NUL no shell word can hold is dropped, not a panic.
    assert_eq!(shlex::split(&shell_word("a\0b")), Some(vec!["ab".into()]));
}
