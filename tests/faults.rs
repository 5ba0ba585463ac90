//! Fault injection: the real binary against moto's server through a proxy that makes AWS
//! misbehave (tests/support/fault_proxy.py): a service denied everywhere (an SCP), one member
//! whose role cannot be assumed, server errors, dropped connections, random throttling.
//!
//! The promise under test: compared with the clean run, no finding is lost (a finding is either
//! the same, or `unknown`, or covered by an `unknown` finding of the same check at a wider
//! scope), no verdict flips (every status is the same or `unknown`), no framework control or
//! coverage cell flips, every failure is reported with its IAM action; and `plan` proposes no
//! change the clean plan does not (what it could not read is listed as unreadable).

mod support;

use logwarden::finding::Status;
use logwarden::report::Report;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use support::{logwarden, FaultProxy, Moto};

const REGIONS: &str = "us-east-1,eu-west-1";

fn audit(url: &str, home: &std::path::Path, extra: &[&str]) -> (i32, Report, String) {
    let mut args = vec!["audit", "--regions", REGIONS, "--format", "json"];
    if !extra.contains(&"--call-timeout") {
        args.extend(["--call-timeout", "3"]);
    }
    if !extra.contains(&"--max-attempts") {
        args.extend(["--max-attempts", "2"]);
    }
    args.extend_from_slice(extra);
    let out = logwarden(&args, Some(url), home);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let code = out.status.code().unwrap_or(-1);
    let report: Report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no report ({e}), exit {code}, stderr: {err}"));
    (code, report, err)
}

fn plan(url: &str, home: &std::path::Path) -> (i32, Value, String) {
    let out = logwarden(
        &[
            "plan",
            "--regions",
            REGIONS,
            "--format",
            "json",
            "--detailed-exitcode",
            "--max-attempts",
            "2",
            "--call-timeout",
            "3",
        ],
        Some(url),
        home,
    );
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let code = out.status.code().unwrap_or(-1);
    let plan: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no plan ({e}), exit {code}, stderr: {err}"));
    (code, plan, err)
}

type Key = (String, Option<String>, Option<String>, String);

fn findings(r: &Report) -> BTreeMap<Key, (Status, String)> {
    r.findings
        .iter()
        .map(|f| {
            (
                (
                    f.check_id.clone(),
                    f.account_id.clone(),
                    f.region.clone(),
                    f.resource.clone(),
                ),
                (f.status, f.message.clone()),
            )
        })
        .collect()
}

/// Every way `faulty` is less honest than `clean`, one line each.
fn dishonesty(clean: &Report, faulty: &Report) -> Vec<String> {
    let mut out = Vec::new();
    let a = findings(clean);
    let b = findings(faulty);
    let failed: std::collections::BTreeSet<String> =
        faulty.errors.iter().map(|e| e.account_id.clone()).collect();
    for (k, (status, _)) in &a {
        match b.get(k) {
            Some((s, msg)) if s != status && *s != Status::Unknown => {
                out.push(format!("flipped {k:?}: {status:?} -> {s:?} ({msg})"))
            }
            Some(_) => {}
            None => {
                // Covered by an unknown finding of the same check at a wider scope, or in an
                // account whose reads failed (a trail bucket is judged under its owner, the
                // trail that names it may be another account's).
                let covered = b.iter().any(|((check, acct, region, _), (s, _))| {
                    *s == Status::Unknown
                        && check == &k.0
                        && (((acct.is_none() || acct == &k.1)
                            && (region.is_none() || region == &k.2))
                            || acct.as_ref().is_some_and(|a| failed.contains(a)))
                });
                if !covered {
                    out.push(format!("lost {k:?} ({status:?})"));
                }
            }
        }
    }
    for (k, (s, msg)) in &b {
        if !a.contains_key(k) && *s != Status::Unknown {
            out.push(format!("new {s:?} finding {k:?}: {msg}"));
        }
    }
    let controls = |r: &Report| -> BTreeMap<(String, String), String> {
        r.framework_scores
            .iter()
            .flat_map(|fw| {
                fw.controls.iter().map(move |c| {
                    (
                        (format!("{:?}", fw.framework), c.control.clone()),
                        format!("{:?}", c.status),
                    )
                })
            })
            .collect()
    };
    let (ca, cb) = (controls(clean), controls(faulty));
    for (k, s) in &ca {
        match cb.get(k) {
            Some(t) if t != s && t != "Unknown" => {
                out.push(format!("control {k:?} flipped: {s} -> {t}"))
            }
            None => out.push(format!("control {k:?} lost")),
            _ => {}
        }
    }
    let cells = |r: &Report| -> BTreeMap<(String, String, String), String> {
        r.coverage
            .iter()
            .map(|c| {
                (
                    (c.account_id.clone(), c.region.clone(), c.source.clone()),
                    format!("{:?}", c.state),
                )
            })
            .collect()
    };
    let (xa, xb) = (cells(clean), cells(faulty));
    for (k, s) in &xa {
        match xb.get(k) {
            Some(t) if t != s && t != "Unknown" => {
                out.push(format!("coverage cell {k:?} flipped: {s} -> {t}"))
            }
            None => out.push(format!("coverage cell {k:?} lost")),
            _ => {}
        }
    }
    out
}

/// Take the `probes` out of a plan's ops (the events apply checks existing selectors for:
/// with less known, a plan may check for fewer, never for others).
fn strip_probes(v: &mut Value, probes: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Array(ps)) = m.remove("probes") {
                probes.extend(ps.iter().map(|p| p.to_string()));
            }
            m.values_mut().for_each(|x| strip_probes(x, probes));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| strip_probes(x, probes)),
        _ => {}
    }
}

/// The changes of a plan: address → (action, ops without probes, probes).
fn changes(p: &Value) -> BTreeMap<String, (Value, std::collections::BTreeSet<String>)> {
    p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let mut ops = c["ops"].clone();
            let mut probes = Default::default();
            strip_probes(&mut ops, &mut probes);
            (
                c["address"].as_str().unwrap().to_string(),
                (json!({"action": c["action"], "ops": ops}), probes),
            )
        })
        .collect()
}

struct Org {
    moto: Moto,
    seed: Value,
    clean: Report,
    clean_plan: Value,
    home: tempfile::TempDir,
}

impl Org {
    fn start() -> Org {
        let moto = Moto::start();
        let seed = moto.seed(&["--regions", REGIONS]);
        let home = tempfile::tempdir().unwrap();
        let proxy = FaultProxy::start(&moto.url, json!([]));
        let (code, clean, err) = audit(&proxy.url, home.path(), &[]);
        assert_eq!(code, 1, "{err}");
        assert!(clean.errors.is_empty(), "{:#?}", clean.errors);
        assert!(
            proxy.requests().len() > 50,
            "the audit went through the proxy"
        );
        let (code, clean_plan, err) = plan(&proxy.url, home.path());
        assert_eq!(code, 2, "the clean plan has changes: {err}");
        assert!(clean_plan["unknown"].as_array().unwrap().is_empty());
        Org {
            moto,
            seed,
            clean,
            clean_plan,
            home,
        }
    }

    fn account(&self, key: &str) -> String {
        self.seed[key].as_str().unwrap().to_string()
    }

    /// Audit and plan through a proxy with `rules`: both stay honest.
    fn scenario(&self, name: &str, rules: Value, failing_action: &str) {
        let proxy = FaultProxy::start(&self.moto.url, rules.clone());
        let (code, report, err) = audit(&proxy.url, self.home.path(), &[]);
        assert!(proxy.faults() > 0, "{name}: no fault was injected");
        assert_eq!(code, 1, "{name}: the audit goes on: {err}");
        let wrong = dishonesty(&self.clean, &report);
        assert!(wrong.is_empty(), "{name}:\n{}", wrong.join("\n"));
        assert!(
            report.summary.unknown > 0,
            "{name}: what could not be read is unknown"
        );
        // `failing_action` is an action, or a service's prefix (`s3:`).
        let named = |a: &str| match failing_action.strip_suffix(':') {
            Some(svc) => a.split(':').next() == Some(svc),
            None => a == failing_action,
        };
        assert!(
            report.errors.iter().any(|e| named(&e.iam_action)),
            "{name}: the report names {failing_action}: {:#?}",
            report.errors
        );

        self.plan_stays_honest(name, rules);
    }

    /// Plan through a proxy with `rules`: no change the clean plan does not make, what is
    /// missing is listed as unreadable, and --detailed-exitcode says the plan is incomplete.
    fn plan_stays_honest(&self, name: &str, rules: Value) -> Value {
        let proxy = FaultProxy::start(&self.moto.url, rules);
        let (code, p, err) = plan(&proxy.url, self.home.path());
        assert!(
            proxy.faults() > 0,
            "{name}: no fault was injected into plan"
        );
        let clean = changes(&self.clean_plan);
        for (address, (change, probes)) in changes(&p) {
            let Some((want, want_probes)) = clean.get(&address) else {
                panic!("{name}: plan proposes a change the clean plan does not: {address}: {change}\n{err}");
            };
            pretty_assertions::assert_eq!(
                want,
                &change,
                "{name}: plan changes {address} differently from the clean plan\n{err}"
            );
            assert!(
                probes.is_subset(want_probes),
                "{name}: {address} checks for events the clean plan does not: {:?}",
                probes.difference(want_probes).collect::<Vec<_>>()
            );
        }
        let unknown = p["unknown"].as_array().unwrap();
        // A change (a manual step too) the clean plan makes and this one does not is said:
        // an unknown entry names it, or its account (the place that could not be read).
        let now = changes(&p);
        for c in self.clean_plan["changes"].as_array().unwrap() {
            let (address, account) = (c["address"].as_str().unwrap(), &c["account_id"]);
            if now.contains_key(address) {
                continue;
            }
            assert!(
                unknown
                    .iter()
                    .any(|n| n["resource"] == address || &n["account_id"] == account),
                "{name}: {address} (account {account}) went missing without a word in the plan's unknown list: {:#?}",
                unknown
            );
        }
        if !unknown.is_empty() {
            assert_eq!(
                code, 1,
                "{name}: plan --detailed-exitcode exits 1 with unreadable resources: {err}"
            );
        }
        p
    }
}

fn deny(service: &str, account: &str) -> Value {
    json!([{"service": service, "account": account, "fault": "deny"}])
}

/// The faults that take away one source's reads, generated from the permission lists (which
/// come from the call sites), so every new source's service is in the matrix: a service only
/// sources call is denied everywhere (`(name, rules, the service's prefix)`); a source's
/// action on a service the engine calls too (Organizations, STS: without them nothing is
/// audited, the discovery tests cover those) is denied by operation (`(.., the action)`).
fn source_faults() -> Vec<(String, Value, String)> {
    use logwarden::permissions::Phase;
    let by_sources = |files: &[&str]| files.iter().all(|f| f.starts_with("src/sources/"));
    let service = |action: &str| action.split(':').next().unwrap_or("").to_string();
    let engine: std::collections::BTreeSet<String> = Phase::Audit
        .own()
        .iter()
        .filter(|(_, files)| !by_sources(files))
        .map(|(a, _)| service(a))
        .collect();
    let mut out = Vec::new();
    let mut services = std::collections::BTreeSet::new();
    for (action, files) in Phase::Audit.own() {
        let svc = service(action);
        if !engine.contains(&svc) {
            if services.insert(svc.clone()) {
                out.push((svc.clone(), deny(&svc, "*"), format!("{svc}:")));
            }
        } else if by_sources(files) {
            let op = action.split(':').nth(1).unwrap_or("");
            out.push((
                format!("{action} denied"),
                json!([{"service": svc, "operation": op, "fault": "deny"}]),
                action.to_string(),
            ));
        }
    }
    out
}

#[test]
fn a_service_denied_everywhere_loses_no_finding_and_flips_no_verdict() {
    let org = Org::start();
    let faults = source_faults();
    // The matrix covers every service the sources read, and the organization's policies.
    for want in [
        "cloudtrail:",
        "s3:",
        "securityhub:",
        "organizations:ListPolicies",
    ] {
        assert!(
            faults.iter().any(|(_, _, f)| f == want),
            "{want}: {faults:?}"
        );
    }
    for (name, rules, failing) in faults {
        org.scenario(&name, rules, &failing);
    }
}

#[test]
fn one_account_unreachable_or_denied_loses_no_finding() {
    let org = Org::start();
    let wa = org.account("workload_a");
    org.scenario(
        "AssumeRole into workload A fails",
        json!([{"service": "sts", "operation": "AssumeRole", "account": wa, "fault": "deny"}]),
        "sts:AssumeRole",
    );
    org.scenario(
        "CloudTrail denied in workload A",
        deny("cloudtrail", &wa),
        "cloudtrail:DescribeTrails",
    );
    let archive = org.account("log_archive");
    org.scenario(
        "S3 denied in the log archive",
        deny("s3", &archive),
        "s3:ListAllMyBuckets",
    );
}

#[test]
fn an_organization_that_cannot_be_read_stops_the_audit_unless_accounts_are_named() {
    let moto = Moto::start();
    let seed = moto.seed(&["--regions", REGIONS]);
    let home = tempfile::tempdir().unwrap();
    let run = |rules: Value, extra: &[&str]| {
        let proxy = FaultProxy::start(&moto.url, rules);
        let mut args = vec!["audit", "--regions", REGIONS, "--format", "json"];
        args.extend_from_slice(extra);
        let out = logwarden(&args, Some(&proxy.url), home.path());
        assert!(proxy.faults() > 0, "no fault was injected");
        out
    };

    // Denied: no silent shrink to the caller's account; exit 2 naming the action.
    for (op, action) in [
        ("DescribeOrganization", "organizations:DescribeOrganization"),
        ("ListAccounts", "organizations:ListAccounts"),
    ] {
        let out = run(
            json!([{"service": "organizations", "operation": op, "fault": "deny"}]),
            &[],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{op}: {err}");
        assert!(out.stdout.is_empty(), "{op}: no report");
        assert!(
            err.contains(&format!("cannot read the organization: {action}"))
                && err.contains(&format!("grant {action}"))
                && err.contains("--accounts"),
            "{op}: {err}"
        );
    }

    // Named accounts are audited without the organization, each through its role.
    let (wa, wb) = (
        seed["workload_a"].as_str().unwrap(),
        seed["workload_b"].as_str().unwrap(),
    );
    let accounts = format!("{wa},{wb}");
    let out = run(
        json!([{"service": "organizations", "fault": "deny"}]),
        &["--accounts", &accounts],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Report = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<&str> = report
        .scope
        .accounts
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    ids.sort();
    let mut want = vec![wa, wb];
    want.sort();
    assert_eq!(ids, want);
    assert!(report.scope.accounts.iter().all(|a| a.audited));
    assert_eq!(
        serde_json::to_value(report.scope.mode).unwrap(),
        json!("accounts")
    );
    assert!(report
        .scope
        .mode_reason
        .as_deref()
        .is_some_and(|r| r.contains("organizations:DescribeOrganization")));
    // The organization trail, seen from the members, still covers them.
    let cov = report
        .findings
        .iter()
        .find(|f| f.check_id == "cloudtrail.coverage" && f.resource == format!("{wa}:us-east-1"))
        .unwrap();
    assert_eq!(cov.status, Status::Pass, "{}", cov.message);

    // Not in an organization: the caller's account alone, said so.
    let out = run(
        json!([{"service": "organizations", "operation": "DescribeOrganization", "fault": "not_in_organization"}]),
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report.scope.accounts.len(), 1);
    assert!(report
        .scope
        .mode_reason
        .as_deref()
        .is_some_and(|r| r.contains("not in an organization")));
}

#[test]
fn an_unreachable_endpoint_and_rejected_credentials_are_told_apart() {
    let moto = Moto::start();
    moto.seed(&["--regions", REGIONS]);
    let home = tempfile::tempdir().unwrap();
    // Nothing listens on the port: the endpoint cannot be reached.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let out = logwarden(
        &["audit", "--regions", "us-east-1", "--max-attempts", "1"],
        Some(&closed),
        home.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error: cannot reach AWS: sts:GetCallerIdentity"),
        "{err}"
    );
    assert!(
        err.contains("--endpoint-url") && !err.contains("credentials"),
        "{err}"
    );

    // The connection is dropped mid-call: the same, a network failure.
    let proxy = FaultProxy::start(&moto.url, json!([{"service": "sts", "fault": "drop"}]));
    let out = logwarden(
        &["audit", "--regions", "us-east-1", "--max-attempts", "1"],
        Some(&proxy.url),
        home.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot reach AWS"), "{err}");

    // No answer at all: a timeout, named as one.
    let proxy = FaultProxy::start(
        &moto.url,
        json!([{"service": "sts", "fault": "hang", "seconds": 10}]),
    );
    let out = logwarden(
        &[
            "audit",
            "--regions",
            "us-east-1",
            "--max-attempts",
            "1",
            "--call-timeout",
            "1",
        ],
        Some(&proxy.url),
        home.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("AWS did not answer in time"), "{err}");
    assert!(err.contains("--call-timeout"), "{err}");
}

#[test]
fn random_throttling_and_server_errors_are_retried_to_identical_verdicts() {
    let org = Org::start();
    let proxy = FaultProxy::start(
        &org.moto.url,
        json!([
            {"service": "*", "operation": "*", "fault": "throttle", "rate": 0.2},
        ]),
    );
    // Ten attempts, and time for their backoff (up to 20 s between two): a call must not run
    // out of time before it runs out of attempts (35 s were once too few for an S3 call
    // failed five times in a row on a loaded machine).
    let patient = ["--max-attempts", "10", "--call-timeout", "15"];
    let (code, report, err) = audit(&proxy.url, org.home.path(), &patient);
    assert_eq!(code, 1, "{err}");
    assert!(proxy.faults() > 10, "throttled {} calls", proxy.faults());
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let (a, b) = (findings(&org.clean), findings(&report));
    let statuses = |m: &BTreeMap<Key, (Status, String)>| -> BTreeMap<Key, Status> {
        m.iter().map(|(k, (s, _))| (k.clone(), *s)).collect()
    };
    pretty_assertions::assert_eq!(statuses(&a), statuses(&b));

    // 5xx answers and dropped connections on a few services, retried the same way.
    let proxy = FaultProxy::start(
        &org.moto.url,
        json!([
            {"service": "s3", "fault": "error", "rate": 0.2},
            {"service": "cloudtrail", "fault": "drop", "rate": 0.2},
            {"service": "config", "fault": "error", "rate": 0.2},
        ]),
    );
    let (code, report, err) = audit(&proxy.url, org.home.path(), &patient);
    assert_eq!(code, 1, "{err}");
    assert!(proxy.faults() > 5, "failed {} calls", proxy.faults());
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    pretty_assertions::assert_eq!(statuses(&a), statuses(&findings(&report)));
}

#[test]
fn services_that_fail_outright_stay_honest() {
    let org = Org::start();
    let wb = org.account("workload_b");
    // Server errors on every attempt, and connections dropped mid-call: unknown, not guessed.
    org.scenario(
        "Config failing with 500s",
        json!([{"service": "config", "fault": "error"}]),
        "config:DescribeConfigurationRecorders",
    );
    org.scenario(
        "S3 connections dropped in workload B",
        json!([{"service": "s3", "account": wb, "fault": "drop"}]),
        "s3:ListAllMyBuckets",
    );
    // A call that ran out of retries says how many attempts it made and how many AWS
    // throttled; one that timed out says whether it was backing off or waiting on the network.
    for (rules, code, throttled, advice) in [
        (
            json!([{"service": "config", "fault": "throttle"}]),
            "ThrottlingException",
            2,
            "AWS throttled it on 2 of 2 attempts",
        ),
        (
            json!([{"service": "config", "fault": "error"}]),
            "InternalFailure",
            0,
            "on 2 attempts",
        ),
        (
            json!([{"service": "config", "fault": "hang", "seconds": 8}]),
            "Timeout",
            0,
            "none throttled",
        ),
    ] {
        let proxy = FaultProxy::start(&org.moto.url, rules);
        let (_, report, _) = audit(&proxy.url, org.home.path(), &[]);
        let e = report
            .errors
            .iter()
            .find(|e| e.iam_action == "config:DescribeConfigurationRecorders")
            .unwrap_or_else(|| panic!("{code}: {:#?}", report.errors));
        assert_eq!(e.attempts, 2, "{code}: --max-attempts 2: {e:?}");
        assert_eq!(e.throttled_attempts, throttled, "{code}: {e:?}");
        assert!(e.advice().contains(advice), "{code}: {}", e.advice());
        assert!(!e.advice().starts_with("grant"), "{code}: {}", e.advice());
        if code == "Timeout" {
            assert!(
                e.message
                    .contains("timed out after 2 attempt(s), 0 of them throttled"),
                "{e:?}"
            );
        }
    }
    // Read by plan only (the log group and the roles of the trail and the aggregator).
    org.plan_stays_honest(
        "CloudWatch Logs and IAM denied",
        json!([
            {"service": "logs", "fault": "deny"},
            {"service": "iam", "fault": "deny"},
        ]),
    );
}

/// Issue 17: a gate that cannot pass on what it could not read, and a plan that derives nothing
/// from a failed read and says what it could not plan.
#[test]
fn what_could_not_be_read_never_passes_the_gate_nor_becomes_a_change() {
    let org = Org::start();
    // Config failing, and the logging of one bucket (which logs to wb-access-logs) never
    // answering: wb-access-logs may be its target, so plan turns nothing on for it.
    let p = org.plan_stays_honest(
        "Config 500s and wb-data's logging timing out",
        json!([
            {"service": "config", "fault": "error"},
            {"service": "s3", "operation": "GetBucketLogging", "resource": "wb-data",
             "fault": "hang", "seconds": 8},
        ]),
    );
    let note = p["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["resource"] == "s3_bucket.wb-access-logs")
        .unwrap_or_else(|| panic!("wb-access-logs is not said: {:#}", p["unknown"]));
    let message = note["message"].as_str().unwrap();
    assert!(
        message.contains("may be an access-log target")
            && message.contains("the logging of bucket wb-data"),
        "{message}"
    );
    // CloudTrail throttled everywhere: every manual step the clean plan has for a trail
    // logwarden does not manage is either still there or its account's trails are unknown.
    let p = org.plan_stays_honest(
        "CloudTrail throttled everywhere",
        json!([{"service": "cloudtrail", "fault": "throttle"}]),
    );
    let unknown: Vec<&str> = p["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["resource"].as_str())
        .collect();
    let steps: Vec<&Value> = org.clean_plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["address"]
                .as_str()
                .unwrap()
                .starts_with("cloudtrail_trail_unmanaged.")
        })
        .collect();
    assert!(
        !steps.is_empty(),
        "the seeded organization has unmanaged trails"
    );
    for c in steps {
        let owner = c["account_id"].as_str().unwrap();
        assert!(
            unknown
                .iter()
                .any(|u| u.starts_with(&format!("cloudtrail_trails.{owner}."))),
            "{}: its account's trails are not said to be unknown: {unknown:?}",
            c["address"]
        );
    }
    // S3 throttled everywhere: the same rules hold (checked by plan_stays_honest).
    org.plan_stays_honest(
        "S3 throttled everywhere",
        json!([{"service": "s3", "fault": "throttle"}]),
    );
    // The management account's calls hang and every member's role cannot be assumed
    // (throttled): nothing was read. The audit does not pass the gate: exit 3 (nothing fails,
    // everything could not be judged), unless partial reads are accepted.
    let mgmt = org.account("management");
    let members: Vec<String> = ["log_archive", "workload_a", "workload_b"]
        .iter()
        .map(|k| org.account(k))
        .collect();
    let rules = json!([
        {"service": "sts", "operation": "GetCallerIdentity", "fault": "pass"},
        {"service": "sts", "operation": "AssumeRole", "fault": "throttle"},
        {"account": mgmt, "fault": "hang", "seconds": 4},
    ]);
    let accounts = format!("{mgmt},{}", members.join(","));
    let proxy = FaultProxy::start(&org.moto.url, rules.clone());
    let (code, report, err) = audit(&proxy.url, org.home.path(), &["--accounts", &accounts]);
    assert_eq!(report.summary.fail, 0, "{err}");
    assert_eq!(
        report.summary.unknown,
        report.summary.total - report.summary.not_applicable
    );
    assert_eq!(
        code, 3,
        "nothing could be judged: the gate must not pass: {err}"
    );
    let proxy = FaultProxy::start(&org.moto.url, rules);
    let (code, _, err) = audit(
        &proxy.url,
        org.home.path(),
        &["--accounts", &accounts, "--allow-unknown"],
    );
    assert_eq!(code, 0, "--allow-unknown accepts partial reads: {err}");
}
