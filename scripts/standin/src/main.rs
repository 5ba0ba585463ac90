//! logwarden-standin: a local stand-in for the AWS APIs `logwarden audit` reads, for measuring
//! logwarden at the scale of its biggest users (scripts/bench.sh --scale). A benchmark tool,
//! not a test, and not part of logwarden.
//!
//! It replays answers recorded from moto (the reference for correctness) for a template
//! organization, and makes the organization N accounts by cloning template member accounts
//! (an answer for a clone is its template's, with the clone's id). Every call waits a latency
//! drawn from a long-tailed distribution and draws from a token bucket per account, region and
//! API at AWS's published rates; an empty bucket (and, with --throttle, that share of the other
//! calls) is answered with the protocol's real throttling error, so the SDK's retries, parsing
//! and signing are what is measured. GET /__standin/stats reports what it served.

mod limits;
mod org;
mod templates;
mod wire;

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response};

#[derive(Parser)]
#[command(about = "A local stand-in for the AWS APIs logwarden audits (a benchmark tool)")]
struct Args {
    /// The recording to replay (tests/support/fault_proxy.py with FAULT_PROXY_RECORD).
    #[arg(long)]
    templates: PathBuf,
    /// The template organization's management account (the caller's own credentials).
    #[arg(long)]
    management: String,
    /// Accounts in the synthetic organization: the template's, then clones up to this many.
    #[arg(long)]
    accounts: usize,
    /// Template member accounts to clone, round robin (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    clone_from: Vec<String>,
    /// Median latency per call, in milliseconds.
    #[arg(long, default_value_t = 40.0)]
    latency_median_ms: f64,
    /// Longest latency per call, in milliseconds.
    #[arg(long, default_value_t = 400.0)]
    latency_max_ms: f64,
    /// Share of calls throttled at random beyond the token buckets (0.1: one in ten).
    #[arg(long, default_value_t = 0.0)]
    throttle: f64,
    /// Port on 127.0.0.1 (0: any free one; the port is printed on the first line).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Write the clone -> template map here (JSON), for the verdict check.
    #[arg(long)]
    clones_out: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_request_maps_back_to_its_template() {
        let buckets = vec!["wb-trail-logs".to_string()];
        let answer = br#"{"S3BucketName":"wb-trail-logs","Arn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/t"}"#;
        let cloned = to_clone(answer, "900000000001", "111111111111", &buckets);
        assert_eq!(
            String::from_utf8_lossy(&cloned),
            r#"{"S3BucketName":"wb-trail-logs-900000000001","Arn":"arn:aws:cloudtrail:us-east-1:900000000001:trail/t"}"#
        );
        let request = b"/wb-trail-logs-900000000001?policy";
        assert_eq!(
            to_template(request, "900000000001", "111111111111", &buckets),
            b"/wb-trail-logs?policy".to_vec()
        );
    }
}

#[derive(Default)]
struct Stats {
    calls: AtomicU64,
    retries: AtomicU64,
    throttled_bucket: AtomicU64,
    throttled_injected: AtomicU64,
    misses: AtomicU64,
    miss_examples: Mutex<Vec<String>>,
}

struct State {
    args: Args,
    templates: templates::Templates,
    org: org::Org,
    buckets: limits::Buckets,
    stats: Stats,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let templates = templates::Templates::load(&args.templates, &args.management)?;
    let org = org::Org::new(
        &templates,
        &args.management,
        args.accounts,
        &args.clone_from,
    )?;
    if let Some(path) = &args.clones_out {
        let map: serde_json::Map<String, serde_json::Value> = org
            .clone_of
            .iter()
            .map(|(c, t)| {
                (
                    c.clone(),
                    serde_json::json!({"template": t, "buckets": org.buckets_of(t)}),
                )
            })
            .collect();
        std::fs::write(path, serde_json::to_string_pretty(&map)?)?;
    }
    eprintln!(
        "standin: {} recorded answers, {} accounts ({} clones)",
        templates.recorded,
        org.len(),
        org.clone_of.len()
    );
    let state = Arc::new(State {
        args,
        templates,
        org,
        buckets: limits::Buckets::default(),
        stats: Stats::default(),
    });
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(state))
}

async fn serve(state: Arc<State>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", state.args.port)).await?;
    println!("{}", listener.local_addr()?.port());
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| handle(state.clone(), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    state: Arc<State>,
    req: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    if path == "/__standin/stats" {
        return Ok(respond(stats(&state)));
    }
    let call = wire::Call::parse(parts.method.as_str(), &path, &parts.headers, &body);
    let s = &state.stats;
    s.calls.fetch_add(1, Relaxed);
    let attempt = parts
        .headers
        .get("amz-sdk-request")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !attempt.is_empty() && !attempt.starts_with("attempt=1;") {
        s.retries.fetch_add(1, Relaxed);
    }
    let account = state.org.account_of(&call.access_key);
    let (per_second, burst, bucket) = limits::rate(&call, &account);
    let admitted = state.buckets.take(bucket, per_second, burst);
    tokio::time::sleep(limits::latency(
        state.args.latency_median_ms,
        state.args.latency_max_ms,
    ))
    .await;
    let answer = if !admitted {
        s.throttled_bucket.fetch_add(1, Relaxed);
        wire::error(&call, "throttle")
    } else if state.args.throttle > 0.0 && fastrand::f64() < state.args.throttle {
        s.throttled_injected.fetch_add(1, Relaxed);
        wire::error(&call, "throttle")
    } else if let Some(answer) = state.org.answer(&call, &account, &body) {
        answer
    } else {
        replay(&state, &call, &account, &body)
    };
    Ok(respond(answer))
}

/// The template's answer for the call, with a clone's id (and its buckets' names) in place of its
/// template's.
fn replay(state: &State, call: &wire::Call, account: &str, body: &[u8]) -> wire::Answer {
    let template = state.org.clone_of.get(account).map(String::as_str);
    let buckets = template.map(|t| state.org.buckets_of(t)).unwrap_or(&[]);
    let as_template = |b: &[u8]| match template {
        Some(t) => to_template(b, account, t, buckets),
        None => b.to_vec(),
    };
    let path = String::from_utf8(as_template(call.path.as_bytes())).unwrap_or_default();
    let key = templates::key(
        template.unwrap_or(account),
        &call.region,
        &call.service,
        &call.method,
        &path,
        &call.target,
        &as_template(body),
    );
    match state.templates.get(&key) {
        Some(t) => wire::Answer {
            status: t.status,
            headers: t.headers.clone(),
            body: match template {
                // CBOR strings carry their length: only same-length swaps (ids) are safe there.
                Some(tid) => Bytes::from(to_clone(
                    &t.body,
                    account,
                    tid,
                    if call.protocol == wire::Protocol::Cbor {
                        &[]
                    } else {
                        buckets
                    },
                )),
                None => t.body.clone(),
            },
        },
        None => {
            state.stats.misses.fetch_add(1, Relaxed);
            let mut examples = state
                .stats
                .miss_examples
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if examples.len() < 20 {
                examples.push(format!(
                    "{account} {} {} {} {} {}",
                    call.region,
                    call.service,
                    call.operation,
                    path,
                    String::from_utf8_lossy(body)
                ));
            }
            wire::error(call, "miss")
        }
    }
}

/// A clone's bucket: its template's name, `-`, the template's id (then the clone's, once ids are
/// swapped): S3 names are global, so each clone owns buckets of its own.
fn to_clone(b: &[u8], clone: &str, template: &str, buckets: &[String]) -> Vec<u8> {
    let mut out = b.to_vec();
    for name in buckets {
        out = templates::replace_name(
            &out,
            name.as_bytes(),
            format!("{name}-{template}").as_bytes(),
        );
    }
    templates::replace(&out, template.as_bytes(), clone.as_bytes())
}

/// The inverse of `to_clone`: a clone's request as its template made it.
fn to_template(b: &[u8], clone: &str, template: &str, buckets: &[String]) -> Vec<u8> {
    let mut out = templates::replace(b, clone.as_bytes(), template.as_bytes());
    for name in buckets {
        out = templates::replace_name(
            &out,
            format!("{name}-{template}").as_bytes(),
            name.as_bytes(),
        );
    }
    out
}

fn stats(state: &State) -> wire::Answer {
    let s = &state.stats;
    let (drain_s, drain_key) = state.buckets.drain_bound();
    let doc = serde_json::json!({
        "accounts": state.org.len(),
        "calls": s.calls.load(Relaxed),
        "retries": s.retries.load(Relaxed),
        "throttled_bucket": s.throttled_bucket.load(Relaxed),
        "throttled_injected": s.throttled_injected.load(Relaxed),
        "misses": s.misses.load(Relaxed),
        "miss_examples": *s.miss_examples.lock().unwrap_or_else(|e| e.into_inner()),
        "mean_latency_ms": limits::mean_latency_ms(state.args.latency_median_ms),
        "median_latency_ms": state.args.latency_median_ms,
        "drain_bound_s": drain_s,
        "drain_bound_bucket": drain_key,
    });
    wire::Answer {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: Bytes::from(doc.to_string()),
    }
}

fn respond(answer: wire::Answer) -> Response<Full<Bytes>> {
    let mut r = Response::builder().status(answer.status);
    for (k, v) in &answer.headers {
        if !k.eq_ignore_ascii_case("content-length") {
            r = r.header(k.as_str(), v.as_str());
        }
    }
    r.header("x-amzn-requestid", "standin")
        .body(Full::new(answer.body))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}
