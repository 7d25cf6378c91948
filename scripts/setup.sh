#!/usr/bin/env bash
# Idempotent set-up shared by build.sh and test.sh: a virtual environment with the pinned
# requirements and this package, and (with --browser) Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  .venv/bin/python -m pip install --quiet --no-deps -e .
  echo "$want" > "$stamp"
fi
# --- npm packages (course site): MathJax, which the build copies into the site so that it works
# offline, and axe-core for the accessibility tests. Reinstalled only when package-lock.json changes.
npm_want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.package-lock.sha 2>/dev/null)" != "$npm_want" ]; then
  if ! command -v npm >/dev/null; then
    echo "The site needs Node.js and npm (for MathJax and axe-core): install them (e.g. apt-get install nodejs npm)." >&2
    exit 1
  fi
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_want" > node_modules/.package-lock.sha
fi
# --- end of npm packages
if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium' once." >&2
    exit 1
  fi
fi
