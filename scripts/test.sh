#!/usr/bin/env bash
# The whole test suite: installs the pinned AWS emulator (moto[server]==5.2.1) into a
# project-local virtualenv and Debian's chromium and tesseract-ocr if they are missing, then runs
# fmt, clippy and every test.
# No test reaches AWS: the end-to-end tests start moto's server on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION="5.2.1"
if ! .venv/bin/python -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "==> installing moto[server]==$MOTO_VERSION into .venv"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
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
echo "==> cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
echo "==> cargo test"
cargo test
