//! What a request is, as AWS's front ends see it: the caller's access key, region and signing
//! name from the SigV4 credential scope, the protocol and the operation; and the answers every
//! protocol gives when AWS refuses a call (throttling, no such template, access denied), in the
//! shapes the SDK parses and its retry classifier recognises.

use bytes::Bytes;

/// The wire protocols of the services `logwarden audit` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// awsJson1_0 / awsJson1_1: the operation in `X-Amz-Target`.
    Json,
    /// restJson1: the operation is the method and path.
    RestJson,
    /// awsQuery, and restXml services (Route 53, CloudFront), which share its error shape.
    Query,
    /// ec2Query.
    Ec2,
    /// S3's REST-XML.
    S3,
    /// Smithy RPC v2 CBOR (CloudWatch).
    Cbor,
}

/// Services whose SDK speaks restJson1.
const REST_JSON: &[&str] = &[
    "guardduty",
    "securityhub",
    "lambda",
    "apigateway",
    "es",
    "securitylake",
    "eks",
];

/// One request, as far as the stand-in needs to know it.
#[derive(Debug)]
pub struct Call {
    pub access_key: String,
    pub region: String,
    pub service: String,
    pub protocol: Protocol,
    /// The operation name (`X-Amz-Target`, `Action=`, the CBOR path), or the method and path
    /// for REST protocols (enough to key a rate limit).
    pub operation: String,
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    pub target: String,
}

impl Call {
    pub fn parse(method: &str, path: &str, headers: &hyper::HeaderMap, body: &[u8]) -> Call {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let auth = header("authorization");
        let scope: Vec<&str> = auth
            .split("Credential=")
            .nth(1)
            .unwrap_or("")
            .split(',')
            .next()
            .unwrap_or("")
            .split('/')
            .collect();
        let part = |i: usize| scope.get(i).copied().unwrap_or("").to_string();
        let (access_key, region, service) = (part(0), part(2), part(3));
        let target = header("x-amz-target");
        let bare = path.split('?').next().unwrap_or("");
        let (protocol, operation) = if let Some(op) = bare.strip_prefix("/service/") {
            (
                Protocol::Cbor,
                op.rsplit('/').next().unwrap_or("").to_string(),
            )
        } else if !target.is_empty() {
            (
                Protocol::Json,
                target.rsplit('.').next().unwrap_or("").to_string(),
            )
        } else if REST_JSON.contains(&service.as_str()) {
            (Protocol::RestJson, rest_operation(method, bare))
        } else if service == "s3" {
            (Protocol::S3, rest_operation(method, bare))
        } else {
            let form = String::from_utf8_lossy(body);
            let query = path.split_once('?').map(|(_, q)| q).unwrap_or("");
            let action = form
                .split('&')
                .chain(query.split('&'))
                .find_map(|kv| kv.strip_prefix("Action="))
                .map(str::to_string)
                .unwrap_or_else(|| rest_operation(method, bare));
            let protocol = if service == "ec2" {
                Protocol::Ec2
            } else {
                Protocol::Query
            };
            (protocol, action)
        };
        Call {
            access_key,
            region,
            service,
            protocol,
            operation,
            method: method.to_string(),
            path: path.to_string(),
            target,
        }
    }
}

/// A REST operation's rate-limit name: the method and the path with identifiers dropped
/// (`GET /restapis/*/stages`).
fn rest_operation(method: &str, path: &str) -> String {
    let shape: Vec<&str> = path
        .split('/')
        .map(|p| {
            let literal = p.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            if literal {
                p
            } else {
                "*"
            }
        })
        .collect();
    format!("{method} {}", shape.join("/"))
}

/// An HTTP answer: status, headers, body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

/// The error AWS answers `call` with, in its protocol: `kind` is "throttle", "deny" or "miss".
pub fn error(call: &Call, kind: &str) -> Answer {
    let (mut status, code, message) = match kind {
        "throttle" => (400, throttle_code(call), "Rate exceeded".to_string()),
        "deny" => (
            403,
            "AccessDenied",
            format!("not authorized to perform {}", call.operation),
        ),
        _ => (
            400,
            "StandInNoTemplate",
            format!(
                "the stand-in has no recorded answer for {} {} in this account",
                call.service, call.operation
            ),
        ),
    };
    let json_code = match code {
        "AccessDenied" => "AccessDeniedException",
        c => c,
    };
    let (headers, body): (Vec<(String, String)>, Vec<u8>) = match call.protocol {
        Protocol::Json | Protocol::RestJson => {
            if call.protocol == Protocol::RestJson && kind == "throttle" {
                status = 429;
            }
            (
                vec![
                    ("content-type".into(), "application/x-amz-json-1.1".into()),
                    ("x-amzn-errortype".into(), json_code.into()),
                ],
                serde_json::json!({"__type": json_code, "message": message})
                    .to_string()
                    .into_bytes(),
            )
        }
        Protocol::Cbor => (
            vec![
                ("content-type".into(), "application/cbor".into()),
                ("smithy-protocol".into(), "rpc-v2-cbor".into()),
            ],
            cbor_text_map(&[("__type", json_code), ("message", &message)]),
        ),
        Protocol::Ec2 => {
            if kind == "throttle" {
                status = 503;
            }
            (
                vec![("content-type".into(), "text/xml".into())],
                format!(
                    "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message>\
                     </Error></Errors><RequestID>standin</RequestID></Response>"
                )
                .into_bytes(),
            )
        }
        Protocol::S3 => {
            if kind == "throttle" {
                status = 503;
            }
            (
                vec![("content-type".into(), "application/xml".into())],
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code>\
                     <Message>{message}</Message><RequestId>standin</RequestId></Error>"
                )
                .into_bytes(),
            )
        }
        Protocol::Query => (
            vec![("content-type".into(), "text/xml".into())],
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
                 <Message>{message}</Message></Error><RequestId>standin</RequestId></ErrorResponse>"
            )
            .into_bytes(),
        ),
    };
    let body = if call.method == "HEAD" {
        Bytes::new()
    } else {
        Bytes::from(body)
    };
    Answer {
        status,
        headers,
        body,
    }
}

/// Each service's throttling error code, as AWS documents it.
fn throttle_code(call: &Call) -> &'static str {
    match (call.protocol, call.service.as_str()) {
        (Protocol::Ec2, _) => "RequestLimitExceeded",
        (Protocol::S3, _) => "SlowDown",
        (_, "organizations" | "lambda" | "apigateway") => "TooManyRequestsException",
        (Protocol::Json | Protocol::RestJson | Protocol::Cbor, _) => "ThrottlingException",
        _ => "Throttling",
    }
}

/// A CBOR map of text strings (an RPC v2 CBOR error body).
fn cbor_text_map(pairs: &[(&str, &str)]) -> Vec<u8> {
    fn head(out: &mut Vec<u8>, major: u8, n: usize) {
        if n < 24 {
            out.push(major << 5 | n as u8);
        } else if n < 256 {
            out.extend([major << 5 | 24, n as u8]);
        } else {
            out.push(major << 5 | 25);
            out.extend((n as u16).to_be_bytes());
        }
    }
    let mut out = Vec::new();
    head(&mut out, 5, pairs.len());
    for (k, v) in pairs {
        for s in [k, v] {
            head(&mut out, 3, s.len());
            out.extend(s.as_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_paths_keep_literals_and_hide_ids() {
        assert_eq!(
            rest_operation("GET", "/restapis/a1b2c3/stages"),
            "GET /restapis/*/stages"
        );
        assert_eq!(rest_operation("GET", "/detector"), "GET /detector");
    }
}
