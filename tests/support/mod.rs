//! Test support: moto's server on 127.0.0.1 (through the launcher that fixes its S3 versioning
//! answers), the seeding script, and running the real binary against it.

#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python that has the pinned `moto[server]` (installed by scripts/test.sh).
pub fn python() -> PathBuf {
    if let Ok(p) = std::env::var("LOGWARDEN_PYTHON") {
        return PathBuf::from(p);
    }
    let p = root().join(".venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run scripts/test.sh, which installs the pinned emulator (moto[server]==5.2.1)",
        p.display()
    );
    p
}

pub struct Moto {
    child: Child,
    pub url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    pub fn start() -> Moto {
        // The launcher binds a free port itself and says which (as the fault proxy does): a port
        // picked here and released could be bound by another test's emulator before this one's,
        // and the test would then talk to the other emulator.
        let mut child = Command::new(python())
            .arg(root().join("tests/support/moto_launcher.py"))
            .arg("0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().expect("piped")),
            &mut line,
        )
        .expect("read moto's port");
        let port: u16 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("moto did not start: {line:?}"));
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto did not answer on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Seed the sample organization; returns the ids the script printed.
    pub fn seed(&self, extra_args: &[&str]) -> serde_json::Value {
        self.seed_with("scripts/seed_org.py", extra_args)
    }

    /// Run a seeding script (path relative to the repository); returns the JSON it printed.
    pub fn seed_with(&self, script: &str, extra_args: &[&str]) -> serde_json::Value {
        let run = || {
            Command::new(python())
                .arg(root().join(script))
                .args(["--endpoint", &self.url])
                .args(extra_args)
                .output()
                .expect("run seed script")
        };
        let mut out = run();
        if !out.status.success() {
            // The emulator can stall under a parallel suite; seeding starts with a reset, so a
            // second run starts clean.
            eprintln!(
                "seeding failed once, retrying: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out = run();
        }
        assert!(
            out.status.success(),
            "seeding failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("seed output is JSON")
    }

    /// A boto3 snippet against the emulator that prints one JSON document; `c(service, region)`
    /// is the management account, `member(service, account, region)` assumes the role there.
    pub fn python_json(&self, code: &str) -> serde_json::Value {
        let script = format!(
            "import boto3, json\nEP='{}'\nK=dict(aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='secret')\nc=lambda s,r='us-east-1': boto3.client(s, region_name=r, endpoint_url=EP, **K)\ndef member(s, a, r='us-east-1'):\n    cr=c('sts').assume_role(RoleArn=f'arn:aws:iam::{{a}}:role/OrganizationAccountAccessRole', RoleSessionName='test')['Credentials']\n    return boto3.client(s, region_name=r, endpoint_url=EP, aws_access_key_id=cr['AccessKeyId'], aws_secret_access_key=cr['SecretAccessKey'], aws_session_token=cr['SessionToken'])\n{code}\n",
            self.url
        );
        let out = Command::new(python())
            .arg("-c")
            .arg(script)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("the snippet prints JSON")
    }

    /// A boto3 one-liner against the emulator, as the management account.
    pub fn python_call(&self, code: &str) {
        let script = format!(
            "import boto3\nc=lambda s,r='us-east-1': boto3.client(s, region_name=r, endpoint_url='{}', aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='secret')\n{code}\n",
            self.url
        );
        let out = Command::new(python())
            .arg("-c")
            .arg(script)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The real binary, with a clean environment: only the emulator's fake credentials.
pub fn logwarden(args: &[&str], endpoint: Option<&str>, home: &Path) -> Output {
    logwarden_env(args, endpoint, home, &[])
}

/// [`logwarden`] with these environment variables too.
pub fn logwarden_env(
    args: &[&str],
    endpoint: Option<&str>,
    home: &Path,
    envs: &[(&str, &str)],
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_logwarden"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(envs.iter().copied())
        .args(args);
    if let Some(url) = endpoint {
        cmd.env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .env("AWS_REGION", "us-east-1")
            .args(["--endpoint-url", url]);
    }
    cmd.output().expect("run logwarden")
}

/// The IAM actions a run called (logged at `-vv` as "IAM actions called: ...").
pub fn called_actions(stderr: &[u8]) -> std::collections::BTreeSet<String> {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .find_map(|l| {
            l.split_once("IAM actions called: ")
                .map(|(_, a)| a.to_string())
        })
        .unwrap_or_else(|| panic!("no 'IAM actions called' line in: {text}"));
    line.split_whitespace().map(String::from).collect()
}

/// The actions `logwarden permissions PHASE` grants.
pub fn granted_actions(phase: &str) -> std::collections::BTreeSet<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_logwarden"))
        .args(["permissions", phase, "--format", "list"])
        .output()
        .expect("run logwarden permissions");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(String::from)
        .collect()
}

/// The report of the fixed inventory fixture (captured from the seeded organization), with the
/// fixture exceptions, its timestamp and tool version pinned so renderings are comparable.
pub fn fixture_report(
    framework: Option<logwarden::frameworks::Framework>,
) -> logwarden::report::Report {
    use logwarden::report::ReportOptions;
    let inv = fixture_inventory();
    let b = logwarden::sources::load_baseline("recommended").unwrap();
    let exceptions = logwarden::exceptions::load(
        root()
            .join("tests/fixtures/exceptions.yaml")
            .to_str()
            .unwrap(),
        &check_ids(),
        None,
    )
    .unwrap();
    let opts = ReportOptions {
        framework,
        exceptions,
        now: time::macros::datetime!(2026-11-22 08:00:00 UTC),
    };
    let mut r = report_of(&inv, &b, &opts);
    r.generated_at = "2026-11-22T08:00:00Z".into();
    r.tool.version = "0.0.0-test".into();
    r
}

/// Compare with a golden file under tests/golden (`UPDATE_GOLDEN=1` rewrites it).
pub fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    pretty_assertions::assert_eq!(
        expected,
        actual,
        "golden file {name} (UPDATE_GOLDEN=1 rewrites it)"
    );
}

/// The fault-injecting proxy (tests/support/fault_proxy.py) in front of an emulator: requests
/// matching its rules fail the way AWS fails (denied, throttled, 5xx, hung, dropped).
pub struct FaultProxy {
    child: Child,
    pub url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl FaultProxy {
    /// Start the proxy in front of `upstream` with these rules (see fault_proxy.py).
    pub fn start(upstream: &str, rules: serde_json::Value) -> FaultProxy {
        let dir = tempfile::tempdir().unwrap();
        let rules_path = dir.path().join("rules.json");
        std::fs::write(&rules_path, rules.to_string()).unwrap();
        let log = dir.path().join("requests.jsonl");
        // The proxy binds a free port itself and says which: a port picked here and released
        // could be bound by another test's proxy before this one starts.
        let mut child = Command::new(python())
            .arg(root().join("tests/support/fault_proxy.py"))
            .arg("0")
            .arg(upstream)
            .arg(&rules_path)
            .arg(&log)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the fault proxy");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().expect("piped")),
            &mut line,
        )
        .expect("read the fault proxy's port");
        let port: u16 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the fault proxy did not start: {line:?}"));
        FaultProxy {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
            _dir: dir,
        }
    }

    /// Every request the proxy saw: (service, operation, account, fault injected or None).
    pub fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// How many requests got a fault.
    pub fn faults(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| !r["fault"].is_null())
            .count()
    }
}

/// The catalogue's check ids (what an exceptions file may name).
#[allow(dead_code)]
pub fn check_ids() -> Vec<&'static str> {
    use logwarden::engine::Registry;
    logwarden::sources::Sources::checks()
        .map(|c| c.id)
        .collect()
}

/// The inventory fixture (captured from the seeded organization).
#[allow(dead_code)]
pub fn fixture_inventory() -> logwarden::sources::Inventory {
    logwarden::inventory::load(&root().join("tests/fixtures/org-inventory.json")).unwrap()
}

/// The report of `inv` judged against `b`, as `audit` makes it.
#[allow(dead_code)]
pub fn report_of(
    inv: &logwarden::sources::Inventory,
    b: &logwarden::sources::LoadedBaseline,
    opts: &logwarden::report::ReportOptions,
) -> logwarden::report::Report {
    use logwarden::engine::Registry;
    use logwarden::sources::Sources;
    logwarden::report::Report::build(
        inv,
        logwarden::report::BaselineRef::of(b),
        logwarden::engine::evaluate::<Sources>(inv, &b.baseline),
        opts,
        Sources::catalog(),
    )
}
