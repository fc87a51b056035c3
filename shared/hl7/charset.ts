/**
 * Decoding of one message by its declared character set (MSH-18). The MSH
 * bytes are read as ASCII to find the declaration, then the whole message is
 * decoded. A wrong or missing declaration never turns into a silent U+FFFD:
 * it is inferred with a warning or rejected with an error.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { Severity } from '../validation/types.ts';

export type TextEncodingName =
  | 'latin1'
  | 'utf8'
  | 'windows-1252'
  | `iso-8859-${number}`;

export interface CharsetFinding {
  rule: string;
  severity: Severity;
  message: string;
}

export interface CharsetDecision {
  encoding: TextEncodingName | undefined;
  finding?: CharsetFinding;
}

const UTF8_NAMES = new Set(['UNICODE UTF-8', 'UTF-8', 'UNICODE']);

/** Chooses how to decode `bytes`, given MSH-18 as written (may be empty). */
export function chooseEncoding(
  bytes: Uint8Array,
  declared: string,
): CharsetDecision {
  const name = declared.trim().toUpperCase();
  if (isAscii(bytes)) {
    return isKnownCharset(name) ? { encoding: 'latin1' } : unsupported();
  }
  if (name === '' || name === 'ASCII') return inferEncoding(bytes, name);
  if (UTF8_NAMES.has(name)) return declaredUtf8(bytes);

  const latin = /^8859\/(\d{1,2})$/.exec(name);
  if (latin?.[1] === undefined) return unsupported();
  if (isUtf8(bytes)) {
    return {
      encoding: undefined,
      finding: {
        rule: 'charset_mismatch',
        severity: 'error',
        message: 'MSH-18 declares ISO-8859 but the bytes are multi-byte UTF-8.',
      },
    };
  }
  const encoding: TextEncodingName =
    latin[1] === '1' ? 'latin1' : `iso-8859-${Number(latin[1])}`;

  return canDecode(encoding) ? { encoding } : unsupported();
}

/**
 * The character set of the message's `\Xhh\` escapes: the declared one, or
 * what its 8-bit bytes were read as; undefined for undeclared ASCII.
 */
export function escapeCharset(
  declared: string,
  decided: TextEncodingName,
): TextEncodingName | undefined {
  const name = declared.trim().toUpperCase();
  if (UTF8_NAMES.has(name)) return 'utf8';
  const part = /^8859\/(\d{1,2})$/.exec(name)?.[1];
  if (part !== undefined) {
    return part === '1' ? 'latin1' : `iso-8859-${Number(part)}`;
  }
  return decided === 'latin1' ? undefined : decided;
}

function isKnownCharset(name: string): boolean {
  return (
    name === '' ||
    name === 'ASCII' ||
    UTF8_NAMES.has(name) ||
    /^8859\/\d{1,2}$/.test(name)
  );
}

function unsupported(): CharsetDecision {
  return {
    encoding: undefined,
    finding: {
      rule: 'charset_unsupported',
      severity: 'error',
      message: 'MSH-18 names a character set this pipeline does not decode.',
    },
  };
}

/**
 * No declaration (HL7 then means ASCII), or ASCII declared over 8-bit
 * bytes: anything we decode is a guess we report. Bytes that are not UTF-8
 * are read as windows-1252, what such senders almost always write: as
 * ISO-8859-1, its 0x80-0x9F (curly quotes, dashes, the euro sign) would
 * become C1 control characters in curated text.
 */
function inferEncoding(bytes: Uint8Array, declared: string): CharsetDecision {
  const utf8 = isUtf8(bytes);
  const decodedAs = utf8 ? 'UTF-8' : 'windows-1252';
  const finding: CharsetFinding =
    declared === 'ASCII'
      ? {
          rule: 'charset_not_ascii',
          severity: 'warning',
          message: `MSH-18 declares ASCII but the bytes are 8-bit; decoded as ${decodedAs}.`,
        }
      : {
          rule: 'charset_inferred',
          severity: 'warning',
          message: utf8
            ? 'Non-ASCII bytes without MSH-18; decoded as UTF-8.'
            : 'Non-ASCII bytes without MSH-18 are not UTF-8; decoded as windows-1252.',
        };

  return { encoding: utf8 ? 'utf8' : 'windows-1252', finding };
}

function declaredUtf8(bytes: Uint8Array): CharsetDecision {
  if (isUtf8(bytes)) return { encoding: 'utf8' };
  return {
    encoding: undefined,
    finding: {
      rule: 'charset_mismatch',
      severity: 'error',
      message: 'MSH-18 declares UTF-8 but the bytes are not valid UTF-8.',
    },
  };
}

/**
 * Decodes `bytes[start, end)`. Buffer's own decoders need no copy or view per
 * call, which matters at one call per segment.
 */
export function decodeBytes(
  bytes: Buffer,
  start: number,
  end: number,
  encoding: TextEncodingName,
): string {
  if (encoding === 'latin1' || encoding === 'utf8') {
    return bytes.toString(encoding, start, end);
  }
  return decoderFor(encoding)?.decode(bytes.subarray(start, end)) ?? '';
}

/**
 * The other ISO-8859 parts come from the runtime's ICU through TextDecoder
 * (Node.js and the Lambda runtime ship full ICU), which spares the Lambda
 * bundle the half megabyte of code tables a JavaScript codec library adds.
 * A part ICU does not know is unsupported.
 */
export function canDecode(encoding: TextEncodingName): boolean {
  return (
    encoding === 'latin1' ||
    encoding === 'utf8' ||
    decoderFor(encoding) !== undefined
  );
}

const decoders = new Map<
  string,
  InstanceType<typeof TextDecoder> | undefined
>();

function decoderFor(
  encoding: string,
): InstanceType<typeof TextDecoder> | undefined {
  if (!decoders.has(encoding)) {
    let decoder: InstanceType<typeof TextDecoder> | undefined;
    try {
      decoder = new TextDecoder(encoding);
    } catch {
      decoder = undefined;
    }
    decoders.set(encoding, decoder);
  }
  return decoders.get(encoding);
}
