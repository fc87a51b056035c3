/**
 * Byte-level framing of an HL7 v2 drop: byte-order mark, segment
 * terminators, MLLP envelope bytes and the FHS/BHS batch envelope. Works on
 * bytes because each message may declare its own character set (MSH-18); only
 * ASCII bytes are inspected here, so no decoding is needed yet.
 */
import type { ValidationIssue } from '../validation/types.ts';
import { fileIssue } from './issues.ts';

const CR = 0x0d;
const LF = 0x0a;
const VT = 0x0b;
const FS = 0x1c;
const BOM = [0xef, 0xbb, 0xbf] as const;

export interface ByteRange {
  start: number;
  end: number;
}

/** A segment, and whether MLLP start or end block bytes touched it. */
interface SegmentRange extends ByteRange {
  opensFrame: boolean;
  closesFrame: boolean;
}

/** The segments of one message (or of a headless run of segments). */
export interface MessageUnit {
  span: ByteRange;
  segments: ByteRange[];
  /** False when the run of segments did not start with MSH. */
  startsWithMsh: boolean;
  /**
   * True when the message lies in an MLLP frame (0x0B) that no end block
   * (0x1C) closes before the next frame or the end of the input: the
   * transfer was cut off, so the message may be incomplete.
   */
  frameIncomplete?: boolean;
}

export interface Framing {
  /** True when segments end with CR, so an LF inside a segment is data. */
  crTerminated: boolean;
  units: MessageUnit[];
  issues: ValidationIssue[];
}

export function frameMessages(bytes: Uint8Array): Framing {
  const issues: ValidationIssue[] = [];
  const from = hasBom(bytes) ? BOM.length : 0;
  if (from > 0) {
    issues.push(
      fileIssue(
        'byte_order_mark',
        'warning',
        'byte 0',
        'A UTF-8 byte-order mark precedes the first segment; it was ignored.',
      ),
    );
  }

  const split = splitSegments(bytes, from);
  issues.push(...terminatorIssues(split));
  if (split.mllp) {
    issues.push(
      fileIssue(
        'mllp_envelope_stripped',
        'warning',
        'file',
        'MLLP start/end block bytes frame the messages; they were stripped.',
      ),
    );
  }

  const grouped = groupMessages(bytes, split.segments);
  issues.push(...grouped.issues);

  return { crTerminated: split.crTerminated, units: grouped.units, issues };
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

interface SegmentSplit {
  segments: SegmentRange[];
  crTerminated: boolean;
  sawCrLf: boolean;
  sawLf: boolean;
  mllp: boolean;
}

/**
 * Splits on CR when the file holds any CR (dropping one LF right after it, so
 * CRLF counts once and an LF inside a field stays data); on LF otherwise.
 * Blank segments and MLLP frame bytes at segment edges are dropped.
 */
function splitSegments(bytes: Uint8Array, from: number): SegmentSplit {
  const crTerminated = bytes.indexOf(CR, from) !== -1;
  const terminator = crTerminated ? CR : LF;
  const out: SegmentSplit = {
    segments: [],
    crTerminated,
    sawCrLf: false,
    sawLf: !crTerminated && bytes.indexOf(LF, from) !== -1,
    mllp: false,
  };
  const frames = new FrameStarts(bytes);
  let pos = from;
  while (pos < bytes.length) {
    const next = bytes.indexOf(terminator, pos);
    const end = next === -1 ? bytes.length : next;
    const frame = frames.within(pos + 1, end);
    if (frame !== -1) {
      // A frame cut off mid-segment: the next frame starts right here.
      pushSegment(bytes, pos, frame, out);
      pos = frame;
      continue;
    }
    pushSegment(bytes, pos, end, out);
    pos = end + 1;
    if (crTerminated && bytes[pos] === LF) {
      out.sawCrLf = true;
      pos += 1;
    }
  }
  return out;
}

/** Start blocks followed by `MSH`, found in one pass over the input. */
class FrameStarts {
  private readonly bytes: Uint8Array;
  private next: number;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.next = this.find(0);
  }

  /** The first frame start in [from, to), or -1. */
  within(from: number, to: number): number {
    while (this.next !== -1 && this.next < from) {
      this.next = this.find(this.next + 1);
    }
    return this.next !== -1 && this.next < to ? this.next : -1;
  }

  private find(from: number): number {
    let at = this.bytes.indexOf(VT, from);
    while (at !== -1 && !this.startsMsh(at + 1)) {
      at = this.bytes.indexOf(VT, at + 1);
    }
    return at;
  }

  private startsMsh(at: number): boolean {
    const b = this.bytes;
    return b[at] === 0x4d && b[at + 1] === 0x53 && b[at + 2] === 0x48;
  }
}

function pushSegment(
  bytes: Uint8Array,
  rawStart: number,
  rawEnd: number,
  out: SegmentSplit,
): void {
  let start = rawStart;
  let end = rawEnd;
  let opensFrame = false;
  let closesFrame = false;
  // A frame boundary may leave an LF or a VT at the front of a segment.
  while (start < end && (bytes[start] === LF || bytes[start] === VT)) {
    if (bytes[start] === VT) opensFrame = true;
    start += 1;
  }
  if (end > start && bytes[end - 1] === FS) {
    closesFrame = true;
    end -= 1;
  }
  if (opensFrame || closesFrame) out.mllp = true;
  if (!isBlank(bytes, start, end)) {
    out.segments.push({ start, end, opensFrame, closesFrame });
  } else if (closesFrame) {
    // An end block alone on its line still closes the frame before it.
    const last = out.segments.at(-1);
    if (last) last.closesFrame = true;
  }
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== LF) return false;
  }
  return true;
}

function terminatorIssues(split: SegmentSplit): ValidationIssue[] {
  if (split.sawCrLf) {
    return [
      fileIssue(
        'non_standard_segment_terminator',
        'warning',
        'file',
        'Segments end with CRLF instead of CR.',
      ),
    ];
  }
  if (split.sawLf && split.segments.length > 0) {
    return [
      fileIssue(
        'non_standard_segment_terminator',
        'warning',
        'file',
        'Segments end with LF instead of CR.',
      ),
    ];
  }
  return [];
}

const ENVELOPE = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

export interface BatchState {
  inFile: boolean;
  inBatch: boolean;
  messagesInBatch: number;
  batchesInFile: number;
  issues: ValidationIssue[];
}

/** Every MSH starts a message; FHS/BHS/BTS/FTS never belong to one. */
function groupMessages(
  bytes: Uint8Array,
  segments: SegmentRange[],
): { units: MessageUnit[]; issues: ValidationIssue[] } {
  const units: MessageUnit[] = [];
  const batch: BatchState = {
    inFile: false,
    inBatch: false,
    messagesInBatch: 0,
    batchesInFile: 0,
    issues: [],
  };
  const frames = new FrameTracker();
  let current: MessageUnit | undefined;
  for (const segment of segments) {
    const name = segmentName(bytes, segment);
    if (segment.opensFrame) frames.open();
    if (ENVELOPE.has(name)) {
      current = undefined;
      onEnvelope(name, bytes, segment, batch);
    } else {
      if (name === 'MSH' || current === undefined) {
        current = {
          span: { start: segment.start, end: segment.end },
          segments: [],
          startsWithMsh: name === 'MSH',
        };
        units.push(current);
        frames.add(current);
        if (batch.inBatch) batch.messagesInBatch += 1;
      }
      current.segments.push({ start: segment.start, end: segment.end });
      current.span.end = segment.end;
    }
    if (segment.closesFrame) frames.close();
  }
  frames.open();
  closeOpenEnvelopes(batch);

  return { units, issues: batch.issues };
}

/**
 * MLLP frames as start and end blocks delimit them. A frame still open when
 * the next one starts, or when the input ends, lost its end block: its
 * messages are marked incomplete. Messages outside any frame are not
 * judged here (a file of bare messages has no frames at all).
 */
class FrameTracker {
  private members: MessageUnit[] | undefined;

  open(): void {
    for (const unit of this.members ?? []) unit.frameIncomplete = true;
    this.members = [];
  }

  add(unit: MessageUnit): void {
    this.members?.push(unit);
  }

  close(): void {
    this.members = undefined;
  }
}

function segmentName(bytes: Uint8Array, range: ByteRange): string {
  if (range.end - range.start < 3) return '';
  const at = range.start;

  return String.fromCharCode(
    bytes[at] ?? 0,
    bytes[at + 1] ?? 0,
    bytes[at + 2] ?? 0,
  );
}

export function onEnvelope(
  name: string,
  bytes: Uint8Array,
  segment: ByteRange,
  batch: BatchState,
): void {
  if (name === 'FHS') {
    batch.inFile = true;
    batch.batchesInFile = 0;
  } else if (name === 'BHS') {
    batch.inBatch = true;
    batch.messagesInBatch = 0;
    batch.batchesInFile += 1;
  } else if (name === 'BTS') {
    checkCount(bytes, segment, 'BTS-1', batch.messagesInBatch, batch);
    batch.inBatch = false;
  } else {
    checkCount(bytes, segment, 'FTS-1', batch.batchesInFile, batch);
    batch.inFile = false;
  }
}

/** The trailer count is the only guard against a truncated transfer. */
function checkCount(
  bytes: Uint8Array,
  segment: ByteRange,
  location: 'BTS-1' | 'FTS-1',
  found: number,
  batch: BatchState,
): void {
  const text = Buffer.from(
    bytes.buffer,
    bytes.byteOffset + segment.start,
    segment.end - segment.start,
  ).toString('latin1');
  const declared = (text.split(text[3] ?? '|')[1] ?? '').trim();
  if (declared === '') return;
  if (!/^\d+$/.test(declared)) {
    batch.issues.push(
      fileIssue(
        'batch_count_invalid',
        'error',
        location,
        'The batch trailer count is not a whole number.',
      ),
    );
    return;
  }
  if (Number(declared) !== found) {
    batch.issues.push(
      fileIssue(
        'batch_count_mismatch',
        'error',
        location,
        `The trailer count differs from the ${found} counted.`,
      ),
    );
  }
}

export function closeOpenEnvelopes(batch: BatchState): void {
  if (batch.inBatch) {
    batch.issues.push(
      fileIssue(
        'batch_trailer_missing',
        'error',
        'BTS',
        'A batch header has no BTS trailer; the transfer may be truncated.',
      ),
    );
  }
  if (batch.inFile) {
    batch.issues.push(
      fileIssue(
        'batch_trailer_missing',
        'error',
        'FTS',
        'A file header has no FTS trailer; the transfer may be truncated.',
      ),
    );
  }
}
