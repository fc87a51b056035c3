/**
 * Bytes to text. FHIR JSON must be UTF-8 (RFC 8259 for exchanged JSON); a
 * UTF-8 byte-order mark is tolerated at offset 0 only, UTF-16 is refused
 * rather than guessed at, and invalid UTF-8 is refused rather than replaced
 * with U+FFFD, which would silently alter clinical text.
 */
import { isUtf8 } from 'node:buffer';
import type { ValidationIssue } from '../validation/types.ts';
import { issue, RULES } from './issues.ts';

export interface Encoding {
  /** Offset of the first content byte, past any byte-order mark. */
  start: number;
  issues: ValidationIssue[];
  /** False when the bytes cannot be read as UTF-8 at all. */
  readable: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

export function inspectEncoding(bytes: Uint8Array): Encoding {
  if (bytes.length === 0) {
    const empty = issue(RULES.emptyFile, 'file', 'is empty');
    return { start: 0, issues: [empty], readable: false };
  }
  const utf16 = utf16Variant(bytes);
  if (utf16 !== undefined) {
    const message = `is ${utf16}; FHIR JSON must be UTF-8`;
    const refused = issue(RULES.unsupportedEncoding, 'file', message);
    return { start: 0, issues: [refused], readable: false };
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const message = 'starts with a UTF-8 byte-order mark, which was stripped';
    const bom = issue(RULES.byteOrderMark, 'file', message, 'warning');
    return { start: 3, issues: [bom], readable: true };
  }

  return { start: 0, issues: [], readable: true };
}

/** A BOM, or NUL bytes around the first ASCII character, betray UTF-16. */
function utf16Variant(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  if (bytes.length < 2) return undefined;
  if (bytes[0] !== 0 && bytes[1] === 0) return 'UTF-16LE (no BOM)';
  if (bytes[0] === 0 && bytes[1] !== 0) return 'UTF-16BE (no BOM)';

  return undefined;
}

/**
 * Decoding line by line with a fatal TextDecoder costs as much as parsing;
 * checking the whole input once with `isUtf8` and slicing lines with
 * Buffer's decoder is several times cheaper and just as strict.
 */
export function utf8Reader(bytes: Uint8Array) {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const allValid = isUtf8(bytes);

  return (start: number, end: number): string | undefined => {
    if (allValid || isUtf8(bytes.subarray(start, end))) {
      return buffer.toString('utf8', start, end);
    }
    return undefined;
  };
}

/** Decodes a byte range, or returns undefined when it is not valid UTF-8. */
export function decodeUtf8(
  bytes: Uint8Array,
  start: number,
  end: number,
): string | undefined {
  try {
    return decoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** Index of the first non-whitespace byte in [start, end), or `end`. */
export function firstContentByte(
  bytes: Uint8Array,
  start: number,
  end: number,
): number {
  let at = start;
  while (at < end && WHITESPACE.has(bytes[at] as number)) at++;

  return at;
}

export function notUtf8(location: string): ValidationIssue {
  const message = 'is not valid UTF-8 (binary data or a legacy encoding)';

  return issue(RULES.unsupportedEncoding, location, message);
}
