//! SDK configuration: credential chain, named profile, endpoint override, retries, timeouts,
//! and role assumption into member accounts.

use super::call::CallCtx;
use crate::inventory::CallError;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use std::time::Duration;

/// How to reach AWS, from the command line.
#[derive(Debug, Clone)]
pub struct AwsOptions {
    pub profile: Option<String>,
    /// Region where global calls are signed.
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub role_name: String,
    pub external_id: Option<String>,
    pub max_attempts: u32,
    pub call_timeout: Duration,
}

/// The base configuration of the caller: standard chain, profile, region, endpoint.
pub async fn base_config(opts: &AwsOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(opts.max_attempts.max(1)))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(opts.call_timeout)
                .operation_timeout(
                    opts.call_timeout * opts.max_attempts.max(1) + Duration::from_secs(5),
                )
                .connect_timeout(Duration::from_secs(5))
                .build(),
        );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &opts.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let mut cfg = loader.load().await;
    if cfg.region().is_none() {
        cfg = cfg.into_builder().region(Region::new("us-east-1")).build();
    }
    cfg
}

/// Credentials and configuration for one account.
#[derive(Debug, Clone)]
pub struct AccountSession {
    pub account_id: String,
    pub config: SdkConfig,
    /// Whether the endpoint is overridden (an emulator): S3 then uses path-style addressing.
    pub path_style: bool,
}

impl AccountSession {
    pub fn cloudtrail(&self, region: &str) -> aws_sdk_cloudtrail::Client {
        aws_sdk_cloudtrail::Client::from_conf(
            aws_sdk_cloudtrail::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build(),
        )
    }
    pub fn config_service(&self, region: &str) -> aws_sdk_config::Client {
        aws_sdk_config::Client::from_conf(
            aws_sdk_config::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build(),
        )
    }
    pub fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build(),
        )
    }
    pub fn elbv2(&self, region: &str) -> aws_sdk_elasticloadbalancingv2::Client {
        aws_sdk_elasticloadbalancingv2::Client::from_conf(
            aws_sdk_elasticloadbalancingv2::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build(),
        )
    }
    pub fn elb(&self, region: &str) -> aws_sdk_elasticloadbalancing::Client {
        aws_sdk_elasticloadbalancing::Client::from_conf(
            aws_sdk_elasticloadbalancing::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build(),
        )
    }
    pub fn kms(&self, region: &str) -> aws_sdk_kms::Client {
        aws_sdk_kms::Client::from_conf(
            aws_sdk_kms::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build(),
        )
    }
    /// S3 requests must go to the bucket's region.
    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .force_path_style(self.path_style)
                .build(),
        )
    }
    /// Global services, signed in the base region.
    pub fn home_region(&self) -> String {
        self.config
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| "us-east-1".into())
    }
    pub fn sts(&self) -> aws_sdk_sts::Client {
        aws_sdk_sts::Client::new(&self.config)
    }
    pub fn organizations(&self) -> aws_sdk_organizations::Client {
        aws_sdk_organizations::Client::new(&self.config)
    }
    /// IAM is global, signed in the base region.
    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config)
    }
    pub fn logs(&self, region: &str) -> aws_sdk_cloudwatchlogs::Client {
        aws_sdk_cloudwatchlogs::Client::from_conf(
            aws_sdk_cloudwatchlogs::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .build(),
        )
    }
    pub fn budgets(&self) -> aws_sdk_budgets::Client {
        // Budgets has one endpoint, in us-east-1 (aws partition).
        aws_sdk_budgets::Client::from_conf(
            aws_sdk_budgets::config::Builder::from(&self.config)
                .region(Region::new("us-east-1"))
                .build(),
        )
    }
}

/// Who the caller is: account id and ARN.
pub async fn caller_identity(
    sts: &aws_sdk_sts::Client,
    ctx: &CallCtx,
) -> Result<(String, String), CallError> {
    let out = ctx
        .call("sts:GetCallerIdentity", sts.get_caller_identity().send())
        .await?;
    Ok((
        out.account().unwrap_or_default().to_string(),
        out.arn().unwrap_or_default().to_string(),
    ))
}

/// Assume `role_arn` and return a session for `account_id`.
pub async fn assume_role(
    sts: &aws_sdk_sts::Client,
    base: &AccountSession,
    ctx: &CallCtx,
    account_id: &str,
    role_arn: &str,
    external_id: Option<&str>,
) -> Result<AccountSession, CallError> {
    let out = ctx
        .call(
            "sts:AssumeRole",
            sts.assume_role()
                .role_arn(role_arn)
                .role_session_name("logwarden-audit")
                .set_external_id(external_id.map(String::from))
                .duration_seconds(3600)
                .send(),
        )
        .await
        .map_err(|mut e| {
            e.message = format!("cannot assume {role_arn}: {}", e.message);
            e
        })?;
    let Some(c) = out.credentials() else {
        return Err(ctx.error(
            "sts:AssumeRole",
            "AssumeRoleFailed",
            format!("AssumeRole of {role_arn} returned no credentials"),
        ));
    };
    let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
    let creds = Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        expiry,
        "logwarden-assume-role",
    );
    Ok(AccountSession {
        account_id: account_id.to_string(),
        config: base
            .config
            .clone()
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(creds))
            .build(),
        path_style: base.path_style,
    })
}
