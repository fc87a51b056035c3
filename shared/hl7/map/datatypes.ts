/**
 * HL7 v2 data types to FHIR R4 data types, after the HL7 v2-to-FHIR mapping
 * guidance (CX -> Identifier, XPN -> HumanName, XAD -> Address, XTN ->
 * ContactPoint, CWE/CE -> CodeableConcept, TS/DTM -> date/dateTime).
 * Each function takes one already selected repetition and returns undefined
 * when nothing meaningful is left, so empty elements never reach the output.
 */
import { codeTable } from '../code-table.ts';
import {
  isNumeric,
  type TimestampParts,
  timestampParts,
} from '../datatypes.ts';
import { type Delimiters, EXPLICIT_NULL, leaf } from '../parse.ts';

export type Json = Record<string, unknown>;

/** HL7 table 0203, identifier type. */
export const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
/** HL7 v3 RoleCode, for relationships and order location types. */
export const ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
export const US_SSN = 'http://hl7.org/fhir/sid/us-ssn';

/**
 * Drops undefined, empty strings and empty arrays/objects. When nothing is
 * dropped the object itself comes back rather than a copy (callers pass
 * fresh literals), which spares one allocation in most calls.
 */
export function compact<T extends Json>(object: T): T | undefined {
  let dropped = 0;
  let kept = 0;
  for (const key in object) {
    if (isEmpty(object[key])) dropped += 1;
    else kept += 1;
  }
  if (kept === 0) return undefined;
  if (dropped === 0) return object;

  const out: Json = {};
  for (const key in object) {
    const value = object[key];
    if (!isEmpty(value)) out[key] = value;
  }
  return out as T;
}

/** A JSON.rawJSON value has its own `rawJSON` key, so it is never empty. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === '') return true;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.length === 0;
  // for...in rather than Object.keys: no array allocated per check.
  for (const _key in value) return false;
  return true;
}

export function present<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined);
}

function timestampOf(ts: string): TimestampParts | undefined {
  const value = ts.trim();
  return value === '' ? undefined : timestampParts(value);
}

function datePart(parts: TimestampParts): string {
  const [, year, month, day] = parts;
  if (month === undefined) return year ?? '';

  return day === undefined ? `${year}-${month}` : `${year}-${month}-${day}`;
}

/** TS -> FHIR date, keeping the precision the sender gave (YYYY, YYYY-MM). */
export function toDate(ts: string): string | undefined {
  const parts = timestampOf(ts);
  return parts && datePart(parts);
}

/**
 * TS -> FHIR dateTime. FHIR requires a zone once a time is given; when the
 * sender gave none we keep the date only rather than invent an offset.
 */
export function toDateTime(ts: string): string | undefined {
  const parts = timestampOf(ts);
  if (parts === undefined) return undefined;
  const [, , , day, hour, minute, second, fraction, zone] = parts;
  const date = datePart(parts);
  if (hour === undefined || zone === undefined || day === undefined) {
    return date;
  }
  const time = `${hour}:${minute ?? '00'}:${second ?? '00'}${fraction ?? ''}`;

  return `${date}T${time}${zone.slice(0, 3)}:${zone.slice(3)}`;
}

const CODE_SYSTEMS = codeTable<string>({
  LN: 'http://loinc.org',
  LOINC: 'http://loinc.org',
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  // SNOMED International v3: senders use it for SNOMED CT concept ids.
  SNM3: 'http://snomed.info/sct',
  SNOMED: 'http://snomed.info/sct',
  I10: 'http://hl7.org/fhir/sid/icd-10',
  I10C: 'http://hl7.org/fhir/sid/icd-10-cm',
  'ICD-10-CM': 'http://hl7.org/fhir/sid/icd-10-cm',
  I9: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9CDX: 'http://hl7.org/fhir/sid/icd-9-cm',
  UCUM: 'http://unitsofmeasure.org',
  CVX: 'http://hl7.org/fhir/sid/cvx',
  NDC: 'http://hl7.org/fhir/sid/ndc',
  RXNORM: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  RXN: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  C4: 'http://www.ama-assn.org/go/cpt',
  CPT: 'http://www.ama-assn.org/go/cpt',
  CDCREC: 'urn:oid:2.16.840.1.113883.6.238',
});

/**
 * Coding system name (CWE.3) -> FHIR system URI. HL7 tables map to THO,
 * OIDs to urn:oid; local names have no URI, so the coding carries none.
 */
export function codeSystemUri(name: string): string | undefined {
  if (name === '') return undefined;
  const known = CODE_SYSTEMS[name.toUpperCase()];
  if (known !== undefined) return known;
  const table = /^HL7(\d{4})$/i.exec(name);
  if (table) return `http://terminology.hl7.org/CodeSystem/v2-${table[1]}`;
  if (/^\d+(?:\.\d+)+$/.test(name)) return `urn:oid:${name}`;

  return undefined;
}

function coding(
  code: string,
  display: string,
  system: string,
): Json | undefined {
  if (code === '') return undefined;
  return compact({ system: codeSystemUri(system), code, display });
}

/** CWE/CE/CNE -> CodeableConcept: primary and alternate codings, CWE.9 text. */
export function toCodeableConcept(
  repetition: string,
  d: Delimiters,
  table = '',
): Json | undefined {
  const c = (n: number) => leaf(repetition, d, n);
  const display = c(2);
  const named = c(3);
  // A field bound to an HL7 table implies that table when CWE.3 is empty.
  const system = named === '' && table !== '' ? `HL7${table}` : named;
  const codings = present([
    coding(c(1), display, system),
    coding(c(4), c(5), c(6)),
  ]);
  const note = c(9);
  const text = note !== '' ? note : codings.length === 0 ? display : '';

  return compact({ coding: codings, text });
}

/** A CodeableConcept holding one code from an HL7 table. */
export function tableConcept(table: string, code: string): Json | undefined {
  if (code === '') return undefined;
  const system = `http://terminology.hl7.org/CodeSystem/v2-${table}`;
  return { coding: [{ system, code }] };
}

const ASSIGNER_TYPES = new Set(['ISO', 'UUID', 'URI']);

/** HD (CX.4) -> Identifier.system when it carries a universal id. */
function identifierSystem(
  repetition: string,
  d: Delimiters,
): string | undefined {
  const universal = leaf(repetition, d, 4, 2);
  const type = leaf(repetition, d, 4, 3).toUpperCase();
  if (universal === '' || !ASSIGNER_TYPES.has(type)) return undefined;
  if (type === 'URI') return universal;

  return type === 'ISO' ? `urn:oid:${universal}` : `urn:uuid:${universal}`;
}

/**
 * CX.5 -> Identifier.type. Table 0203 is HL7-defined and none of its codes
 * holds a space, so text that does (a facility name sent in CX.5) is kept
 * as `text` rather than coded in v2-0203.
 */
function identifierType(code: string): Json | undefined {
  return /\s/.test(code) ? { text: code } : tableConcept('0203', code);
}

/** CX -> Identifier; a CX.1 of `""` is an explicit null, not an identifier. */
export function toIdentifier(
  repetition: string,
  d: Delimiters,
): Json | undefined {
  const value = leaf(repetition, d, 1);
  if (value.trim() === '' || repetition.startsWith(EXPLICIT_NULL)) {
    return undefined;
  }
  const namespace = leaf(repetition, d, 4, 1);

  return compact({
    type: identifierType(leaf(repetition, d, 5)),
    system: identifierSystem(repetition, d),
    value,
    period: toPeriod(leaf(repetition, d, 7), leaf(repetition, d, 8)),
    assigner: namespace === '' ? undefined : { display: namespace },
  });
}

/**
 * EI -> Identifier: EI.1 value; EI.3 as system when EI.4 says it is an
 * ISO OID, UUID or URI (the namespace alone names no system).
 */
export function toEntityIdentifier(
  ei: string,
  d: Delimiters,
  typeCode = '',
): Json | undefined {
  const value = leaf(ei, d, 1);
  if (value.trim() === '') return undefined;
  const universal = leaf(ei, d, 3);
  const kind = leaf(ei, d, 4).toUpperCase();
  const system = !ASSIGNER_TYPES.has(kind)
    ? undefined
    : kind === 'URI'
      ? universal
      : `urn:${kind === 'ISO' ? 'oid' : 'uuid'}:${universal}`;

  return compact({
    type: tableConcept('0203', typeCode),
    system: universal === '' ? undefined : system,
    value,
  });
}

/**
 * XCN -> a logical Practitioner reference (XCN.1 identifier, given and
 * family name as display): Practitioner resources are not built yet.
 * Undefined when the XCN names nobody.
 */
export function toPractitionerReference(
  xcn: string,
  d: Delimiters,
): Json | undefined {
  const id = leaf(xcn, d, 1);
  const name = [leaf(xcn, d, 3), leaf(xcn, d, 2)].filter((p) => p !== '');
  if (id === '' && name.length === 0) return undefined;

  return compact({
    type: 'Practitioner',
    identifier: id === '' ? undefined : { value: id },
    display: name.join(' '),
  });
}

/** PL -> a logical Location reference named by its parts (unit^room^bed). */
export function toLocationReference(
  pl: string,
  d: Delimiters,
): Json | undefined {
  const name = [1, 2, 3, 4].map((n) => leaf(pl, d, n)).filter((p) => p !== '');

  return name.length === 0
    ? undefined
    : { type: 'Location', display: name.join(' ') };
}

/** Two TS/DT -> Period (CX.7/8, XPN.12/13, XAD.13/14, XTN.13/14). */
export function toPeriod(start: string, end: string): Json | undefined {
  return compact({ start: toDateTime(start), end: toDateTime(end) });
}

/** XPN.7 (table 0200) -> HumanName.use, the NameType concept map. */
const NAME_USE = codeTable<string>({
  BAD: 'old',
  D: 'usual',
  L: 'official',
  M: 'maiden',
  MSK: 'anonymous',
  N: 'nickname',
  NAV: 'temp',
  R: 'official',
  TEMP: 'temp',
});

/** XPN -> HumanName (FN.1 surname; given + second names; XPN.7 type). */
export function toHumanName(
  repetition: string,
  d: Delimiters,
): Json | undefined {
  const c = (n: number, s = 1) => leaf(repetition, d, n, s);
  const name = compact({
    family: c(1),
    given: present([c(2) || undefined, c(3) || undefined]),
    prefix: present([c(5) || undefined]),
    suffix: present([c(4) || undefined, c(6) || undefined, c(14) || undefined]),
  });
  if (name === undefined) return undefined;
  // XPN.10 (DR, up to v2.6) or XPN.12/13 (v2.7+) give the validity period.
  const period = toPeriod(c(12), c(13)) ?? toPeriod(c(10, 1), c(10, 2));

  return compact({ use: NAME_USE[c(7)], ...name, period });
}

/**
 * XPN -> the HumanName, then XPN.15 "called by" as a second name of use
 * nickname (XPN[HumanName] row 15: `[2].given`, `[2].use`).
 */
export function toHumanNames(repetition: string, d: Delimiters): Json[] {
  const calledBy = leaf(repetition, d, 15);
  const nickname =
    calledBy === '' ? undefined : { use: 'nickname', given: [calledBy] };

  return present([toHumanName(repetition, d), nickname]);
}

const ADDRESS_USE = codeTable<{ use?: string; type?: string }>({
  H: { use: 'home' },
  B: { use: 'work' },
  O: { use: 'work' },
  C: { use: 'temp' },
  BA: { use: 'old' },
  BI: { use: 'billing' },
  M: { type: 'postal' },
  SH: { type: 'postal' },
});

/**
 * Address lines: XAD.1 is SAD (street, street name, dwelling number as
 * subcomponents), each its own line as in the SAD[Address] map; then
 * XAD.2 other designation and XAD.19 addressee (v2.7+).
 */
function addressLines(repetition: string, d: Delimiters): string[] {
  const lines = [
    leaf(repetition, d, 1, 1),
    leaf(repetition, d, 1, 2),
    leaf(repetition, d, 1, 3),
    leaf(repetition, d, 2),
    leaf(repetition, d, 19),
  ];

  return lines.filter((line) => line !== '');
}

/**
 * XAD.9 county (a CWE) -> district through CWE[string]: the original text
 * (CWE.9), else the text (CWE.2); a county sent as a code alone keeps the
 * code rather than being lost.
 */
function countyName(repetition: string, d: Delimiters): string {
  const sub = (n: number) => leaf(repetition, d, 9, n);
  return sub(9) || sub(2) || sub(1);
}

/** XAD -> Address; XAD.7 address type chooses use/type. */
export function toAddress(repetition: string, d: Delimiters): Json | undefined {
  const c = (n: number) => leaf(repetition, d, n);
  const address = compact({
    line: addressLines(repetition, d),
    city: c(3).trim(),
    state: c(4),
    postalCode: c(5),
    country: c(6),
    district: countyName(repetition, d),
  });
  if (address === undefined) return undefined;
  // XAD.12 (DR, up to v2.6) or XAD.13/14 (v2.7+) give the validity period.
  const s = (n: number, sub: number) => leaf(repetition, d, n, sub);
  const period = toPeriod(c(13), c(14)) ?? toPeriod(s(12, 1), s(12, 2));

  return compact({ ...ADDRESS_USE[c(7)], ...address, period }) ?? address;
}

/**
 * XTN.2 (table 0201) -> ContactPoint.use, the TelecommunicationUseCode
 * map: ORN, VHN, ASN, EMR, NET and BPN have no target.
 */
const TELECOM_USE = codeTable<string>({
  PRN: 'home',
  WPN: 'work',
  PRS: 'mobile',
});

const TELECOM_SYSTEM = codeTable<string>({
  PH: 'phone',
  CP: 'phone',
  FX: 'fax',
  BP: 'pager',
  Internet: 'email',
  'X.400': 'email',
  X400: 'email',
  MD: 'other',
  SAT: 'other',
  TDD: 'other',
  TTY: 'other',
});

const ADDRESS_EQUIPMENT = new Set(['Internet', 'X.400', 'X400']);

/**
 * XTN -> ContactPoint: XTN.4 for Internet/X.400, else XTN.12, else the
 * number from its parts, else XTN.1 (XTN[ContactPoint] rows 1, 4, 7, 12).
 * XTN.2 sets `use` (ConceptMap table-hl70201-to-contact-point-use, PRS ->
 * mobile); XTN.3 CP is equipment (table 0202) and sets only `system`.
 * An Internet/X.400 XTN with a number in XTN.1 but no XTN.4 keeps its
 * system and use without a value (rows 1 to 4): the number is no address.
 */
export function toContactPoint(
  repetition: string,
  d: Delimiters,
  defaultUse?: string,
): Json | undefined {
  const c = (n: number) => leaf(repetition, d, n);
  const equipment = c(3);
  const number = phoneNumber(c);
  const address = ADDRESS_EQUIPMENT.has(equipment);
  const value = address ? c(4) : number;
  if (value === '' && !(address && c(1) !== '')) return undefined;

  return compact({
    system: TELECOM_SYSTEM[equipment] ?? (c(4) !== '' ? 'email' : 'phone'),
    value,
    // The field default (PID-13 home, PID-14 work) applies when XTN.2 is empty.
    use: c(2) === '' ? defaultUse : TELECOM_USE[c(2)],
    period: toPeriod(c(13), c(14)),
    rank: toPositiveInt(c(18)),
  });
}

/** `+country area local Xextension`, as the XTN.7 rows assemble it. */
function phoneNumber(c: (n: number) => string): string {
  if (c(12) !== '') return c(12);
  if (c(7) === '') return c(1);
  const country = c(5) === '' ? '' : `+${c(5)}`;
  const number = [country, c(6), c(7)].filter((p) => p !== '').join(' ');

  return c(8) === '' ? number : `${number} X${c(8)}`;
}

/** NM text -> a FHIR positiveInt, when it is one. */
export function toPositiveInt(text: string): number | undefined {
  const value = text.trim();
  return /^[1-9]\d{0,8}$/.test(value) ? Number(value) : undefined;
}

interface RawJson {
  readonly rawJSON: string;
}
const rawJson = (JSON as unknown as { rawJSON?: (text: string) => RawJson })
  .rawJSON;

/**
 * NM text -> a JSON number that keeps the sender's precision: `1.50` stays
 * `1.50` when serialised (JSON.rawJSON); otherwise a plain number.
 */
export function toDecimal(text: string): number | RawJson | undefined {
  const value = text.trim();
  if (!isNumeric(value)) return undefined;
  const canonical = canonicalDecimal(value);
  const number = Number(canonical);
  if (String(number) === canonical || rawJson === undefined) return number;

  return rawJson(canonical);
}

/** `+.50` -> `0.50`, `007` -> `7`, `5.` -> `5`: valid JSON, same precision. */
function canonicalDecimal(value: string): string {
  const negative = value.startsWith('-');
  const unsigned = value.replace(/^[+-]/, '');
  const [whole = '', fraction = ''] = unsigned.split('.');
  const integer = whole.replace(/^0+(?=\d)/, '') || '0';
  const digits = fraction === '' ? integer : `${integer}.${fraction}`;

  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

/** An identifier typed by a table 0203 code; undefined for a blank value. */
export function typedIdentifier(
  value: string,
  code: string,
  system?: string,
): Json | undefined {
  if (value.trim() === '') return undefined;
  return compact({
    type: { coding: [{ system: V2_0203, code }] },
    system,
    value,
  });
}
