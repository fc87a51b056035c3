/**
 * Turns one framed message (byte ranges of its segments) into a parsed
 * message: delimiters from MSH-1/MSH-2, character set from MSH-18, then
 * segment text checked for control bytes that framing must not hide.
 */

import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import type { Severity, ValidationIssue } from '../validation/types.ts';
import {
  chooseEncoding,
  decodeBytes,
  escapeCharset,
  type TextEncodingName,
} from './charset.ts';
import type { ByteRange, MessageUnit } from './framing.ts';
import { recordIssue } from './issues.ts';
import {
  type Delimiters,
  HEX_ESCAPE,
  hexText,
  type ParsedMessage,
  parseSegments,
  readDelimiters,
} from './parse.ts';

export interface DecodedMessage {
  parsed?: ParsedMessage;
  issues: ValidationIssue[];
}

/** A name outside this shape may be data, so it never goes in a location. */
export const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control bytes is the point of this pattern.
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: what FHIR text forbids: below U+0020 but tab, LF and CR.
const FORBIDDEN_CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;

export function decodeMessage(
  bytes: Uint8Array,
  unit: MessageUnit,
  crTerminated: boolean,
  index: number,
): DecodedMessage {
  const fail = (rule: string, location: string, message: string) => ({
    issues: [recordIssue(index, rule, 'error', location, message)],
  });
  const first = unit.segments[0];
  if (!unit.startsWithMsh || first === undefined) {
    return fail(
      'msh_missing',
      'segment 1',
      'The message does not start with an MSH segment.',
    );
  }
  const msh = latin1(bytes, first);
  const delimiters = readDelimiters(msh);
  if (delimiters === undefined) {
    return fail(
      'encoding_characters_invalid',
      'MSH-2',
      'MSH-1/MSH-2 do not hold usable, distinct delimiters.',
    );
  }

  const body = bytes.subarray(unit.span.start, unit.span.end);
  const declared = declaredCharset(msh, delimiters);
  const decision = chooseEncoding(body, declared);
  const issues: ValidationIssue[] = [];
  if (decision.finding) {
    const { rule, severity, message } = decision.finding;
    issues.push(recordIssue(index, rule, severity, 'MSH-18', message));
  }
  if (!delimiters.escape || !delimiters.subcomponent) {
    // Every version defines four encoding characters; with fewer, escapes
    // or subcomponents in this message cannot be told from data.
    const message =
      'MSH-2 holds fewer than the four encoding characters; escapes or subcomponents are read as data.';
    issues.push(
      recordIssue(
        index,
        'encoding_characters_incomplete',
        'warning',
        'MSH-2',
        message,
      ),
    );
  }
  if (decision.encoding === undefined) return { issues };

  const texts = decodeSegments(bytes, unit.segments, decision.encoding);
  delimiters.charset = escapeCharset(declared, decision.encoding);
  const parsed = {
    delimiters,
    segments: parseSegments(texts, delimiters),
    contentHash: contentHash(bytes, unit),
  };
  issues.push(...controlIssues(texts, parsed, crTerminated, index));

  return { parsed, issues };
}

function contentHash(bytes: Uint8Array, unit: MessageUnit): string {
  const first = unit.segments[0]?.start ?? 0;
  const last = unit.segments.at(-1)?.end ?? first;
  // One-shot hash(): no Hash object per message, as with createHash.
  return hash('sha256', bytes.subarray(first, last), 'hex');
}

function latin1(bytes: Uint8Array, range: ByteRange): string {
  return Buffer.from(
    bytes.buffer,
    bytes.byteOffset + range.start,
    range.end - range.start,
  ).toString('latin1');
}

/** MSH-18, first repetition, first component, read from the ASCII bytes. */
function declaredCharset(msh: string, d: Delimiters): string {
  const raw = msh.split(d.field)[17] ?? '';
  const first = raw.split(d.repetition)[0] ?? '';

  return first.split(d.component)[0] ?? '';
}

function decodeSegments(
  bytes: Uint8Array,
  ranges: readonly ByteRange[],
  encoding: TextEncodingName,
): string[] {
  const view = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  return ranges.map((range) =>
    decodeBytes(view, range.start, range.end, encoding),
  );
}

/**
 * A control byte inside a segment points to corruption or a broken frame, so
 * it is an error; a raw LF in a CR-terminated file is free text, a warning.
 */
function controlIssues(
  texts: readonly string[],
  parsed: ParsedMessage,
  crTerminated: boolean,
  index: number,
): ValidationIssue[] {
  // This runs on every segment and nearly always finds nothing, so nothing
  // is allocated per segment until something is found.
  const issues: ValidationIssue[] = [];
  const d = parsed.delimiters;
  const hexMark = d.escape === '' ? '' : `${d.escape}X`;
  texts.forEach((text, i) => {
    const segment = parsed.segments[i];
    if (segment === undefined) return;
    const found = findControls(text, crTerminated);
    const escaped =
      hexMark !== '' && text.includes(hexMark)
        ? hexEscapeFinding(text, d)
        : undefined;
    if (escaped) found.push(escaped);
    for (const { rule, severity, at, message } of found) {
      const field = fieldOf(text, at, d);
      const where = fieldLocation(segment.name, segment.repetition, field);
      issues.push(recordIssue(index, rule, severity, where, message));
    }
  });

  return issues;
}

interface ControlFinding {
  rule: string;
  severity: Severity;
  at: number;
  message: string;
}

function findControls(text: string, crTerminated: boolean): ControlFinding[] {
  const found: ControlFinding[] = [];
  const control = CONTROL.exec(text);
  if (control) {
    const message = `Control byte 0x${hexByte(control[0])} inside a segment.`;
    found.push({
      rule: 'control_character_in_segment',
      severity: 'error',
      at: control.index,
      message,
    });
  }
  const lf = crTerminated ? text.indexOf('\n') : -1;
  if (lf !== -1) {
    const message =
      'A raw line feed sits inside a field; it is kept as a line break.';
    found.push({
      rule: 'raw_newline_in_field',
      severity: 'warning',
      at: lf,
      message,
    });
  }

  return found;
}

/**
 * The first `\Xhh..\` escape that decodes to a control character other
 * than tab, CR and LF, or whose bytes are not UTF-8 in a UTF-8 message.
 * Escapes pair up as `decodeEscapes` pairs them, so an escaped escape
 * character (`\E\`) is not taken for the start of one. Only called for
 * text that holds the escape character followed by X.
 */
function hexEscapeFinding(
  text: string,
  d: Delimiters,
): ControlFinding | undefined {
  const mark = d.escape;
  for (let open = text.indexOf(mark); open !== -1; ) {
    const close = text.indexOf(mark, open + 1);
    if (close === -1) return undefined;
    const problem = hexEscapeProblem(text.slice(open + 1, close), d);
    if (problem) return { ...problem, severity: 'error', at: open };
    open = text.indexOf(mark, close + 1);
  }
  return undefined;
}

function hexEscapeProblem(
  code: string,
  d: Delimiters,
): { rule: string; message: string } | undefined {
  if (!HEX_ESCAPE.test(code)) return undefined;
  const hex = code.slice(1);
  if (d.charset === 'utf8' && !isUtf8(Buffer.from(hex, 'hex'))) {
    const message =
      'A \\X..\\ escape holds bytes that are not UTF-8 in a UTF-8 message.';
    return { rule: 'charset_mismatch', message };
  }
  if (FORBIDDEN_CONTROL.test(hexText(hex, d.charset))) {
    const message =
      'A \\X..\\ escape encodes a control character, which FHIR text forbids.';
    return { rule: 'escaped_control_character', message };
  }
  return undefined;
}

function hexByte(char: string): string {
  return char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
}

function fieldOf(text: string, at: number, d: Delimiters): number {
  let count = 0;
  for (
    let i = text.indexOf(d.field);
    i !== -1 && i < at;
    i = text.indexOf(d.field, i + 1)
  ) {
    count += 1;
  }
  return text.startsWith('MSH') ? count + 1 : count;
}

/** `MSH-9`, `PID[1]-7`, `OBX[3]-5.1`: position only, never a value. */
export function fieldLocation(
  name: string,
  repetition: number,
  field?: number,
  component?: number,
): string {
  const segment = !SEGMENT_NAME.test(name)
    ? 'segment'
    : name === 'MSH'
      ? 'MSH'
      : `${name}[${repetition}]`;
  if (field === undefined) return segment;
  const suffix = component === undefined ? '' : `.${component}`;

  return `${segment}-${field}${suffix}`;
}
