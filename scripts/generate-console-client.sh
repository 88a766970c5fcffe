#!/usr/bin/env bash
# Regenerates the console's typed API client from the gateway's OpenAPI document: the document is
# built from the gateway's controllers (Nest preview mode, nothing connects), then
# openapi-typescript turns it into the types openapi-fetch checks every call against.
# Generated files are never edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
out=apps/console/src/api/generated
mkdir -p "$out"
node -r ./tools/runtime/register.cjs apps/gateway/src/openapi.cli.ts > "$out/openapi.json"
npx openapi-typescript "$out/openapi.json" -o "$out/gateway-api.d.ts" --silent
npx prettier --log-level warn --write "$out"
