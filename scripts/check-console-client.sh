#!/usr/bin/env bash
# Fails when the console's committed API client differs from a fresh generation (the gateway's
# OpenAPI changed without `npm run console:generate`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/generate-console-client.sh
out=apps/console/src/api/generated
if ! git diff --quiet --exit-code -- "$out" || [ -n "$(git ls-files --others --exclude-standard -- "$out")" ]; then
  echo "The console's API client is stale: run 'npm run console:generate' and commit the result." >&2
  git status --short -- "$out" >&2
  exit 1
fi
echo "The console's API client is up to date."
