//! The write side's plumbing, for `apply`: sessions in the accounts a plan touches, counters of
//! read and write calls, the context each source's operation runs in ([`Apply`]), KMS keys named
//! by alias resolved once, and the retry of writes AWS refuses while something just created
//! propagates. The operations themselves are the sources' (`src/sources/<source>/apply.rs`).

use super::call::{CallCtx, Counter};
use super::client::{self, AccountSession, AwsOptions};
use super::Failure as Error;
use crate::inventory::CallError;
use crate::plan::KeyRef;
use futures::future::BoxFuture;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// An operation `apply` performs: the registry's union of every source's operations.
pub trait Operation: Send + Sync {
    /// The IAM action the operation needs (for messages, docs and `logwarden permissions`).
    fn iam_action(&self) -> &'static str;
    /// Make the change in the account and region of `x`.
    fn run<'a>(&'a self, x: &'a Apply<'a>) -> BoxFuture<'a, Result<(), CallError>>;
}

/// Where one operation runs, and what it may use.
pub struct Apply<'a> {
    pub exec: &'a Executor,
    pub session: &'a AccountSession,
    pub account: &'a str,
    pub region: &'a str,
    pub partition: &'a str,
    /// For the reads made right before a write (documents to merge).
    pub reads: CallCtx,
    pub writes: CallCtx,
}

/// Sessions in every account a plan touches, and counters of read and write calls.
pub struct Executor {
    sessions: BTreeMap<String, Result<AccountSession, CallError>>,
    pub reads: Counter,
    pub writes: Counter,
    partition: String,
    caller_account_id: String,
    keys: Mutex<BTreeMap<String, String>>,
    /// Delay before retrying a call AWS rejects while a new role or policy propagates.
    propagation_delay: Duration,
}

impl Executor {
    /// Identify the caller and assume the role in every other account.
    pub async fn connect(
        aws: &AwsOptions,
        accounts: &[String],
        concurrency: usize,
    ) -> Result<Executor, Error> {
        Self::connect_as(
            aws,
            accounts,
            concurrency,
            &aws.apply_role_name,
            "logwarden-apply",
        )
        .await
    }

    /// [`Executor::connect`] with another role and session name (`evidence pull` reads with
    /// the audit role, under `logwarden-evidence`).
    pub async fn connect_as(
        aws: &AwsOptions,
        accounts: &[String],
        concurrency: usize,
        role_name: &str,
        session_name: &str,
    ) -> Result<Executor, Error> {
        let reads = Counter::new(concurrency);
        let writes = Counter::new(concurrency);
        let base = client::base_config(aws).await;
        let path_style = aws.endpoint_url.is_some()
            || std::env::var_os("AWS_ENDPOINT_URL").is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        let mut caller = AccountSession {
            account_id: String::new(),
            config: base,
            path_style,
        };
        let ctx = CallCtx::new("caller", None, &reads);
        let (id, arn) = client::caller_identity(&caller.sts(), &ctx)
            .await
            .map_err(|e| Error::Credentials(Box::new(e)))?;
        caller.account_id = id.clone();
        let partition = crate::arn::Partition::of_arn(&arn).name().to_string();
        let mut sessions = BTreeMap::new();
        for a in accounts {
            if sessions.contains_key(a) {
                continue;
            }
            let s = if *a == id {
                Ok(caller.clone())
            } else {
                // Changes are made with the apply role, under a session name of their own.
                let role = crate::arn::Partition(&partition).iam_role(a, role_name);
                client::assume_role(
                    &caller.sts(),
                    &caller,
                    &CallCtx::new(a, None, &reads),
                    a,
                    client::RoleAssumption {
                        role_arn: &role,
                        external_id: aws.external_id.as_deref(),
                        session_name,
                    },
                )
                .await
            };
            sessions.insert(a.clone(), s);
        }
        Ok(Executor {
            sessions,
            reads,
            writes,
            partition,
            caller_account_id: id,
            keys: Mutex::new(BTreeMap::new()),
            propagation_delay: Duration::from_secs(5),
        })
    }

    pub fn caller_account_id(&self) -> &str {
        &self.caller_account_id
    }

    pub fn session(&self, account: &str) -> Result<&AccountSession, Box<CallError>> {
        match self.sessions.get(account) {
            Some(Ok(s)) => Ok(s),
            Some(Err(e)) => Err(Box::new(e.clone())),
            None => Err(Box::new(CallError {
                account_id: account.into(),
                region: None,
                service: "sts".into(),
                operation: "AssumeRole".into(),
                code: "NoSession".into(),
                message: format!("no session for account {account}"),
                iam_action: "sts:AssumeRole".into(),
                attempts: 0,
                throttled_attempts: 0,
            })),
        }
    }

    /// Run one operation in an account and region.
    pub async fn run(
        &self,
        account: &str,
        region: &str,
        op: &impl Operation,
    ) -> Result<(), CallError> {
        let session = self.session(account).map_err(|e| *e)?;
        let x = Apply {
            exec: self,
            session,
            account,
            region,
            partition: &self.partition,
            reads: CallCtx::new(account, Some(region), &self.reads),
            writes: CallCtx::new(account, Some(region), &self.writes),
        };
        op.run(&x).await
    }

    pub async fn retrying<T, E, R, F, Fut>(
        &self,
        w: &CallCtx,
        action: &str,
        transient: &[&str],
        f: F,
    ) -> Result<T, CallError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, aws_sdk_sts::error::SdkError<E, R>>>,
        E: aws_sdk_sts::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + super::call::HttpStatus + Send + Sync + 'static,
    {
        retry_while_propagating(w, action, transient, self.propagation_delay, f).await
    }

    /// The ARN (and region) of a key named by alias or ARN; aliases are looked up once.
    pub async fn resolve_key(&self, key: &KeyRef) -> Result<(String, String), CallError> {
        match key {
            KeyRef::Arn { arn } => Ok((
                arn.clone(),
                crate::arn::region_of(arn)
                    .unwrap_or("us-east-1")
                    .to_string(),
            )),
            KeyRef::Alias {
                alias,
                account_id,
                region,
            } => {
                let cache_key = format!("{account_id}/{region}/{alias}");
                if let Some(arn) = self
                    .keys
                    .lock()
                    .ok()
                    .and_then(|k| k.get(&cache_key).cloned())
                {
                    return Ok((arn, region.clone()));
                }
                let s = self.session(account_id).map_err(|e| *e)?;
                let ctx = CallCtx::new(account_id, Some(region), &self.reads);
                let out = ctx
                    .call(
                        "kms:DescribeKey",
                        crate::client!(aws_sdk_kms, s, region)
                            .describe_key()
                            .key_id(alias)
                            .send(),
                    )
                    .await?;
                let arn = out
                    .key_metadata()
                    .and_then(|m| m.arn())
                    .ok_or_else(|| {
                        ctx.error("kms:DescribeKey", "Empty", format!("no ARN for {alias}"))
                    })?
                    .to_string();
                if let Ok(mut k) = self.keys.lock() {
                    k.insert(cache_key, arn.clone());
                }
                Ok((arn, region.clone()))
            }
        }
    }
}

/// Retry a write AWS rejects while something just created propagates (IAM roles, bucket
/// and key policies): three more attempts, `delay`, 2× and 4× `delay` apart. Any other error,
/// or the fourth failure, is returned as it is.
pub async fn retry_while_propagating<T, E, R, F, Fut>(
    w: &CallCtx,
    action: &str,
    transient: &[&str],
    delay: Duration,
    mut f: F,
) -> Result<T, CallError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, aws_sdk_sts::error::SdkError<E, R>>>,
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + super::call::HttpStatus + Send + Sync + 'static,
{
    let mut delay = delay;
    for attempt in 0.. {
        match w.call(action, f()).await {
            Err(e) if attempt < 3 && transient.contains(&e.code.as_str()) => {
                tracing::info!(
                    "{action} failed with {} (propagating); retrying in {delay:?}",
                    e.code
                );
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            other => return other,
        }
    }
    unreachable!("the loop returns")
}

/// Errors AWS returns while a just-created role or policy is not yet visible to a service.
pub const PROPAGATION_ERRORS: &[&str] = &[
    "InvalidCloudWatchLogsRoleArnException",
    "InvalidCloudWatchLogsLogGroupArnException",
    "InsufficientS3BucketPolicyException",
    "InsufficientEncryptionPolicyException",
    "InsufficientDeliveryPolicyException",
    "InvalidRoleException",
    "OrganizationAccessDeniedException",
];

pub fn key_account<'a>(key: &'a KeyRef, arn: &'a str) -> &'a str {
    match key {
        KeyRef::Alias { account_id, .. } => account_id,
        KeyRef::Arn { .. } => crate::arn::account_of(arn).unwrap_or(""),
    }
}

/// Whether a policy document already says what the merge produced.
pub fn same_doc(current: Option<&str>, merged: &Value) -> bool {
    current
        .and_then(|c| serde_json::from_str::<Value>(c).ok())
        .is_some_and(|c| &c == merged)
}
