#!/usr/bin/env bash
# Applies the pending migrations of every service (each in its own schema).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sms}"
node scripts/preflight.cjs --create-database
for service in status-tracker interception-service reply-service webhook-dispatcher gateway; do
  node -r ./tools/runtime/register.cjs "apps/$service/src/migrate.ts"
done
