import type { BlobStore } from '../adapters/blob-store.ts';
import type {
  DropFormat,
  QuarantinePolicy,
  RecordVerdict,
  ValidationIssue,
} from '../validation/types.ts';
import { ObjectSink } from './sink.ts';

/**
 * The quarantine report: machine-readable, one per drop, enough for a feed
 * owner to fix the feed without seeing the data. It names rules, locations
 * and counts, never values; operators may read it.
 *
 * `rejectedRecords` lists the records that failed on their own. When the
 * whole drop is rejected for a reason only the end tells (a file-level
 * error, or one bad record under the `drop` policy), the records that
 * passed are quarantined with the file and counted in `records`, not listed.
 */
export interface QuarantineReport {
  schemaVersion: 1;
  dropId: string;
  source: RawSource;
  rejectedRecords: Array<{
    index: number;
    location: string;
    issues: ValidationIssue[];
  }>;
  format: DropFormat;
  policy: QuarantinePolicy;
  outcome: 'rejected' | 'partially-accepted';
  records: RecordCounts;
  fileIssues: ValidationIssue[];
  /** Where the rejected bytes are kept, in this bucket. */
  dataKey: string;
}

export interface RawSource {
  bucket: string;
  key: string;
  versionId?: string;
}

export interface RecordCounts {
  in: number;
  staged: number;
  quarantined: number;
}

export type ReportSummary = Pick<
  QuarantineReport,
  'format' | 'policy' | 'outcome' | 'records' | 'fileIssues'
>;

export function reportKey(dropId: string): string {
  return `${dropId}/report.json`;
}

/**
 * Counts per rule and severity, the manifest's summary of the report: file
 * issues first, then record issues in the order first met.
 */
export class IssueTally {
  private readonly counts = new Map<
    string,
    { rule: string; severity: string; count: number }
  >();

  add(issues: ValidationIssue[]): void {
    for (const issue of issues) {
      const id = `${issue.severity}:${issue.rule}`;
      const entry = this.counts.get(id) ?? {
        rule: issue.rule,
        severity: issue.severity,
        count: 0,
      };
      entry.count++;
      this.counts.set(id, entry);
    }
  }

  summary(fileIssues: ValidationIssue[]) {
    const all = new IssueTally();
    all.add(fileIssues);
    for (const [id, entry] of this.counts) {
      const known = all.counts.get(id);
      if (known) known.count += entry.count;
      else all.counts.set(id, { ...entry });
    }
    return [...all.counts.values()];
  }
}

/**
 * Keeps the rejected part of a drop as the records arrive: their bytes, cut
 * from the input, in `<drop>/rejected/<file>`, and the report, both
 * streamed. A drop rejected whole is copied server-side, byte for byte, to
 * `<drop>/raw/<key>` (so is a partly rejected one whose records came
 * without their byte range); the whole raw file of a partly accepted drop
 * is archived after curation as well.
 */
export class QuarantineWriter {
  private readonly store: BlobStore;
  private readonly bucket: string;
  private readonly dropId: string;
  private readonly source: RawSource;
  private data: ObjectSink | undefined;
  private report: ObjectSink | undefined;
  private listed = 0;
  /** A rejected record came without its bytes: keep the whole file. */
  private uncut = false;

  constructor(
    store: BlobStore,
    bucket: string,
    drop: { dropId: string; source: RawSource },
  ) {
    this.store = store;
    this.bucket = bucket;
    this.dropId = drop.dropId;
    this.source = drop.source;
  }

  async reject(record: RecordVerdict, bytes?: Uint8Array): Promise<void> {
    const entry = {
      index: record.index,
      location: record.location,
      issues: record.issues,
    };
    const report = await this.openReport();
    await report.write(`${this.listed++ ? ',' : ''}\n${indent(entry, 2)}`);
    if (!bytes || this.uncut) {
      this.uncut = true;
      return;
    }
    this.data ??= new ObjectSink(this.store, this.bucket, this.rejectedKey());
    await this.data.write(bytes);
    await this.data.write('\n');
  }

  /** Completes the data and the report; returns where each is. */
  async finish(summary: ReportSummary): Promise<{ dataKey: string }> {
    const whole = summary.outcome === 'rejected';
    const dataKey = whole ? this.rawKey() : this.rejectedKey();
    if (whole || this.uncut) {
      await this.data?.abort();
      if (this.data && whole) {
        await this.store.delete(this.bucket, this.rejectedKey());
      }
      await this.store.copy(this.source, { bucket: this.bucket, key: dataKey });
    } else {
      await this.data?.end();
    }
    const report = await this.openReport();
    const tail = { ...summary, dataKey };
    const members = Object.entries(tail).map(([name, value]) =>
      member(name, value),
    );
    await report.write(
      `${this.listed ? '\n  ' : ''}],\n${members.join(',\n')}\n}`,
    );
    await report.end();

    return { dataKey };
  }

  async abort(): Promise<void> {
    await Promise.all([this.data?.abort(), this.report?.abort()]);
  }

  /** Opens the report and writes what is known before the first record. */
  private async openReport(): Promise<ObjectSink> {
    if (this.report) return this.report;
    this.report = new ObjectSink(
      this.store,
      this.bucket,
      reportKey(this.dropId),
      { contentType: 'application/json' },
    );
    const head = [
      member('schemaVersion', 1),
      member('dropId', this.dropId),
      member('source', this.source),
    ];
    await this.report.write(`{\n${head.join(',\n')},\n  "rejectedRecords": [`);

    return this.report;
  }

  private rawKey(): string {
    return `${this.dropId}/raw/${this.source.key}`;
  }

  private rejectedKey(): string {
    const fileName = this.source.key.split('/').pop() || 'drop';
    return `${this.dropId}/rejected/${fileName}`;
  }
}

/** One member of the report object, laid out as JSON.stringify(_, null, 2). */
function member(name: string, value: unknown): string {
  return `  ${JSON.stringify(name)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}`;
}

function indent(value: unknown, levels: number): string {
  const pad = '  '.repeat(levels);
  return pad + JSON.stringify(value, null, 2).replaceAll('\n', `\n${pad}`);
}
