//! Each attempt of a call (one HTTP request), where the SDK's retries can be seen: the HTTP
//! client every SDK client uses is wrapped so that each attempt of the call being made on the
//! current task
//!
//! - gives back the slots its call waited for (in its account and region's lane, and in the
//!   whole run) as soon as AWS answers the first attempt: a call backing off after throttling
//!   holds no slot while it sleeps, so it slows nobody else; a retry waits only for room in its
//!   own lane (a short queue), never behind the whole run's backlog, so waiting for a slot does
//!   not eat into its `--call-timeout`;
//! - is counted, with the ones AWS throttled, so a call that failed after its retries can say
//!   so ("throttled on 5 of 5 attempts", "timed out after 3 attempts, 2 of them throttled").

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The slots a call holds: its account and region's lane, and the whole run's.
pub type Slots = (OwnedSemaphorePermit, OwnedSemaphorePermit);

/// The attempts of one call, and its slots.
#[derive(Debug, Default)]
pub struct Attempts {
    sent: AtomicU32,
    throttled: AtomicU32,
    /// The slots the call waited for before it started: its first attempt's.
    first: Mutex<Option<Slots>>,
    /// The lane a retry waits in.
    lane: Option<Arc<Semaphore>>,
}

impl Attempts {
    /// A call that holds `slots` for its first attempt; its retries wait in `lane`.
    pub fn paced(slots: Slots, lane: Arc<Semaphore>) -> Self {
        Attempts {
            first: Mutex::new(Some(slots)),
            lane: Some(lane),
            ..Attempts::default()
        }
    }

    pub fn sent(&self) -> u32 {
        self.sent.load(Ordering::Relaxed)
    }
    pub fn throttled(&self) -> u32 {
        self.throttled.load(Ordering::Relaxed)
    }
}

tokio::task_local! {
    /// The call being made on this task (set by [`crate::aws::CallCtx`] around each call).
    pub static CURRENT: Arc<Attempts>;
}

/// Wrap `inner` so that every request is counted against the current call.
pub fn counting(inner: SharedHttpClient) -> SharedHttpClient {
    SharedHttpClient::new(CountingClient { inner })
}

#[derive(Debug)]
struct CountingClient {
    inner: SharedHttpClient,
}

impl HttpClient for CountingClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(CountingConnector {
            inner: self.inner.http_connector(settings, components),
        })
    }
}

#[derive(Debug)]
struct CountingConnector {
    inner: SharedHttpConnector,
}

impl HttpConnector for CountingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let Ok(current) = CURRENT.try_with(Arc::clone) else {
            return self.inner.call(request);
        };
        let inner = self.inner.clone();
        HttpConnectorFuture::new(async move {
            // The first attempt uses the call's slots, a retry a slot in its lane; either is
            // given back when AWS answers (before any backoff).
            let first = current
                .first
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take();
            let _held: (Option<OwnedSemaphorePermit>, Option<OwnedSemaphorePermit>) =
                match (first, &current.lane) {
                    (Some((lane, run)), _) => (Some(lane), Some(run)),
                    (None, Some(lane)) => (lane.clone().acquire_owned().await.ok(), None),
                    (None, None) => (None, None),
                };
            current.sent.fetch_add(1, Ordering::Relaxed);
            let mut resp = inner.call(request).await?;
            let status = resp.status().as_u16();
            if status >= 400 {
                let header = resp
                    .headers()
                    .get("x-amzn-errortype")
                    .map(|h| h.split(':').next().unwrap_or("").to_string());
                let throttled = status == 429
                    || header
                        .as_deref()
                        .is_some_and(crate::inventory::is_throttling)
                    || {
                        // Query and XML protocols name the code in the body: read it (error
                        // bodies are small) and put it back for the SDK to parse.
                        let body = resp.take_body();
                        let bytes = aws_smithy_types::byte_stream::ByteStream::new(body)
                            .collect()
                            .await
                            .map(|b| b.into_bytes())
                            .unwrap_or_default();
                        let text = String::from_utf8_lossy(&bytes);
                        let found = throttling_code_in(&text);
                        *resp.body_mut() = SdkBody::from(bytes);
                        found
                    };
                if throttled {
                    current.throttled.fetch_add(1, Ordering::Relaxed);
                }
            }
            Ok(resp)
        })
    }
}

/// Whether an error body names a throttling code (`<Code>Throttling</Code>`,
/// `"__type":"ThrottlingException"`, `<Code>SlowDown</Code>`).
fn throttling_code_in(body: &str) -> bool {
    let between = |open: &str, close: char| -> Option<String> {
        let i = body.find(open)? + open.len();
        let rest = &body[i..];
        let end = rest.find(close)?;
        Some(rest[..end].rsplit('#').next().unwrap_or("").to_string())
    };
    [
        between("<Code>", '<'),
        between("\"__type\":\"", '"'),
        between("\"code\":\"", '"'),
    ]
    .into_iter()
    .flatten()
    .any(|c| crate::inventory::is_throttling(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::http::{Response, StatusCode};

    /// An endpoint that throttles every request the XML way (400, the code in the body).
    #[derive(Debug)]
    struct Throttling;

    impl HttpConnector for Throttling {
        fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
            HttpConnectorFuture::ready(Ok(Response::new(
                StatusCode::try_from(400).unwrap(),
                SdkBody::from(
                    "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>",
                ),
            )))
        }
    }

    #[tokio::test]
    async fn slots_are_given_back_when_aws_answers_and_retries_wait_only_in_their_lane() {
        let connector = CountingConnector {
            inner: SharedHttpConnector::new(Throttling),
        };
        let (lane, run) = (Arc::new(Semaphore::new(1)), Arc::new(Semaphore::new(1)));
        let slots = (
            lane.clone().acquire_owned().await.unwrap(),
            run.clone().acquire_owned().await.unwrap(),
        );
        let call = Arc::new(Attempts::paced(slots, lane.clone()));
        // First attempt: the call's slots, given back with the answer.
        let resp = CURRENT
            .scope(call.clone(), async {
                connector.call(HttpRequest::empty()).await
            })
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 400);
        assert_eq!((lane.available_permits(), run.available_permits()), (1, 1));
        // The body the SDK parses is still there.
        assert!(resp.body().bytes().unwrap().starts_with(b"<ErrorResponse>"));
        // A retry while the whole run is busy: it waits only for its lane.
        let _busy = run.clone().acquire_owned().await.unwrap();
        CURRENT
            .scope(call.clone(), async {
                connector.call(HttpRequest::empty()).await
            })
            .await
            .unwrap();
        assert_eq!(lane.available_permits(), 1);
        assert_eq!((call.sent(), call.throttled()), (2, 2));
        // Outside a call: passed through, counted nowhere.
        connector.call(HttpRequest::empty()).await.unwrap();
        assert_eq!(call.sent(), 2);
    }

    #[test]
    fn throttling_is_read_from_every_protocol() {
        assert!(throttling_code_in("<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"));
        assert!(throttling_code_in("<Error><Code>SlowDown</Code></Error>"));
        assert!(throttling_code_in(
            "{\"__type\":\"com.amazonaws.cloudtrail#ThrottlingException\",\"message\":\"x\"}"
        ));
        assert!(throttling_code_in("<Response><Errors><Error><Code>RequestLimitExceeded</Code></Error></Errors></Response>"));
        assert!(!throttling_code_in(
            "<Error><Code>AccessDenied</Code></Error>"
        ));
        assert!(!throttling_code_in(
            "{\"__type\":\"AccessDeniedException\"}"
        ));
        assert!(!throttling_code_in(""));
    }
}
