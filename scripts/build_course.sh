#!/usr/bin/env bash
# Set up (if needed) and build the COURSE edition of the book, for graded use: the same pages as
# the self-study site, but no exercise shows an explanation or a solution (EXERCISES_BUILD=course)
# and the instructor pages (instructor guide, graded assignments) are left out (generated toc).
#   bash scripts/build_course.sh                 -> _build/course/_build/html
#   bash scripts/build_course.sh OUTPUT          -> OUTPUT/_build/html
#   bash scripts/build_course.sh --serve         ...then serve it on http://localhost:8000
set -euo pipefail
cd "$(dirname "$0")/.."
out=_build/course
serve=
for arg in "$@"; do
  case "$arg" in
    --serve) serve=1 ;;
    *) out=$arg ;;
  esac
done
bash scripts/setup.sh
# A local preview may use the placeholder repository.url of a fresh checkout (say so, and build);
# a published build (.github/workflows/pages.yml) does not set this and fails until it is real.
if grep -Eq '^\s*url:\s*https://github.com/example/' _config.yml; then
  echo "note: _config.yml repository.url is a placeholder: launch buttons and install lines point nowhere; set it before publishing"
  export EXERCISES_ALLOW_PLACEHOLDER_REPOSITORY=1
fi
.venv/bin/python -m exercises site build --mode course --output "$out"
if [ -n "$serve" ]; then
  .venv/bin/python -m http.server --directory "$out/_build/html" 8000
fi
