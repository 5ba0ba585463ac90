//! The log archive's policies: the bucket's statements and the key's, gathered from the sources
//! that deliver to the archive, plus what belongs to the archive itself (TLS only, readers of
//! the trail logs in the key's account).

use crate::plan::policies::deny_insecure_transport;
use crate::sources::PlanCtx;
use crate::sources::SOURCES;
use serde_json::{json, Value};

/// Every delivering source's statements, then the Deny of non-TLS requests.
pub fn archive_bucket(ctx: &PlanCtx, tls_only: bool) -> Vec<Value> {
    let mut v: Vec<Value> = SOURCES
        .iter()
        .flat_map(|s| (s.archive_bucket_statements)(ctx))
        .collect();
    if tls_only {
        v.push(deny_insecure_transport(
            &ctx.inv.partition,
            &crate::sources::log_archive::archive(ctx).bucket,
        ));
    }
    v
}

/// Every delivering source's statements in the archive key policy.
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    SOURCES
        .iter()
        .flat_map(|s| (s.archive_key_statements)(ctx))
        .collect()
}

/// Decryption of the trail logs through IAM in the key's account: needed only by a key whose
/// policy does not already let the account's IAM use it (see [`root_administers`]).
pub fn decrypt_trail_logs(partition: &str, key_account: &str) -> Value {
    json!({
        "Sid": "LogwardenDecryptTrailLogs",
        "Effect": "Allow",
        "Principal": {"AWS": crate::arn::Partition(partition).account_root(key_account)},
        "Action": ["kms:Decrypt", "kms:ReEncryptFrom"],
        "Resource": "*",
        "Condition": {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}}
    })
}

/// Whether a key policy lets the key account's IAM grant every KMS action (the key's default
/// statement: an unconditional Allow of `kms:*` to the account root). A statement logwarden
/// would add for that account's principals is then already granted.
pub fn root_administers(policy: Option<&str>, partition: &str, key_account: &str) -> bool {
    let Some(doc) = policy.and_then(|p| serde_json::from_str::<Value>(p).ok()) else {
        return false;
    };
    let root = crate::arn::Partition(partition).account_root(key_account);
    let statements = match &doc["Statement"] {
        Value::Array(v) => v.clone(),
        v @ Value::Object(_) => vec![v.clone()],
        _ => vec![],
    };
    let names = |v: &Value, want: &[&str]| match v {
        Value::String(s) => want.contains(&s.as_str()),
        Value::Array(a) => a
            .iter()
            .any(|x| x.as_str().is_some_and(|s| want.contains(&s))),
        _ => false,
    };
    statements.iter().any(|st| {
        st["Effect"] == "Allow"
            && st.get("Condition").is_none()
            && st.get("NotPrincipal").is_none()
            && st.get("NotAction").is_none()
            && names(&st["Principal"]["AWS"], &[root.as_str(), key_account])
            && names(&st["Action"], &["kms:*", "*"])
            && names(&st["Resource"], &["*"])
    })
}

/// The whole policy of a key logwarden creates: the account's IAM keeps administering it (the
/// key's default statement, so it can never be locked out, and which lets IAM grant readers
/// decryption), plus [`archive_key`].
pub fn new_key_policy(partition: &str, key_account: &str, owned: Vec<Value>) -> Value {
    let mut statements = vec![json!({
        "Sid": "EnableIamUserPermissions",
        "Effect": "Allow",
        "Principal": {"AWS": crate::arn::Partition(partition).account_root(key_account)},
        "Action": "kms:*",
        "Resource": "*"
    })];
    statements.extend(owned);
    json!({"Version": "2012-10-17", "Statement": statements})
}
