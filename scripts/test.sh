#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: bank, checkers (Python and JS), widgets in a
# real kernel, the full book build with -W, and the site in a real Chromium.
#   bash scripts/test.sh            everything (what CI runs)
#   bash scripts/test.sh --fast     the fast tier: no book build, no browser, no kernels (< 1 minute)
# Any other arguments go to pytest (e.g. -k widgets, --update-goldens).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fast" ]; then
  shift
  bash scripts/setup.sh
  exec .venv/bin/python -m pytest -m "not slow and not browser and not book" "$@"
fi
bash scripts/setup.sh --browser
exec .venv/bin/python -m pytest "$@"
