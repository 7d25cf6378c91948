#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: bank, checkers (Python and JS), widgets in a
# real kernel, the full book build with -W, and the site in a real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
exec .venv/bin/python -m pytest "$@"
