#!/usr/bin/env bash
# Benchmark: an emulated organization of 50 accounts x 3 regions in moto's server on 127.0.0.1.
# Reports the audit's wall time, CPU time, peak memory and AWS calls per account-region.
# A benchmark, not a test: the figures go to docs/performance.md by hand.
#
# JUDGE=1000x17 scripts/bench.sh: instead, judge a synthetic saved inventory of that many accounts
# x regions (scripts/synth_inventory.py: copies of the test organization's accounts) with
# `audit --from-inventory`, no emulator: the CPU time and peak memory of the checks, lookback and
# report at that scale (collection is not exercised).
#
# scripts/bench.sh --scale 1000x17 [--throttle 0.1] [--shards 4 | --plan]: instead, audit (or
# plan) an organization of that many accounts x regions on the scale stand-in (scripts/standin,
# AWS-like latency and rate limits), check a sample of its verdicts (or changes), and end with
# one JSON line (scripts/bench_scale.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --scale ]; then exec bash scripts/bench_scale.sh "$@"; fi
if [ -n "${JUDGE:-}" ]; then
  PROFILE=${PROFILE:-release}
  if [ "$PROFILE" = release ]; then cargo build --release --quiet; else cargo build --quiet; fi
  BIN=./target/$([ "$PROFILE" = release ] && echo release || echo debug)/logwarden
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  python3 scripts/synth_inventory.py "${JUDGE%x*}" "${JUDGE#*x}" "$WORK/inventory.json"
  /usr/bin/env time -f '%e %U %S %M' -o "$WORK/time" "$BIN" audit --from-inventory \
    "$WORK/inventory.json" --format json --output "$WORK/report.json" 2>"$WORK/stderr" || true
  read -r WALL USER SYS RSS < <(tail -n 1 "$WORK/time")
  UNITS=$(( ${JUDGE%x*} * ${JUDGE#*x} ))
  echo "judging $JUDGE ($UNITS account-regions, $PROFILE build): wall: ${WALL}s  cpu: $(echo "$USER + $SYS" | bc)s  peak RSS: $((RSS / 1024)) MiB ($(( RSS / 1024 * 1000 / UNITS )) MiB per 1,000 account-regions)"
  tail -n 1 "$WORK/stderr"
  exit 0
fi
ACCOUNTS=${ACCOUNTS:-50}
REGIONS=${REGIONS:-us-east-1,eu-west-1,us-west-2}
. scripts/lib.sh
ensure_venv
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then cargo build --release --quiet; else cargo build --quiet; fi
BIN=./target/$([ "$PROFILE" = release ] && echo release || echo debug)/logwarden
# Stop the emulator (and proxies) however the run ends: a stray emulator would skew the next run.
stop() { kill $1 2>/dev/null || true; sleep 0.5; kill -9 $1 2>/dev/null || true; }
trap 'stop "${EMULATOR_PID:-}"' EXIT
start_emulator
MOTO_PID=$EMULATOR_PID PORT=$EMULATOR_PORT
.venv/bin/python scripts/seed_org.py --endpoint "http://127.0.0.1:$PORT" --regions "$REGIONS" \
  --extra-accounts $((ACCOUNTS - 4)) >/dev/null
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 \
  AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
echo "accounts: $ACCOUNTS, regions: $REGIONS"

# One audit against ENDPOINT; prints its figures under LABEL.
run_audit() {
  local label=$1 endpoint=$2 attempts=$3
  local timefile
  timefile=$(mktemp)
  /usr/bin/env time -f '%e %U %S %M' -o "$timefile" "$BIN" -v audit \
    --endpoint-url "$endpoint" --regions "$REGIONS" --format json --max-attempts "$attempts" \
    --output bench-report.json 2> bench-stderr.log || true
  read -r WALL USER SYS RSS < <(tail -n 1 "$timefile")
  CALLS=$(grep -o '[0-9]* AWS calls for [0-9]* account-regions' bench-stderr.log | tail -1)
  N_CALLS=${CALLS%% *}
  UNITS=$(echo "$CALLS" | awk '{print $5}')
  echo "$label: wall: ${WALL}s  cpu: $(echo "$USER + $SYS" | bc)s  peak RSS: $((RSS / 1024)) MiB"
  echo "$label: AWS calls: $N_CALLS for $UNITS account-regions ($(echo "scale=1; $N_CALLS / $UNITS" | bc) per account-region)"
  echo "$label: $(.venv/bin/python -c 'import json,sys; r=json.load(open("bench-report.json")); import collections; e=collections.Counter(x["operation"]+" "+x["code"] for x in r["errors"]); print(len(r["errors"]), "failed reads,", r["summary"]["unknown"], "unknown findings", dict(e) if e else "")')"
  rm -f "$timefile" bench-stderr.log bench-report.json
}

run_audit clean "http://127.0.0.1:$PORT" 1

# THROTTLE=0.3: the same audit through the fault-injecting proxy (tests/support/fault_proxy.py),
# first without faults (the proxy's own cost), then throttling that share of every service's
# calls at random with AWS's throttling answers; the SDK's standard retry mode retries them (up
# to 10 attempts). Compare the two proxied wall times.
start_proxy() {
  local rules portfile
  rules=$(mktemp)
  portfile=$(mktemp)
  echo "$1" > "$rules"
  # Port 0: the proxy binds a free port itself and prints it.
  .venv/bin/python tests/support/fault_proxy.py 0 "http://127.0.0.1:$PORT" "$rules" /dev/null > "$portfile" &
  PIDS="$PIDS $!"
  for _ in $(seq 1 100); do [ -s "$portfile" ] && break; sleep 0.1; done
  PROXY="http://127.0.0.1:$(head -n 1 "$portfile")"
}
if [ -n "${THROTTLE:-}" ]; then
  PIDS="$MOTO_PID"
  trap 'stop "$PIDS"' EXIT
  start_proxy '[]'
  run_audit "proxied, no faults" "$PROXY" 10
  start_proxy "[{\"service\": \"*\", \"fault\": \"throttle\", \"rate\": $THROTTLE}]"
  run_audit "proxied, ${THROTTLE} throttled" "$PROXY" 10
fi
