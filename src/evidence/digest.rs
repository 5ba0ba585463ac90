//! CloudTrail's digest file as AWS documents it ("CloudTrail digest file structure"): the hour
//! it covers, where it is, the key that signed it, the previous digest (location, SHA-256 of its
//! uncompressed content, signature) and each log file delivered in that hour (location, SHA-256
//! of its uncompressed content). The signature (hex, in the object's `signature` metadata,
//! algorithm `SHA256withRSA`) is over the signing string:
//!
//! ```text
//! digestEndTime \n digestS3Bucket/digestS3Object \n hex(SHA-256(uncompressed digest)) \n previousDigestSignature
//! ```
//!
//! with `null` for the previous signature of a chain's first digest.

use super::PublicKey;
use serde::Deserialize;

/// A log file a digest names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogFile {
    pub s3_bucket: String,
    pub s3_object: String,
    pub hash_value: String,
    #[serde(default)]
    pub hash_algorithm: Option<String>,
}

/// The fields of a digest file validation reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Digest {
    pub aws_account_id: String,
    pub digest_start_time: Option<String>,
    pub digest_end_time: String,
    pub digest_s3_bucket: String,
    pub digest_s3_object: String,
    #[serde(default)]
    pub digest_public_key_fingerprint: Option<String>,
    #[serde(default)]
    pub digest_signature_algorithm: Option<String>,
    #[serde(default)]
    pub previous_digest_s3_bucket: Option<String>,
    #[serde(default)]
    pub previous_digest_s3_object: Option<String>,
    #[serde(default)]
    pub previous_digest_hash_value: Option<String>,
    #[serde(default)]
    pub previous_digest_signature: Option<String>,
    #[serde(default)]
    pub log_files: Vec<LogFile>,
}

impl Digest {
    /// Parse the uncompressed digest.
    pub fn parse(inflated: &[u8]) -> Result<Digest, String> {
        serde_json::from_slice(inflated).map_err(|e| format!("not a CloudTrail digest file: {e}"))
    }

    /// The previous digest's location, when the chain goes on (a chain's first digest, after
    /// logging started or restarted, names none).
    pub fn previous(&self) -> Option<(&str, &str)> {
        match (
            &self.previous_digest_s3_bucket,
            &self.previous_digest_s3_object,
        ) {
            (Some(b), Some(k)) if !b.is_empty() && !k.is_empty() => Some((b, k)),
            _ => None,
        }
    }
}

/// The string CloudTrail signs for a digest (AWS's "Validating CloudTrail digest files"), from
/// the digest's own fields and its uncompressed bytes.
pub fn signing_string(d: &Digest, inflated: &[u8]) -> String {
    format!(
        "{}\n{}/{}\n{}\n{}",
        d.digest_end_time,
        d.digest_s3_bucket,
        d.digest_s3_object,
        super::sha256_hex(inflated),
        d.previous_digest_signature.as_deref().unwrap_or("null")
    )
}

/// Why a digest's signature does not verify.
#[derive(Debug, Clone, PartialEq)]
pub enum SignatureError {
    /// The object had no `signature` metadata.
    Unsigned,
    /// An algorithm other than SHA256withRSA.
    Algorithm(String),
    /// No public key with the digest's fingerprint.
    UnknownKey(String),
    /// The key or the signature is not well formed.
    Malformed(String),
    /// RSA says no.
    DoesNotVerify,
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignatureError::Unsigned => write!(f, "the digest object has no `signature` metadata"),
            SignatureError::Algorithm(a) => write!(f, "signature algorithm `{a}` is not SHA256withRSA"),
            SignatureError::UnknownKey(fp) => write!(
                f,
                "no CloudTrail public key with fingerprint {fp} (pass the keys of the digest's region and time with --public-keys)"
            ),
            SignatureError::Malformed(why) => write!(f, "{why}"),
            SignatureError::DoesNotVerify => write!(
                f,
                "the signature does not verify with CloudTrail's public key: the digest was altered or not signed by CloudTrail"
            ),
        }
    }
}

/// Verify a digest's signature (`signature_hex` from the object's metadata) with the public
/// key its fingerprint names.
pub fn verify(
    d: &Digest,
    inflated: &[u8],
    signature_hex: Option<&str>,
    algorithm: Option<&str>,
    keys: &[PublicKey],
) -> Result<(), SignatureError> {
    use aws_lc_rs::signature::{UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
    use base64::Engine;
    let sig = signature_hex.ok_or(SignatureError::Unsigned)?;
    if let Some(a) = algorithm.or(d.digest_signature_algorithm.as_deref()) {
        if !a.eq_ignore_ascii_case("SHA256withRSA") {
            return Err(SignatureError::Algorithm(a.to_string()));
        }
    }
    let fp = d.digest_public_key_fingerprint.clone().unwrap_or_default();
    let key = keys
        .iter()
        .find(|k| k.fingerprint.eq_ignore_ascii_case(&fp))
        .ok_or_else(|| SignatureError::UnknownKey(fp.clone()))?;
    let der = base64::engine::general_purpose::STANDARD
        .decode(key.value.trim())
        .map_err(|e| SignatureError::Malformed(format!("public key {fp} is not base64: {e}")))?;
    let sig = hex::decode(sig.trim())
        .map_err(|e| SignatureError::Malformed(format!("the signature is not hex: {e}")))?;
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
        .verify(signing_string(d, inflated).as_bytes(), &sig)
        .map_err(|_| SignatureError::DoesNotVerify)
}
