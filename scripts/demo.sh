#!/usr/bin/env bash
# Run logwarden against the bundled emulated organization: starts moto's server on 127.0.0.1,
# seeds a sample organization (4 accounts, 2 regions, realistic gaps), then shows the whole
# loop: audit (the gaps), plan (what would change), apply (make it so), audit and plan again
# (converged; manual steps remain listed), writes the Athena tables and starter queries over the
# logs (`logwarden query`), and stops the emulator. Extra arguments go to every
# logwarden command (e.g. --baseline minimal).
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib.sh
ensure_venv
cargo build --quiet
# The binary cargo just built, wherever the target directory is (CARGO_TARGET_DIR included).
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps \
  | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
BIN="$TARGET_DIR/debug/logwarden"
WORK=$(mktemp -d)
trap 'kill ${EMULATOR_PID:-} 2>/dev/null || true; rm -rf "$WORK"' EXIT
start_emulator
PORT=$EMULATOR_PORT
echo "==> seeding a sample organization into the emulator on 127.0.0.1:$PORT" >&2
.venv/bin/python scripts/seed_org.py --endpoint "http://127.0.0.1:$PORT" >/dev/null
# Emulator credentials only: nothing here can reach AWS.
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1 \
    AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
lw() {
  "$BIN" "$1" --endpoint-url "http://127.0.0.1:$PORT" \
    --regions us-east-1,eu-west-1 --max-attempts 1 "${@:2}"
}
echo "==> logwarden audit" >&2
lw audit --format table "$@" || status=$?
echo "logwarden audit exited with ${status:-0} (0: nothing failing, 1: failing findings, 2: could not run, 3: some findings could not be judged)" >&2
echo >&2
echo "==> logwarden plan" >&2
lw plan "$@"
echo >&2
echo "==> logwarden apply --auto-approve" >&2
lw apply --auto-approve "$@" || true
echo >&2
echo "==> logwarden audit (after apply)" >&2
lw audit --format table "$@" || true
echo >&2
echo "==> logwarden plan (after apply)" >&2
lw plan "$@" || true
echo >&2
# The summary: what is left, and why apply did not do it.
lw audit --format json --output "$WORK/after.json" "$@" >/dev/null 2>&1 || true
lw plan --format json "$@" >"$WORK/plan.json" 2>/dev/null || true
.venv/bin/python - "$WORK/after.json" "$WORK/plan.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
plan = json.load(open(sys.argv[2]))
s = report["summary"]
sev = ", ".join(f"{n} {k}" for k, n in s["failing_by_severity"].items() if n)
print("==> what is left after apply")
print(f"{s['fail']} finding(s) still fail ({sev or 'none'}), {s['unknown']} unknown, {s['pass']} pass.")
manual = [c for c in plan["changes"] if c["action"] == "manual"]
todo = [c for c in plan["changes"] if c["action"] != "manual"]
print(f"apply has nothing left to do: {len(todo)} change(s) pending." if not todo else f"{len(todo)} change(s) still pending.")
print(f"{len(manual)} manual step(s) need a person (logwarden never deletes or weakens anything):")
for c in manual:
    reason = c["manual"]["reason"].split(". ")[0]
    print(f"  - {c['address']}: {reason}")
    print(f"      {c['manual']['command']}")
PY
echo >&2
# The responder's next step: Athena tables and starter queries over the logs where they lie.
QUERY_DIR="$TARGET_DIR/demo-query"
rm -rf "$QUERY_DIR"
echo "==> logwarden query --out $QUERY_DIR" >&2
lw query --out "$QUERY_DIR" "$@"
sed -n '/^## Tables/,/^## Starter queries/p' "$QUERY_DIR/index.md" | sed '$d'
