/**
 * Entry point of FHIR drop validation: decides between one resource, one
 * Bundle and NDJSON, validates every record and applies the quarantine
 * policy. Never throws: whatever the bytes, the caller gets a verdict.
 */
import type {
  DropFormat,
  DropValidation,
  QuarantinePolicy,
  RecordVerdict,
  ValidationIssue,
} from '../validation/types.ts';
import {
  decodeUtf8,
  type Encoding,
  firstContentByte,
  inspectEncoding,
  notUtf8,
} from './decode.ts';
import { hasError, issue, RULES } from './issues.ts';
import { parseJson } from './json.ts';
import { validateNdjsonLines } from './ndjson.ts';
import { isBundle, resourceRecord } from './record.ts';

export interface ValidateFhirOptions {
  fileName?: string;
  policy?: QuarantinePolicy;
}

const LT = 0x3c;
const NDJSON_NAME = /\.(ndjson|jsonl)$/i;

export function validateFhir(
  bytes: Uint8Array,
  options: ValidateFhirOptions = {},
): DropValidation {
  try {
    return validateDrop(bytes, options);
  } catch {
    // The contract is a verdict for any input; a bug or a pathological
    // input (nesting deep enough to exhaust the stack) must quarantine.
    const message = 'could not be validated (internal error); quarantined';
    const failure = issue(RULES.internalError, 'file', message);
    return { format: 'unknown', fileIssues: [failure], records: [] };
  }
}

function validateDrop(
  bytes: Uint8Array,
  options: ValidateFhirOptions,
): DropValidation {
  const encoding = inspectEncoding(bytes);
  if (!encoding.readable) return fileOnly('unknown', encoding.issues);
  if (NDJSON_NAME.test(options.fileName ?? '')) {
    return validateNdjson(bytes, encoding, options);
  }

  return validateJson(bytes, encoding, options);
}

function validateJson(
  bytes: Uint8Array,
  encoding: Encoding,
  options: ValidateFhirOptions,
): DropValidation {
  const fileIssues = [...encoding.issues];
  const first = firstContentByte(bytes, encoding.start, bytes.length);
  if (first === bytes.length) {
    const blank = issue(RULES.emptyFile, 'file', 'holds only whitespace');
    return fileOnly('unknown', [...fileIssues, blank]);
  }
  if (bytes[first] === LT) {
    const message = 'is XML; expected FHIR JSON (XML is not supported)';
    return fileOnly('unknown', [
      ...fileIssues,
      issue(RULES.notJson, 'file', message),
    ]);
  }
  const text = decodeUtf8(bytes, encoding.start, bytes.length);
  if (text === undefined)
    return fileOnly('unknown', [...fileIssues, notUtf8('file')]);
  const parsed = parseJson(text, 'file');
  if (!parsed.ok) {
    if (looksLikeNdjson(text)) return validateNdjson(bytes, encoding, options);
    return fileOnly('fhir-json', [...fileIssues, parsed.issue]);
  }
  const span = { start: encoding.start, end: bytes.length };
  const place = { index: 0, location: 'Bundle', span, prefix: '' };
  if (!isBundle(parsed.value)) place.location = 'resource';
  const record = resourceRecord(parsed.value, place, text);
  const format = isBundle(parsed.value) ? 'fhir-bundle' : 'fhir-json';

  return applyPolicy({ format, fileIssues, records: [record] }, 'drop');
}

/** Two or more lines, the first of them a complete JSON value on its own. */
function looksLikeNdjson(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length < 2) return false;

  return parseJson(lines[0] as string, 'line').ok;
}

function validateNdjson(
  bytes: Uint8Array,
  encoding: Encoding,
  options: ValidateFhirOptions,
): DropValidation {
  const fileIssues = [...encoding.issues];
  const { records, brokenLines } = validateNdjsonLines(
    bytes,
    encoding.start,
    options.fileName,
  );
  if (records.length === 0) {
    fileIssues.push(issue(RULES.emptyFile, 'file', 'has no non-blank line'));
  }
  if (brokenLines > 0) fileIssues.push(brokenFile(brokenLines));
  if (records.length > 0 && records.every(lacksResourceType)) {
    const message =
      'has no line with a resourceType: not FHIR NDJSON (an export log?)';
    fileIssues.push(issue(RULES.notFhir, 'file', message));
  }
  const drop = { format: 'fhir-ndjson' as const, fileIssues, records };

  return applyPolicy(drop, options.policy ?? 'record');
}

function brokenFile(count: number): ValidationIssue {
  const lines = count === 1 ? '1 line is' : `${count} lines are`;
  const message = `${lines} not JSON (truncated or split resource); the whole file is quarantined`;

  return issue(RULES.ndjsonBrokenLines, 'file', message);
}

function lacksResourceType(record: RecordVerdict): boolean {
  return record.issues.some((item) => item.rule === RULES.missingResourceType);
}

/**
 * A file-level error, or any rejected record under `drop`, rejects every
 * record: nothing of a suspect file is staged.
 */
function applyPolicy(
  drop: DropValidation,
  policy: QuarantinePolicy,
): DropValidation {
  const fileRejected = hasError(drop.fileIssues);
  const anyRejected = drop.records.some((record) => !record.accepted);
  if (!fileRejected && !(policy === 'drop' && anyRejected)) return drop;
  for (const record of drop.records) {
    record.accepted = false;
    record.resources = [];
  }

  return drop;
}

function fileOnly(
  format: DropFormat,
  fileIssues: ValidationIssue[],
): DropValidation {
  return { format, fileIssues, records: [] };
}
