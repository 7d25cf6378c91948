#!/usr/bin/env bash
# Set up (if needed) and build the book to static HTML in _build/html.
#   bash scripts/build.sh            self-study site
#   bash scripts/build.sh --serve    ...then serve it on http://localhost:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m exercises site build --mode study
echo "Built: open _build/html/index.html, or run: bash scripts/build.sh --serve"
if [ "${1:-}" = "--serve" ]; then
  .venv/bin/python -m http.server --directory _build/html 8000
fi
