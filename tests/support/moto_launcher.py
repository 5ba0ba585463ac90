"""Start moto's server (pinned moto[server]==5.2.1) with two S3 fixes the AWS SDK for Rust needs.

moto 5.2.1 answers GetBucketVersioning with the XML root `GetBucketVersioningResponse`, but the
SDK (like AWS) expects `VersioningConfiguration` and rejects the response ("invalid XML root").
moto also drops the `MfaDelete` element of PutBucketVersioning and never returns it. This
launcher remembers the MfaDelete value sent with PutBucketVersioning and answers
GetBucketVersioning the way AWS does. See shared/reference/emulator.md.

Usage: python moto_launcher.py PORT   (listens on 127.0.0.1 only)
"""

import re
import sys

from moto.s3.responses import S3Response
from moto.server import main

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


S3Response._bucket_response_put = _bucket_response_put
S3Response.get_bucket_versioning = _get_bucket_versioning

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
