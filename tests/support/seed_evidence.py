"""Write CloudTrail log files and digest files, signed with a test RSA key exactly in AWS's
documented formats, into an organization trail's bucket in the emulator; and tamper with them.

The signing string, hashes and layout are written here independently of logwarden's Rust code
(from AWS's "CloudTrail digest file structure" and "Custom implementations of CloudTrail log file
integrity validation"), so the two implementations check each other.

seed:   --endpoint URL --org O-ID --bucket B --archive ACCOUNT --accounts A,B,... --dir DIR
        Per account (region us-east-1, day 2026-11-27): log files at 09:10, 09:20 ... 12:20 and an
        hourly digest chain at 10:00, 11:00, 12:00, 13:00 (the first one starts the chain). Writes
        DIR/keys.json (as `aws cloudtrail list-public-keys` prints it) and DIR/private.pem.
tamper: --endpoint URL --bucket B --archive ACCOUNT --dir DIR --tamper ACTION:ACCOUNT,...
        ACTION is modify-log, delete-log, delete-digest, bad-signature or rechain.
Prints a JSON document of what it wrote or changed.
"""

import argparse
import gzip
import hashlib
import json
import boto3
from botocore.config import Config
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

PATIENT = Config(retries={"mode": "standard", "max_attempts": 10}, connect_timeout=30, read_timeout=300)
MGMT = dict(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="secret")
REGION, DAY = "us-east-1", "2026/11/27"

p = argparse.ArgumentParser()
p.add_argument("--endpoint", required=True)
p.add_argument("--org", default="")
p.add_argument("--bucket", required=True)
p.add_argument("--archive", required=True)
p.add_argument("--accounts", default="")
p.add_argument("--dir", required=True)
p.add_argument("--tamper", default="")
args = p.parse_args()


def s3():
    sts = boto3.client("sts", region_name=REGION, endpoint_url=args.endpoint, config=PATIENT, **MGMT)
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{args.archive}:role/OrganizationAccountAccessRole",
                        RoleSessionName="evidence")["Credentials"]
    return boto3.client("s3", region_name=REGION, endpoint_url=args.endpoint, config=PATIENT,
                        aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                        aws_session_token=c["SessionToken"])


def base(org, account, kind):
    return f"AWSLogs/{org}/{account}/{kind}/{REGION}/{DAY}/"


def log_key(org, account, hour, minute):
    return base(org, account, "CloudTrail") + f"{account}_CloudTrail_{REGION}_20261127T{hour:02}{minute:02}Z_t{minute}.json.gz"


def digest_key(org, account, hour):
    return base(org, account, "CloudTrail-Digest") + \
        f"{account}_CloudTrail-Digest_{REGION}_org-trail_{REGION}_20261127T{hour:02}0000Z.json.gz"


def string_to_sign(doc, inflated):
    prev = doc["previousDigestSignature"] if doc["previousDigestSignature"] is not None else "null"
    return "%s\n%s/%s\n%s\n%s" % (doc["digestEndTime"], doc["digestS3Bucket"], doc["digestS3Object"],
                                  hashlib.sha256(inflated).hexdigest(), prev)


def put_digest(client, key, doc, fingerprint, signature=None):
    inflated = json.dumps(doc).encode()
    sig = signature or KEY.sign(string_to_sign(doc, inflated).encode(), padding.PKCS1v15(), hashes.SHA256()).hex()
    client.put_object(Bucket=args.bucket, Key=key, Body=gzip.compress(inflated),
                      Metadata={"signature": sig, "signature-algorithm": "SHA256withRSA"})
    return hashlib.sha256(inflated).hexdigest(), sig


def record(account, hour, minute):
    return {"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "accountId": account,
                                                      "arn": f"arn:aws:sts::{account}:assumed-role/ops/alice"},
            "eventTime": f"2026-11-27T{hour:02}:{minute:02}:05Z", "eventSource": "cloudtrail.amazonaws.com",
            "eventName": "StopLogging" if minute == 10 else "DescribeTrails", "awsRegion": REGION,
            "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2",
            "requestParameters": {"name": "org-trail"} if minute == 10 else None,
            "responseElements": None, "requestID": f"r-{account}-{hour}-{minute}",
            "eventID": f"e-{account}-{hour}-{minute}", "readOnly": minute != 10,
            "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": account,
            "eventCategory": "Management"}


def seed():
    global KEY
    KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = KEY.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    fingerprint = hashlib.md5(der).hexdigest()
    with open(f"{args.dir}/private.pem", "wb") as f:
        f.write(KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    import base64
    with open(f"{args.dir}/keys.json", "w") as f:
        json.dump({"PublicKeyList": [{"Value": base64.b64encode(der).decode(), "Fingerprint": fingerprint,
                                      "ValidityStartTime": "2026-01-01T00:00:00Z",
                                      "ValidityEndTime": "2027-01-01T00:00:00Z"}]}, f)
    client = s3()
    # moto applies a Deny with a condition unconditionally to object reads and writes
    # (../shared/reference/emulator.md): the seeded TLS-only policy would refuse every request
    # to the emulator's plain-HTTP endpoint, so it goes (AWS would apply it only to plain HTTP).
    client.delete_bucket_policy(Bucket=args.bucket)
    written = {"logs": 0, "digests": 0, "records": 0, "fingerprint": fingerprint}
    for account in args.accounts.split(","):
        previous = None
        for hour in (10, 11, 12, 13):
            files = []
            for minute in (10, 20):
                key = log_key(args.org, account, hour - 1, minute)
                body = json.dumps({"Records": [record(account, hour - 1, minute)]}).encode()
                client.put_object(Bucket=args.bucket, Key=key, Body=gzip.compress(body))
                files.append({"s3Bucket": args.bucket, "s3Object": key, "hashValue": hashlib.sha256(body).hexdigest(),
                              "hashAlgorithm": "SHA-256", "newestEventTime": f"2026-11-27T{hour - 1:02}:{minute:02}:05Z",
                              "oldestEventTime": f"2026-11-27T{hour - 1:02}:{minute:02}:05Z"})
                written["logs"] += 1
                written["records"] += 1
            key = digest_key(args.org, account, hour)
            doc = {"awsAccountId": account, "digestStartTime": f"2026-11-27T{hour - 1:02}:00:00Z",
                   "digestEndTime": f"2026-11-27T{hour:02}:00:00Z", "digestS3Bucket": args.bucket,
                   "digestS3Object": key, "digestPublicKeyFingerprint": fingerprint,
                   "digestSignatureAlgorithm": "SHA256withRSA",
                   "newestEventTime": f"2026-11-27T{hour - 1:02}:20:05Z", "oldestEventTime": f"2026-11-27T{hour - 1:02}:10:05Z",
                   "previousDigestS3Bucket": args.bucket if previous else None,
                   "previousDigestS3Object": previous[0] if previous else None,
                   "previousDigestHashValue": previous[1] if previous else None,
                   "previousDigestHashAlgorithm": "SHA-256" if previous else None,
                   "previousDigestSignature": previous[2] if previous else None,
                   "logFiles": files}
            sha, sig = put_digest(client, key, doc, fingerprint)
            previous = (key, sha, sig)
            written["digests"] += 1
    print(json.dumps(written))


def tamper():
    global KEY
    with open(f"{args.dir}/private.pem", "rb") as f:
        KEY = serialization.load_pem_private_key(f.read(), password=None)
    client = s3()
    done = []
    for item in args.tamper.split(","):
        action, account = item.split(":")
        if action == "modify-log":
            key = log_key(args.org, account, 10, 10)
            body = json.dumps({"Records": [record(account, 10, 20)]}).encode()
            client.put_object(Bucket=args.bucket, Key=key, Body=gzip.compress(body))
        elif action == "delete-log":
            key = log_key(args.org, account, 11, 20)
            client.delete_object(Bucket=args.bucket, Key=key)
        elif action == "delete-digest":
            key = digest_key(args.org, account, 11)
            client.delete_object(Bucket=args.bucket, Key=key)
        elif action in ("bad-signature", "rechain"):
            key = digest_key(args.org, account, 12)
            doc = json.loads(gzip.decompress(client.get_object(Bucket=args.bucket, Key=key)["Body"].read()))
            if action == "bad-signature":
                # The content stays; the signature is another digest's (as if swapped).
                other = client.head_object(Bucket=args.bucket, Key=digest_key(args.org, account, 11))
                put_digest(client, key, doc, doc["digestPublicKeyFingerprint"], other["Metadata"]["signature"])
            else:
                # Signed again (by whoever holds a key) over a previous digest that is not the real one.
                doc["previousDigestHashValue"] = hashlib.sha256(b"another previous digest").hexdigest()
                put_digest(client, key, doc, doc["digestPublicKeyFingerprint"])
        else:
            raise SystemExit(f"unknown tampering {action}")
        done.append({"action": action, "account": account, "key": key})
    print(json.dumps(done))


KEY = None
if args.tamper:
    tamper()
else:
    seed()
