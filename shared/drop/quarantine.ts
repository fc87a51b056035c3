import type { BlobStore } from '../adapters/blob-store.ts';
import { allIssues, type DropDecision } from '../validation/validate-drop.ts';
import type { ValidationIssue } from '../validation/types.ts';

/**
 * The quarantine report: machine-readable, one per drop, enough for a feed
 * owner to fix the feed without seeing the data. It names rules, locations
 * and counts, never values; operators may read it.
 */
export interface QuarantineReport {
  schemaVersion: 1;
  dropId: string;
  source: { bucket: string; key: string; versionId?: string };
  format: string;
  policy: string;
  outcome: 'rejected' | 'partially-accepted';
  records: { in: number; staged: number; quarantined: number };
  fileIssues: ValidationIssue[];
  rejectedRecords: Array<{
    index: number;
    location: string;
    issues: ValidationIssue[];
  }>;
  /** Where the rejected bytes are kept, in this bucket. */
  dataKey?: string;
}

export function buildReport(
  drop: { dropId: string; source: QuarantineReport['source'] },
  decision: DropDecision,
): QuarantineReport {
  const { validation } = decision;
  return {
    schemaVersion: 1,
    dropId: drop.dropId,
    source: drop.source,
    format: validation.format,
    policy: decision.policy,
    outcome: decision.accepted.length === 0 ? 'rejected' : 'partially-accepted',
    records: recordCounts(decision),
    fileIssues: validation.fileIssues,
    rejectedRecords: decision.rejected.map((record) => ({
      index: record.index,
      location: record.location,
      issues: record.issues,
    })),
  };
}

export function recordCounts(decision: DropDecision) {
  const total = decision.validation.records.length;
  return {
    in: total,
    staged: decision.accepted.length,
    quarantined: total - decision.accepted.length,
  };
}

/** Counts per rule and severity: the manifest's summary of the report. */
export function issueSummary(decision: DropDecision) {
  const counts = new Map<
    string,
    { rule: string; severity: string; count: number }
  >();
  for (const issue of allIssues(decision.validation)) {
    const id = `${issue.severity}:${issue.rule}`;
    const entry = counts.get(id) ?? {
      rule: issue.rule,
      severity: issue.severity,
      count: 0,
    };
    entry.count++;
    counts.set(id, entry);
  }
  return [...counts.values()];
}

export function reportKey(dropId: string): string {
  return `${dropId}/report.json`;
}

/**
 * Keeps the rejected part of a drop. A wholly rejected drop is moved here
 * byte for byte; for a partly accepted one the rejected records are cut out
 * of the input (the whole raw file is archived after curation as well).
 */
export async function writeQuarantine(
  store: BlobStore,
  bucket: string,
  report: QuarantineReport,
  raw: { bytes: Uint8Array; decision: DropDecision },
): Promise<QuarantineReport> {
  const whole = report.outcome === 'rejected';
  const fileName = report.source.key.split('/').pop() || 'drop';
  const dataKey = whole
    ? `${report.dropId}/raw/${report.source.key}`
    : `${report.dropId}/rejected/${fileName}`;
  const body = whole ? raw.bytes : rejectedBytes(raw.bytes, raw.decision);
  await store.write(bucket, dataKey, body);
  const final = { ...report, dataKey };
  await store.write(
    bucket,
    reportKey(report.dropId),
    JSON.stringify(final, null, 2),
    {
      contentType: 'application/json',
    },
  );

  return final;
}

function rejectedBytes(bytes: Uint8Array, decision: DropDecision): Uint8Array {
  const parts = decision.rejected.map((record) =>
    record.span
      ? bytes.subarray(record.span.start, record.span.end)
      : undefined,
  );
  if (parts.some((part) => part === undefined)) return bytes;

  return Buffer.concat(
    parts.flatMap((part) => [part as Uint8Array, Buffer.from('\n')]),
  );
}
