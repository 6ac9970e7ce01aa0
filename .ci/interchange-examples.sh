#!/usr/bin/env bash
# Regenerate docs/examples/interchange/: the shipped dataset exported in every format.
# tests/test_interchange.py fails when these files are not the current export.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
claimtrack init --example "$tmp/ds" >/dev/null
out=docs/examples/interchange
mkdir -p "$out"
cd "$tmp/ds"
repo="$OLDPWD"
claimtrack export --all -f claimreview --publisher "Example Fact-Check Desk" --url https://example.org/claimtrack-reviews -o "$repo/$out/all.jsonld"
claimtrack export --all -f aif -o "$repo/$out/all.aif.json"
claimtrack export --all -f argdown -o "$repo/$out/all.argdown"
claimtrack export --all -f dot -o "$repo/$out/all.dot"
claimtrack export --all -f mermaid -o "$repo/$out/all.mmd"
claimtrack export --all -f csl -o "$repo/$out/all.csl.json"
claimtrack export --all -f annotations -o "$repo/$out/all.annotations.jsonld"
claimtrack export --all -f svg -o "$repo/$out/all.svg"
