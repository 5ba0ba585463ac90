"""Start moto's server (pinned moto[server]==5.2.1) with two S3 fixes the AWS SDK for Rust needs.

moto 5.2.1 answers GetBucketVersioning with the XML root `GetBucketVersioningResponse`, but the
SDK (like AWS) expects `VersioningConfiguration` and rejects the response ("invalid XML root").
moto also drops the `MfaDelete` element of PutBucketVersioning and never returns it. This
launcher remembers the MfaDelete value sent with PutBucketVersioning and answers
GetBucketVersioning the way AWS does. See shared/reference/emulator.md.

The AWS SDK for Rust speaks Smithy RPC v2 CBOR to CloudWatch (`POST
/service/GraniteServiceVersion20100801/operation/<Op>`), which moto does not route; moto serves
CloudWatch over the JSON protocol. The launcher translates: the CBOR request becomes the JSON
request moto answers (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`), and the JSON answer
(errors included) goes back as CBOR, timestamps (members named `...Timestamp`, and
`Timestamps`) as CBOR epoch-seconds (tag 1), as the protocol encodes them.

CloudTrail Lake is not in moto (ListEventDataStores answers HTTP 500): the launcher answers it
as AWS does for an account without event data stores (an empty list), so an audit of the
emulated organization reads Lake like any other source. Stores themselves are tested with
aws-smithy-mocks in tests/aws_mocks.rs.

Security Lake is not in moto at all: the launcher answers ListDataLakes (`GET /v1/datalakes`,
signed for `securitylake`) as AWS does for an account that holds no data lake (an empty list).
Lakes and their sources are tested with aws-smithy-mocks in tests/aws_mocks.rs.

Client VPN is not in moto (DescribeClientVpnEndpoints answers HTTP 500): the launcher answers
it as AWS does for an account and region without endpoints (an empty list). Endpoints are tested
with aws-smithy-mocks in tests/aws_mocks.rs.

Usage: python moto_launcher.py PORT   (listens on 127.0.0.1 only; PORT 0: any free port; the
port listened on is printed on the first line of standard output)
"""

import io
import json
import os
import re
import struct
import sys

import moto.server
from moto.cloudtrail.responses import CloudTrailResponse
from moto.ec2.responses import EC2Response
from moto.s3.responses import S3Response
from moto.server import main
from werkzeug.serving import make_server

_MFA_DELETE = {}  # (account, bucket) -> "Enabled" | "Disabled"
_original_put = S3Response._bucket_response_put


def _bucket_response_put(self, request, bucket_name, querystring):
    if querystring and "versioning" in querystring:
        body = self.body.decode("utf-8") if isinstance(self.body, bytes) else (self.body or "")
        found = re.search(r"<MfaDelete>([A-Za-z]+)</MfaDelete>", body)
        if found:
            _MFA_DELETE[(self.get_current_account(), bucket_name)] = found.group(1)
    return _original_put(self, request, bucket_name, querystring)


def _get_bucket_versioning(self):
    status = self.backend.get_bucket_versioning(self.bucket_name)
    mfa = _MFA_DELETE.get((self.current_account, self.bucket_name))
    body = '<?xml version="1.0" encoding="UTF-8"?>'
    body += '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    if status:
        body += f"<Status>{status}</Status>"
    if mfa:
        body += f"<MfaDelete>{mfa}</MfaDelete>"
    body += "</VersioningConfiguration>"
    return 200, {"Content-Type": "application/xml"}, body


# ---- Smithy RPC v2 CBOR <-> JSON for CloudWatch ------------------------------------------------

class _Epoch(float):
    """A timestamp: encoded as CBOR tag 1 (epoch seconds)."""


def _cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for code, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | code]) + struct.pack(fmt, n)
    raise ValueError("integer too large for CBOR")


def cbor_encode(v):
    if v is None:
        return b"\xf6"
    if v is True:
        return b"\xf5"
    if v is False:
        return b"\xf4"
    if isinstance(v, _Epoch):
        return b"\xc1" + b"\xfb" + struct.pack(">d", float(v))
    if isinstance(v, int):
        return _cbor_head(0, v) if v >= 0 else _cbor_head(1, -1 - v)
    if isinstance(v, float):
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode("utf-8")
        return _cbor_head(3, len(b)) + b
    if isinstance(v, (bytes, bytearray)):
        return _cbor_head(2, len(v)) + bytes(v)
    if isinstance(v, list):
        return _cbor_head(4, len(v)) + b"".join(cbor_encode(x) for x in v)
    if isinstance(v, dict):
        return _cbor_head(5, len(v)) + b"".join(cbor_encode(k) + cbor_encode(x) for k, x in v.items())
    raise TypeError(f"cannot encode {type(v)} as CBOR")


def cbor_decode(data):
    def item(i):
        ib = data[i]
        major, info = ib >> 5, ib & 31
        i += 1
        if major == 7:
            if info == 20:
                return False, i
            if info == 21:
                return True, i
            if info in (22, 23):
                return None, i
            if info == 25:
                h = struct.unpack(">H", data[i:i + 2])[0]
                return _half(h), i + 2
            if info == 26:
                return struct.unpack(">f", data[i:i + 4])[0], i + 4
            if info == 27:
                return struct.unpack(">d", data[i:i + 8])[0], i + 8
            raise ValueError(f"CBOR simple value {info}")
        if info == 31:  # indefinite length
            if major in (2, 3):
                parts = []
                while data[i] != 0xFF:
                    p, i = item(i)
                    parts.append(p)
                return (b"" if major == 2 else "").join(parts), i + 1
            out = [] if major == 4 else {}
            while data[i] != 0xFF:
                k, i = item(i)
                if major == 4:
                    out.append(k)
                else:
                    out[k], i = item(i)
            return out, i + 1
        if info < 24:
            n = info
        else:
            size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
            n = int.from_bytes(data[i:i + size], "big")
            i += size
        if major == 0:
            return n, i
        if major == 1:
            return -1 - n, i
        if major == 2:
            return bytes(data[i:i + n]), i + n
        if major == 3:
            return data[i:i + n].decode("utf-8"), i + n
        if major == 4:
            out = []
            for _ in range(n):
                x, i = item(i)
                out.append(x)
            return out, i
        if major == 5:
            out = {}
            for _ in range(n):
                k, i = item(i)
                out[k], i = item(i)
            return out, i
        if major == 6:  # tags: timestamps (1) become epoch seconds
            return item(i)
        raise ValueError(f"CBOR major type {major}")

    if not data:
        return {}
    return item(0)[0]


def _half(h):
    exp, frac = (h >> 10) & 0x1F, h & 0x3FF
    val = frac * 2**-24 if exp == 0 else (float("inf") if exp == 31 else (1 + frac / 1024) * 2 ** (exp - 15))
    return -val if h & 0x8000 else val


def _timestamps(v, key=""):
    if isinstance(v, dict):
        return {k: _timestamps(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return [_timestamps(x, key) for x in v]
    if isinstance(v, (int, float)) and not isinstance(v, bool) and (key.endswith("Timestamp") or key == "Timestamps"):
        return _Epoch(v)
    return v


_CBOR_PATH = re.compile(r"^/service/(GraniteServiceVersion20100801)/operation/([A-Za-z]+)$")


def _cbor_to_json(app):
    def wrapped(environ, start_response):
        found = _CBOR_PATH.match(environ.get("PATH_INFO", ""))
        if not found:
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.dumps(cbor_decode(environ["wsgi.input"].read(length))).encode()
        environ = dict(environ)
        environ.update({
            "PATH_INFO": "/",
            "CONTENT_TYPE": "application/x-amz-json-1.0",
            "HTTP_X_AMZ_TARGET": f"{found.group(1)}.{found.group(2)}",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        })
        answer = {}

        def capture(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return lambda _: None

        chunks = b"".join(app(environ, capture))
        try:
            out = cbor_encode(_timestamps(json.loads(chunks or b"{}")))
        except ValueError:  # not JSON (moto's HTML 500 for what it lacks): as is
            start_response(answer["status"], answer["headers"])
            return [chunks]
        headers = [(k, v) for k, v in answer["headers"] if k.lower() not in ("content-type", "content-length")]
        headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"), ("Content-Length", str(len(out)))]
        start_response(answer["status"], headers)
        return [out]

    return wrapped


def _security_lake(app):
    def wrapped(environ, start_response):
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if "/securitylake/aws4_request" in auth:
            if environ.get("REQUEST_METHOD") == "GET" and environ.get("PATH_INFO") == "/v1/datalakes":
                body = json.dumps({"dataLakes": []}).encode()
                status = "200 OK"
            else:
                body = json.dumps({"message": "not emulated"}).encode()
                status = "501 Not Implemented"
            start_response(status, [("Content-Type", "application/json"),
                                    ("Content-Length", str(len(body)))])
            return [body]
        return app(environ, start_response)

    return wrapped


def _run_simple_translating(host, port, app, **kw):
    """Serve like werkzeug's run_simple, binding first and then saying which port was bound.

    PORT 0 lets the system pick a free port; the port is printed alone on the first line of
    standard output (then standard output goes to /dev/null, so a reader that stops reading
    cannot block or break the server). A port picked by the caller and released before the
    server binds it could be taken by another test's emulator in between.
    """
    kw.pop("use_reloader", None)
    srv = make_server(host, port, _security_lake(_cbor_to_json(app)), **kw)
    print(srv.port, flush=True)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    srv.serve_forever()


moto.server.run_simple = _run_simple_translating


def _list_event_data_stores(self):
    return json.dumps({"EventDataStores": []})


CloudTrailResponse.list_event_data_stores = _list_event_data_stores


def _describe_client_vpn_endpoints(self):
    return (
        '<DescribeClientVpnEndpointsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        "<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>"
        "<clientVpnEndpoint/>"
        "</DescribeClientVpnEndpointsResponse>"
    )


EC2Response.describe_client_vpn_endpoints = _describe_client_vpn_endpoints
S3Response._bucket_response_put = _bucket_response_put
S3Response.get_bucket_versioning = _get_bucket_versioning

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
