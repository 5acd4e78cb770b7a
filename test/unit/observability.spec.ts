/**
 * The dashboard and the alert rules in k8s/observability name only metrics the code registers:
 * every `metrics.ts` of apps/ and libs/ is loaded (so a new service's metrics count too) and the
 * names are read from prom-client's registry, next to Node's default process metrics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { collectProcessMetrics, metricsRegistry } from '@cp/platform';
import { asList, asMap, at } from './support/deployment';

const ROOT = join(__dirname, '..', '..');
const OBSERVABILITY = join(ROOT, 'k8s', 'observability');

/** Series Prometheus itself adds to every target (not the code's to register). */
const PROMETHEUS_OWN = ['up'];

/** Label names a metric may have: bounded sets, none able to carry an id, an address or a token. */
const ALLOWED_LABELS = [
  'method',
  'route',
  'status',
  'topic',
  'collection',
  'kind',
  'outcome',
  'task',
  'result',
  'check',
];

function metricFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'web' ? [] : metricFiles(path);
    return entry.name === 'metrics.ts' ? [path] : [];
  });
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

/** The metric names a PromQL expression selects (functions, keywords, labels and ranges left out). */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)\s*(\()?/g)) {
    if (match[2] === '(' || KEYWORDS.has(match[1])) continue;
    names.add(match[1]);
  }
  return [...names];
}

for (const file of [...metricFiles(join(ROOT, 'apps')), ...metricFiles(join(ROOT, 'libs'))]) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads every metrics.ts found
  require(file);
}
collectProcessMetrics();

const registered = new Map(
  metricsRegistry.getMetricsAsArray().map((metric) => [metric.name, metric as unknown as { type: string }]),
);

/** Whether the name is a registered metric, or a histogram's _bucket/_sum/_count series. */
function isRegistered(name: string): boolean {
  if (registered.has(name) || PROMETHEUS_OWN.includes(name)) return true;
  const series = /^(.*)_(bucket|sum|count)$/.exec(name);
  return series !== null && ['histogram', 'summary'].includes(String(registered.get(series[1])?.type));
}

const dashboard = JSON.parse(readFileSync(join(OBSERVABILITY, 'grafana-dashboard.json'), 'utf8')) as {
  panels: { title: string; targets?: { expr: string }[] }[];
};
const dashboardExprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
const rules = asList(
  at(asMap(load(readFileSync(join(OBSERVABILITY, 'prometheus-rules.yaml'), 'utf8')), 'rules'), 'spec', 'groups'),
  'groups',
).flatMap((group) => asList(at(group, 'rules'), 'rules').map((rule) => asMap(rule, 'rule')));

describe('metricNames', () => {
  it('finds the selected series and nothing else', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(a_seconds_bucket{status=~"5.."}[5m]))) / on (job) b_total offset 5m and time() - c',
      ).sort(),
    ).toEqual(['a_seconds_bucket', 'b_total', 'c']);
  });
});

describe('metrics the code registers', () => {
  it('are many, from every layer', () => {
    for (const name of [
      'cp_http_request_duration_seconds',
      'cp_kafka_consumer_lag_messages',
      'cp_outbox_oldest_event_age_seconds',
      'cp_emails_failed_total',
      'cp_upload_bytes_total',
      'cp_job_items_total',
      'process_cpu_seconds_total',
    ]) {
      expect(registered.has(name)).toBe(true);
    }
  });

  it('have only bounded label names (no id, email, address or token can become a label)', () => {
    const labels = metricsRegistry
      .getMetricsAsArray()
      .filter((metric) => metric.name.startsWith('cp_'))
      .flatMap((metric) => (metric as unknown as { labelNames: string[] }).labelNames);
    expect(labels.filter((label) => !ALLOWED_LABELS.includes(label))).toEqual([]);
  });
});

describe('k8s/observability', () => {
  it('has a dashboard that uses only registered metrics', () => {
    expect(dashboardExprs.length).toBeGreaterThan(10);
    const unknown = dashboardExprs.flatMap((expr) => metricNames(expr).filter((name) => !isRegistered(name)));
    expect(unknown).toEqual([]);
  });

  it('shows every metric of ours on the dashboard', () => {
    const shown = new Set(dashboardExprs.flatMap(metricNames).map((name) => name.replace(/_(bucket|sum|count)$/, '')));
    const ours = [...registered.keys()].filter((name) => name.startsWith('cp_'));
    expect(ours.filter((name) => !shown.has(name))).toEqual([]);
  });

  it('has alert rules that use only registered metrics', () => {
    const unknown = rules.flatMap((rule) => metricNames(String(rule.expr)).filter((name) => !isRegistered(name)));
    expect(unknown).toEqual([]);
  });

  it.each([
    ['outbox oldest event over a minute', 'ClientPortalOutboxStuck', 'cp_outbox_oldest_event_age_seconds'],
    ['consumer lag growing for 10 minutes', 'ClientPortalConsumerLagGrowing', 'cp_kafka_consumer_lag_messages'],
    ['email failures over 5 % for 15 minutes', 'ClientPortalEmailFailures', 'cp_emails_failed_total'],
    ['any dead-letter message', 'ClientPortalDeadLetter', 'cp_dead_letter_messages_total'],
    ['/ready failing', 'ClientPortalNotReady', 'cp_ready'],
  ])('alerts on %s', (_what, alert, metric) => {
    const rule = rules.find((r) => r.alert === alert);
    expect(rule).toBeDefined();
    expect(metricNames(String(rule?.expr))).toContain(metric);
  });

  it('alerts on email failures above 5 % held for 15 minutes, and lag growing for 10', () => {
    const email = rules.find((r) => r.alert === 'ClientPortalEmailFailures');
    expect(String(email?.expr)).toMatch(/>\s*0\.05\s*$/);
    expect(email?.for).toBe('15m');
    expect(rules.find((r) => r.alert === 'ClientPortalConsumerLagGrowing')?.for).toBe('10m');
    expect(String(rules.find((r) => r.alert === 'ClientPortalOutboxStuck')?.expr)).toMatch(/>\s*60\s*$/);
  });
});
