//! `logwarden evidence` end to end: CloudTrail log and digest files signed with a test key (in
//! AWS's documented formats, by tests/support/seed_evidence.py) under the seeded organization
//! trail's layout in the emulator; a pull proves the untouched window valid, writes Parquet that
//! reads back as the records, resumes without downloading again, and catches each kind of
//! tampering; `verify` gives the same verdicts offline and catches a copy altered after the pull.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use support::{logwarden, Moto};

struct Seeded {
    moto: Moto,
    home: tempfile::TempDir,
    inventory: String,
    keys: String,
    /// management, log archive, workload a, workload b, two extra.
    accounts: Vec<String>,
    org: String,
    archive: String,
}

fn seed() -> Seeded {
    let moto = Moto::start();
    let seed = moto.seed(&["--regions", "us-east-1", "--extra-accounts", "2"]);
    let s = |k: &str| seed[k].as_str().unwrap().to_string();
    let mut accounts = vec![
        s("management"),
        s("log_archive"),
        s("workload_a"),
        s("workload_b"),
    ];
    accounts.extend(
        seed["extra"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string()),
    );
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().display().to_string();
    let written = moto.seed_with(
        "tests/support/seed_evidence.py",
        &[
            "--org",
            &s("organization_id"),
            "--bucket",
            "lw-org-trail-logs",
            "--archive",
            &s("log_archive"),
            "--accounts",
            &accounts.join(","),
            "--dir",
            &dir,
        ],
    );
    assert_eq!(written["digests"], 24, "{written}");
    let inventory = home.path().join("inventory.json");
    let out = logwarden(
        &[
            "audit",
            "--regions",
            "us-east-1",
            "--max-attempts",
            "1",
            "--format",
            "json",
            "--allow-unknown",
            "--save-inventory",
            inventory.to_str().unwrap(),
        ],
        Some(&moto.url),
        home.path(),
    );
    assert!(
        inventory.exists(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Seeded {
        keys: home.path().join("keys.json").display().to_string(),
        inventory: inventory.display().to_string(),
        org: s("organization_id"),
        archive: s("log_archive"),
        moto,
        home,
        accounts,
    }
}

fn pull_args<'a>(s: &'a Seeded, out: &'a Path) -> Vec<&'a str> {
    vec![
        "evidence",
        "pull",
        "--since",
        "2026-11-27T09:00:00Z",
        "--until",
        "2026-11-27T12:59:59Z",
        "--from-inventory",
        &s.inventory,
        "--public-keys",
        &s.keys,
        "--regions",
        "us-east-1",
        "--out",
        out.to_str().unwrap(),
    ]
}

impl Seeded {
    fn pull(&self, out: &Path, extra: &[&str]) -> std::process::Output {
        let mut args = vec![
            "evidence",
            "pull",
            "--source",
            "cloudtrail",
            "--since",
            "2026-11-27T09:00:00Z",
            "--until",
            "2026-11-27T12:59:59Z",
            "--from-inventory",
            &self.inventory,
            "--public-keys",
            &self.keys,
            "--regions",
            "us-east-1",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        logwarden(&args, Some(&self.moto.url), self.home.path())
    }

    fn tamper(&self, actions: &str) {
        let dir = self.home.path().display().to_string();
        self.moto.seed_with(
            "tests/support/seed_evidence.py",
            &[
                "--org",
                &self.org,
                "--bucket",
                "lw-org-trail-logs",
                "--archive",
                &self.archive,
                "--dir",
                &dir,
                "--tamper",
                actions,
            ],
        );
    }
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// (file name, status) of every file that is not valid, sorted.
fn not_valid(files: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = files
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "valid")
        .map(|f| {
            let key = f["key"].as_str().unwrap();
            (
                key.rsplit('/').next().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn statuses(files: &serde_json::Value) -> BTreeMap<String, String> {
    files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["key"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn verify(dir: &Path, home: &Path) -> (i32, serde_json::Value, String) {
    let out = logwarden(
        &["evidence", "verify", dir.to_str().unwrap(), "--json"],
        None,
        home,
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let files = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{e}: {text} {}", String::from_utf8_lossy(&out.stderr)));
    (
        out.status.code().unwrap(),
        files,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn a_pulled_window_is_valid_until_someone_tampers_with_it() {
    let s = seed();
    let first = s.home.path().join("first");
    let out = s.pull(&first, &["--format", "parquet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stderr}\n{stdout}");
    assert!(
        stderr.contains("(72 downloaded, 0 already there"),
        "{stderr}"
    );
    let m = manifest(&first);
    let files = m["files"].as_array().unwrap();
    assert_eq!(files.len(), 72, "6 accounts x (8 log files + 4 digests)");
    assert_eq!(not_valid(&m["files"]), vec![]);
    for f in files {
        assert_eq!(f["bucket"], "lw-org-trail-logs");
        assert_eq!(f["region"], "us-east-1");
        assert!(
            s.accounts
                .contains(&f["account"].as_str().unwrap().to_string()),
            "{f}"
        );
        assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
        let local = first.join(f["path"].as_str().unwrap());
        let bytes = std::fs::read(&local).unwrap();
        assert_eq!(
            logwarden::evidence::sha256_hex(&bytes),
            f["sha256"].as_str().unwrap()
        );
        if f["kind"] == "digest" {
            assert_eq!(f["signature_algorithm"], "SHA256withRSA");
        }
    }
    assert_eq!(m["summary"].as_array().unwrap().len(), 6);
    assert!(stdout.contains("72 of 72 file(s) valid"), "{stdout}");

    // Parquet: one file per account and day, the records as written.
    let account = &s.accounts[2];
    let part = first.join(format!(
        "parquet/source=cloudtrail/account={account}/region=us-east-1/date=2026-11-27/part-00000.parquet"
    ));
    // Read back with the Apache Parquet reader, by column name.
    let rows = read_parquet(&part);
    assert_eq!(rows.len(), 8, "{rows:#?}");
    let stop = rows
        .iter()
        .find(|r| r["eventname"] == "StopLogging")
        .unwrap();
    assert_eq!(stop["eventsource"], "cloudtrail.amazonaws.com");
    assert_eq!(stop["requestparameters"], r#"{"name":"org-trail"}"#);
    assert_eq!(stop["logwarden_status"], "valid");
    assert!(stop["useridentity"]
        .as_str()
        .unwrap()
        .contains("assumed-role/ops/alice"));

    // Offline, the copy verifies with the manifest's keys.
    let (code, verified, err) = verify(&first, s.home.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(statuses(&verified), statuses(&m["files"]));

    // Interrupted: three files and the manifest gone. The pull resumes, fetching only those.
    let log = files.iter().find(|f| f["kind"] == "log").unwrap();
    let digests: Vec<&serde_json::Value> = files
        .iter()
        .filter(|f| f["kind"] == "digest")
        .take(2)
        .collect();
    for f in [log, digests[0], digests[1]] {
        std::fs::remove_file(first.join(f["path"].as_str().unwrap())).unwrap();
    }
    std::fs::remove_file(first.join("manifest.json")).unwrap();
    let out = s.pull(&first, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("(3 downloaded, 69 already there and unchanged)"),
        "{stderr}"
    );

    // Faults: throttled reads are retried to the same verdicts; denied ones stop the pull
    // (exit 2, each named with its account, region and IAM action) without a false verdict,
    // and a later pull resumes with only what was denied.
    let throttled = support::FaultProxy::start(
        &s.moto.url,
        serde_json::json!([{"service": "s3", "operation": "GetObject", "account": "*", "resource": "*", "fault": "throttle", "rate": 0.3}]),
    );
    let flaky = s.home.path().join("flaky");
    // 30 % of 71 reads throttled: with the default 5 attempts one read in about 400 is
    // throttled every time (a sixth of the runs lost one); with 10, about one run in 2,400.
    let mut args = pull_args(&s, &flaky);
    args.extend(["--max-attempts", "10"]);
    let out = logwarden(&args, Some(&throttled.url), s.home.path());
    assert!(throttled.faults() > 0);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(statuses(&manifest(&flaky)["files"]), statuses(&m["files"]));
    let denied = support::FaultProxy::start(
        &s.moto.url,
        serde_json::json!([{"service": "s3", "operation": "GetObject", "account": "*", "resource": "*", "fault": "deny", "rate": 0.2}]),
    );
    let partial = s.home.path().join("partial");
    let out = logwarden(&pull_args(&s, &partial), Some(&denied.url), s.home.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let n = denied.faults();
    assert!(n > 0);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{} us-east-1 s3:GetObject: AccessDenied",
            s.archive
        )),
        "{stderr}"
    );
    assert!(stderr.contains("grant s3:GetObject"), "{stderr}");
    let pm = manifest(&partial);
    assert_eq!(pm["errors"].as_array().unwrap().len(), n);
    // What was read is judged as in the clean run; what was not is in no verdict (never a
    // guessed `missing`).
    let clean = statuses(&m["files"]);
    for (k, v) in statuses(&pm["files"]) {
        if v == "valid" {
            assert_eq!(clean.get(&k), Some(&v));
        }
    }
    let out = s.pull(&partial, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("({n} downloaded, {} already there", 72 - n)),
        "{stderr}"
    );

    // A copy altered after the pull: verify names it.
    let copy = s.home.path().join("copy");
    copy_dir(&first, &copy);
    let f = &files[5];
    let altered = copy.join(f["path"].as_str().unwrap());
    let mut bytes = std::fs::read(&altered).unwrap();
    bytes.push(b'\n');
    std::fs::write(&altered, bytes).unwrap();
    let (code, verified, _) = verify(&copy, s.home.path());
    assert_eq!(code, 1);
    let bad = not_valid(&verified);
    assert!(
        bad.contains(&(
            f["key"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string(),
            if f["kind"] == "log" {
                "modified".to_string()
            } else {
                "invalid_signature".to_string()
            }
        )),
        "{bad:?}"
    );

    // Tampering in the bucket, one kind per account.
    let a = &s.accounts;
    s.tamper(&format!(
        "modify-log:{},delete-log:{},delete-digest:{},bad-signature:{},rechain:{}",
        a[1], a[2], a[3], a[4], a[5]
    ));
    let second = s.home.path().join("second");
    let out = s.pull(&second, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = manifest(&second);
    let name = |acct: &str, what: &str| -> String {
        match what {
            "log10" => format!("{acct}_CloudTrail_us-east-1_20261127T1010Z_t10.json.gz"),
            "log11-10" => format!("{acct}_CloudTrail_us-east-1_20261127T1110Z_t10.json.gz"),
            "log11-20" => format!("{acct}_CloudTrail_us-east-1_20261127T1120Z_t20.json.gz"),
            "log10-20" => format!("{acct}_CloudTrail_us-east-1_20261127T1020Z_t20.json.gz"),
            d => format!(
                "{acct}_CloudTrail-Digest_us-east-1_org-trail_us-east-1_20261127T{d}0000Z.json.gz"
            ),
        }
    };
    let st = |s: &str| s.to_string();
    let mut want = vec![
        (name(&a[1], "log10"), st("modified")),
        (name(&a[2], "log11-20"), st("missing")),
        (name(&a[3], "11"), st("missing")),
        (name(&a[3], "log10"), st("not_covered")),
        (name(&a[3], "log10-20"), st("not_covered")),
        (name(&a[4], "12"), st("invalid_signature")),
        (name(&a[4], "13"), st("chain_broken")),
        (name(&a[4], "log11-10"), st("not_covered")),
        (name(&a[4], "log11-20"), st("not_covered")),
        (name(&a[5], "12"), st("chain_broken")),
        (name(&a[5], "13"), st("chain_broken")),
    ];
    want.sort();
    assert_eq!(not_valid(&m["files"]), want, "{stdout}");
    let ok: Vec<&serde_json::Value> = m["summary"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["valid"] == true)
        .collect();
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0]["account"], a[0].as_str());
    assert!(
        stdout.contains(&format!("FAIL {} us-east-1", a[3])),
        "{stdout}"
    );
    // Verify of this copy says the same.
    let (code, verified, _) = verify(&second, s.home.path());
    assert_eq!(code, 1);
    assert_eq!(statuses(&verified), statuses(&m["files"]));

    // Without the right keys every digest is invalid, and says which key is missing.
    let other_keys = s.home.path().join("other-keys.json");
    std::fs::write(
        &other_keys,
        r#"{"PublicKeyList": [{"Fingerprint": "00", "Value": "AAAA"}]}"#,
    )
    .unwrap();
    let out = logwarden(
        &[
            "evidence",
            "verify",
            first.to_str().unwrap(),
            "--public-keys",
            other_keys.to_str().unwrap(),
        ],
        None,
        s.home.path(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("no CloudTrail public key with fingerprint"),
        "{stdout}"
    );
}

#[test]
fn other_sources_are_copied_from_their_layout_with_hashes() {
    let s = seed();
    let wa = &s.accounts[2];
    // A flow log file where the seeded flow log delivers (the query table's layout), one the
    // day before the window, and one of another account's prefix not asked for.
    let key = |acct: &str, day: &str, t: &str| {
        format!("AWSLogs/{acct}/vpcflowlogs/us-east-1/2026/11/{day}/{acct}_vpcflowlogs_us-east-1_fl-0a1b_202611{day}T{t}Z_abc.log.gz")
    };
    let (inside, before) = (key(wa, "27", "1005"), key(wa, "26", "1005"));
    s.moto.python_json(&format!(
        "import gzip\nc3=member('s3', '{archive}')\nfor k in ['{inside}', '{before}']:\n    c3.put_object(Bucket='lw-org-trail-logs', Key=k, Body=gzip.compress(b'version account-id\\n2 {wa}\\n'))\nprint('{{}}')",
        archive = s.archive
    ));
    let out_dir = s.home.path().join("flows");
    let out = logwarden(
        &[
            "evidence",
            "pull",
            "--source",
            "flow-logs",
            "--since",
            "2026-11-27",
            "--until",
            "2026-11-27",
            "--from-inventory",
            &s.inventory,
            "--regions",
            "us-east-1",
            "--accounts",
            wa,
            "--out",
            out_dir.to_str().unwrap(),
        ],
        Some(&s.moto.url),
        s.home.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let m = manifest(&out_dir);
    let keys: Vec<(&str, &str, &str)> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["key"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
                f["account"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(keys, vec![(inside.as_str(), "copied", wa.as_str())]);
    assert_eq!(m["source"], "vpc_flow_logs");
    let (code, _, _) = verify(&out_dir, s.home.path());
    assert_eq!(code, 0);
    let local = out_dir.join(m["files"][0]["path"].as_str().unwrap());
    std::fs::write(&local, b"rewritten").unwrap();
    let (code, verified, _) = verify(&out_dir, s.home.path());
    assert_eq!(code, 1);
    assert_eq!(verified[0]["status"], "modified");
    assert!(verified[0]["reason"]
        .as_str()
        .unwrap()
        .contains("altered after the pull"));
}

#[test]
fn bad_arguments_and_a_folder_that_is_not_evidence_are_refused() {
    let home = tempfile::tempdir().unwrap();
    for (args, want) in [
        (vec!["--since", "yesterday"], "is neither a time nor a date"),
        (
            vec!["--since", "2026-11-28", "--until", "2026-11-27"],
            "is after --until",
        ),
        (
            vec![
                "--since",
                "2026-11-27",
                "--public-keys",
                "/nonexistent/keys.json",
            ],
            "keys.json",
        ),
    ] {
        let mut all = vec!["evidence", "pull", "--out", "/nonexistent/never"];
        all.extend(args.iter().copied());
        let out = logwarden(&all, None, home.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{all:?}: {stderr}");
        assert!(stderr.contains(want), "{all:?}: {stderr}");
    }
    std::fs::write(home.path().join("manifest.json"), "{\"files\": [").unwrap();
    let out = logwarden(
        &["evidence", "verify", home.path().to_str().unwrap()],
        None,
        home.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("manifest.json:1:"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
}

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&e.path(), &target);
        } else {
            std::fs::create_dir_all(to).unwrap();
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The rows of a Parquet file as JSON objects (column → string), read with the parquet crate.
fn read_parquet(path: &Path) -> Vec<serde_json::Value> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            let mut o = serde_json::Map::new();
            for (name, field) in r.get_column_iter() {
                if let parquet::record::Field::Str(s) = field {
                    o.insert(name.clone(), serde_json::Value::String(s.clone()));
                }
            }
            serde_json::Value::Object(o)
        })
        .collect()
}
