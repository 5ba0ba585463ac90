"""A fault-injecting HTTP proxy between logwarden and moto's server, for the fault-injection tests.

Every request is forwarded to the upstream emulator unless a rule matches it; a matching rule
answers in its place the way AWS fails: access denied, throttling, a server error, a call that
hangs, or a connection dropped without an answer.

Usage: python fault_proxy.py PORT UPSTREAM RULES_JSON LOG_JSONL   (PORT 0: any free port; the
port listened on is printed on the first line of standard output)

RULES_JSON is a list of rules, the first match wins:
  {"service": "cloudtrail" | "*",          # the SigV4 signing name (credential scope), or the
                                           # IAM prefix where it differs ("cloudwatch")
   "operation": "DescribeTrails" | "*",    # X-Amz-Target, Action=, or the S3 REST operation
   "account": "111111111111" | "*",        # the caller's account (learnt from STS answers);
                                           # for sts:AssumeRole, the account of the role assumed
   "resource": "bucket-name" | "*",        # for S3, the bucket the request names
   "fault": "deny" | "throttle" | "error" | "hang" | "drop" | "not_in_organization"
            | "pass",                      # pass: forwarded (an exception to later rules)
   "rate": 1.0,                            # probability (seeded, deterministic per request order)
   "seconds": 30}                          # for "hang"
Every request is logged to LOG_JSONL: {"service", "operation", "account", "fault", "session"
(the role session name of the credentials used, when they came from AssumeRole)}; AssumeRole
requests also log "role", "role_session_name" and "external_id".
Listens on 127.0.0.1 only.

With FAULT_PROXY_RECORD=FILE in the environment, every forwarded exchange is also appended to FILE
(JSON lines: account, region, service, protocol, method, path, target, request body, status,
response headers and body, bodies base64): the templates the scale stand-in
(scripts/standin) replays.
"""

import http.client
import base64
import json
import os
import random
import re
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
UPSTREAM = urllib.parse.urlparse(sys.argv[2])
RULES = json.load(open(sys.argv[3]))
LOG = open(sys.argv[4], "a", buffering=1)
LOCK = threading.Lock()
RNG = random.Random(7)
RECORD = open(os.environ["FAULT_PROXY_RECORD"], "a", buffering=1) if os.environ.get("FAULT_PROXY_RECORD") else None

# Access key id -> account id, learnt from GetCallerIdentity and AssumeRole answers.
KEYS = {}
# Access key id -> role session name, learnt from AssumeRole answers.
SESSIONS = {}

S3_SUBRESOURCES = {
    "logging": "BucketLogging",
    "policy": "BucketPolicy",
    "policyStatus": "BucketPolicyStatus",
    "versioning": "BucketVersioning",
    "encryption": "BucketEncryption",
    "lifecycle": "BucketLifecycleConfiguration",
    "publicAccessBlock": "PublicAccessBlock",
    "object-lock": "ObjectLockConfiguration",
    "location": "BucketLocation",
    "acl": "BucketAcl",
    "ownershipControls": "BucketOwnershipControls",
    "tagging": "BucketTagging",
}


def s3_operation(method, path, query):
    parts = [p for p in path.split("/") if p]
    if not parts:
        return "ListBuckets"
    verb = {"GET": "Get", "PUT": "Put", "DELETE": "Delete", "HEAD": "Head", "POST": "Post"}[method]
    if len(parts) == 1:
        for key, name in S3_SUBRESOURCES.items():
            if key in query:
                return verb + name
        return {"GET": "ListObjects", "PUT": "CreateBucket", "HEAD": "HeadBucket",
                "DELETE": "DeleteBucket"}.get(method, verb + "Bucket")
    return verb + "Object"


# REST-JSON services name their operations by method and path, not by a header: the routes of
# the operations logwarden calls (first match wins).
REST_JSON = {
    "guardduty": [
        ("GET", r"/detector", "ListDetectors"),
        ("POST", r"/detector", "CreateDetector"),
        ("GET", r"/detector/[^/]+/administrator", "GetAdministratorAccount"),
        ("GET", r"/detector/[^/]+", "GetDetector"),
        ("POST", r"/detector/[^/]+", "UpdateDetector"),
        ("GET", r"/admin", "ListOrganizationAdminAccounts"),
        ("POST", r"/admin/enable", "EnableOrganizationAdminAccount"),
    ],
    "securityhub": [
        ("GET", r"/accounts", "DescribeHub"),
        ("POST", r"/accounts", "EnableSecurityHub"),
    ],
    "lambda": [
        ("GET", r"/2015-03-31/functions", "ListFunctions"),
    ],
    "apigateway": [
        ("GET", r"/restapis", "GetRestApis"),
        ("GET", r"/restapis/[^/]+/stages", "GetStages"),
        ("GET", r"/v2/apis", "GetApis"),
        ("GET", r"/v2/apis/[^/]+/stages", "GetStages"),
    ],
    "es": [
        ("GET", r"/2021-01-01/domain", "ListDomainNames"),
        ("POST", r"/2021-01-01/opensearch/domain-info", "DescribeDomains"),
    ],
    "securitylake": [
        ("GET", r"/v1/datalakes", "ListDataLakes"),
        ("POST", r"/v1/datalake/logsources/list", "ListLogSources"),
    ],
    "eks": [
        ("GET", r"/clusters", "ListClusters"),
        ("GET", r"/clusters/[^/]+", "DescribeCluster"),
        ("POST", r"/clusters/[^/]+/update-config", "UpdateClusterConfig"),
    ],
}


# IAM service prefixes whose SigV4 signing name differs.
SIGNING_NAMES = {"cloudwatch": "monitoring"}

# Smithy RPC v2 CBOR (CloudWatch): the operation is in the path.
CBOR_PATH = re.compile(r"^/service/[^/]+/operation/([A-Za-z]+)$")


def cbor_text_map(m):
    """A CBOR map of short text strings (an error body)."""
    def head(major, n):
        return bytes([major << 5 | n]) if n < 24 else bytes([major << 5 | 25]) + n.to_bytes(2, "big")
    out = head(5, len(m))
    for k, v in m.items():
        for x in (k, v):
            b = x.encode()
            out += head(3, len(b)) + b
    return out


def rest_json_operation(service, method, path):
    for m, pattern, name in REST_JSON[service]:
        if m == method and re.fullmatch(pattern, path.rstrip("/") or "/"):
            return name
    return f"{method} {path}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    recorded = None

    def log_message(self, *args):
        pass

    def do_request(self):
        self.recorded = None
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        scope = re.search(r"Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/", auth)
        key, region, service = (scope.group(1), scope.group(2), scope.group(3)) if scope else ("", "", "")
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        target = self.headers.get("X-Amz-Target")
        form = {}
        cbor = CBOR_PATH.match(url.path)
        if cbor:
            operation, protocol = cbor.group(1), "cbor"
        elif target:
            operation, protocol = target.split(".")[-1], "json"
        elif service in REST_JSON:
            operation, protocol = rest_json_operation(service, self.command, url.path), "json"
        elif service == "s3":
            operation, protocol = s3_operation(self.command, url.path, query), "s3"
        else:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            action = (form.get("Action") or query.get("Action") or [""])[0]
            operation, protocol = action, ("ec2" if service == "ec2" else "query")
        with LOCK:
            account = KEYS.get(key, "")
            session = SESSIONS.get(key)
        entry = {}
        if service == "sts" and operation == "AssumeRole":
            role = (form.get("RoleArn") or [""])[0]
            account = role.split(":")[4] if role.count(":") >= 5 else ""
            entry = {"role": role, "role_session_name": (form.get("RoleSessionName") or [None])[0],
                     "external_id": (form.get("ExternalId") or [None])[0]}
        resource = ""
        if service == "s3":
            parts = [p for p in url.path.split("/") if p]
            resource = parts[0] if parts else ""
        fault = self.match(service, operation, account, resource)
        if fault and fault["fault"] == "pass":
            fault = None
        LOG.write(json.dumps({"service": service, "operation": operation, "account": account,
                              "fault": fault and fault["fault"], "session": session,
                              **entry}) + "\n")
        if fault:
            return self.fail(fault, protocol, operation)
        self.forward(body, service, operation, key, form)
        if RECORD and self.recorded:
            status, headers, payload = self.recorded
            with LOCK:
                RECORD.write(json.dumps({
                    "account": account, "region": region, "service": service, "protocol": protocol,
                    "operation": operation, "method": self.command, "path": self.path,
                    "target": target, "body": base64.b64encode(body).decode(), "status": status,
                    "headers": headers, "response": base64.b64encode(payload).decode()}) + "\n")

    def match(self, service, operation, account, resource):
        for rule in RULES:
            if rule.get("resource", "*") not in ("*", resource):
                continue
            want = rule.get("service", "*")
            if SIGNING_NAMES.get(want, want) not in ("*", service):
                continue
            if rule.get("operation", "*") not in ("*", operation):
                continue
            if rule.get("account", "*") not in ("*", account):
                continue
            with LOCK:
                hit = RNG.random() < rule.get("rate", 1.0)
            return rule if hit else None
        return None

    def fail(self, rule, protocol, operation):
        kind = rule["fault"]
        if kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if kind == "hang":
            time.sleep(rule.get("seconds", 30))
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, code, message = {
            "deny": (403, "AccessDenied",
                     f"User is not authorized to perform {operation} with an explicit deny in a service control policy"),
            "throttle": (400, "Throttling", "Rate exceeded"),
            "error": (500, "InternalFailure", "We encountered an internal error. Please try again."),
            "not_in_organization": (400, "AWSOrganizationsNotInUseException",
                                    "Your account is not a member of an organization."),
        }[kind]
        if protocol == "cbor":
            code = {"AccessDenied": "AccessDeniedException", "Throttling": "ThrottlingException",
                    "InternalFailure": "InternalFailure"}.get(code, code)
            payload = cbor_text_map({"__type": code, "message": message})
            headers = {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}
        elif protocol == "json":
            code = {"AccessDenied": "AccessDeniedException", "Throttling": "ThrottlingException",
                    "InternalFailure": "InternalFailure"}.get(code, code)
            payload = json.dumps({"__type": code, "message": message}).encode()
            headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code}
        elif protocol == "ec2":
            code = {"AccessDenied": "UnauthorizedOperation", "Throttling": "RequestLimitExceeded",
                    "InternalFailure": "InternalError"}.get(code, code)
            if code == "RequestLimitExceeded":
                status = 503
            payload = (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message>"
                       f"</Error></Errors><RequestID>fault</RequestID></Response>").encode()
            headers = {"Content-Type": "text/xml"}
        elif protocol == "s3":
            code = {"Throttling": "SlowDown", "InternalFailure": "InternalError"}.get(code, code)
            if code == "SlowDown":
                status = 503
            payload = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code>"
                       f"<Message>{message}</Message><RequestId>fault</RequestId></Error>").encode()
            headers = {"Content-Type": "application/xml"}
        else:
            payload = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                       f"<Message>{message}</Message></Error><RequestId>fault</RequestId>"
                       f"</ErrorResponse>").encode()
            headers = {"Content-Type": "text/xml"}
        if self.command == "HEAD":
            payload = b""
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def forward(self, body, service, operation, key, form):
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        if service == "sts" and resp.status == 200:
            text = payload.decode("utf-8", "replace")
            with LOCK:
                if operation == "GetCallerIdentity":
                    found = re.search(r"<Account>(\d+)</Account>", text)
                    if found:
                        KEYS[key] = found.group(1)
                elif operation == "AssumeRole":
                    found = re.search(r"<AccessKeyId>([^<]+)</AccessKeyId>", text)
                    role = (form.get("RoleArn") or [""])[0]
                    if found and role.count(":") >= 5:
                        KEYS[found.group(1)] = role.split(":")[4]
                        SESSIONS[found.group(1)] = (form.get("RoleSessionName") or [None])[0]
        self.send_response(resp.status)
        kept = [(k, v) for k, v in resp.getheaders()
                if k.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date")]
        self.recorded = (resp.status, kept, payload)
        for k, v in kept:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_request


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


if __name__ == "__main__":
    server = Server(("127.0.0.1", PORT), Handler)
    # The port it listens on (PORT 0: one the system chose), for the test that started it: a port
    # picked beforehand could be taken by another test's proxy in between.
    print(server.server_address[1], flush=True)
    server.serve_forever()
