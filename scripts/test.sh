#!/usr/bin/env bash
# The whole test suite: installs the pinned AWS emulator (moto[server]==5.2.1) into a
# project-local virtualenv if it is missing, then runs fmt, clippy and every test.
# No test reaches AWS: the end-to-end tests start moto's server on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION="5.2.1"
if ! .venv/bin/python -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "==> installing moto[server]==$MOTO_VERSION into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

echo "==> cargo fmt --check"
cargo fmt --all -- --check
echo "==> cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
echo "==> cargo test"
cargo test
