import type { DropFormat } from './types.ts';

/**
 * Decides what a drop is from its first bytes, not its file name: feeds name
 * files freely, and a `.json` holding XML must be told apart from FHIR JSON.
 * Skips a UTF-8 byte-order mark, MLLP start-of-block and leading whitespace.
 */
export function detectFormat(bytes: Uint8Array): DropFormat {
  const head = firstContent(bytes);
  if (head.startsWith('MSH') || head.startsWith('FHS')) return 'hl7v2';
  if (head.startsWith('BHS')) return 'hl7v2';
  if (head.startsWith('{'))
    return looksLikeNdjson(bytes) ? 'fhir-ndjson' : 'fhir-json';
  return 'unknown';
}

const BOM = [0xef, 0xbb, 0xbf];
const SKIPPABLE = new Set([0x0b, 0x20, 0x09, 0x0a, 0x0d]);

function firstContent(bytes: Uint8Array): string {
  let start = 0;
  if (BOM.every((b, i) => bytes[i] === b)) start = 3;
  while (start < bytes.length && SKIPPABLE.has(bytes[start] as number)) start++;
  return Buffer.from(bytes.subarray(start, start + 8)).toString('latin1');
}

/** NDJSON: the first non-blank line is a complete JSON object by itself. */
function looksLikeNdjson(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.subarray(0, 1 << 20)).toString('utf8');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const nonBlank = lines.filter((line) => line.trim() !== '');
  if (nonBlank.length < 2) return false;
  try {
    JSON.parse(nonBlank[0] as string);
    return true;
  } catch {
    return false;
  }
}
