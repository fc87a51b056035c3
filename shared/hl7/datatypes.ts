/**
 * Format checks for the HL7 v2 data types we validate, and the few code
 * tables whose values decide how a message is mapped.
 */

/**
 * A TS/DTM in parts, at the indexes a match of its pattern would give:
 * 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 second, 7 fraction (with
 * its dot), 8 zone; 0 is the whole value.
 */
export type TimestampParts = readonly (string | undefined)[];

/**
 * The parts of a TS/DTM, or undefined when it is not one. Read with a
 * character scan rather than a regular expression: timestamps sit in most
 * segments, and the pattern's nested optional groups showed in profiles.
 */
export function timestampParts(value: string): TimestampParts | undefined {
  const digits = digitsFrom(value, 0);
  if (digits < 4 || digits > 14 || digits % 2 !== 0) return undefined;
  let at = digits;
  let fraction: string | undefined;
  if (value[at] === '.' && digits === 14) {
    const end = digitsFrom(value, at + 1);
    if (end === at + 1 || end > at + 5) return undefined;
    fraction = value.slice(at, end);
    at = end;
  }
  let zone: string | undefined;
  const signed = value[at] === '+' || value[at] === '-';
  if (signed && digitsFrom(value, at + 1) === at + 5) {
    zone = value.slice(at, at + 5);
    at += 5;
  }
  if (at !== value.length) return undefined;
  const two = (from: number) =>
    from < digits ? value.slice(from, from + 2) : undefined;
  const parts = [
    value,
    value.slice(0, 4),
    two(4),
    two(6),
    two(8),
    two(10),
    two(12),
    fraction,
    zone,
  ];

  return hasValidRanges(parts) ? parts : undefined;
}

/** Where the run of ASCII digits that starts at `from` ends. */
function digitsFrom(value: string, from: number): number {
  let at = from;
  while (at < value.length) {
    const code = value.charCodeAt(at);
    if (code < 0x30 || code > 0x39) break;
    at += 1;
  }
  return at;
}

function hasValidRanges(parts: TimestampParts): boolean {
  const [, , month, day, hour, minute, second, , zone] = parts;
  return (
    inRange(month, 1, 12) &&
    inRange(day, 1, 31) &&
    inRange(hour, 0, 23) &&
    inRange(minute, 0, 59) &&
    inRange(second, 0, 59) &&
    (zone === undefined || isZone(zone))
  );
}

/** TS/DTM: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ], with real ranges. */
export function isTimestamp(value: string): boolean {
  return timestampParts(value) !== undefined;
}

/** `part` is two digits or absent; digits are read without Number(). */
function inRange(part: string | undefined, min: number, max: number): boolean {
  if (part === undefined) return true;
  const n = (part.charCodeAt(0) - 48) * 10 + (part.charCodeAt(1) - 48);
  return n >= min && n <= max;
}

function isZone(zone: string): boolean {
  return inRange(zone.slice(1, 3), 0, 14) && inRange(zone.slice(3), 0, 59);
}

/**
 * NM: optional sign, digits, optional decimal point and digits, within
 * what a double holds: 400 nines is no measurement, and as Infinity it
 * would poison every sum over the curated column.
 */
export function isNumeric(value: string): boolean {
  return (
    /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(value) &&
    Number.isFinite(Number(value))
  );
}

export const SUPPORTED_VERSIONS: ReadonlySet<string> = new Set([
  '2.1',
  '2.2',
  '2.3',
  '2.3.1',
  '2.4',
  '2.5',
  '2.5.1',
  '2.6',
  '2.7',
  '2.7.1',
  '2.8',
  '2.8.1',
  '2.8.2',
]);

/** HL7 table 0001, administrative sex (union of v2.1 to v2.8 values). */
export const ADMINISTRATIVE_SEX: ReadonlySet<string> = new Set([
  'F',
  'M',
  'O',
  'U',
  'A',
  'N',
  'C',
  'X',
]);

/** HL7 table 0103, processing id. */
export const PROCESSING_ID: ReadonlySet<string> = new Set(['P', 'T', 'D']);

/** HL7 table 0085, observation result status (union of versions). */
export const RESULT_STATUS: ReadonlySet<string> = new Set(
  'CDFIORSXPUWNA'.split(''),
);

/**
 * HL7 table 0125, value type. HL7 Terminology now defines it as every v2 data
 * type (table 0440); these are the ones an OBX-5 can reasonably carry.
 */
export const VALUE_TYPE: ReadonlySet<string> = new Set([
  'AD',
  'CE',
  'CF',
  'CK',
  'CN',
  'CNE',
  'CP',
  'CWE',
  'CX',
  'DR',
  'DT',
  'DTM',
  'ED',
  'FT',
  'GTS',
  'ID',
  'IS',
  'MA',
  'MO',
  'NA',
  'NM',
  'NR',
  'PN',
  'RP',
  'SN',
  'ST',
  'TM',
  'TN',
  'TS',
  'TX',
  'XAD',
  'XCN',
  'XON',
  'XPN',
  'XTN',
  'HD',
  'EI',
  'EIP',
  'CQ',
  'DLN',
  'PL',
  'SPS',
  'VR',
  'JCC',
  'CCD',
  'CD',
]);
