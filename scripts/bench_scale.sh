#!/usr/bin/env bash
# scripts/bench.sh --scale NxR [--throttle F] [--shards K | --plan]: logwarden against the scale
# stand-in (scripts/standin), an organization of N accounts x R regions with AWS-like latency
# (median 40 ms, tail to 400 ms) and per-account, per-region, per-API rate limits. A benchmark,
# not a test.
#
# 1. Template: moto's server seeded with the test organization (scripts/seed_org.py: four accounts
#    and TEMPLATE_EXTRA more workloads, default 4) in the R regions, audited once through
#    tests/support/fault_proxy.py, which records every exchange: the stand-in's answers, and the
#    reference report (moto is the reference for correctness). Cached under target/bench-scale/
#    for the same binary, seed script and R.
# 2. The stand-in serves the template organization plus clones of its member accounts up to N.
#    The template's `logwarden plan` (recommended baseline) is recorded too: reference-plan.json.
# 3. One audit (or K shards in parallel, then one judge of their inventories), timed; with --plan,
#    one `logwarden plan` instead.
# 4. A sample of clones (SAMPLE, default 25) must get exactly their template's findings (with
#    --plan: their template's changes and unknowns).
# Ends with one JSON line: accounts, regions, wall_s, cpu_s, peak_mib, calls,
# calls_per_account_region, throttled, retries, lower_bound_s, sample_checked, sample_wrong, ...
#
# Environment: PROFILE (release), CONCURRENCY (logwarden's --concurrency, default its own),
# SAMPLE, TEMPLATE_EXTRA, KEEP_WORK=1 (keep the work directory and print it).
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { echo "usage: scripts/bench.sh --scale 1000x17 [--throttle 0.1] [--shards 4 | --plan]" >&2; exit 2; }
SCALE="" THROTTLE=0 SHARDS=1 PLAN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=${2:-}; shift 2 || usage ;;
    --throttle) THROTTLE=${2:-}; shift 2 || usage ;;
    --shards) SHARDS=${2:-}; shift 2 || usage ;;
    --plan) PLAN=1; shift ;;
    *) echo "error: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$SCALE" =~ ^[0-9]+x[0-9]+$ ]] || usage
[ -n "$PLAN" ] && [ "$SHARDS" != 1 ] && usage
ACCOUNTS=${SCALE%x*} NREG=${SCALE#*x}
TEMPLATE_EXTRA=${TEMPLATE_EXTRA:-4} SAMPLE=${SAMPLE:-25} PROFILE=${PROFILE:-release}
ALL_REGIONS=(us-east-1 eu-west-1 us-west-2 us-east-2 us-west-1 ca-central-1 eu-west-2 eu-west-3
  eu-central-1 eu-north-1 ap-south-1 ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-southeast-1
  ap-southeast-2 sa-east-1)
if [ "$NREG" -lt 1 ] || [ "$NREG" -gt 17 ] || [ "$ACCOUNTS" -lt $((4 + TEMPLATE_EXTRA + 1)) ]; then
  echo "error: --scale $SCALE: 1 to 17 regions, and more accounts than the template's $((4 + TEMPLATE_EXTRA))" >&2
  exit 2
fi
REGIONS=$(IFS=,; echo "${ALL_REGIONS[*]:0:$NREG}")

. scripts/lib.sh
ensure_venv
FLAG=$([ "$PROFILE" = release ] && echo --release || true)
cargo build $FLAG --quiet
cargo build $FLAG --quiet -p logwarden-standin
DIR=./target/$([ "$PROFILE" = release ] && echo release || echo debug)
BIN=$DIR/logwarden STANDIN=$DIR/logwarden-standin
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 \
  AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
WORK=$(mktemp -d)
PIDS=""
stop() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; }
trap 'stop; [ -n "${KEEP_WORK:-}" ] && echo "work: $WORK" >&2 || rm -rf "$WORK"' EXIT

# 1. The template, recorded from moto (or reused).
STAMP=$(cat "$BIN" scripts/seed_org.py tests/support/fault_proxy.py | sha256sum | cut -c1-16)
CACHE=target/bench-scale/$STAMP-$NREG-$TEMPLATE_EXTRA
if [ ! -s "$CACHE/reference.json" ] || [ ! -s "$CACHE/reference-plan.json" ]; then
  echo "recording the template organization ($((4 + TEMPLATE_EXTRA)) accounts x $NREG regions) from moto" >&2
  mkdir -p "$CACHE"
  start_emulator
  MOTO=$EMULATOR_PORT
  PIDS="$PIDS $EMULATOR_PID"
  .venv/bin/python scripts/seed_org.py --endpoint "http://127.0.0.1:$MOTO" --regions "$REGIONS" \
    --extra-accounts "$TEMPLATE_EXTRA" > "$CACHE/seed.json"
  echo '[]' > "$WORK/rules.json"
  rm -f "$CACHE/recording.jsonl"
  FAULT_PROXY_RECORD="$CACHE/recording.jsonl" .venv/bin/python tests/support/fault_proxy.py 0 \
    "http://127.0.0.1:$MOTO" "$WORK/rules.json" /dev/null > "$WORK/proxy-port" &
  PIDS="$PIDS $!"
  for _ in $(seq 1 100); do [ -s "$WORK/proxy-port" ] && break; sleep 0.1; done
  "$BIN" audit --endpoint-url "http://127.0.0.1:$(head -1 "$WORK/proxy-port")" --regions "$REGIONS" \
    --format json --max-attempts 10 --output "$CACHE/reference.json" 2>"$CACHE/reference.log" || true
  "$BIN" plan --endpoint-url "http://127.0.0.1:$(head -1 "$WORK/proxy-port")" --regions "$REGIONS" \
    --max-attempts 10 --out "$CACHE/reference-plan.json" >/dev/null 2>"$CACHE/reference-plan.log" || true
  stop; PIDS=""
fi
MANAGEMENT=$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["management"])' "$CACHE/seed.json")
# Clones copy workload-b and the extra workloads. Not workload-a: the organization trail's Lambda
# data-event selectors name its functions by account id, so a copy of it is rightly not covered
# and its verdicts are not its template's.
CLONE_FROM=$(.venv/bin/python -c 'import json,sys; s=json.load(open(sys.argv[1])); print(",".join([s["workload_b"]] + s["extra"]))' "$CACHE/seed.json")

# 2. The stand-in.
"$STANDIN" --templates "$CACHE/recording.jsonl" --management "$MANAGEMENT" --accounts "$ACCOUNTS" \
  --clone-from "$CLONE_FROM" --throttle "$THROTTLE" --clones-out "$WORK/clones.json" \
  > "$WORK/standin-port" 2> "$WORK/standin.log" &
PIDS="$PIDS $!"
for _ in $(seq 1 300); do [ -s "$WORK/standin-port" ] && break; sleep 0.1; done
ENDPOINT="http://127.0.0.1:$(head -1 "$WORK/standin-port")"
CONC=()
[ -n "${CONCURRENCY:-}" ] && CONC=(--concurrency "$CONCURRENCY")

# 3. The audit: one run, or SHARDS in parallel and one judge of their inventories; or one plan.
echo "$([ -n "$PLAN" ] && echo planning || echo auditing) $ACCOUNTS accounts x $NREG regions on the stand-in ($PROFILE build, $SHARDS shard(s), throttle $THROTTLE)" >&2
start=$(date +%s.%N)
REFERENCE=$CACHE/reference.json
if [ -n "$PLAN" ]; then
  REFERENCE=$CACHE/reference-plan.json
  /usr/bin/env time -f '%U %S %M' -o "$WORK/time-1" "$BIN" -v plan --endpoint-url "$ENDPOINT" \
    --regions "$REGIONS" "${CONC[@]}" --out "$WORK/report.json" >/dev/null 2> "$WORK/audit-1.log" || true
elif [ "$SHARDS" = 1 ]; then
  /usr/bin/env time -f '%U %S %M' -o "$WORK/time-1" "$BIN" -v audit --endpoint-url "$ENDPOINT" \
    --regions "$REGIONS" "${CONC[@]}" --format json --output "$WORK/report.json" 2> "$WORK/audit-1.log" || true
else
  for k in $(seq 1 "$SHARDS"); do
    /usr/bin/env time -f '%U %S %M' -o "$WORK/time-$k" "$BIN" -v audit --endpoint-url "$ENDPOINT" \
      --regions "$REGIONS" "${CONC[@]}" --shard "$k/$SHARDS" --save-inventory "$WORK/shard-$k.json" \
      --format json --output /dev/null 2> "$WORK/audit-$k.log" &
    SHARD_PIDS="${SHARD_PIDS:-} $!"
  done
  for p in $SHARD_PIDS; do wait "$p" || true; done
  FROM=()
  for k in $(seq 1 "$SHARDS"); do FROM+=(--from-inventory "$WORK/shard-$k.json"); done
  /usr/bin/env time -f '%U %S %M' -o "$WORK/time-judge" "$BIN" audit "${FROM[@]}" --format json \
    --output "$WORK/report.json" 2> "$WORK/judge.log" || true
fi
end=$(date +%s.%N)
.venv/bin/python -c 'import urllib.request,sys; sys.stdout.write(urllib.request.urlopen(sys.argv[1] + "/__standin/stats").read().decode())' \
  "$ENDPOINT" > "$WORK/stats.json"

# 4. The figures and the verdict check.
.venv/bin/python - "$WORK" "$start" "$end" "$ACCOUNTS" "$NREG" "$SHARDS" "$THROTTLE" "$PROFILE" \
  "${CONCURRENCY:-}" "$BIN" > "$WORK/figures.json" <<'EOF'
import glob, json, re, subprocess, sys
work, start, end, accounts, regions, shards, throttle, profile, conc, binary = sys.argv[1:]
cpu, peak = 0.0, 0
for f in glob.glob(f"{work}/time-*"):
    user, system, rss = open(f).read().split()[-3:]
    cpu += float(user) + float(system)
    peak = max(peak, int(rss))
calls = 0
for f in glob.glob(f"{work}/audit-*.log"):
    found = re.findall(r"(\d+) AWS calls for \d+ account-regions", open(f).read())
    calls += int(found[-1]) if found else 0
if not conc:
    help_text = subprocess.run([binary, "audit", "--help"], capture_output=True, text=True).stdout
    conc = re.search(r"--concurrency <CONCURRENCY>[\s\S]*?\[default: (\d+)\]", help_text).group(1)
report = json.load(open(f"{work}/report.json"))
print(json.dumps({"accounts": int(accounts), "regions": int(regions), "shards": int(shards),
                  "throttle": float(throttle), "profile": profile, "concurrency": int(conc),
                  "wall_s": round(float(end) - float(start), 1), "cpu_s": round(cpu, 1),
                  "peak_mib": peak // 1024, "calls": calls, "plan": "changes" in report,
                  # A plan names what it could not read among its unknowns, with what the
                  # emulator lacks: counted by the sample check instead.
                  "failed_reads": len(report["errors"]) if "errors" in report else None}))
EOF
[ -n "${KEEP_WORK:-}" ] && tail -n 3 "$WORK"/audit-*.log >&2
.venv/bin/python scripts/scale_check.py "$REFERENCE" "$WORK/report.json" "$WORK/clones.json" \
  "$WORK/stats.json" "$WORK/figures.json" "$SAMPLE"
