"""Check each table's RegexSerDe expression (JSON on stdin: [{"name", "regex", "columns",
"samples"}]): one group per column, and every sample line (entries as AWS documents them) matched
whole with each group where the column expects it. Prints what is wrong and exits 1."""
import json
import re
import sys

bad = []
for t in json.load(sys.stdin):
    r = re.compile(t["regex"])
    if r.groups != len(t["columns"]):
        bad.append(f'{t["name"]}: {r.groups} groups for {len(t["columns"])} columns')
        continue
    for line, want in t["samples"]:
        m = r.fullmatch(line)
        if not m:
            bad.append(f'{t["name"]}: does not match {line[:80]}...')
            continue
        got = dict(zip(t["columns"], m.groups()))
        for k, v in want.items():
            if got.get(k) != v:
                bad.append(f'{t["name"]}: {k} = {got.get(k)!r}, want {v!r}')
print("\n".join(bad))
sys.exit(1 if bad else 0)
