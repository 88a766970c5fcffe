#!/usr/bin/env bash
# Runs the whole system locally against PostgreSQL and Redis: installs dependencies if needed,
# checks both servers, creates the database, applies every service's migrations, then starts
# the five services. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/sms}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
node scripts/preflight.cjs --create-database
exec node tools/run-system.cjs
