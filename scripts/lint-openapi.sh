#!/usr/bin/env bash
# Lints the gateway's OpenAPI document with Redocly (rules in redocly.yaml; any error fails).
# Without an argument the document is built from the gateway's controllers (Nest preview mode,
# nothing connects), with its examples; with one, that file is linted instead.
set -euo pipefail
cd "$(dirname "$0")/.."
# No telemetry or update check: CI has no network but the package registries.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
document=${1:-}
if [ -z "$document" ]; then
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  document="$dir/openapi.json"
  node -r ./tools/runtime/register.cjs apps/gateway/src/openapi.cli.ts > "$document"
fi
npx redocly lint "$document" --config redocly.yaml --format=stylish
