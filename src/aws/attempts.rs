//! How many times each call was sent, and how many of those AWS throttled: the HTTP client
//! every SDK client uses is wrapped to count each attempt (one HTTP request) of the call being
//! made on the current task, so a call that failed after its retries can say so ("throttled on
//! all 5 attempts", "timed out after 3 attempts, 2 of them throttled").

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// The attempts of one call.
#[derive(Debug, Default)]
pub struct Attempts {
    sent: AtomicU32,
    throttled: AtomicU32,
}

impl Attempts {
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
        current.sent.fetch_add(1, Ordering::Relaxed);
        let fut = self.inner.call(request);
        HttpConnectorFuture::new(async move {
            let mut resp = fut.await?;
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
    use super::throttling_code_in;

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
