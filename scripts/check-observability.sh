#!/usr/bin/env bash
# Validates deploy/observability with Prometheus's own tool: the alert rules parse, their unit
# tests pass, the scrape config loads; every Grafana dashboard is well-formed JSON with PromQL
# targets. (That every metric they name is exported is checked by the e2e test.)
set -euo pipefail
cd "$(dirname "$0")/../deploy/observability"
if ! command -v promtool >/dev/null; then
  echo "promtool is missing: apt-get install -y --no-install-recommends prometheus" >&2
  exit 1
fi
promtool check rules prometheus/alerts.yml
(cd prometheus && promtool test rules alerts.test.yml)
promtool check config --syntax-only prometheus/prometheus.yml
node -e '
const fs = require("node:fs");
for (const file of fs.readdirSync("grafana/dashboards")) {
  const dashboard = JSON.parse(fs.readFileSync(`grafana/dashboards/${file}`, "utf8"));
  const targets = dashboard.panels.flatMap((panel) => panel.targets ?? []);
  if (!dashboard.uid || targets.length === 0 || targets.some((t) => !t.expr)) {
    throw new Error(`${file}: needs a uid and PromQL targets`);
  }
  console.log(`${file}: ${dashboard.panels.length} panels`);
}'
