import type { BlobStore } from '../adapters/blob-store.ts';
import type { QueryResultsReader } from '../adapters/query-results.ts';
import type { PipelineConfig } from '../config.ts';
import { type QualitySummary, updateManifest } from '../drop/manifest.ts';
import { QualityCheckFailedError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface EvaluateDeps {
  config: PipelineConfig;
  store: BlobStore;
  queryResults: QueryResultsReader;
  logger: Logger;
}

export interface EvaluateInput {
  dropId: string;
  ingestDate: string;
  queryExecutionId: string;
}

export function dqKey(ingestDate: string, dropId: string): string {
  return `results/ingest_date=${ingestDate}/${dropId}.json`;
}

/**
 * Reads every rule result of the quality query, stores them in the dq zone,
 * records them and the curated row counts on the manifest, and throws
 * QualityCheckFailed when a rule of severity error failed.
 */
export async function evaluateQuality(
  deps: EvaluateDeps,
  input: EvaluateInput,
): Promise<{ passed: boolean; rules: number; failedRules: number }> {
  const rules: QualitySummary['rules'] = [];
  for await (const row of deps.queryResults.rows(input.queryExecutionId)) {
    rules.push(ruleResult(row));
  }
  const summary: QualitySummary = {
    passed: rules.every((rule) => rule.passed || rule.severity !== 'error'),
    checkedAt: new Date().toISOString(),
    rules,
  };
  await deps.store.write(
    deps.config.buckets.dq,
    dqKey(input.ingestDate, input.dropId),
    JSON.stringify(
      { dropId: input.dropId, ingestDate: input.ingestDate, ...summary },
      null,
      2,
    ),
    { contentType: 'application/json' },
  );
  await updateManifest(
    deps.store,
    deps.config.buckets.manifests,
    input.dropId,
    (manifest) => {
      manifest.quality = summary;
      manifest.curated = { tables: curatedCounts(rules) };
    },
  );

  const failed = rules.filter((rule) => !rule.passed);
  deps.logger.info('quality checked', {
    passed: summary.passed,
    rules: rules.length,
    failed: failed.length,
  });
  if (!summary.passed) {
    const names = failed
      .filter((r) => r.severity === 'error')
      .map((r) => `${r.ruleId}(${r.table}${r.column ? `.${r.column}` : ''})`);
    throw new QualityCheckFailedError(
      `failed quality rules for drop ${input.dropId}: ${names.join(', ')}`,
    );
  }
  return { passed: true, rules: rules.length, failedRules: failed.length };
}

function ruleResult(
  row: Record<string, string | null>,
): QualitySummary['rules'][number] {
  const failed = Number(row.failed ?? 0);
  const expected =
    row.expected === null || row.expected === undefined
      ? undefined
      : Number(row.expected);
  return {
    ruleId: row.rule_id ?? 'unknown',
    table: row.table_name ?? '',
    ...(row.column_name ? { column: row.column_name } : {}),
    severity: row.severity ?? 'error',
    failed,
    observed: Number(row.observed ?? 0),
    ...(expected === undefined ? {} : { expected }),
    passed: failed === 0,
  };
}

function curatedCounts(rules: QualitySummary['rules']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const rule of rules) {
    if (rule.ruleId === 'row_count_matches_staged')
      counts[rule.table] = rule.observed;
  }
  return counts;
}
