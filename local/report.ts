import { join } from 'node:path';
import type { Manifest } from '../shared/drop/manifest.ts';
import {
  type DeliveryResult,
  type ExecutionRecord,
  type LocalPipeline,
  rootOption,
} from './pipeline.ts';

/** What the run command knows about one landed file once everything ended. */
export interface DropReport {
  file: string;
  result: DeliveryResult;
  manifest?: Manifest;
  execution?: ExecutionRecord;
}

export type Outcome =
  | 'curated'
  | 'quarantined'
  | 'failed'
  | 'duplicate'
  | 'dead-lettered'
  | 'unaccounted';

export function outcomeOf(report: DropReport): Outcome {
  if (report.result.outcome === 'duplicate') return 'duplicate';
  if (report.result.outcome === 'dead-lettered') return 'dead-lettered';
  const status = report.manifest?.status;
  if (status === 'curated' || status === 'quarantined' || status === 'failed')
    return status;
  return 'unaccounted';
}

/** Workflow states grouped into the stages a person thinks in. */
const STAGES: Record<string, string[]> = {
  crawl: ['StartCrawler', 'WaitForCrawler', 'GetCrawler', 'IsCrawlerDone'],
  transform: ['RunGlueJob'],
  quality: ['BuildQualityQuery', 'RunQualityQuery', 'EvaluateQuality'],
  tier: ['TierRawFile'],
};

export function stageTimes(report: DropReport): Record<string, number> {
  const times: Record<string, number> = {};
  const validate = report.manifest?.timings.validate;
  if (validate !== undefined) times.validate = validate;
  const stageMs = report.execution?.stageMs ?? {};
  for (const [stage, states] of Object.entries(STAGES)) {
    const ms = states.reduce((sum, state) => sum + (stageMs[state] ?? 0), 0);
    if (states.some((state) => state in stageMs)) times[stage] = ms;
  }
  return times;
}

export function printDrop(report: DropReport): void {
  const m = report.manifest;
  const outcome = outcomeOf(report);
  console.log(
    `${report.file}  [${m?.format ?? '?'}]  ${outcome.toUpperCase()}`,
  );
  if (m?.validation) {
    const r = m.validation.records;
    const warnings = m.validation.issues.filter(
      (i) => i.severity === 'warning',
    );
    const errors = m.validation.issues.filter((i) => i.severity === 'error');
    console.log(
      `    records: ${r.in} in, ${r.staged} staged, ${r.quarantined} quarantined${summarise(' errors', errors)}${summarise(' warnings', warnings)}`,
    );
  }
  if (m?.curated) {
    const tables = Object.entries(m.curated.tables)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ');
    const when = outcome === 'duplicate' ? ' (by an earlier run)' : '';
    console.log(
      `    curated rows${when}: ${tables || 'none (no curated table for these resource types)'}`,
    );
  }
  if (m?.quality) {
    const failed = m.quality.rules.filter((rule) => !rule.passed);
    const names = failed.map(
      (rule) =>
        `${rule.ruleId}:${rule.table}${rule.column ? `.${rule.column}` : ''}`,
    );
    console.log(
      `    quality: ${m.quality.passed ? 'passed' : 'FAILED'} (${m.quality.rules.length} checks, ${failed.length} failed${names.length ? `: ${names.slice(0, 4).join(', ')}` : ''})`,
    );
  }
  if (report.result.outcome === 'dead-lettered')
    console.log(
      `    validate-drop threw ${report.result.error} on every attempt; the event is in dead-letter/`,
    );
  console.log(`    raw file: ${rawLocation(report)}`);
  if (m?.failure)
    console.log(
      `    failed at ${m.failure.stage}: ${m.failure.error} (alert sent)`,
    );
  const times = Object.entries(stageTimes(report))
    .map(([s, ms]) => `${s} ${ms} ms`)
    .join(', ');
  if (times) console.log(`    time: ${times}`);
}

function summarise(
  label: string,
  issues: Array<{ rule: string; count: number }>,
): string {
  if (issues.length === 0) return '';
  return `;${label}: ${issues.map((i) => `${i.rule} x${i.count}`).join(', ')}`;
}

function rawLocation(report: DropReport): string {
  const m = report.manifest;
  if (report.result.outcome === 'duplicate')
    return 'already handled (duplicate delivery)';
  if (report.result.outcome === 'dead-lettered') return 'kept in landing';
  if (m?.archive) return `archive/${m.archive.key} (${m.archive.storageClass})`;
  if (m?.status === 'quarantined' && m.quarantine) {
    return `quarantine/${m.quarantine.dataKey ?? ''} (report: quarantine/${m.quarantine.reportKey})`;
  }
  if (m) return `kept in landing/${m.source.key}`;
  return 'unknown';
}

export function printTotals(
  reports: DropReport[],
  pipeline: LocalPipeline,
  wallMs: number,
  files: number,
): Record<Outcome, number> {
  const totals: Record<Outcome, number> = {
    curated: 0,
    quarantined: 0,
    failed: 0,
    duplicate: 0,
    'dead-lettered': 0,
    unaccounted: 0,
  };
  const rows: Record<string, number> = {};
  for (const report of reports) {
    totals[outcomeOf(report)]++;
    for (const [table, n] of Object.entries(
      report.manifest?.curated?.tables ?? {},
    )) {
      rows[table] = (rows[table] ?? 0) + n;
    }
  }
  const root = pipeline.root;
  console.log('\nSummary');
  console.log(
    `  files: ${files}; drops: ${reports.length}; curated ${totals.curated}, quarantined ${totals.quarantined}, failed ${totals.failed}, duplicate ${totals.duplicate}, unaccounted ${totals.unaccounted}`,
  );
  console.log(
    `  dead-lettered: ${totals['dead-lettered']} (validate-drop threw on every attempt; the events are in ${join(root, 'dead-letter')})`,
  );
  console.log(
    `  curated rows of these drops, table totals (a duplicate's rows were curated by an earlier run): ${
      Object.entries(rows)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  console.log(
    `  crawler runs ${pipeline.counters.crawlerRuns}, Glue job runs ${pipeline.counters.jobRuns}, alerts ${pipeline.alerts.sent.length}`,
  );
  console.log(`  wall time: ${(wallMs / 1000).toFixed(1)} s`);
  console.log('\nWhere things are');
  console.log(
    `  curated tables (Parquet): ${join(root, 'curated')}/<table>/ingest_date=<date>/<drop>.parquet`,
  );
  console.log(`  quality results:          ${join(root, 'dq', 'results')}`);
  console.log(
    `  manifests:                ${join(root, 'manifests')}/<drop>.json`,
  );
  console.log(
    `  quarantine reports:       ${join(root, 'quarantine')}/<drop>/report.json`,
  );
  console.log(`  archived raw files:       ${join(root, 'archive')}`);
  console.log(`  alerts:                   ${pipeline.alerts.path}`);
  const query = ['npm run query --', rootOption(root)].filter(Boolean);
  console.log(
    `  query: ${query.join(' ')} "select gender, count(*) from patient group by 1"`,
  );

  return totals;
}
