//! Evidence validation against digests signed here with a test RSA key, exactly in the format
//! CloudTrail writes: the untouched set is valid, and each kind of tampering gets its verdict.

use super::digest::{self, Digest};
use super::validate::{validate, Content, Loc};
use super::*;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{KeyPair, RsaKeyPair, RSA_PKCS1_SHA256};
use base64::Engine;
use std::collections::BTreeMap;
use time::macros::datetime;

const BUCKET: &str = "org-trail-logs";
const ACCOUNT: &str = "111122223333";

/// A signed CloudTrail window: the files, what validation reads of them, the key.
struct Window {
    files: Vec<Entry>,
    content: BTreeMap<Loc, Content>,
    keys: Vec<PublicKey>,
    /// Uncompressed digests by key (to re-sign altered ones).
    digests: Vec<(String, serde_json::Value)>,
    key: RsaKeyPair,
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut e, bytes).unwrap();
    e.finish().unwrap()
}

fn sign(key: &RsaKeyPair, text: &str) -> String {
    let mut sig = vec![0u8; key.public_modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        text.as_bytes(),
        &mut sig,
    )
    .unwrap();
    hex::encode(sig)
}

fn log_key(hour: u8, n: u8) -> String {
    format!("AWSLogs/o-abc/{ACCOUNT}/CloudTrail/us-east-1/2026/11/27/{ACCOUNT}_CloudTrail_us-east-1_20261127T{hour:02}{n:02}Z_x{n}.json.gz")
}

fn digest_key(hour: u8) -> String {
    format!("AWSLogs/o-abc/{ACCOUNT}/CloudTrail-Digest/us-east-1/2026/11/27/{ACCOUNT}_CloudTrail-Digest_us-east-1_org_us-east-1_20261127T{hour:02}0000Z.json.gz")
}

fn entry(key: &str, kind: Kind, sha: &str, signature: Option<String>) -> Entry {
    Entry {
        bucket: BUCKET.into(),
        key: key.into(),
        version_id: None,
        etag: None,
        size: Some(1),
        sha256: Some(sha.into()),
        kind,
        source: "cloudtrail".into(),
        account: ACCOUNT.into(),
        region: "us-east-1".into(),
        status: Status::NotCovered,
        reason: None,
        signature,
        signature_algorithm: Some("SHA256withRSA".into()),
        path: None,
    }
}

/// Four hourly digests (10:00 to 13:00), each naming two log files of the hour before, chained.
fn window() -> Window {
    let key = RsaKeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let public = base64::engine::general_purpose::STANDARD.encode(key.public_key().as_ref());
    let mut w = Window {
        files: Vec::new(),
        content: BTreeMap::new(),
        keys: vec![PublicKey {
            fingerprint: "31e8b5433410dfb61a9dc45cc65b22ff".into(),
            value: public,
            validity_start_time: None,
            validity_end_time: None,
        }],
        digests: Vec::new(),
        key,
    };
    let mut previous: Option<(String, String, String)> = None; // key, sha, signature
    for hour in 10..14u8 {
        let mut logs = Vec::new();
        for n in 1..3u8 {
            let k = log_key(hour - 1, n * 10);
            let body = format!(
                r#"{{"Records":[{{"eventVersion":"1.09","eventTime":"2026-11-27T{:02}:{:02}:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","requestParameters":{{"bucketName":"b"}},"userIdentity":{{"type":"AssumedRole","arn":"arn:aws:sts::{ACCOUNT}:assumed-role/r/s"}}}}]}}"#,
                hour - 1,
                n * 10
            );
            let inflated_sha = sha256_hex(body.as_bytes());
            let stored = gz(body.as_bytes());
            w.files
                .push(entry(&k, Kind::Log, &sha256_hex(&stored), None));
            w.content.insert(
                (BUCKET.into(), k.clone()),
                Content::Log(Ok(inflated_sha.clone())),
            );
            logs.push(serde_json::json!({"s3Bucket": BUCKET, "s3Object": k, "hashValue": inflated_sha, "hashAlgorithm": "SHA-256"}));
        }
        let dk = digest_key(hour);
        let doc = serde_json::json!({
            "awsAccountId": ACCOUNT,
            "digestStartTime": format!("2026-11-27T{:02}:00:00Z", hour - 1),
            "digestEndTime": format!("2026-11-27T{hour:02}:00:00Z"),
            "digestS3Bucket": BUCKET,
            "digestS3Object": dk,
            "digestPublicKeyFingerprint": "31e8b5433410dfb61a9dc45cc65b22ff",
            "digestSignatureAlgorithm": "SHA256withRSA",
            "previousDigestS3Bucket": previous.as_ref().map(|_| BUCKET),
            "previousDigestS3Object": previous.as_ref().map(|p| p.0.clone()),
            "previousDigestHashValue": previous.as_ref().map(|p| p.1.clone()),
            "previousDigestHashAlgorithm": "SHA-256",
            "previousDigestSignature": previous.as_ref().map(|p| p.2.clone()),
            "logFiles": logs,
        });
        let (sha, sig) = w.put_digest(&dk, &doc);
        previous = Some((dk, sha, sig));
    }
    w
}

impl Window {
    /// Store a digest signed with the test key; returns its SHA-256 and signature.
    fn put_digest(&mut self, dk: &str, doc: &serde_json::Value) -> (String, String) {
        let inflated = serde_json::to_vec(doc).unwrap();
        let d = Digest::parse(&inflated).unwrap();
        let sig = sign(&self.key, &digest::signing_string(&d, &inflated));
        self.files.retain(|f| f.key != dk);
        self.files.push(entry(
            dk,
            Kind::Digest,
            &sha256_hex(&gz(&inflated)),
            Some(sig.clone()),
        ));
        self.content.insert(
            (BUCKET.into(), dk.into()),
            Content::Digest(Ok(inflated.clone())),
        );
        self.digests.retain(|(k, _)| k != dk);
        self.digests.push((dk.into(), doc.clone()));
        (sha256_hex(&inflated), sig)
    }

    fn remove(&mut self, key: &str) {
        self.files.retain(|f| f.key != key);
        self.content.remove(&(BUCKET.to_string(), key.to_string()));
    }

    fn judge(&self) -> Vec<Entry> {
        validate(
            self.files.clone(),
            &self.content,
            &self.keys,
            datetime!(2026-11-27 09:30 UTC),
        )
    }
}

fn status_of(files: &[Entry], key: &str) -> Status {
    files
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("no {key} in {files:#?}"))
        .status
}

fn not_valid(files: &[Entry]) -> Vec<(String, Status)> {
    files
        .iter()
        .filter(|f| f.status != Status::Valid)
        .map(|f| (f.key.clone(), f.status))
        .collect()
}

#[test]
fn the_signing_string_is_the_documented_one() {
    // AWS's sample digest ("CloudTrail digest file structure"): the string is the end time,
    // bucket/key, the hex SHA-256 of the uncompressed digest and the previous signature.
    let sample = r#"{"awsAccountId":"111122223333","digestStartTime":"2015-08-17T14:01:31Z","digestEndTime":"2015-08-17T15:01:31Z","digestS3Bucket":"S3-bucket-name","digestS3Object":"AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz","digestPublicKeyFingerprint":"31e8b5433410dfb61a9dc45cc65b22ff","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":"2015-08-17T14:52:27Z","oldestEventTime":"2015-08-17T14:42:27Z","previousDigestS3Bucket":"S3-bucket-name","previousDigestS3Object":"AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T140131Z.json.gz","previousDigestHashValue":"97fb791cf91ffc440d274f8190dbdd9aa09c34432aba82739df18b6d3c13df2d","previousDigestHashAlgorithm":"SHA-256","previousDigestSignature":"50887ccffad4c002b97caa37cc9dc626e3c680207d41d27fa5835458e066e0d3652fc4dfc30937e4d5f4cc7f796e7a258fb50a43ac427f2237f6e505d4efaf373d156e1","logFiles":[{"s3Bucket":"S3-bucket-name","s3Object":"AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_9nYN7gp2eWAJHIfT.json.gz","hashValue":"9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6","hashAlgorithm":"SHA-256","newestEventTime":"2015-08-17T14:52:27Z","oldestEventTime":"2015-08-17T14:42:27Z"}]}"#;
    let d = Digest::parse(sample.as_bytes()).unwrap();
    let want = format!(
        "2015-08-17T15:01:31Z\nS3-bucket-name/AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz\n{}\n50887ccffad4c002b97caa37cc9dc626e3c680207d41d27fa5835458e066e0d3652fc4dfc30937e4d5f4cc7f796e7a258fb50a43ac427f2237f6e505d4efaf373d156e1",
        sha256_hex(sample.as_bytes())
    );
    assert_eq!(digest::signing_string(&d, sample.as_bytes()), want);
    assert_eq!(d.log_files.len(), 1);
    assert_eq!(d.previous().unwrap().0, "S3-bucket-name");
    // A chain's first digest signs "null" for the previous signature.
    let first = sample.replace(
        r#""previousDigestSignature":"50887ccffad4c002b97caa37cc9dc626e3c680207d41d27fa5835458e066e0d3652fc4dfc30937e4d5f4cc7f796e7a258fb50a43ac427f2237f6e505d4efaf373d156e1""#,
        r#""previousDigestSignature":null"#,
    );
    let d = Digest::parse(first.as_bytes()).unwrap();
    assert!(digest::signing_string(&d, first.as_bytes()).ends_with("\nnull"));
}

#[test]
fn an_untouched_window_is_valid() {
    let w = window();
    let files = w.judge();
    assert_eq!(files.len(), 12);
    assert_eq!(not_valid(&files), vec![]);
    assert_eq!(exit_code(&files), 0);
    let s = summarize(&files);
    assert_eq!(s.len(), 1);
    assert!(s[0].valid);
    assert_eq!(s[0].logs[&Status::Valid], 8);
    assert_eq!(s[0].digests[&Status::Valid], 4);
}

#[test]
fn a_modified_log_file_is_modified() {
    let mut w = window();
    let k = log_key(10, 10);
    w.content.insert(
        (BUCKET.into(), k.clone()),
        Content::Log(Ok(sha256_hex(b"{\"Records\":[]}"))),
    );
    let files = w.judge();
    assert_eq!(not_valid(&files), vec![(k.clone(), Status::Modified)]);
    let f = files.iter().find(|f| f.key == k).unwrap();
    assert!(f.reason.as_ref().unwrap().contains("the digest"), "{f:?}");
    assert_eq!(exit_code(&files), 1);
}

#[test]
fn a_deleted_log_file_is_missing() {
    let mut w = window();
    let k = log_key(11, 20);
    w.remove(&k);
    let files = w.judge();
    assert_eq!(not_valid(&files), vec![(k.clone(), Status::Missing)]);
    let f = files.iter().find(|f| f.key == k).unwrap();
    assert_eq!(
        (f.account.as_str(), f.region.as_str()),
        (ACCOUNT, "us-east-1")
    );
    assert!(
        f.reason.as_ref().unwrap().contains(&digest_key(12)),
        "{f:?}"
    );
}

#[test]
fn a_deleted_digest_is_a_gap_and_its_logs_are_not_covered() {
    let mut w = window();
    w.remove(&digest_key(11));
    let files = w.judge();
    assert_eq!(
        not_valid(&files),
        vec![
            (digest_key(11), Status::Missing),
            (log_key(10, 10), Status::NotCovered),
            (log_key(10, 20), Status::NotCovered),
        ]
    );
    // A previous digest from before the window is not looked for.
    let mut w = window();
    w.remove(&digest_key(10));
    let files = validate(
        w.files.clone(),
        &w.content,
        &w.keys,
        datetime!(2026-11-27 10:30 UTC),
    );
    assert!(files.iter().all(|f| f.key != digest_key(10)));
}

#[test]
fn a_digest_whose_signature_does_not_verify_is_invalid_and_covers_nothing() {
    let mut w = window();
    let dk = digest_key(12);
    // Altered after signing: one log file dropped from the list.
    let (_, doc) = w.digests.iter().find(|(k, _)| *k == dk).unwrap().clone();
    let mut altered = doc.clone();
    altered["logFiles"].as_array_mut().unwrap().pop();
    let inflated = serde_json::to_vec(&altered).unwrap();
    w.content
        .insert((BUCKET.into(), dk.clone()), Content::Digest(Ok(inflated)));
    let files = w.judge();
    assert_eq!(status_of(&files, &dk), Status::InvalidSignature);
    assert_eq!(status_of(&files, &log_key(11, 10)), Status::NotCovered);
    let f = files.iter().find(|f| f.key == log_key(11, 10)).unwrap();
    assert!(
        f.reason.as_ref().unwrap().contains("does not verify"),
        "{f:?}"
    );
    // The next digest still chains to the original: its own verdict does not change, but its
    // link names a previous digest whose content changed.
    assert_eq!(status_of(&files, &digest_key(13)), Status::ChainBroken);
    // No signature, or a key nobody has: invalid, said why.
    let mut w = window();
    w.files.iter_mut().find(|f| f.key == dk).unwrap().signature = None;
    let files = w.judge();
    let f = files.iter().find(|f| f.key == dk).unwrap();
    assert_eq!(f.status, Status::InvalidSignature);
    assert!(
        f.reason
            .as_ref()
            .unwrap()
            .contains("no `signature` metadata"),
        "{f:?}"
    );
    let mut w = window();
    w.keys[0].fingerprint = "00".into();
    let files = w.judge();
    assert!(files
        .iter()
        .filter(|f| f.kind == Kind::Digest)
        .all(|f| f.status == Status::InvalidSignature));
    assert!(files
        .iter()
        .any(|f| f.reason.as_deref().unwrap_or("").contains("--public-keys")));
}

#[test]
fn a_re_signed_digest_that_names_another_previous_breaks_the_chain() {
    // Whoever holds a signing key (here, the test) can sign a digest, but not one that chains
    // to the real previous digest without its exact hash and signature.
    let mut w = window();
    let dk = digest_key(12);
    let (_, doc) = w.digests.iter().find(|(k, _)| *k == dk).unwrap().clone();
    let mut forged = doc.clone();
    forged["previousDigestHashValue"] = serde_json::json!(sha256_hex(b"something else"));
    w.put_digest(&dk, &forged);
    let files = w.judge();
    assert_eq!(status_of(&files, &dk), Status::ChainBroken);
    let f = files.iter().find(|f| f.key == dk).unwrap();
    assert!(f.reason.as_ref().unwrap().contains("SHA-256"), "{f:?}");
    // Its own list is still signed: its log files are valid.
    assert_eq!(status_of(&files, &log_key(11, 10)), Status::Valid);
}

#[test]
fn a_digest_moved_elsewhere_does_not_verify() {
    let mut w = window();
    let dk = digest_key(11);
    let moved = dk.replace("2026/11/27", "2026/11/28");
    let f = w.files.iter_mut().find(|f| f.key == dk).unwrap();
    f.key = moved.clone();
    let c = w.content.remove(&(BUCKET.to_string(), dk.clone())).unwrap();
    w.content.insert((BUCKET.into(), moved.clone()), c);
    let files = w.judge();
    let f = files.iter().find(|f| f.key == moved).unwrap();
    assert_eq!(f.status, Status::InvalidSignature);
    assert!(
        f.reason.as_ref().unwrap().contains("moved or copied"),
        "{f:?}"
    );
}

#[test]
fn a_copy_altered_after_the_pull_is_modified() {
    let mut e = entry(&log_key(10, 10), Kind::Log, "aa", None);
    e.status = Status::Copied;
    validate::against_manifest(&mut e, Some("aa"), Some("aa"));
    assert_eq!(e.status, Status::Copied);
    validate::against_manifest(&mut e, Some("aa"), Some("bb"));
    assert_eq!(e.status, Status::Modified);
    assert!(e.reason.unwrap().contains("altered after the pull"));
}

#[test]
fn keys_parse_from_the_cli_output_or_a_bare_list() {
    let cli = r#"{"PublicKeyList": [{"Value": "AAAA", "ValidityStartTime": "2026-01-01T00:00:00Z", "ValidityEndTime": 1798761600.0, "Fingerprint": "ab"}]}"#;
    let keys = parse_public_keys(cli).unwrap();
    assert_eq!(keys[0].fingerprint, "ab");
    assert_eq!(
        parse_public_keys(r#"[{"Value": "AAAA", "Fingerprint": "cd"}]"#).unwrap()[0].fingerprint,
        "cd"
    );
    let err = parse_public_keys("{\"Keys\": 1}").unwrap_err();
    assert!(err.contains("list-public-keys"), "{err}");
}

#[test]
fn times_in_keys_and_where_a_key_belongs() {
    assert_eq!(
        layout::key_time(&log_key(9, 5)),
        Some(datetime!(2026-11-27 09:05 UTC))
    );
    assert_eq!(
        layout::key_time(&digest_key(13)),
        Some(datetime!(2026-11-27 13:00 UTC))
    );
    assert_eq!(
        layout::key_time("AWSLogs/1/CloudTrail-Digest/r/2026/11/27/1_CloudTrail-Digest_r_t_r_20261127T130512Z_backfill.json.gz"),
        Some(datetime!(2026-11-27 13:05:12 UTC))
    );
    assert_eq!(
        layout::key_time("logs/2026-11-27-10-15-32-ABCDEF0123456789"),
        Some(datetime!(2026-11-27 10:15:32 UTC))
    );
    assert_eq!(
        layout::key_time("AWSLogs/1/x/20261399T0000Z_a.log.gz"),
        None
    );
    assert_eq!(layout::key_time("no/time/here.json.gz"), None);
    assert_eq!(
        layout::cloudtrail_location(&digest_key(13)),
        Some((ACCOUNT.to_string(), "us-east-1".to_string()))
    );
    assert_eq!(
        layout::account_in("p/AWSLogs/o-abc/111122223333/vpcflowlogs/x"),
        Some(ACCOUNT.into())
    );
    assert_eq!(local_path("b", "a/../../etc"), None);
    assert_eq!(local_path("b", "/abs"), None);
    assert_eq!(
        local_path("b", "AWSLogs/x.gz").as_deref(),
        Some("files/b/AWSLogs/x.gz")
    );
}

#[test]
fn listings_follow_the_query_tables_layout() {
    let t = crate::query::Table {
        name: "t".into(),
        source: "cloudtrail".into(),
        about: String::new(),
        bucket: BUCKET.into(),
        prefix: "p/AWSLogs/o-abc/".into(),
        columns: vec![],
        storage: crate::query::Storage::CloudTrail,
        partitions: crate::query::partitions(
            &[ACCOUNT.to_string(), "444455556666".to_string()],
            &["us-east-1".to_string(), "eu-west-1".to_string()],
            "yyyy/MM/dd",
            crate::query::DateUnit::Days,
        ),
        template: format!(
            "s3://{BUCKET}/p/AWSLogs/o-abc/${{aws_account}}/CloudTrail/${{aws_region}}/${{day}}"
        ),
        kms_keys: vec![],
        date_column: Some("day".into()),
        record_time: None,
        queries: vec![],
        parquet: true,
    };
    let days = layout::days(
        datetime!(2026-11-30 23:00 UTC),
        datetime!(2026-12-01 01:00 UTC),
    );
    let l = layout::listings(&t, Kind::Log, &days, &[ACCOUNT.to_string()], &[]);
    let prefixes: Vec<&str> = l.iter().map(|l| l.prefix.as_str()).collect();
    assert_eq!(
        prefixes,
        vec![
            "p/AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2026/11/30/",
            "p/AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2026/12/01/",
            "p/AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2026/11/30/",
            "p/AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2026/12/01/",
        ]
    );
    assert!(l
        .iter()
        .all(|x| x.account == ACCOUNT && !x.region.is_empty()));
    let d = layout::digest_table(&t).unwrap();
    let l = layout::listings(
        &d,
        Kind::Digest,
        &days[..1],
        &[],
        &["us-east-1".to_string()],
    );
    assert_eq!(l.len(), 2);
    assert!(
        l[0].prefix
            .contains("/CloudTrail-Digest/us-east-1/2026/11/30/"),
        "{l:?}"
    );
}

#[test]
fn records_round_trip_through_parquet() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;
    let columns: Vec<String> = [
        "eventversion",
        "useridentity",
        "eventtime",
        "eventname",
        "requestparameters",
        "errorcode",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let body = br#"{"Records":[{"eventVersion":"1.09","userIdentity":{"type":"Root"},"eventTime":"2026-11-27T10:00:00Z","eventName":"StopLogging","requestParameters":{"name":"org"}},{"eventVersion":"1.09","eventTime":"2026-11-28T00:00:01Z","eventName":"GetObject","requestParameters":null,"errorCode":"AccessDenied"}]}"#;
    let rows = records::cloudtrail_rows(body, &columns, "k.json.gz", "valid").unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].day, "2026-11-27");
    assert_eq!(rows[1].day, "2026-11-28");
    let bytes = records::write(&columns, &rows).unwrap();
    let mut file = tempfile::tempfile().unwrap();
    std::io::Write::write_all(&mut file, &bytes).unwrap();
    let reader = SerializedFileReader::new(file).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 2);
    let read: Vec<Vec<Option<String>>> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            (0..columns.len() + 2)
                .map(|i| r.get_string(i).ok().cloned())
                .collect()
        })
        .collect();
    assert_eq!(read[0][1].as_deref(), Some(r#"{"type":"Root"}"#));
    assert_eq!(read[0][3].as_deref(), Some("StopLogging"));
    assert_eq!(read[0][4].as_deref(), Some(r#"{"name":"org"}"#));
    assert_eq!(read[0][5], None);
    assert_eq!(read[1][4], None);
    assert_eq!(read[1][5].as_deref(), Some("AccessDenied"));
    assert_eq!(read[1][6].as_deref(), Some("k.json.gz"));
    assert_eq!(read[1][7].as_deref(), Some("valid"));
    assert!(records::cloudtrail_rows(b"[]", &columns, "k", "valid").is_err());
}
