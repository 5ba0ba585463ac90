//! IAM reads for `plan`: whether a delivery role exists.

use super::model::ManagedRole;
use crate::aws::{AccountSession, CallCtx};

/// The role `name` of the session's account: its ARN (`None` when it does not exist) and its
/// trust policy (IAM returns it URL-encoded).
pub async fn role(s: &AccountSession, ctx: &CallCtx, name: &str) -> ManagedRole {
    let got = ctx
        .call_opt(
            "iam:GetRole",
            &["NoSuchEntity"],
            crate::client!(aws_sdk_iam, s, s.home_region())
                .get_role()
                .role_name(name)
                .send(),
        )
        .await;
    let trust = got.as_ref().ok().and_then(|o| {
        let doc = o.as_ref()?.role()?.assume_role_policy_document()?;
        Some(
            percent_encoding::percent_decode_str(doc)
                .decode_utf8_lossy()
                .into_owned(),
        )
    });
    let arn = got
        .map(|o| o.and_then(|o| o.role().map(|r| r.arn().to_string())))
        .into();
    ManagedRole {
        name: name.to_string(),
        arn,
        trust,
    }
}
