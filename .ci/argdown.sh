#!/usr/bin/env bash
# Install the real Argdown CLI (@argdown/cli from npm) into a cache folder outside the repository,
# for tests/test_interchange.py, which checks the Argdown export with it. Does nothing without npm.
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/claimtrack-ci/argdown"
if [ -x "$cache/node_modules/.bin/argdown" ]; then
  echo "$cache/node_modules/.bin/argdown"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "argdown.sh: npm or node is missing; the Argdown test will be skipped" >&2
  exit 1
fi
mkdir -p "$cache"
npm install --prefix "$cache" --no-audit --no-fund --loglevel=error @argdown/cli >&2
echo "$cache/node_modules/.bin/argdown"
