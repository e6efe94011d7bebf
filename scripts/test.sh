#!/usr/bin/env bash
# Set up and run the whole test suite (browser tests need Debian's chromium + chromium-driver:
# installed here when we are root and apt works; otherwise those tests skip with a reason).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
    || echo "test: could not install chromium; browser tests will be skipped"
fi
.venv/bin/python -m pytest "$@"
