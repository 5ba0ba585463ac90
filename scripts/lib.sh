# Sourced by the scripts in scripts/: the one place that pins the emulator and the test tools,
# installs them into the project-local virtualenv (.venv/), and starts the emulator.

# moto[server]: the AWS emulator every end-to-end test, the demo and the benchmarks run against.
MOTO_VERSION="5.2.1"
# boto3/botocore: the seed script and the tests' helpers call moto with them. Pinned: botocore
# 1.44.18 speaks REST-JSON to Athena, which moto 5.2.1 does not route (HTTP 404).
BOTO_VERSION="1.44.8"
# parliament: the offline IAM policy linter every policy logwarden writes is checked with.
PARLIAMENT_VERSION="1.6.4"
# sqlglot: the SQL parser (Athena dialect) every table and query `logwarden query` writes is
# checked with.
SQLGLOT_VERSION="30.31.0"

# ensure_venv [tests]: moto's server and boto3 at their pins in .venv/; with `tests`, the policy
# linter and the SQL parser too. Installs only what is missing or at another version.
ensure_venv() {
  local want=("moto==$MOTO_VERSION" "boto3==$BOTO_VERSION" "botocore==$BOTO_VERSION")
  [ "${1:-}" = tests ] && want+=("parliament==$PARLIAMENT_VERSION" "sqlglot==$SQLGLOT_VERSION")
  if ! .venv/bin/python - "${want[@]}" 2>/dev/null <<'PY'
import importlib.metadata as m, sys
sys.exit(any(m.version(n) != v for n, v in (a.split("==") for a in sys.argv[1:])))
PY
  then
    local packages=("${want[@]/#moto==/moto[server]==}")
    echo "==> installing ${packages[*]} into .venv" >&2
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check "${packages[@]}"
  fi
}

# start_emulator: moto's server (tests/support/moto_launcher.py, with its fixes) on a port of
# 127.0.0.1 it binds itself (one picked here and released could be taken in between); sets
# EMULATOR_PID and EMULATOR_PORT. The caller stops it.
start_emulator() {
  local portfile
  portfile=$(mktemp)
  .venv/bin/python tests/support/moto_launcher.py 0 > "$portfile" 2>/dev/null &
  EMULATOR_PID=$!
  for _ in $(seq 1 300); do
    [ -s "$portfile" ] && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || break
    sleep 0.1
  done
  EMULATOR_PORT=$(head -n 1 "$portfile")
  rm -f "$portfile"
  if [ -z "$EMULATOR_PORT" ]; then
    echo "error: the emulator did not start (.venv/bin/python tests/support/moto_launcher.py 0)" >&2
    echo "  hint: run it by hand to see why; delete .venv/ to reinstall moto" >&2
    return 1
  fi
}
