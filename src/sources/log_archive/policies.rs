//! The log archive's policies: the bucket's statements and the key's, gathered from the sources
//! that deliver to the archive, plus what belongs to the archive itself (TLS only, readers of
//! the trail logs in the key's account).

use crate::plan::engine::PlanCtx;
use crate::plan::policies::deny_insecure_transport;
use crate::sources::SOURCES;
use serde_json::{json, Value};

/// Every delivering source's statements, then the Deny of non-TLS requests.
pub fn archive_bucket(ctx: &PlanCtx, tls_only: bool) -> Vec<Value> {
    let mut v: Vec<Value> = SOURCES
        .iter()
        .flat_map(|s| (s.archive_bucket_statements)(ctx))
        .collect();
    if tls_only {
        v.push(deny_insecure_transport(&ctx.inv.partition, &ctx.archive_bucket));
    }
    v
}

/// Every delivering source's statements, then decryption of the trail logs through IAM in
/// the key's account.
pub fn archive_key(ctx: &PlanCtx, key_account: &str) -> Vec<Value> {
    let mut v: Vec<Value> = SOURCES
        .iter()
        .flat_map(|s| (s.archive_key_statements)(ctx))
        .collect();
    v.push(json!({
        "Sid": "LogwardenDecryptTrailLogs",
        "Effect": "Allow",
        "Principal": {"AWS": crate::arn::Partition(&ctx.inv.partition).account_root(key_account)},
        "Action": ["kms:Decrypt", "kms:ReEncryptFrom"],
        "Resource": "*",
        "Condition": {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}}
    }));
    v
}

/// The whole policy of a key logwarden creates: the account's IAM keeps administering it (the
/// key's default statement, so it can never be locked out), plus [`archive_key`].
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
