import { NdjsonStream } from '../fhir/stream.ts';
import { Hl7Stream, segmentStartBefore } from '../hl7/stream.ts';
import { detectFormat } from './detect.ts';
import type {
  DropFormat,
  QuarantinePolicy,
  RecordVerdict,
  ValidationIssue,
} from './types.ts';
import { defaultPolicy, validateDrop } from './validate-drop.ts';

/**
 * Validation in bounded memory: reads a drop as an `AsyncIterable` of byte
 * chunks, cuts it into blocks of whole records (NDJSON at a line feed, HL7 v2
 * where a message or envelope segment starts), validates each block with the
 * same validators as `validateDrop` and hands every record's verdict to
 * `onRecord` as soon as it is known. Memory is one block plus one chunk,
 * whatever the file size.
 *
 * Verdicts are per record; what only the end can tell (a batch trailer
 * count, broken NDJSON lines, the `drop` policy) comes back in the outcome
 * as `rejectAll`, and the caller then discards what it kept of the accepted
 * records: write, then discard.
 *
 * A single FHIR resource or Bundle is one JSON value and one record; it is
 * read whole and judged by `validateDrop`.
 */
export interface StreamOptions {
  fileName?: string;
  /** Overrides the default policy for the detected format. */
  policy?: QuarantinePolicy;
  /** Map HL7 v2 to FHIR (default true); false when only verdicts matter. */
  map?: boolean;
  /** Target block size; records longer than this make longer blocks. */
  blockBytes?: number;
  /** Largest single JSON value read whole (default 64 MiB). */
  wholeBytes?: number;
}

export interface StreamOutcome {
  format: DropFormat;
  policy: QuarantinePolicy;
  fileIssues: ValidationIssue[];
  records: { in: number; accepted: number; rejected: number };
  /** True when nothing of the drop may be staged, whatever the verdicts. */
  rejectAll: boolean;
  bytes: number;
}

/**
 * `bytes` is the record as read (its `span` of the input): a view into the
 * block, never overwritten, that keeps the block alive while it is held.
 */
export type OnRecord = (
  record: RecordVerdict,
  bytes?: Uint8Array,
) => void | Promise<void>;

/**
 * 256 KiB. A block's verdicts, parsed and mapped resources included, live
 * until the last of them is handed on, so they outlast young-generation GC
 * and pile up in old space until a full GC: on 1 GB files 4 MiB blocks
 * peaked at 210 MB RSS, 256 KiB blocks at 160 MB, and ran faster too
 * (`npm run bench`, streaming and intake tables).
 */
const DEFAULT_BLOCK = 256 * 1024;
/**
 * A single resource or Bundle is parsed whole, at several times its size in
 * memory: past this it is rejected unparsed, and the rest of it only counted.
 */
const WHOLE_BYTES = 64 * 1024 * 1024;
const DETECT_BYTES = 64 * 1024;
const NDJSON_NAME = /\.(ndjson|jsonl)$/i;
const LF = 0x0a;

interface Splitter {
  /** Where to cut `bytes` so the head holds whole records (0: not yet). */
  cut(bytes: Uint8Array): number;
  block(bytes: Uint8Array): RecordVerdict[];
  finish(): ValidationIssue[];
}

export async function validateStream(
  source: AsyncIterable<Uint8Array>,
  options: StreamOptions,
  onRecord: OnRecord,
): Promise<StreamOutcome> {
  const chunks = source[Symbol.asyncIterator]();
  const head = await readHead(chunks);
  const format = formatOf(head.bytes, options.fileName);
  const splitter = splitterFor(format, options);
  if (!splitter) return whole(head, chunks, { ...options, format }, onRecord);

  const counts = { in: 0, accepted: 0, rejected: 0 };
  /** Hands on each record of a block that starts at `offset` in the file. */
  const emit = async (block: Uint8Array, offset: number) => {
    for (const record of splitter.block(block)) {
      counts.in++;
      if (record.accepted) counts.accepted++;
      else counts.rejected++;
      await onRecord(record, spanOf(record, block, offset));
    }
  };
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK;
  const pending = new Pending(head.bytes);
  let total = head.bytes.length;
  let offset = 0;
  let done = head.done;
  let want = blockBytes;
  while (!done || pending.length > 0) {
    if (!done && pending.length < want) {
      const next = await chunks.next();
      done = next.done === true;
      if (!done) pending.push(next.value);
      if (!done) total += next.value.length;
      continue;
    }
    const bytes = pending.take();
    const at = done ? bytes.length : splitter.cut(bytes);
    // No boundary yet (a record longer than a block): read a block more.
    want = at === 0 ? bytes.length + blockBytes : blockBytes;
    if (at > 0) await emit(bytes.subarray(0, at), offset);
    offset += at;
    pending.push(bytes.subarray(at));
  }

  const fileIssues = splitter.finish();
  const policy = options.policy ?? defaultPolicy(format);
  const rejectAll =
    fileIssues.some((item) => item.severity === 'error') ||
    counts.in === 0 ||
    (policy === 'drop' && counts.rejected > 0);

  return {
    format,
    policy,
    fileIssues,
    records: counts,
    rejectAll,
    bytes: total,
  };
}

function spanOf(
  record: RecordVerdict,
  block: Uint8Array,
  offset: number,
): Uint8Array | undefined {
  const { span } = record;
  return span && block.subarray(span.start - offset, span.end - offset);
}

function formatOf(bytes: Uint8Array, fileName: string | undefined): DropFormat {
  const format = detectFormat(bytes);
  if (format === 'fhir-json' && NDJSON_NAME.test(fileName ?? '')) {
    return 'fhir-ndjson';
  }
  return format;
}

function splitterFor(
  format: DropFormat,
  options: StreamOptions,
): Splitter | undefined {
  if (format === 'hl7v2') {
    const hl7 = new Hl7Stream({ map: options.map ?? true });
    return {
      cut: (bytes) => segmentStartBefore(bytes, bytes.length - 1),
      block: (bytes) => hl7.block(bytes),
      finish: () => hl7.finish(),
    };
  }
  if (format === 'fhir-ndjson') {
    const ndjson = new NdjsonStream(options.fileName);
    return {
      cut: (bytes) => bytes.lastIndexOf(LF) + 1,
      block: (bytes) => ndjson.block(bytes),
      finish: () => ndjson.finish(),
    };
  }
  return undefined;
}

interface Head {
  bytes: Uint8Array;
  done: boolean;
}

async function readHead(chunks: AsyncIterator<Uint8Array>): Promise<Head> {
  let bytes: Uint8Array = new Uint8Array(0);
  while (bytes.length < DETECT_BYTES) {
    const next = await chunks.next();
    if (next.done) return { bytes, done: true };
    bytes = concat(bytes, next.value);
  }
  return { bytes, done: false };
}

/** One JSON value (or an unrecognised file): read whole, judged whole. */
async function whole(
  head: Head,
  chunks: AsyncIterator<Uint8Array>,
  options: StreamOptions & { format: DropFormat },
  onRecord: OnRecord,
): Promise<StreamOutcome> {
  const limit = options.wholeBytes ?? WHOLE_BYTES;
  const parts = [head.bytes];
  let total = head.bytes.length;
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    total += next.value.length;
    if (total <= limit) parts.push(next.value);
  }
  if (total > limit) return tooLarge(total, limit, options);
  const bytes = Buffer.concat(parts);
  const decision = validateDrop(bytes, options);
  for (const record of decision.validation.records) {
    await onRecord(record, spanOf(record, bytes, 0));
  }
  const { records } = decision.validation;

  return {
    format: decision.validation.format,
    policy: decision.policy,
    fileIssues: decision.validation.fileIssues,
    records: {
      in: records.length,
      accepted: decision.accepted.length,
      rejected: records.length - decision.accepted.length,
    },
    rejectAll: decision.accepted.length === 0,
    bytes: bytes.length,
  };
}

function tooLarge(
  bytes: number,
  limit: number,
  options: StreamOptions & { format: DropFormat },
): StreamOutcome {
  const message = `The file is read whole (one JSON value, or no stream of records) and is over ${limit} bytes; split it or send NDJSON.`;
  return {
    format: options.format,
    policy: options.policy ?? defaultPolicy(options.format),
    fileIssues: [
      {
        rule: 'json_value_too_large',
        severity: 'error',
        location: 'file',
        message,
      },
    ],
    records: { in: 0, accepted: 0, rejected: 0 },
    rejectAll: true,
    bytes,
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  return Buffer.concat([a, b]);
}

/** Chunks not yet validated, joined only when a block is taken. */
class Pending {
  private parts: Uint8Array[] = [];
  length = 0;

  constructor(first: Uint8Array) {
    this.push(first);
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.length += chunk.length;
  }

  take(): Uint8Array {
    const bytes =
      this.parts.length === 1
        ? (this.parts[0] as Uint8Array)
        : Buffer.concat(this.parts);
    this.parts = [];
    this.length = 0;

    return bytes;
  }
}
