//! IAM reads for `plan`: whether a delivery role exists.

use crate::aws::{AccountSession, CallCtx};
use crate::inventory::ManagedRole;

/// The role `name` of the session's account (its ARN, or `None` when it does not exist).
pub async fn role(s: &AccountSession, ctx: &CallCtx, name: &str) -> ManagedRole {
    let arn = ctx
        .call_opt(
            "iam:GetRole",
            &["NoSuchEntity"],
            aws_sdk_iam::Client::new(&s.config)
                .get_role()
                .role_name(name)
                .send(),
        )
        .await
        .map(|o| o.and_then(|o| o.role().map(|r| r.arn().to_string())))
        .into();
    ManagedRole {
        name: name.to_string(),
        arn,
    }
}
