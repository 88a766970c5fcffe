// The metric names the dashboards and alert rules of deploy/observability use, read from the
// files themselves, so a renamed or removed metric fails the e2e test instead of a blank panel.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const OBSERVABILITY = join(__dirname, '../../deploy/observability');
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/** Metric names in a PromQL expression: identifiers that are not functions, labels or keywords. */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b\d+(\.\d+)?(e\d+)?\b/gi, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = stripped.slice(match.index + match[0].length);
    if (/^\s*\(/.test(rest) || PROMQL_WORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}

interface Dashboard {
  panels: { title: string; targets?: { expr: string }[] }[];
}
interface AlertRules {
  groups: { rules: { alert: string; expr: string }[] }[];
}

/** Every (place, expression) of the dashboards and alert rules. */
export function observabilityExpressions(): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  const dashboards = join(OBSERVABILITY, 'grafana/dashboards');
  for (const file of readdirSync(dashboards).filter((name) => name.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(join(dashboards, file), 'utf8')) as Dashboard;
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        found.push({ where: `${file}: ${panel.title}`, expr: target.expr });
      }
    }
  }
  const rules = parse(
    readFileSync(join(OBSERVABILITY, 'prometheus/alerts.yml'), 'utf8'),
  ) as AlertRules;
  for (const group of rules.groups) {
    for (const rule of group.rules) found.push({ where: `alert ${rule.alert}`, expr: rule.expr });
  }
  return found;
}

/** Names exposed by a Prometheus text scrape, histogram series included. */
export function exposedMetricNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const line of scrape.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (!type) continue;
    names.add(type[1]);
    if (type[2] === 'histogram' || type[2] === 'summary') {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${type[1]}${suffix}`);
    }
  }
  return names;
}
