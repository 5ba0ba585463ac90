//! Evidence: a window of logs copied out of their buckets with a chain-of-custody manifest, and
//! CloudTrail's log file integrity validation done exactly as AWS documents it (each digest's
//! SHA256withRSA signature over AWS's signing string, each log file's SHA-256 against its digest
//! entry, the previous-digest chain), so a copy can be proven complete and unaltered after it
//! left S3.
//!
//! Everything here is pure: the files' bytes, the public keys and the window come in as
//! arguments; `commands::evidence` lists, downloads and writes. Modules: [`digest`] (the digest
//! format, the signing string, the signature), [`validate`] (the verdict for every file),
//! [`layout`] (which prefixes hold a window's files, the time in a key) and [`records`] (the
//! CloudTrail records as Parquet).

pub mod digest;
pub mod layout;
pub mod records;
pub mod validate;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A log file (CloudTrail's, or another source's).
    Log,
    /// A CloudTrail digest file.
    Digest,
}

/// A file's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A log file whose SHA-256 matches its entry in a digest whose signature verifies; a
    /// digest whose signature verifies and whose chain holds.
    Valid,
    /// A log file whose content is not what its digest says (or, in a copy, not what the
    /// manifest recorded).
    Modified,
    /// Named (by a digest, or as the previous digest) but absent.
    Missing,
    /// A log file present in the window but named by no digest whose signature verifies
    /// (delivered after the last digest pulled, or never signed for).
    NotCovered,
    /// A digest whose signature does not verify with AWS's public key (or that cannot be
    /// checked: no signature, an unknown key, another digest's location).
    InvalidSignature,
    /// A digest whose own signature verifies but whose previous digest is not the one it names
    /// (hash or signature differ).
    ChainBroken,
    /// A log file of a source without digests: copied, its SHA-256 recorded; nothing proves
    /// what it was before the copy.
    Copied,
}

impl Status {
    /// Whether the file passes: everything but `copied` must be `valid`.
    pub fn passes(self) -> bool {
        matches!(self, Status::Valid | Status::Copied)
    }
    pub fn name(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Modified => "modified",
            Status::Missing => "missing",
            Status::NotCovered => "not_covered",
            Status::InvalidSignature => "invalid_signature",
            Status::ChainBroken => "chain_broken",
            Status::Copied => "copied",
        }
    }
}

/// One file of the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub bucket: String,
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Bytes as stored (compressed); absent for a missing file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// SHA-256 of the file as stored (what the copy must hash to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub kind: Kind,
    /// The source whose logs it holds (`cloudtrail`, `vpc_flow_logs`...).
    pub source: String,
    pub account: String,
    pub region: String,
    pub status: Status,
    /// Why the status is not `valid`, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A digest's signature (hex) and algorithm, from the object's metadata: kept here because
    /// a copy on disk has no metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_algorithm: Option<String>,
    /// Where the copy is, relative to the evidence folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Entry {
    /// A file that is present (its bytes were read).
    pub fn present(&self) -> bool {
        self.status != Status::Missing
    }
}

/// A public key as CloudTrail's `ListPublicKeys` returns it (`Value`: base64 of the DER
/// `RSAPublicKey`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublicKey {
    pub fingerprint: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_start_time: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_end_time: Option<serde_json::Value>,
}

/// The keys file `--public-keys` takes: `aws cloudtrail list-public-keys` output
/// (`{"PublicKeyList": [...]}`), or the bare list.
pub fn parse_public_keys(text: &str) -> Result<Vec<PublicKey>, String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Listed {
        public_key_list: Vec<PublicKey>,
    }
    serde_json::from_str::<Listed>(text)
        .map(|l| l.public_key_list)
        .or_else(|_| serde_json::from_str::<Vec<PublicKey>>(text))
        .map_err(|e| format!("{e} (expected the output of `aws cloudtrail list-public-keys`: {{\"PublicKeyList\": [{{\"Fingerprint\": ..., \"Value\": ...}}]}})"))
}

/// Counts per status for one account and region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub account: String,
    pub region: String,
    pub logs: BTreeMap<Status, usize>,
    pub digests: BTreeMap<Status, usize>,
    /// Every file passes.
    pub valid: bool,
}

/// The chain-of-custody manifest (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The logwarden version that wrote it.
    pub logwarden: String,
    pub source: String,
    /// The window, RFC 3339.
    pub since: String,
    pub until: String,
    /// Digests ending at or after this time were pulled: a previous digest from then on that
    /// is absent is `missing`.
    pub digests_from: String,
    pub public_keys: Vec<PublicKey>,
    pub files: Vec<Entry>,
    pub summary: Vec<Summary>,
    /// Reads that failed: the copy is incomplete (exit 2), a later pull resumes it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// The per account and region counts of `files`, sorted.
pub fn summarize(files: &[Entry]) -> Vec<Summary> {
    let mut out: BTreeMap<(String, String), Summary> = BTreeMap::new();
    for f in files {
        let s = out
            .entry((f.account.clone(), f.region.clone()))
            .or_insert_with(|| Summary {
                account: f.account.clone(),
                region: f.region.clone(),
                valid: true,
                ..Summary::default()
            });
        let counts = match f.kind {
            Kind::Log => &mut s.logs,
            Kind::Digest => &mut s.digests,
        };
        *counts.entry(f.status).or_default() += 1;
        s.valid &= f.status.passes();
    }
    out.into_values().collect()
}

/// Exit code of a pull or a verify: 0 when every file passes, 1 otherwise.
pub fn exit_code(files: &[Entry]) -> i32 {
    if files.iter().all(|f| f.status.passes()) {
        0
    } else {
        1
    }
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// The bytes of a gzip file, inflated (CloudTrail's log and digest files are gzip; a file that
/// is not is taken as is).
pub fn inflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    if bytes.len() < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes), &mut out)
        .map_err(|e| format!("not a readable gzip file: {e}"))?;
    Ok(out)
}

/// The path of a copy inside the evidence folder: `files/<bucket>/<key>`, or `None` for a key
/// that would leave the folder (`..`, an absolute path).
pub fn local_path(bucket: &str, key: &str) -> Option<String> {
    let ok = |s: &str| !s.is_empty() && s != "." && s != ".." && !s.contains('\\');
    if !ok(bucket) || bucket.contains('/') || key.starts_with('/') {
        return None;
    }
    if !key.split('/').all(ok) {
        return None;
    }
    Some(format!("files/{bucket}/{key}"))
}

#[cfg(test)]
mod tests;
