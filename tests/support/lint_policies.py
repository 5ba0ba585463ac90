"""Lint IAM policy documents with parliament (the offline IAM policy linter, from PyPI).

Usage: python lint_policies.py FILE...
Prints one JSON object per finding: {"file", "issue", "severity", "detail"}.
"""

import json
import sys

from parliament import analyze_policy_string

for path in sys.argv[1:]:
    text = open(path).read()
    policy = analyze_policy_string(text, filepath=path, include_community_auditors=True)
    for f in policy.findings:
        print(json.dumps({"file": path, "issue": f.issue, "severity": f.severity,
                          "detail": str(f.detail)}))
