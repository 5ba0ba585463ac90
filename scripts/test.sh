#!/usr/bin/env bash
# The whole test suite: installs the pinned AWS emulator (moto[server]==5.2.1), IAM policy
# linter (parliament==1.6.4) and SQL parser (sqlglot==30.31.0) into a project-local
# virtualenv, and Debian's chromium and
# tesseract-ocr if they are missing, then runs
# fmt, clippy's lints and every test (one build for both).
# No test reaches AWS: the end-to-end tests start moto's server on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib.sh
ensure_venv tests

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
