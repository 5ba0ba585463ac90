#!/usr/bin/env bash
# The whole test suite: installs the pinned AWS emulator (moto[server]==5.2.1), IAM policy
# linter (parliament==1.6.4) and SQL parser (sqlglot==30.31.0) into a project-local
# virtualenv, and Debian's chromium and
# tesseract-ocr if they are missing, then runs
# fmt, clippy's lints and every test (one build for both).
# No test reaches AWS: the end-to-end tests start moto's server on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION="5.2.1"
# parliament: the offline IAM policy linter every policy logwarden writes is checked with.
PARLIAMENT_VERSION="1.6.4"
# sqlglot: the SQL parser (Athena dialect) every table and query `logwarden query` writes is
# checked with.
SQLGLOT_VERSION="30.31.0"
# boto3/botocore: the seed script and the tests' helpers call moto with them. Pinned: botocore
# 1.44.18 speaks REST-JSON to Athena, which moto 5.2.1 does not route (HTTP 404).
BOTO_VERSION="1.44.8"
if ! .venv/bin/python -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null \
  || ! .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('parliament') != '$PARLIAMENT_VERSION')" 2>/dev/null \
  || ! .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('sqlglot') != '$SQLGLOT_VERSION')" 2>/dev/null \
  || ! .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('botocore') != '$BOTO_VERSION')" 2>/dev/null; then
  echo "==> installing moto[server]==$MOTO_VERSION, boto3==$BOTO_VERSION, parliament==$PARLIAMENT_VERSION and sqlglot==$SQLGLOT_VERSION into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check \
    "moto[server]==$MOTO_VERSION" "parliament==$PARLIAMENT_VERSION" "sqlglot==$SQLGLOT_VERSION" \
    "boto3==$BOTO_VERSION" "botocore==$BOTO_VERSION"
fi

# The HTML report is tested in headless Chromium, its screenshot read back with Tesseract OCR.
if ! command -v chromium >/dev/null 2>&1 || ! command -v tesseract >/dev/null 2>&1; then
  echo "==> installing chromium and tesseract-ocr (Debian packages) for the HTML report test"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium tesseract-ocr >/dev/null
fi

echo "==> cargo fmt --check"
cargo fmt --all -- --check

# Lints and tests share one build: clippy-driver compiles logwarden's own targets (the lints run
# during that compilation, warnings denied) and the dependencies are built once, for the tests,
# instead of once more for `cargo clippy`.
CLIPPY_DRIVER="$(rustc --print sysroot)/bin/clippy-driver"
if [ ! -x "$CLIPPY_DRIVER" ]; then
  echo "error: clippy is not installed (no $CLIPPY_DRIVER)" >&2
  echo "  hint: rustup component add clippy" >&2
  exit 2
fi
echo "==> cargo test, with clippy's lints (warnings denied) on every target"
RUSTC_WORKSPACE_WRAPPER="$CLIPPY_DRIVER" \
  CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" \
  cargo test
