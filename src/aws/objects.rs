//! Reading log objects for `logwarden evidence`: listing a prefix, downloading an object with
//! the metadata that proves it (version id, ETag, a digest's signature), and CloudTrail's public
//! keys. Read-only: nothing here writes to AWS.

use super::call::CallCtx;
use super::client::AccountSession;
use crate::inventory::CallError;

/// What AWS authorizes on the caller while S3 serves an object encrypted with a KMS key (S3
/// decrypts it with the caller's permission): not a call logwarden makes, so `build.rs` reads
/// it from here.
pub const IMPLIED: &[&str] = &["kms:Decrypt"];

/// One object of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub key: String,
    pub size: u64,
    pub etag: Option<String>,
}

/// Every object under `prefix`.
pub async fn list(
    session: &AccountSession,
    region: &str,
    ctx: &CallCtx,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<Listed>, CallError> {
    let client = super::client::s3(session, region);
    let pages = ctx
        // permissions: evidence
        .pages(
            "s3:ListBucket",
            client
                .list_objects_v2()
                .bucket(bucket)
                .prefix(prefix)
                .into_paginator()
                .send(),
        )
        .await?;
    Ok(pages
        .into_iter()
        .flat_map(|p| p.contents.unwrap_or_default())
        .filter_map(|o| {
            Some(Listed {
                key: o.key?,
                size: o.size.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
                etag: o.e_tag,
            })
        })
        .collect())
}

/// An object's bytes and what S3 says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub version_id: Option<String>,
    pub etag: Option<String>,
    /// User metadata (`x-amz-meta-*`), e.g. a digest's `signature` and `signature-algorithm`.
    pub metadata: std::collections::BTreeMap<String, String>,
}

/// Download one object; `None` when it does not exist.
pub async fn get(
    session: &AccountSession,
    region: &str,
    ctx: &CallCtx,
    bucket: &str,
    key: &str,
) -> Result<Option<Fetched>, CallError> {
    let client = super::client::s3_objects(session, region);
    let Some(out) = ctx
        // permissions: evidence
        .call_opt(
            "s3:GetObject",
            &["NoSuchKey", "NotFound"],
            client.get_object().bucket(bucket).key(key).send(),
        )
        .await?
    else {
        return Ok(None);
    };
    let version_id = out.version_id.clone().filter(|v| v != "null");
    let etag = out.e_tag.clone();
    let metadata = out
        .metadata
        .clone()
        .unwrap_or_default()
        .into_iter()
        .collect();
    let bytes = out
        .body
        .collect()
        .await
        .map_err(|e| {
            ctx.error(
                "s3:GetObject",
                "Body",
                format!("reading s3://{bucket}/{key}: {e}"),
            )
        })?
        .to_vec();
    Ok(Some(Fetched {
        bytes,
        version_id,
        etag,
        metadata,
    }))
}

/// One of CloudTrail's public keys: `value` is the base64 of its DER `RSAPublicKey`, the
/// validity times RFC 3339.
#[derive(Debug, Clone, PartialEq)]
pub struct TrailKey {
    pub fingerprint: String,
    pub value: String,
    pub validity_start_time: Option<String>,
    pub validity_end_time: Option<String>,
}

/// CloudTrail's public keys for digests of `region` signed between `start` and `end`, as
/// `ListPublicKeys` returns them (`Value` base64).
pub async fn public_keys(
    session: &AccountSession,
    region: &str,
    ctx: &CallCtx,
    start: time::OffsetDateTime,
    end: time::OffsetDateTime,
) -> Result<Vec<TrailKey>, CallError> {
    let client = crate::client!(aws_sdk_cloudtrail, session, region);
    list_public_keys(&client, ctx, start, end).await
}

/// `ListPublicKeys` with `client`, every page.
pub async fn list_public_keys(
    client: &aws_sdk_cloudtrail::Client,
    ctx: &CallCtx,
    start: time::OffsetDateTime,
    end: time::OffsetDateTime,
) -> Result<Vec<TrailKey>, CallError> {
    use base64::Engine;
    let ts = |t: time::OffsetDateTime| aws_smithy_types::DateTime::from_secs(t.unix_timestamp());
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = ctx
            // permissions: evidence
            .call(
                "cloudtrail:ListPublicKeys",
                client
                    .list_public_keys()
                    .start_time(ts(start))
                    .end_time(ts(end))
                    .set_next_token(token.clone())
                    .send(),
            )
            .await?;
        for k in page.public_key_list.unwrap_or_default() {
            let when = |t: Option<&aws_smithy_types::DateTime>| {
                t.and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
            };
            out.push(TrailKey {
                fingerprint: k.fingerprint.clone().unwrap_or_default(),
                value: k
                    .value
                    .as_ref()
                    .map(|b| base64::engine::general_purpose::STANDARD.encode(b.as_ref()))
                    .unwrap_or_default(),
                validity_start_time: when(k.validity_start_time.as_ref()),
                validity_end_time: when(k.validity_end_time.as_ref()),
            });
        }
        token = page.next_token.filter(|t| !t.is_empty());
        if token.is_none() {
            return Ok(out);
        }
    }
}
