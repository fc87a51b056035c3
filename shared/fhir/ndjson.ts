/**
 * FHIR Bulk Data NDJSON: one resource per line. Blank lines (a leading
 * newline from some `$export` servers, trailing LFs) are skipped; CRLF is
 * accepted. Lines are split on bytes so each record keeps its byte span.
 */
import type { RecordVerdict, ValidationIssue } from '../validation/types.ts';
import { firstContentByte, notUtf8, utf8Reader } from './decode.ts';
import { RESOURCE_TYPES } from './definitions.ts';
import { issue, RULES } from './issues.ts';
import { parseJson } from './json.ts';
import { type RecordPlace, resourceRecord, verdict } from './record.ts';

const LF = 0x0a;
const CR = 0x0d;

export interface NdjsonResult {
  records: RecordVerdict[];
  /** Lines that are not JSON at all: the file is truncated or mangled. */
  brokenLines: number;
}

/**
 * Where a block of lines sits in the whole file, for the streaming path: the
 * lines, records and bytes before it, so locations and spans stay global.
 */
export interface NdjsonOrigin {
  line: number;
  index: number;
  byte: number;
}

const FILE_START: NdjsonOrigin = { line: 0, index: 0, byte: 0 };

export function validateNdjsonLines(
  bytes: Uint8Array,
  start: number,
  fileName: string | undefined,
  origin: NdjsonOrigin = FILE_START,
): NdjsonResult {
  const claimedType = typeFromFileName(fileName);
  const read = utf8Reader(bytes);
  const records: RecordVerdict[] = [];
  let brokenLines = 0;
  let line = origin.line;
  for (let at = start; at <= bytes.length; ) {
    const newline = bytes.indexOf(LF, at);
    const end = newline < 0 ? bytes.length : newline;
    line++;
    const lineEnd = end > at && bytes[end - 1] === CR ? end - 1 : end;
    if (firstContentByte(bytes, at, lineEnd) < lineEnd) {
      const place = placeOf(origin.index + records.length, line, at, lineEnd);
      const record = lineRecord(read, place, claimedType, origin.byte);
      if (record.broken) brokenLines++;
      records.push(record.verdict);
    }
    at = end + 1;
  }

  return { records, brokenLines };
}

function placeOf(
  index: number,
  line: number,
  start: number,
  end: number,
): RecordPlace {
  const location = `line ${line}`;

  return { index, location, span: { start, end }, prefix: `${location}: ` };
}

function lineRecord(
  read: ReturnType<typeof utf8Reader>,
  local: RecordPlace,
  claimedType: string | undefined,
  byteOffset: number,
): { verdict: RecordVerdict; broken: boolean } {
  const text = read(local.span.start, local.span.end);
  const place = byteOffset === 0 ? local : shifted(local, byteOffset);
  if (text === undefined) {
    return { verdict: verdict(place, [notUtf8('')], []), broken: true };
  }
  const parsed = parseJson(text, '');
  if (!parsed.ok) {
    return { verdict: verdict(place, [parsed.issue], []), broken: true };
  }
  const record = resourceRecord(parsed.value, place, text);
  const mismatch = typeMismatch(parsed.value, claimedType, place);
  if (mismatch) record.issues.push(mismatch);

  return { verdict: record, broken: false };
}

function shifted(place: RecordPlace, byteOffset: number): RecordPlace {
  const { start, end } = place.span;
  const span = { start: start + byteOffset, end: end + byteOffset };

  return { ...place, span };
}

/** Bulk Data names files after their type: `Observation.000.ndjson`. */
function typeFromFileName(fileName: string | undefined): string | undefined {
  const base = fileName?.split(/[\\/]/).pop() ?? '';
  const type = /^[A-Za-z]+/.exec(base)?.[0];

  return type && RESOURCE_TYPES.has(type) ? type : undefined;
}

function typeMismatch(
  value: unknown,
  claimedType: string | undefined,
  place: RecordPlace,
): ValidationIssue | undefined {
  if (claimedType === undefined) return undefined;
  const type = (value as { resourceType?: unknown } | null)?.resourceType;
  if (typeof type !== 'string' || !RESOURCE_TYPES.has(type)) return undefined;
  if (type === claimedType) return undefined;
  const message =
    'differs from the type the file name claims; routed by resourceType';
  const warning = issue(
    RULES.resourceTypeDiffersFromFileName,
    `${place.prefix}resourceType`,
    message,
    'warning',
  );

  return { ...warning, record: place.index };
}
