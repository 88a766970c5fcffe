#!/usr/bin/env bash
# The whole test suite: unit, integration (real PostgreSQL and Redis) and end-to-end tests of
# every project, through nx. Extra arguments go to nx (e.g. --projects=status-tracker).
# TEST_DATABASE_URL and TEST_REDIS_URL point the tests elsewhere (each test file makes and drops
# its own schema and key prefix there).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# The e2e project drives the web console in Chromium: check for it unless e2e is left out.
chromium_check=--chromium
case " $* " in *--projects*) case " $* " in *e2e*) ;; *) chromium_check= ;; esac ;; esac
DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" \
  REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}" node scripts/preflight.cjs --tests $chromium_check
export NX_DAEMON=false NX_TUI=false
# The end-to-end test runs the services from the build, as the images do (incremental: quick
# when nothing changed).
npm run -s build
rm -rf tmp/jest-results
status=0
npx nx run-many -t test --parallel=2 --outputStyle=static "$@" || status=$?
node scripts/test-summary.cjs
exit "$status"
