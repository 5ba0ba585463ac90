//! The verdict for every file of a CloudTrail window, as AWS's `validate-logs` reaches it and a
//! little further (it also judges a copy): each digest's signature, the chain from each digest
//! to the one it names as previous, each log file against the digests that name it, and what
//! is named but absent. The same rules judge a pull and a local copy (`evidence verify`).

use super::digest::{self, Digest};
use super::{layout, Entry, Kind, PublicKey, Status};
use std::collections::{BTreeMap, BTreeSet};

/// What was read of a present file.
#[derive(Debug, Clone)]
pub enum Content {
    /// A log file: the SHA-256 of its uncompressed content, or why it could not be read.
    Log(Result<String, String>),
    /// A digest file: its uncompressed bytes, or why they could not be read.
    Digest(Result<Vec<u8>, String>),
}

/// A file's location.
pub type Loc = (String, String);

fn loc(e: &Entry) -> Loc {
    (e.bucket.clone(), e.key.clone())
}

/// Judge every file. `files` are the present files (their status is overwritten for the ones
/// `content` has) and may already hold missing ones; `digests_from` is the earliest time the
/// pull looked for digests: a previous digest from then on that is absent is `missing`.
/// Returns the files with their verdicts, the missing ones added, sorted by location.
pub fn validate(
    mut files: Vec<Entry>,
    content: &BTreeMap<Loc, Content>,
    keys: &[PublicKey],
    digests_from: time::OffsetDateTime,
) -> Vec<Entry> {
    let index: BTreeMap<Loc, usize> = files.iter().enumerate().map(|(i, f)| (loc(f), i)).collect();
    let parsed = signatures(&mut files, content, keys);
    let mut added: BTreeMap<Loc, Entry> = BTreeMap::new();
    chain(
        &mut files,
        &index,
        &parsed,
        content,
        digests_from,
        &mut added,
    );
    log_files(&mut files, &index, &parsed, content, &mut added);
    files.extend(added.into_values());
    files.sort_by(|a, b| (&a.bucket, &a.key).cmp(&(&b.bucket, &b.key)));
    files
}

/// Step 1, each digest's own signature: the verified digests, parsed.
fn signatures(
    files: &mut [Entry],
    content: &BTreeMap<Loc, Content>,
    keys: &[PublicKey],
) -> BTreeMap<Loc, Digest> {
    let mut parsed: BTreeMap<Loc, Digest> = BTreeMap::new();
    for f in files.iter_mut().filter(|f| f.kind == Kind::Digest) {
        let Some(Content::Digest(read)) = content.get(&loc(f)) else {
            continue;
        };
        let verdict = read.clone().and_then(|bytes| {
            let d = Digest::parse(&bytes)?;
            if d.digest_s3_bucket != f.bucket || d.digest_s3_object != f.key {
                return Err(format!(
                    "the digest says it is s3://{}/{}: it was moved or copied here",
                    d.digest_s3_bucket, d.digest_s3_object
                ));
            }
            digest::verify(
                &d,
                &bytes,
                f.signature.as_deref(),
                f.signature_algorithm.as_deref(),
                keys,
            )
            .map_err(|e| e.to_string())?;
            Ok(d)
        });
        match verdict {
            Ok(d) => {
                f.status = Status::Valid;
                f.reason = None;
                parsed.insert(loc(f), d);
            }
            Err(why) => {
                f.status = Status::InvalidSignature;
                f.reason = Some(why);
            }
        }
    }
    parsed
}

/// Step 2, the chain: each verified digest against the one it names as previous; an absent
/// previous digest from `digests_from` on is added to `added` as `missing`.
fn chain(
    files: &mut [Entry],
    index: &BTreeMap<Loc, usize>,
    parsed: &BTreeMap<Loc, Digest>,
    content: &BTreeMap<Loc, Content>,
    digests_from: time::OffsetDateTime,
    added: &mut BTreeMap<Loc, Entry>,
) {
    for (at, d) in parsed {
        let Some((pb, pk)) = d.previous() else {
            continue;
        };
        let prev = (pb.to_string(), pk.to_string());
        let (source, region) = {
            let this = &files[index[at]];
            (this.source.clone(), this.region.clone())
        };
        let broken: Option<String> = match content.get(&prev) {
            Some(Content::Digest(Ok(bytes))) => {
                let p = &files[index[&prev]];
                let hash_ok = d
                    .previous_digest_hash_value
                    .as_deref()
                    .is_some_and(|h| h.eq_ignore_ascii_case(&super::sha256_hex(bytes)));
                let sig_ok = d
                    .previous_digest_signature
                    .as_deref()
                    .map(str::to_lowercase)
                    == p.signature.as_deref().map(str::to_lowercase);
                (!(hash_ok && sig_ok)).then(|| {
                    format!(
                        "the previous digest s3://{pb}/{pk} is not the one this digest signed for: its {} differ{}",
                        match (hash_ok, sig_ok) {
                            (false, false) => "SHA-256 and signature",
                            (false, true) => "SHA-256",
                            _ => "signature",
                        },
                        if hash_ok != sig_ok { "s" } else { "" }
                    )
                })
            }
            // Present but unreadable: its own verdict says so; the link cannot be judged.
            Some(Content::Digest(Err(_))) => Some(format!(
                "the previous digest s3://{pb}/{pk} could not be read"
            )),
            _ => {
                let listed = index.contains_key(&prev);
                if !listed && layout::key_time(pk).is_none_or(|t| t >= digests_from) {
                    let (account, region) = layout::cloudtrail_location(pk)
                        .unwrap_or_else(|| (d.aws_account_id.clone(), region));
                    added.entry(prev.clone()).or_insert_with(|| Entry {
                        status: Status::Missing,
                        reason: Some(format!(
                            "named as the previous digest by {}: deleted, or never delivered (a gap in the chain)",
                            at.1
                        )),
                        ..absent(pb, pk, Kind::Digest, &source, account, region)
                    });
                }
                None
            }
        };
        if let Some(why) = broken {
            let this = &mut files[index[at]];
            this.status = Status::ChainBroken;
            this.reason = Some(why);
        }
    }
}

/// Step 3, log files against the digests whose signature verifies (a broken chain does not make
/// a digest's own list untrustworthy); a named file that is absent is added as `missing`.
fn log_files(
    files: &mut [Entry],
    index: &BTreeMap<Loc, usize>,
    parsed: &BTreeMap<Loc, Digest>,
    content: &BTreeMap<Loc, Content>,
    added: &mut BTreeMap<Loc, Entry>,
) {
    let mut covered: BTreeSet<Loc> = BTreeSet::new();
    let mut unsigned: BTreeSet<Loc> = BTreeSet::new();
    for f in files.iter().filter(|f| f.kind == Kind::Digest) {
        if let Some(Content::Digest(Ok(bytes))) = content.get(&loc(f)) {
            if !parsed.contains_key(&loc(f)) {
                if let Ok(d) = Digest::parse(bytes) {
                    unsigned.extend(
                        d.log_files
                            .iter()
                            .map(|l| (l.s3_bucket.clone(), l.s3_object.clone())),
                    );
                }
            }
        }
    }
    for (at, d) in parsed {
        for l in &d.log_files {
            let lf = (l.s3_bucket.clone(), l.s3_object.clone());
            covered.insert(lf.clone());
            match index.get(&lf) {
                Some(i) => {
                    let f = &mut files[*i];
                    match content.get(&lf) {
                        // A file two digests name, one of them with another hash, stays modified.
                        Some(Content::Log(Ok(sha)))
                            if sha.eq_ignore_ascii_case(&l.hash_value)
                                && f.status != Status::Modified =>
                        {
                            f.status = Status::Valid;
                            f.reason = None;
                        }
                        Some(Content::Log(Ok(sha))) if sha.eq_ignore_ascii_case(&l.hash_value) => {}
                        Some(Content::Log(Ok(sha))) => {
                            f.status = Status::Modified;
                            f.reason = Some(format!(
                                "SHA-256 of its content is {sha}; the digest {} says {}",
                                at.1, l.hash_value
                            ));
                        }
                        Some(Content::Log(Err(why))) => {
                            f.status = Status::Modified;
                            f.reason = Some(why.clone());
                        }
                        _ => {}
                    }
                }
                None => {
                    let (account, region) = layout::cloudtrail_location(&l.s3_object)
                        .unwrap_or_else(|| (d.aws_account_id.clone(), String::new()));
                    let source = files[index[at]].source.clone();
                    added.entry(lf.clone()).or_insert_with(|| Entry {
                        reason: Some(format!(
                            "named by the digest {}, absent from the bucket",
                            at.1
                        )),
                        ..absent(&lf.0, &lf.1, Kind::Log, &source, account, region)
                    });
                }
            }
        }
    }
    for f in files.iter_mut().filter(|f| f.kind == Kind::Log) {
        let l = loc(f);
        if covered.contains(&l) || !matches!(content.get(&l), Some(Content::Log(_))) {
            continue;
        }
        f.status = Status::NotCovered;
        f.reason = Some(if unsigned.contains(&l) {
            "named only by digests whose signature does not verify".into()
        } else {
            "in no digest pulled: delivered after the window's last digest, or never signed for (pull a window ending at least an hour earlier)".into()
        });
    }
}

/// A file that is named but absent.
fn absent(
    bucket: &str,
    key: &str,
    kind: Kind,
    source: &str,
    account: String,
    region: String,
) -> Entry {
    Entry {
        bucket: bucket.into(),
        key: key.into(),
        version_id: None,
        etag: None,
        size: None,
        sha256: None,
        kind,
        source: source.into(),
        account,
        region,
        status: Status::Missing,
        reason: None,
        signature: None,
        signature_algorithm: None,
        path: None,
    }
}

/// A copy's file whose SHA-256 is not the one the manifest recorded: whatever the digests say,
/// the copy is not what was pulled.
pub fn against_manifest(e: &mut Entry, recorded: Option<&str>, now: Option<&str>) {
    if let (Some(r), Some(n)) = (recorded, now) {
        if !r.eq_ignore_ascii_case(n) {
            // A digest altered after the pull no longer verifies: its own verdict says so.
            if e.kind == Kind::Log {
                e.status = Status::Modified;
            }
            e.reason =
                Some(format!(
                "the copy's SHA-256 is {n}, the manifest recorded {r}: altered after the pull{}",
                e.reason.as_ref().map(|r| format!("; {r}")).unwrap_or_default()
            ));
        }
    }
}
