#!/usr/bin/env bash
# Regenerates the console's typed API client from the gateway's OpenAPI document: the document is
# built from the gateway's controllers (Nest preview mode, nothing connects), then
# openapi-typescript turns it into the types openapi-fetch checks every call against.
# Generated files are never edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
out=apps/console/src/api/generated
mkdir -p "$out"
# Examples are left out: some are computed from the current time (so they never rot in /docs),
# which would make every generation differ; the client's types do not need them.
node -r ./tools/runtime/register.cjs apps/gateway/src/openapi.cli.ts | node -e '
let text = "";
process.stdin.on("data", (chunk) => (text += chunk));
process.stdin.on("end", () => {
  const strip = (value) => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "example" && key !== "examples")
        .map(([key, inner]) => [key, strip(inner)]),
    );
  };
  process.stdout.write(JSON.stringify(strip(JSON.parse(text)), null, 2) + "\n");
});' > "$out/openapi.json"
npx openapi-typescript "$out/openapi.json" -o "$out/gateway-api.d.ts" --silent
npx prettier --log-level warn --write "$out"
