/**
 * Segment, field, repetition, component and subcomponent access for one
 * decoded message. Fields are split eagerly (cheap), everything below a field
 * lazily, so validation only pays for what it reads. Delimiters come from
 * MSH-1 and MSH-2 of the message, never from defaults.
 */
import { isUtf8 } from 'node:buffer';
import { decodeBytes, type TextEncodingName } from './charset.ts';

export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /**
   * The character set `\Xhh\` bytes are in: the message's own (MSH-18, or
   * what its 8-bit bytes were read as). Absent for an undeclared ASCII
   * message: each escape is then UTF-8 when valid, else windows-1252.
   */
  charset?: TextEncodingName;
}

export interface Segment {
  name: string;
  /** fields[n] is SEG-n, raw (still escaped); fields[0] is the name. */
  fields: string[];
  /** 1-based occurrence of this segment name within the message. */
  repetition: number;
}

export interface ParsedMessage {
  delimiters: Delimiters;
  segments: Segment[];
  /** SHA-256 (hex) of the message's bytes, when it was read from bytes. */
  contentHash?: string;
}

/** HL7 explicit null: the field is known to be empty, not merely absent. */
export const EXPLICIT_NULL = '""';

/** Reads MSH-1 and MSH-2; undefined when they cannot be delimiters. */
export function readDelimiters(msh: string): Delimiters | undefined {
  const field = msh[3];
  if (field === undefined || isAlphanumeric(field)) return undefined;
  const end = msh.indexOf(field, 4);
  const chars = msh.slice(4, end === -1 ? msh.length : end);
  const [component, repetition, escapeChar, subcomponent] = chars;
  if (component === undefined || repetition === undefined) return undefined;
  const all = [
    field,
    component,
    repetition,
    escapeChar ?? '',
    subcomponent ?? '',
  ];
  const used = all.filter((c) => c !== '');
  if (new Set(used).size !== used.length || used.some(isAlphanumeric)) {
    return undefined;
  }

  return {
    field,
    component,
    repetition,
    escape: escapeChar ?? '',
    subcomponent: subcomponent ?? '',
  };
}

function isAlphanumeric(char: string): boolean {
  return /^[A-Za-z0-9 ]$/.test(char);
}

/** Splits one segment's text into fields; MSH gets MSH-1 inserted. */
export function parseSegment(
  text: string,
  delimiters: Delimiters,
  repetition: number,
): Segment {
  const fields = text.split(delimiters.field);
  const name = fields[0] ?? '';
  if (name === 'MSH') fields.splice(1, 0, delimiters.field);

  return { name, fields, repetition };
}

/** Counts segments by name as they come, for `PID[2]`-style locations. */
export function parseSegments(
  texts: readonly string[],
  delimiters: Delimiters,
): Segment[] {
  const seen = new Map<string, number>();
  return texts.map((text) => {
    const name = text.slice(0, 3);
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return parseSegment(text, delimiters, count);
  });
}

export function rawField(segment: Segment, n: number): string {
  return segment.fields[n] ?? '';
}

/** The first repetition of field `n`, raw; '' when absent. */
export function firstRepetition(
  segment: Segment,
  d: Delimiters,
  n: number,
): string {
  return piece(rawField(segment, n), d.repetition, 0);
}

export function repetitions(raw: string, d: Delimiters): string[] {
  if (raw === '') return [];
  return raw.split(d.repetition);
}

export function components(raw: string, d: Delimiters): string[] {
  return raw.split(d.component);
}

export function subcomponents(raw: string, d: Delimiters): string[] {
  return d.subcomponent === '' ? [raw] : raw.split(d.subcomponent);
}

/**
 * The decoded value at field `n`, repetition `rep` (0-based), component `c`
 * and subcomponent `s` (1-based). Empty string when absent or explicit null.
 */
export function valueAt(
  segment: Segment,
  d: Delimiters,
  n: number,
  c = 1,
  s = 1,
  rep = 0,
): string {
  const raw = rawField(segment, n);
  if (raw === '') return '';

  return leaf(piece(raw, d.repetition, rep), d, c, s);
}

/** Component `c`, subcomponent `s` of an already selected repetition. */
export function leaf(repetition: string, d: Delimiters, c = 1, s = 1): string {
  const component = piece(repetition, d.component, c - 1);
  const sub = piece(component, d.subcomponent, s - 1);

  return sub === EXPLICIT_NULL ? '' : decodeEscapes(sub, d);
}

/**
 * The `index`-th (0-based) piece of `text` split by `separator`, found with
 * indexOf instead of split: mappers read many components of one value and
 * splitting each time dominated the profile.
 */
export function piece(text: string, separator: string, index: number): string {
  if (separator === '') return index === 0 ? text : '';
  let start = 0;
  for (let i = 0; i < index; i += 1) {
    const next = text.indexOf(separator, start);
    if (next === -1) return '';
    start = next + 1;
  }
  const end = text.indexOf(separator, start);

  return end === -1 ? text.slice(start) : text.slice(start, end);
}

const FORMATTING = new Set(['H', 'N']);
/** `\Xhh..\`: raw bytes, as hex pairs. */
export const HEX_ESCAPE = /^X(?:[0-9A-Fa-f]{2})+$/;

/**
 * Decodes HL7 escape sequences. `\.br\` becomes LF, our documented line-break
 * convention; highlighting and unknown sequences are dropped or kept as
 * written so that no text is invented.
 */
export function decodeEscapes(value: string, d: Delimiters): string {
  if (d.escape === '' || !value.includes(d.escape)) return value;
  let out = '';
  let pos = 0;
  while (pos < value.length) {
    const open = value.indexOf(d.escape, pos);
    const close = open === -1 ? -1 : value.indexOf(d.escape, open + 1);
    if (open === -1 || close === -1) break;
    out += value.slice(pos, open);
    out += expandEscape(value.slice(open + 1, close), d);
    pos = close + 1;
  }

  return out + value.slice(pos);
}

function expandEscape(code: string, d: Delimiters): string {
  switch (code) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case '.br':
      return '\n';
  }
  if (FORMATTING.has(code)) return '';
  if (HEX_ESCAPE.test(code)) return hexText(code.slice(1), d.charset);

  return `${d.escape}${code}${d.escape}`;
}

/**
 * `\Xhh\` carries bytes of the message's character set, not code points:
 * `\XC3A9\` is é in a UTF-8 message and Ã© in an ISO-8859-1 one. Bytes
 * that are not UTF-8 in a UTF-8 message are rejected by `message.ts`.
 */
export function hexText(
  hex: string,
  charset: TextEncodingName | undefined,
): string {
  const bytes = Buffer.from(hex, 'hex');
  const encoding = charset ?? (isUtf8(bytes) ? 'utf8' : 'windows-1252');

  return decodeBytes(bytes, 0, bytes.length, encoding);
}
