/**
 * FHIR NDJSON validated block by block, for the streaming path: each block
 * holds whole lines (the caller cuts at a line feed), and the file-level
 * rules that need every line (broken lines, empty file, an export log rather
 * than FHIR) are judged once, at the end.
 */
import type { RecordVerdict, ValidationIssue } from '../validation/types.ts';
import { inspectEncoding } from './decode.ts';
import { issue, RULES } from './issues.ts';
import { type NdjsonOrigin, validateNdjsonLines } from './ndjson.ts';

const LF = 0x0a;

export class NdjsonStream {
  private readonly fileName: string | undefined;
  private readonly origin: NdjsonOrigin = { line: 0, index: 0, byte: 0 };
  private readonly fileIssues: ValidationIssue[] = [];
  private brokenLines = 0;
  private typedRecords = 0;
  private unreadable = false;

  constructor(fileName: string | undefined) {
    this.fileName = fileName;
  }

  /** Validates one block of whole lines; the first block may hold a BOM. */
  block(bytes: Uint8Array): RecordVerdict[] {
    if (this.unreadable) return [];
    let start = 0;
    if (this.origin.byte === 0) {
      const encoding = inspectEncoding(bytes);
      this.fileIssues.push(...encoding.issues);
      this.unreadable = !encoding.readable;
      if (this.unreadable) return [];
      start = encoding.start;
    }
    const result = validateNdjsonLines(
      bytes,
      start,
      this.fileName,
      this.origin,
    );
    this.advance(bytes, result.records);
    this.brokenLines += result.brokenLines;

    return result.records;
  }

  /** File-level issues, once every block has been seen. */
  finish(): ValidationIssue[] {
    const issues = [...this.fileIssues];
    if (this.unreadable) return issues;
    if (this.origin.index === 0) {
      issues.push(issue(RULES.emptyFile, 'file', 'has no non-blank line'));
    }
    if (this.brokenLines > 0) {
      const lines =
        this.brokenLines === 1 ? '1 line is' : `${this.brokenLines} lines are`;
      const message = `${lines} not JSON (truncated or split resource); the whole file is quarantined`;
      issues.push(issue(RULES.ndjsonBrokenLines, 'file', message));
    }
    if (this.origin.index > 0 && this.typedRecords === 0) {
      const message =
        'has no line with a resourceType: not FHIR NDJSON (an export log?)';
      issues.push(issue(RULES.notFhir, 'file', message));
    }

    return issues;
  }

  private advance(bytes: Uint8Array, records: RecordVerdict[]): void {
    for (const record of records) {
      const untyped = record.issues.some(
        (item) => item.rule === RULES.missingResourceType,
      );
      if (!untyped) this.typedRecords++;
    }
    this.origin.index += records.length;
    this.origin.line += countLines(bytes);
    this.origin.byte += bytes.length;
  }
}

/** Lines in a block that ends with a line feed (or is the file's last). */
function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) {
    lines++;
  }
  return bytes[bytes.length - 1] === LF ? lines : lines + 1;
}
