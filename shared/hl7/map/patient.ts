/** PID -> Patient and NK1 -> RelatedPerson. */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import {
  type Delimiters,
  firstRepetition,
  leaf,
  rawField,
  repetitions,
  type Segment,
  valueAt,
} from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  compact,
  type Json,
  present,
  ROLE_CODE,
  toAddress,
  toCodeableConcept,
  toContactPoint,
  toDate,
  toDateTime,
  toHumanNames,
  toIdentifier,
  typedIdentifier,
  US_SSN,
  V2_0203,
} from './datatypes.ts';

type Mapper<T> = (repetition: string, d: Delimiters) => T | undefined;

/** Maps every repetition of a field, dropping the empty ones. */
export function eachRepetition<T>(
  segment: Segment,
  field: number,
  d: Delimiters,
  mapper: Mapper<T>,
): T[] {
  const out: T[] = [];
  for (const repetition of repetitions(rawField(segment, field), d)) {
    const mapped = mapper(repetition, d);
    if (mapped !== undefined) out.push(mapped);
  }
  return out;
}

/**
 * PID-3, then the older places senders still fill: PID-2 and PID-4 (CX),
 * PID-19 (SSN, a plain string) and PID-20 (driver's licence, DLN).
 */
function patientIdentifiers(segment: Segment, d: Delimiters): Json[] {
  return [
    ...eachRepetition(segment, 3, d, toIdentifier),
    ...eachRepetition(segment, 2, d, toIdentifier),
    ...eachRepetition(segment, 4, d, toIdentifier),
    ...present([
      typedIdentifier(valueAt(segment, d, 19), 'SS', US_SSN),
      driversLicence(segment, d),
    ]),
  ];
}

/** PID-20 DLN: number, issuing state, expiry (-> period.end). */
function driversLicence(segment: Segment, d: Delimiters): Json | undefined {
  const value = valueAt(segment, d, 20, 1);
  if (value.trim() === '') return undefined;
  return compact({
    type: { coding: [{ system: V2_0203, code: 'DL' }] },
    value,
    period: compact({ end: toDate(valueAt(segment, d, 20, 3)) }),
  });
}

const GENDER = codeTable<string>({
  F: 'female',
  M: 'male',
  O: 'other',
  A: 'other',
  N: 'other',
  X: 'other',
  U: 'unknown',
});

/**
 * Table 0136 Y/N -> boolean (PID-24 multiple birth, PID-30 death), by the
 * YesNoIndicator map. Feeds also send the words (`YES`, `no`): they say
 * the same, and dropping a death flag sent as `YES` would lose it, so
 * they are read too (a choice; the map lists only Y and N).
 */
const YES_NO = codeTable<boolean>({ Y: true, YES: true, N: false, NO: false });

function yesNo(indicator: string): boolean | undefined {
  return YES_NO[indicator.trim().toUpperCase()];
}

/** PID-25 birth order wins over the PID-24 flag (a choice type in FHIR). */
function birthOrder(_indicator: string, order: string): number | undefined {
  // multipleBirthInteger is a FHIR integer (32-bit): 1e20 is none; a
  // sender's 0 stays.
  const value = order.trim();
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

const MARITAL = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';
const NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
const V2_0002 = 'http://terminology.hl7.org/CodeSystem/v2-0002';

/** Table 0002 -> v3 MaritalStatus (or NullFlavor): the MaritalStatus map. */
const MARITAL_MAP = codeTable<readonly [string, string]>({
  A: [MARITAL, 'L'],
  D: [MARITAL, 'D'],
  M: [MARITAL, 'M'],
  S: [MARITAL, 'S'],
  W: [MARITAL, 'W'],
  C: [MARITAL, 'C'],
  G: [MARITAL, 'T'],
  P: [MARITAL, 'T'],
  R: [MARITAL, 'T'],
  E: [MARITAL, 'L'],
  N: [MARITAL, 'A'],
  I: [MARITAL, 'I'],
  B: [MARITAL, 'U'],
  U: [NULL_FLAVOR, 'UNK'],
  O: [NULL_FLAVOR, 'OTH'],
  T: [NULL_FLAVOR, 'NAVU'],
});

/**
 * PID-16 (table 0002) -> v3 MaritalStatus through the MaritalStatus map,
 * whether the table is implied or named (HL70002); a code the map does not
 * list, or another named system, stays as sent.
 */
function maritalStatus(repetition: string, d: Delimiters): Json | undefined {
  const concept = toCodeableConcept(repetition, d);
  const first = (concept?.coding as Json[] | undefined)?.[0];
  if (first === undefined) return concept;
  const sent = String(first.code);
  const target = MARITAL_MAP[sent];
  // The system as sent (CWE.3), not as resolved: a local name we have no
  // URI for (L, 99LOC) resolves to none, yet its codes are not table 0002's.
  const named = leaf(repetition, d, 3);
  if (target && (named === '' || first.system === V2_0002)) {
    [first.system, first.code] = target;
    // The display names the sent code; another target code has its own.
    if (target[1] !== sent) delete first.display;
  }
  return concept;
}

const BCP47 = 'urn:ietf:bcp:47';

/**
 * ISO 639-2 codes (table 0296 in v2.5+) whose BCP-47 tag is the shorter
 * ISO 639-1 code; Patient.communication.language is bound to BCP-47.
 */
const ISO639_1 = codeTable<string>({
  ara: 'ar',
  ben: 'bn',
  chi: 'zh',
  zho: 'zh',
  dut: 'nl',
  nld: 'nl',
  eng: 'en',
  fas: 'fa',
  per: 'fa',
  fra: 'fr',
  fre: 'fr',
  deu: 'de',
  ger: 'de',
  ell: 'el',
  gre: 'el',
  heb: 'he',
  hin: 'hi',
  ita: 'it',
  jpn: 'ja',
  kor: 'ko',
  pol: 'pl',
  por: 'pt',
  rus: 'ru',
  som: 'so',
  spa: 'es',
  tgl: 'tl',
  tur: 'tr',
  urd: 'ur',
  vie: 'vi',
});

/** A coding of a known ISO 639-2 code becomes its BCP-47 tag. */
function toBcp47(coding: Json): void {
  const tag = ISO639_1[String(coding.code)];
  if (tag === undefined) return;
  coding.system = BCP47;
  coding.code = tag;
}

/** A language CWE (table 0296) with ISO 639-2 codings as BCP-47 tags. */
export function languageConcept(
  repetition: string,
  d: Delimiters,
): Json | undefined {
  const language = toCodeableConcept(repetition, d);
  for (const coding of (language?.coding as Json[] | undefined) ?? []) {
    toBcp47(coding);
  }

  return language;
}

/**
 * A primary-language field (PID-15, NK1-20, GT1-36, IN2-34) ->
 * communication. The field names the person's primary language, which is
 * the case the PID map gives for setting preferred.
 */
export function primaryLanguage(
  segment: Segment,
  field: number,
  d: Delimiters,
): Json | undefined {
  const language = languageConcept(firstRepetition(segment, d, field), d);
  return language && { language, preferred: true };
}

/**
 * PID-11 addresses; PID-12 county as the district of the only address
 * when it has none, or of an address of its own when there is none
 * (PID[Patient] row 12; with several addresses the row does not say which).
 */
function addresses(segment: Segment, d: Delimiters): Json[] {
  const list = eachRepetition(segment, 11, d, toAddress);
  const county = valueAt(segment, d, 12).trim();
  if (county === '' || list.length > 1) return list;
  const [only] = list;
  if (only === undefined) return [{ district: county }];
  if (only.district === undefined) only.district = county;

  return list;
}

export function mapPatient(
  segment: Segment,
  context: MappingContext,
): FhirResource {
  const d = context.delimiters;
  const field = (n: number) => valueAt(segment, d, n);
  const deceased = yesNo(field(30));

  return {
    resourceType: 'Patient',
    id: resourceId(context, segment),
    ...compact({
      identifier: patientIdentifiers(segment, d),
      // PID-9 alias is one more name of the patient (PID[Patient] map).
      name: [
        ...eachRepetition(segment, 5, d, toHumanNames).flat(),
        ...eachRepetition(segment, 9, d, toHumanNames).flat(),
      ],
      // PID-13 is the home number, PID-14 the business one, unless XTN.2 says.
      telecom: [
        ...eachRepetition(segment, 13, d, (r) => toContactPoint(r, d, 'home')),
        ...eachRepetition(segment, 14, d, (r) => toContactPoint(r, d, 'work')),
        ...eachRepetition(segment, 40, d, toContactPoint),
      ],
      gender: GENDER[field(8)],
      birthDate: toDate(field(7)),
      deceasedDateTime: toDateTime(field(29)),
      deceasedBoolean: field(29) === '' ? deceased : undefined,
      address: addresses(segment, d),
      maritalStatus: maritalStatus(firstRepetition(segment, d, 16), d),
      multipleBirthInteger: birthOrder(field(24), field(25)),
      multipleBirthBoolean:
        birthOrder(field(24), field(25)) === undefined
          ? yesNo(field(24))
          : undefined,
      communication: present([primaryLanguage(segment, 15, d)]),
    }),
  };
}

/**
 * PD1-3 (XON) and PD1-4 (XCN) -> Patient.generalPractitioner. Practitioner
 * and Organization resources are not built from XCN/XON yet, so these are
 * logical references (identifier and display), which need not resolve.
 */
export function addPrimaryCare(
  patient: FhirResource,
  pd1: Segment,
  context: MappingContext,
): void {
  const d = context.delimiters;
  const f = (n: number, c: number) => valueAt(pd1, d, n, c);
  const organisation = compact({
    type: 'Organization',
    display: f(3, 1),
    identifier: f(3, 3) === '' ? undefined : { value: f(3, 3) },
  });
  const doctorName = [f(4, 3), f(4, 2)].filter((p) => p !== '').join(' ');
  const doctor = compact({
    type: 'Practitioner',
    display: doctorName,
    identifier: f(4, 1) === '' ? undefined : { value: f(4, 1) },
  });
  const practitioners = present([organisation, doctor]).filter(
    (ref) => Object.keys(ref).length > 1,
  );
  if (practitioners.length > 0) patient.generalPractitioner = practitioners;
}

/** Events whose MRG names a patient record merged into the PID's. */
const MERGE_EVENTS = new Set(['A18', 'A30', 'A34', 'A36', 'A39', 'A40']);

/**
 * MRG-1 of a merge event -> Patient.link `replaces`, by identifier: the
 * surviving record (PID) names each record merged into it, so a consumer
 * can retire the old one. The guidance has no MRG[Patient] map (only
 * MRG[Account]); FHIR's Patient.link is where R4 records a merge. Moves
 * and identifier changes (A41 accounts, A42 visits, A45, A47) are not
 * merges of two patients and add no link.
 */
export function addMergedRecords(
  patient: FhirResource,
  mrg: Segment,
  context: MappingContext,
): void {
  if (!MERGE_EVENTS.has(context.trigger)) return;
  const links = eachRepetition(mrg, 1, context.delimiters, toIdentifier).map(
    (identifier) => ({ other: { identifier }, type: 'replaces' }),
  );
  if (links.length === 0) return;
  patient.link = [...((patient.link as Json[] | undefined) ?? []), ...links];
}

/** PID-21 mother's identifier -> RelatedPerson with relationship MTH. */
export function mapMother(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  const d = context.delimiters;
  const identifier = eachRepetition(segment, 21, d, toIdentifier);
  if (identifier.length === 0 || context.patient === undefined) {
    return undefined;
  }

  return {
    resourceType: 'RelatedPerson',
    id: resourceId(context, segment, 'MTH'),
    patient: { reference: context.patient },
    identifier,
    relationship: [{ coding: [{ system: ROLE_CODE, code: 'MTH' }] }],
  };
}
