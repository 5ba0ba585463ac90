//! One wrapper for every AWS call: count it, and describe its failure precisely.

use crate::inventory::CallError;
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Most calls in flight at once in one account and region: AWS's API rate limits are per
/// account, per region (and per API), so this is where calls are paced; a throttled call backing
/// off holds up only its own account and region.
pub const PER_ACCOUNT_REGION: usize = 8;

/// How many account-regions (or accounts' account-level reads) collect at once in a run that
/// may have `concurrency` calls in flight: each has at most [`PER_ACCOUNT_REGION`] in flight and
/// often fewer ready (reads that wait on a listing), so a quarter of the concurrency in
/// account-regions (up to twice the calls allowed) keeps every slot busy. Each one collecting
/// holds its clients and partial answers: half the concurrency (the earlier window) was no
/// faster and held more (1,000 × 17: 98–102 s against 92–95 s; 463 against 436 MiB; 50 × 3,
/// 208 against 144 MiB).
pub fn in_progress(concurrency: usize) -> usize {
    (concurrency / 4).max(8)
}

/// An account and region (`None` for global calls): where AWS applies its rate limits.
type Lane = (String, Option<String>);

/// Counts API calls made (for the benchmark and `--verbose`) and caps how many requests are in
/// flight: at most [`PER_ACCOUNT_REGION`] per account and region, and `--concurrency` across
/// the whole run (each attempt waits for its slots and gives them back when AWS answers).
#[derive(Debug, Clone)]
pub struct Counter {
    calls: Arc<AtomicU64>,
    permits: Arc<Semaphore>,
    lanes: Arc<Mutex<HashMap<Lane, Arc<Semaphore>>>>,
}

impl Counter {
    pub fn new(concurrency: usize) -> Self {
        Counter {
            calls: Arc::new(AtomicU64::new(0)),
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            lanes: Arc::default(),
        }
    }
    pub fn get(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// Wait for room in the account and region, then in the whole run; count the call. The
    /// slots are given back when AWS answers the call's first attempt (see
    /// [`super::attempts`]).
    async fn admit(&self, account: &str, region: Option<&str>) -> super::attempts::Attempts {
        let lane = {
            let mut lanes = self.lanes.lock().unwrap_or_else(|p| p.into_inner());
            lanes
                .entry((account.to_string(), region.map(String::from)))
                .or_insert_with(|| Arc::new(Semaphore::new(PER_ACCOUNT_REGION)))
                .clone()
        };
        // Neither semaphore is ever closed.
        let local = lane.clone().acquire_owned().await.expect("open semaphore");
        let global = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("open semaphore");
        self.calls.fetch_add(1, Ordering::Relaxed);
        super::attempts::Attempts::paced((local, global), lane)
    }
}

impl Default for Counter {
    fn default() -> Self {
        Counter::new(DEFAULT_CONCURRENCY)
    }
}

/// The IAM actions this process has called (each call and each page), for `--verbose` and for
/// the test that proves `logwarden permissions` lists every action a run makes.
static CALLED: Mutex<std::collections::BTreeSet<String>> =
    Mutex::new(std::collections::BTreeSet::new());

fn record(action: &str) {
    let mut called = CALLED.lock().unwrap_or_else(|p| p.into_inner());
    if !called.contains(action) {
        called.insert(action.to_string());
    }
}

/// The IAM actions called so far in this process, sorted.
pub fn called_actions() -> Vec<String> {
    CALLED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .cloned()
        .collect()
}

/// The default of `--concurrency`. AWS's limits are per account and region, where
/// [`PER_ACCOUNT_REGION`] paces the calls; the run-wide cap bounds this machine's sockets and
/// memory. At about 50 ms a call, 384 in flight allow some 7,500 calls a second: the scale
/// stand-in measured 1,000 accounts x 17 regions at 104.7 s and 453 MiB with 384, against
/// 122.5 s and 442 MiB with 256, and 99.4 s but 488 MiB with 512 (docs/performance.md).
pub const DEFAULT_CONCURRENCY: usize = 384;

/// The most `--concurrency` allows: each call in flight holds a connection (a file descriptor).
pub const MAX_CONCURRENCY: usize = 2048;

/// Where a call is made, for error messages.
#[derive(Debug, Clone)]
pub struct CallCtx {
    pub account_id: String,
    pub region: Option<String>,
    pub counter: Counter,
}

impl CallCtx {
    pub fn new(account_id: &str, region: Option<&str>, counter: &Counter) -> Self {
        CallCtx {
            account_id: account_id.to_string(),
            region: region.map(String::from),
            counter: counter.clone(),
        }
    }

    pub fn in_region(&self, region: &str) -> Self {
        CallCtx {
            region: Some(region.to_string()),
            ..self.clone()
        }
    }

    /// Build a [`CallError`] for a failure that is not an SDK error.
    pub fn error(&self, action: &str, code: &str, message: impl Into<String>) -> CallError {
        let (service, operation) = action.split_once(':').unwrap_or((action, action));
        CallError {
            account_id: self.account_id.clone(),
            region: self.region.clone(),
            service: service.to_string(),
            operation: operation.to_string(),
            code: code.to_string(),
            message: message.into(),
            iam_action: action.to_string(),
            attempts: 0,
            throttled_attempts: 0,
        }
    }

    /// Make one call. `action` is the IAM action, `service:Operation`.
    pub async fn call<T, E, R>(
        &self,
        action: &str,
        fut: impl Future<Output = Result<T, SdkError<E, R>>>,
    ) -> Result<T, CallError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + HttpStatus + Send + Sync + 'static,
    {
        record(action);
        let attempts = Arc::new(
            self.counter
                .admit(&self.account_id, self.region.as_deref())
                .await,
        );
        let out = super::attempts::CURRENT
            .scope(attempts.clone(), fut)
            .await
            .map_err(|e| self.classify(action, e, &attempts));
        if let Err(e) = &out {
            tracing::debug!(error = %e.summary(), "AWS call failed");
        }
        out
    }

    /// Every page of a paginated call (an SDK paginator's `send()`), each page counted and
    /// made under the concurrency cap like any call.
    pub async fn pages<T, E, R>(
        &self,
        action: &str,
        mut stream: aws_smithy_async::future::pagination_stream::PaginationStream<
            Result<T, SdkError<E, R>>,
        >,
    ) -> Result<Vec<T>, CallError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + HttpStatus + Send + Sync + 'static,
    {
        record(action);
        let mut out = Vec::new();
        loop {
            let attempts = Arc::new(
                self.counter
                    .admit(&self.account_id, self.region.as_deref())
                    .await,
            );
            let page = super::attempts::CURRENT
                .scope(attempts.clone(), stream.next())
                .await;
            if page.is_none() {
                // The end of the stream is not a call: take back its count.
                self.counter.calls.fetch_sub(1, Ordering::Relaxed);
            }
            match page {
                None => return Ok(out),
                Some(Ok(p)) => out.push(p),
                Some(Err(e)) => {
                    let e = self.classify(action, e, &attempts);
                    tracing::debug!(error = %e.summary(), "AWS call failed");
                    return Err(e);
                }
            }
        }
    }

    /// Like [`CallCtx::call`], but an error whose code is in `absent` means "not configured": `None`.
    pub async fn call_opt<T, E, R>(
        &self,
        action: &str,
        absent: &[&str],
        fut: impl Future<Output = Result<T, SdkError<E, R>>>,
    ) -> Result<Option<T>, CallError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + HttpStatus + Send + Sync + 'static,
    {
        match self.call(action, fut).await {
            Ok(v) => Ok(Some(v)),
            Err(e) if absent.contains(&e.code.as_str()) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn classify<E, R>(
        &self,
        action: &str,
        err: SdkError<E, R>,
        attempts: &super::attempts::Attempts,
    ) -> CallError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + HttpStatus + Send + Sync + 'static,
    {
        let (code, message) = match &err {
            SdkError::TimeoutError(_) => ("Timeout".to_string(), "the call timed out".to_string()),
            SdkError::DispatchFailure(_) => {
                let chain = error_chain(&err);
                if chain.contains("credential") {
                    ("NoCredentials".to_string(), chain)
                } else {
                    (
                        "Dispatch".to_string(),
                        format!("could not reach the endpoint: {chain}"),
                    )
                }
            }
            SdkError::ServiceError(se) => {
                let status = se.raw().status_code();
                let code = err
                    .code()
                    .map(String::from)
                    .unwrap_or_else(|| match status {
                        403 => "AccessDenied".to_string(),
                        s => format!("HTTP{s}"),
                    });
                let message = err
                    .message()
                    .map(String::from)
                    .unwrap_or_else(|| format!("HTTP status {status}"));
                (code, message)
            }
            SdkError::ResponseError(re) => (
                format!("HTTP{}", re.raw().status_code()),
                "the response could not be understood".to_string(),
            ),
            _ => ("ClientError".to_string(), error_chain(&err)),
        };
        let mut e = self.error(action, &code, message);
        e.attempts = attempts.sent();
        e.throttled_attempts = attempts.throttled();
        if e.code == "Timeout" && e.attempts > 0 {
            e.message = format!(
                "the call timed out after {} attempt(s), {} of them throttled by AWS",
                e.attempts, e.throttled_attempts
            );
        }
        e
    }
}

/// The HTTP status of a raw response, whatever the SDK's response type.
pub trait HttpStatus {
    fn status_code(&self) -> u16;
}

impl HttpStatus for aws_smithy_runtime_api::http::Response {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}

/// The messages of an error and its sources, once each, joined: short and free of Debug dumps.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        let msg = e.to_string();
        if !msg.is_empty() && !parts.iter().any(|p| p.contains(&msg)) {
            parts.push(msg);
        }
        cur = e.source();
    }
    shorten(parts.join(": "), 400)
}

/// At most `max` bytes, cut at a character boundary (messages may hold any UTF-8).
fn shorten(mut s: String, max: usize) -> String {
    if s.len() > max {
        let cut = (0..=max)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        s.truncate(cut);
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn long_messages_are_cut_at_a_character_boundary() {
        let s = format!("{}é{}", "a".repeat(399), "b".repeat(50));
        let out = shorten(s, 400);
        assert_eq!(out, format!("{}…", "a".repeat(399)));
        assert_eq!(shorten("short".into(), 400), "short");
    }
}
