//! KMS: who manages a trail's key, and whether it rotates.

use super::call::CallCtx;
use crate::inventory::{Collected, KmsKey};

pub async fn key(
    client: &aws_sdk_kms::Client,
    ctx: &CallCtx,
    key_id: &str,
    region: &str,
) -> KmsKey {
    let key_manager = match ctx
        .call(
            "kms:DescribeKey",
            client.describe_key().key_id(key_id).send(),
        )
        .await
    {
        Ok(o) => match o.key_metadata().and_then(|m| m.key_manager()) {
            Some(m) => Collected::ok(m.as_str().to_string()),
            None => Collected::Failed {
                error: ctx.error("kms:DescribeKey", "Empty", "no key manager in the response"),
            },
        },
        Err(error) => Collected::Failed { error },
    };
    // AWS managed keys rotate on their own and refuse GetKeyRotationStatus from other accounts.
    let rotation_enabled = if key_manager.value().map(String::as_str) == Some("AWS") {
        Collected::ok(true)
    } else {
        match ctx
            .call(
                "kms:GetKeyRotationStatus",
                client.get_key_rotation_status().key_id(key_id).send(),
            )
            .await
        {
            Ok(o) => Collected::ok(o.key_rotation_enabled()),
            Err(error) => Collected::Failed { error },
        }
    };
    KmsKey {
        key_id: key_id.to_string(),
        region: region.to_string(),
        key_manager,
        rotation_enabled,
    }
}
