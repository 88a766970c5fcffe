#!/usr/bin/env bash
# Regenerates the TypeScript contracts in libs/contracts/src/generated from proto/ (ts-proto via
# buf, offline). Generated files are never edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
out=libs/contracts/src/generated
rm -rf "$out"
node node_modules/@bufbuild/buf/bin/buf generate --include-wkt --include-imports
