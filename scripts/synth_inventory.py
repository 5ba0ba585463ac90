"""Write a synthetic saved inventory of ACCOUNTS accounts x REGIONS regions for benchmarking
logwarden's judging and reporting at scale (`audit --from-inventory`): each account is a copy of
one of the fixture organization's accounts (tests/fixtures/org-inventory.json, captured from the
seeded emulator) under a new id, each region a copy of that account's first region under a new
name (a copy of the management account keeps its organization trail as an account trail: an
organization has one). The collection is not exercised (no AWS, no emulator): this measures what logwarden does
with an inventory of that size (memory, CPU of the checks, lookback and renderers).

Usage: python scripts/synth_inventory.py ACCOUNTS REGIONS OUT.json
"""

import json
import sys

REGION_NAMES = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1",
]


def main():
    n, r, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if not 1 <= r <= len(REGION_NAMES):
        sys.exit(f"REGIONS must be 1..{len(REGION_NAMES)}")
    fixture = json.load(open("tests/fixtures/org-inventory.json"))
    regions = REGION_NAMES[:r]
    templates = fixture["accounts"]
    mgmt = fixture["organization"]["management_account_id"]
    accounts = []
    for i in range(n):
        src = templates[i % len(templates)]
        new_id = mgmt if src["account_id"] == mgmt and i < len(templates) else f"{200000000000 + i}"
        home = src["regions"][0]["region"]
        region_text = json.dumps(src["regions"][0])
        text = json.dumps({k: v for k, v in src.items() if k != "regions"})
        acct = json.loads(text.replace(src["account_id"], new_id))
        acct["name"] = f"{src['name']}-{i}"
        if new_id != src["account_id"]:
            # One organization trail per organization: a copy of the management account keeps
            # its trails as account trails.
            for t in acct["data"]["cloudtrail"].get("trails", []):
                t["is_organization_trail"] = False
        acct["regions"] = [
            json.loads(region_text.replace(src["account_id"], new_id).replace(home, name))
            for name in regions
        ]
        accounts.append(acct)
    fixture["regions"] = regions
    fixture["accounts"] = accounts
    with open(out, "w") as f:
        json.dump(fixture, f)


if __name__ == "__main__":
    main()
