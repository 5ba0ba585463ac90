//! SDK configuration: credential chain, named profile, endpoint override, retries, timeouts,
//! and role assumption into member accounts.

use super::call::CallCtx;
use crate::inventory::CallError;
use aws_config::retry::RetryConfig;
use aws_config::stalled_stream_protection::StalledStreamProtectionConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_sdk_sts::config::retry::RetryPartition;
use std::time::Duration;

/// How to reach AWS, from the command line.
#[derive(Debug, Clone)]
pub struct AwsOptions {
    pub profile: Option<String>,
    /// Region where global calls are signed.
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// The role read with in each member account.
    pub role_name: String,
    /// The role apply writes with in each member account.
    pub apply_role_name: String,
    /// The role session name of the reads (`logwarden-audit`, `logwarden-plan`); apply's
    /// writes use `logwarden-apply`. CloudTrail records it in every event the session makes.
    pub session_name: String,
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
        )
        // A call's response is read whole within its attempt, which --call-timeout bounds, so
        // the SDK's stalled-stream watch (a timer and clock reads on every body poll) is off
        // here; S3 clients turn it back on for the object bodies they stream ([`s3`]).
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled());
    if let Some(p) = &opts.profile {
        // An explicit --profile wins over credentials in the environment, as in the AWS CLI
        // (the default chain would take AWS_ACCESS_KEY_ID first and ignore the profile).
        loader = loader.profile_name(p).credentials_provider(
            aws_config::profile::ProfileFileCredentialsProvider::builder()
                .profile_name(p)
                .build(),
        );
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
    // Every attempt is counted against the call being made, for its error message: the SDK's
    // default HTTPS client (hyper 1, rustls with aws-lc, the proxy from the environment),
    // wrapped.
    let http = cfg.http_client().unwrap_or_else(default_https_client);
    cfg.into_builder()
        .http_client(super::attempts::counting(http))
        .build()
}

/// The HTTPS client the SDK would make by default.
fn default_https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::{tls, Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(move |settings, components| {
        let mut conn = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ));
        conn.set_connector_settings(settings.cloned());
        if let Some(c) = components {
            conn.set_sleep_impl(c.sleep_impl());
        }
        conn.set_proxy_config(Some(ProxyConfig::from_env()));
        conn.build()
    })
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
    /// The session's configuration for calls in `region`: the one way every client is made
    /// (through [`client!`](crate::client), which also gives each account and region its retry quota).
    pub fn config_in(&self, region: &str) -> SdkConfig {
        self.config
            .to_builder()
            .region(Region::new(region.to_string()))
            .build()
    }
    /// The region global services are signed in.
    pub fn home_region(&self) -> String {
        self.config
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| "us-east-1".into())
    }
    pub fn sts(&self) -> aws_sdk_sts::Client {
        crate::client!(aws_sdk_sts, self, self.home_region())
    }
    pub fn organizations(&self) -> aws_sdk_organizations::Client {
        crate::client!(aws_sdk_organizations, self, self.home_region())
    }
}

/// The retry quota's partition for calls in `account` and `region`, whatever the service. AWS
/// throttles per account and region, so each account and region gets its own standard-mode retry
/// token bucket; the SDK's default shares one bucket per service and region across every
/// account, so throttling in a few accounts of a large organization would use up the retries of
/// all. Not one per service as well: the SDK keeps every partition's bucket for the life of the
/// process, and 1,000 accounts × 17 regions × 20 services made 340,000 of them (about 100 MB).
pub fn retry_partition(account: &str, region: &str) -> RetryPartition {
    RetryPartition::new(format!("{region}-{account}"))
}

/// A client of SDK crate `$svc` for `$session`'s account in `$region`, with the retry quota of
/// that account and region ([`retry_partition`]): the one way every client is made.
#[macro_export]
macro_rules! client {
    ($svc:ident, $session:expr, $region:expr) => {{
        let session: &$crate::aws::client::AccountSession = &$session;
        let region: &str = &$region;
        $svc::Client::from_conf(
            $svc::config::Builder::from(&session.config_in(region))
                .retry_partition($crate::aws::client::retry_partition(
                    &session.account_id,
                    region,
                ))
                .build(),
        )
    }};
}

/// An S3 client for `region`. S3 is the one service whose client needs more than the session's
/// configuration: with an endpoint override (an emulator) buckets are addressed by path, and
/// object bodies (evidence, digests), streamed after the call returns and so outside
/// `--call-timeout`, are watched for stalls.
pub fn s3(session: &AccountSession, region: &str) -> aws_sdk_s3::Client {
    s3_in(
        session,
        region,
        retry_partition(&session.account_id, region),
    )
}

/// An S3 client for reading objects in bulk (evidence pulls): like [`s3`], but its retries
/// draw on no shared quota. A pull reads thousands of objects of one account and region; under
/// sustained throttling (S3's 503 SlowDown) the standard quota (500 tokens, 5 a retry, given
/// back only for a call's last retry) ran dry and left the next objects one attempt each. The
/// load stays bounded: at most 8 calls in flight per account and region, each with backoff and
/// at most `--max-attempts` attempts.
pub fn s3_objects(session: &AccountSession, region: &str) -> aws_sdk_s3::Client {
    use aws_sdk_s3::config::retry::TokenBucket;
    s3_in(
        session,
        region,
        RetryPartition::custom(format!("objects-{region}-{}", session.account_id))
            .token_bucket(TokenBucket::unlimited())
            .build(),
    )
}

fn s3_in(session: &AccountSession, region: &str, partition: RetryPartition) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&session.config_in(region))
            .force_path_style(session.path_style)
            .stalled_stream_protection(StalledStreamProtectionConfig::enabled().build())
            .retry_partition(partition)
            .build(),
    )
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

/// How a member account's role is assumed.
#[derive(Debug, Clone, Copy)]
pub struct RoleAssumption<'a> {
    pub role_arn: &'a str,
    pub external_id: Option<&'a str>,
    /// The role session name (CloudTrail records it with every call the session makes).
    pub session_name: &'a str,
}

/// How long before they expire assumed-role credentials are renewed.
const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);

/// Assume the role once and return a session for `account_id`. The session's credentials
/// renew themselves (by assuming the role again) before they expire, so a run longer than the
/// role's session duration keeps working.
pub async fn assume_role(
    sts: &aws_sdk_sts::Client,
    base: &AccountSession,
    ctx: &CallCtx,
    account_id: &str,
    how: RoleAssumption<'_>,
) -> Result<AccountSession, CallError> {
    let sts = assume_client(sts, account_id);
    let role = RefreshingRole::new(sts, how, None);
    let creds = role.assume(Some(ctx)).await?;
    role.set(creds);
    Ok(AccountSession {
        account_id: account_id.to_string(),
        config: base
            .config
            .clone()
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(role))
            .build(),
        path_style: base.path_style,
    })
}

/// The STS client that assumes a role in `account_id`: the caller's, with a retry quota for
/// that account. Every AssumeRole is made from the caller's account, and 1,000 accounts sharing
/// the caller's STS quota used it up under throttling (142 of 1,000 accounts unreachable after
/// one or two attempts on the scale stand-in with 10 % of calls throttled).
fn assume_client(sts: &aws_sdk_sts::Client, account_id: &str) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::from_conf(
        sts.config()
            .to_builder()
            .retry_partition(RetryPartition::new(format!("assume-{account_id}")))
            .build(),
    )
}

/// Credentials of an assumed role, assumed again shortly before they expire.
#[derive(Debug)]
pub struct RefreshingRole {
    sts: aws_sdk_sts::Client,
    role_arn: String,
    external_id: Option<String>,
    session_name: String,
    current: std::sync::Mutex<Option<Credentials>>,
}

impl RefreshingRole {
    /// A provider that assumes `role_arn` when first asked (for tests and long-lived sessions).
    pub fn new(
        sts: aws_sdk_sts::Client,
        how: RoleAssumption<'_>,
        current: Option<Credentials>,
    ) -> Self {
        RefreshingRole {
            sts,
            role_arn: how.role_arn.to_string(),
            external_id: how.external_id.map(String::from),
            session_name: how.session_name.to_string(),
            current: std::sync::Mutex::new(current),
        }
    }

    fn set(&self, c: Credentials) {
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some(c);
    }

    /// The held credentials, unless they expire within [`RENEW_BEFORE`].
    fn fresh(&self) -> Option<Credentials> {
        let held = self
            .current
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()?;
        match held.expiry() {
            Some(t) if t <= std::time::SystemTime::now() + RENEW_BEFORE => None,
            _ => Some(held),
        }
    }

    /// One AssumeRole call (counted and described through `ctx` when given).
    async fn assume(&self, ctx: Option<&CallCtx>) -> Result<Credentials, CallError> {
        let req = self
            .sts
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(&self.session_name)
            .set_external_id(self.external_id.clone())
            .duration_seconds(3600)
            .send();
        let fallback;
        let ctx = match ctx {
            Some(c) => c,
            None => {
                fallback = CallCtx::new(
                    crate::arn::account_of(&self.role_arn).unwrap_or("member"),
                    None,
                    &super::call::Counter::new(1),
                );
                &fallback
            }
        };
        // permissions: management account
        let out = ctx.call("sts:AssumeRole", req).await.map_err(|mut e| {
            e.message = format!("cannot assume {}: {}", self.role_arn, e.message);
            e
        })?;
        let Some(c) = out.credentials() else {
            return Err(ctx.error(
                "sts:AssumeRole",
                "AssumeRoleFailed",
                format!("AssumeRole of {} returned no credentials", self.role_arn),
            ));
        };
        let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
        Ok(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            expiry,
            "logwarden-assume-role",
        ))
    }
}

impl aws_credential_types::provider::ProvideCredentials for RefreshingRole {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::new(async move {
            if let Some(c) = self.fresh() {
                return Ok(c);
            }
            tracing::info!(role = %self.role_arn, "renewing the role's credentials");
            let c = self.assume(None).await.map_err(|e| {
                aws_credential_types::provider::error::CredentialsError::provider_error(e.summary())
            })?;
            self.set(c.clone());
            Ok(c)
        })
    }
}

#[cfg(test)]
mod partition_tests {
    use super::*;

    fn session(account: &str) -> AccountSession {
        AccountSession {
            account_id: account.into(),
            config: SdkConfig::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .build(),
            path_style: false,
        }
    }

    /// AWS throttles per account and region: each gets its own retry quota, so one throttled
    /// account cannot use up the retries of the others.
    #[test]
    fn every_account_and_region_has_its_own_retry_quota() {
        let (a, b) = (session("111111111111"), session("222222222222"));
        let part = |c: &aws_sdk_cloudtrail::Client| c.config().retry_partition().cloned();
        let a1 = crate::client!(aws_sdk_cloudtrail, a, "us-east-1");
        let b1 = crate::client!(aws_sdk_cloudtrail, b, "us-east-1");
        let a2 = crate::client!(aws_sdk_cloudtrail, a, "eu-west-1");
        assert_eq!(
            part(&a1),
            Some(retry_partition("111111111111", "us-east-1"))
        );
        assert_ne!(part(&a1), part(&b1));
        assert_ne!(part(&a1), part(&a2));
        assert_eq!(
            part(&a1),
            part(&crate::client!(aws_sdk_cloudtrail, a, "us-east-1"))
        );
        assert_eq!(
            s3(&b, "eu-west-1").config().retry_partition().cloned(),
            Some(retry_partition("222222222222", "eu-west-1"))
        );
        // One quota per account and region, whatever the service: the SDK keeps every
        // partition for the life of the process.
        assert_eq!(
            part(&a1),
            s3(&a, "us-east-1").config().retry_partition().cloned()
        );
    }

    #[test]
    fn each_account_assumed_has_its_own_retry_quota() {
        let caller = session("111111111111").sts();
        let part = |c: &aws_sdk_sts::Client| c.config().retry_partition().cloned();
        let (x, y) = (
            assume_client(&caller, "222222222222"),
            assume_client(&caller, "333333333333"),
        );
        assert_ne!(part(&x), part(&y));
        assert_ne!(part(&x), part(&caller));
        assert_eq!(part(&x), part(&assume_client(&caller, "222222222222")));
    }
}

#[cfg(test)]
mod stall_tests {
    use super::*;

    /// Reads are bounded by --call-timeout; only S3's streamed object bodies need the SDK's
    /// stalled-stream watch.
    #[tokio::test]
    async fn only_s3_clients_watch_for_stalled_streams() {
        let opts = AwsOptions {
            profile: None,
            region: Some("eu-west-1".into()),
            endpoint_url: Some("http://127.0.0.1:9".into()),
            role_name: "r".into(),
            apply_role_name: "a".into(),
            session_name: "s".into(),
            external_id: None,
            max_attempts: 3,
            call_timeout: Duration::from_secs(5),
        };
        let session = AccountSession {
            account_id: "111111111111".into(),
            config: base_config(&opts).await,
            path_style: true,
        };
        let enabled = |c: Option<&StalledStreamProtectionConfig>| c.map(|c| c.is_enabled());
        assert_eq!(
            enabled(session.config.stalled_stream_protection().as_ref()),
            Some(false)
        );
        let ct = crate::client!(aws_sdk_cloudtrail, session, "eu-west-1");
        assert_eq!(
            enabled(ct.config().stalled_stream_protection()),
            Some(false)
        );
        let s3 = s3(&session, "eu-west-1");
        assert_eq!(enabled(s3.config().stalled_stream_protection()), Some(true));
    }
}
