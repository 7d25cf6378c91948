#!/usr/bin/env bash
# Set up (if needed) and build the book to static HTML in _build/html.
#   bash scripts/build.sh            self-study site
#   bash scripts/build.sh --serve    ...then serve it on http://localhost:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A local preview may use the placeholder repository.url of a fresh checkout (say so, and build);
# a published build (.github/workflows/pages.yml) does not set this and fails until it is real.
if grep -Eq '^\s*url:\s*https://github.com/example/' _config.yml; then
  echo "note: _config.yml repository.url is a placeholder: launch buttons and install lines point nowhere; set it before publishing"
  export EXERCISES_ALLOW_PLACEHOLDER_REPOSITORY=1
fi
.venv/bin/python -m exercises site build --mode study
echo "Built: open _build/html/index.html, or run: bash scripts/build.sh --serve"
if [ "${1:-}" = "--serve" ]; then
  .venv/bin/python -m http.server --directory _build/html 8000
fi
