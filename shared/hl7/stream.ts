/**
 * HL7 v2 validated block by block, for the streaming path. The caller cuts
 * blocks where a segment starts (`segmentStartBefore`), so a block holds
 * whole messages and envelope segments. The FHS/BHS/BTS/FTS envelope is
 * tracked here, across blocks, with the same rules as `framing.ts`; the
 * messages between envelope segments go through `validateHl7` unchanged.
 */
import type { RecordVerdict, ValidationIssue } from '../validation/types.ts';
import { type BatchState, closeOpenEnvelopes, onEnvelope } from './framing.ts';
import { fileIssue } from './issues.ts';
import { validateHl7 } from './validate.ts';

const CR = 0x0d;
const LF = 0x0a;
const VT = 0x0b;
const FS = 0x1c;
const ENVELOPE = ['FHS', 'BHS', 'BTS', 'FTS'] as const;
const MESSAGE_HEADS = ['MSH', ...ENVELOPE] as const;

interface Range {
  start: number;
  end: number;
}

export class Hl7Stream {
  private readonly map: boolean;
  private index = 0;
  private byte = 0;
  private readonly batch: BatchState = {
    inFile: false,
    inBatch: false,
    messagesInBatch: 0,
    batchesInFile: 0,
    issues: [],
  };
  /** File warnings of every block, once per rule and location. */
  private readonly fileIssues = new Map<string, ValidationIssue>();

  constructor(options: { map: boolean }) {
    this.map = options.map;
  }

  block(bytes: Uint8Array): RecordVerdict[] {
    const records: RecordVerdict[] = [];
    if (this.byte === 0 && bytes[0] === 0xef && bytes[1] === 0xbb) {
      const message =
        'A UTF-8 byte-order mark precedes the first segment; it was ignored.';
      const bom = fileIssue('byte_order_mark', 'warning', 'byte 0', message);
      this.fileIssues.set('byte_order_mark@byte 0', bom);
    }
    let from = 0;
    for (const segment of envelopeSegments(bytes)) {
      records.push(
        ...this.messages(bytes, { start: from, end: segment.start }),
      );
      onEnvelope(segment.name, bytes, segment, this.batch);
      from = segment.end;
    }
    records.push(...this.messages(bytes, { start: from, end: bytes.length }));
    this.byte += bytes.length;

    return records;
  }

  finish(): ValidationIssue[] {
    closeOpenEnvelopes(this.batch);
    const issues = [...this.fileIssues.values(), ...this.batch.issues];
    if (this.index === 0) {
      const message = 'The file holds no HL7 segments.';
      issues.push(fileIssue('empty_file', 'error', 'file', message));
    }
    return issues;
  }

  private messages(bytes: Uint8Array, range: Range): RecordVerdict[] {
    if (!hasContent(bytes, range)) return [];
    const piece = bytes.subarray(range.start, range.end);
    const result = validateHl7(piece, { map: this.map });
    for (const item of result.fileIssues) {
      if (item.rule === 'empty_file') continue;
      this.fileIssues.set(`${item.rule}@${item.location}`, item);
    }
    const offset = this.byte + range.start;
    const records = result.records.map((record) => this.place(record, offset));
    if (this.batch.inBatch) this.batch.messagesInBatch += records.length;

    return records;
  }

  /** Renumbers a record of one piece as a record of the whole file. */
  private place(record: RecordVerdict, offset: number): RecordVerdict {
    const index = this.index++;
    const span = record.span && {
      start: record.span.start + offset,
      end: record.span.end + offset,
    };
    const issues = record.issues.map((item) => ({ ...item, record: index }));

    return { ...record, index, location: `message ${index + 1}`, issues, span };
  }
}

/**
 * The offset, at or before `limit`, where the last segment starting a
 * message or an envelope begins, so that [0, offset) holds whole messages.
 * Returns 0 when there is none.
 */
export function segmentStartBefore(bytes: Uint8Array, limit: number): number {
  const buffer = asBuffer(bytes);
  let best = 0;
  for (const head of MESSAGE_HEADS) {
    let at = buffer.lastIndexOf(head, limit);
    while (at > best && !startsSegment(bytes, at)) {
      at = buffer.lastIndexOf(head, at - 1);
    }
    if (at > best) best = at;
  }
  return frameStartBefore(buffer, best);
}

/**
 * Moves a cut inside an MLLP frame back to where the frame starts, so every
 * block sees whole frames and `framing.ts` can tell a frame that lost its
 * end block (cut off) from one that continues in the next block.
 */
function frameStartBefore(buffer: Buffer, at: number): number {
  if (at === 0) return 0;
  const start = buffer.lastIndexOf(VT, at - 1);
  if (start === -1 || buffer.lastIndexOf(FS, at - 1) > start) return at;

  return start;
}

function envelopeSegments(bytes: Uint8Array) {
  const buffer = asBuffer(bytes);
  const found: (Range & { name: string })[] = [];
  for (const name of ENVELOPE) {
    for (let at = buffer.indexOf(name); at !== -1; ) {
      if (startsSegment(bytes, at)) {
        found.push({ name, start: at, end: segmentEnd(bytes, at) });
      }
      at = buffer.indexOf(name, at + 3);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function startsSegment(bytes: Uint8Array, at: number): boolean {
  if (at === 0) return true;
  const before = bytes[at - 1];
  if (before === CR || before === LF || before === VT) return true;
  // The first segment of a file may follow a UTF-8 byte-order mark.
  return at === 3 && bytes[0] === 0xef && bytes[1] === 0xbb;
}

function segmentEnd(bytes: Uint8Array, at: number): number {
  for (let i = at; i < bytes.length; i++) {
    if (bytes[i] === CR || bytes[i] === LF) return i;
  }
  return bytes.length;
}

/** Anything but whitespace, MLLP frame bytes and a byte-order mark. */
function hasContent(bytes: Uint8Array, range: Range): boolean {
  for (let i = range.start; i < range.end; i++) {
    const b = bytes[i] as number;
    if (b > 0x20 && b !== 0xef && b !== 0xbb && b !== 0xbf) return true;
  }
  return false;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
