"""Parse every SQL file given with sqlglot's Athena dialect (Hive DDL, Trino DML); print each
file that does not parse, or that sqlglot could only keep as an opaque command, and exit 1."""
import sys

import sqlglot
from sqlglot import exp

bad = []
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    try:
        statements = [s for s in sqlglot.parse(text, read="athena") if s is not None]
    except sqlglot.errors.ParseError as e:
        bad.append(f"{path}: {e}")
        continue
    if not statements:
        bad.append(f"{path}: no statement")
    for s in statements:
        if isinstance(s, exp.Command) or s.find(exp.Command):
            bad.append(f"{path}: not understood: {s.sql()[:120]}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
