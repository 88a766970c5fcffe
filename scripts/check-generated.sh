#!/usr/bin/env bash
# Fails when the committed generated contracts differ from a fresh generation.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/generate-contracts.sh
if ! git diff --quiet --exit-code -- libs/contracts/src/generated \
  || [ -n "$(git ls-files --others --exclude-standard -- libs/contracts/src/generated)" ]; then
  echo "Generated contracts are stale: run 'npm run proto:generate' and commit the result." >&2
  git status --short -- libs/contracts/src/generated >&2
  exit 1
fi
echo "Generated contracts are up to date."
