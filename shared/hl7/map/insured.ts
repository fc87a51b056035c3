/**
 * GT1 guarantor and IN1/IN2 insured -> RelatedPerson, after the
 * GT1[RelatedPerson], IN1[RelatedPerson] and IN2[RelatedPerson] maps of the
 * v2-to-FHIR guidance. A guarantor or insured who is the patient (SEL) makes
 * no RelatedPerson; IN2 patient numbers (Medicare, Medicaid, military,
 * member) go to the Patient (IN2[Patient]).
 */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import { type Delimiters, leaf, type Segment, valueAt } from '../parse.ts';
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
  toHumanName,
  toIdentifier,
  typedIdentifier,
  US_SSN,
} from './datatypes.ts';
import { eachRepetition, primaryLanguage } from './patient.ts';

const V2_0063 = 'http://terminology.hl7.org/CodeSystem/v2-0063';
const V2_0131 = 'http://terminology.hl7.org/CodeSystem/v2-0131';

/**
 * Table 0063 relationship -> the Relationship concept map: v3 RoleCode
 * where it has the concept, table 0131 contact roles for employer,
 * emergency contact, unknown and other, and table 0063 itself for the
 * rest. A code the map does not list is not a table 0063 code.
 */
export const RELATIONSHIP_MAP = codeTable<readonly [string, string]>({
  SEL: [ROLE_CODE, 'ONESELF'],
  SPO: [ROLE_CODE, 'SPS'],
  DOM: [ROLE_CODE, 'SIGOTHR'],
  CHD: [ROLE_CODE, 'CHILD'],
  GCH: [ROLE_CODE, 'GRNDCHILD'],
  NCH: [ROLE_CODE, 'NCHILD'],
  SCH: [ROLE_CODE, 'STPCHLD'],
  FCH: [ROLE_CODE, 'CHLDFOST'],
  PAR: [ROLE_CODE, 'PRN'],
  MTH: [ROLE_CODE, 'MTH'],
  FTH: [ROLE_CODE, 'FTH'],
  GRP: [ROLE_CODE, 'GRPRN'],
  EXF: [ROLE_CODE, 'EXT'],
  SIB: [ROLE_CODE, 'SIB'],
  BRO: [ROLE_CODE, 'BRO'],
  SIS: [ROLE_CODE, 'SIS'],
  FND: [ROLE_CODE, 'FRND'],
  EMR: [V2_0131, 'E'],
  EMC: [V2_0131, 'C'],
  UNK: [V2_0131, 'U'],
  OTH: [V2_0131, 'O'],
  ...Object.fromEntries(
    [
      'DEP',
      'WRD',
      'CGV',
      'GRD',
      'OAD',
      'EME',
      'ASC',
      'OWN',
      'TRA',
      'MGR',
      'NON',
    ].map((code) => [code, [V2_0063, code] as const]),
  ),
});

export const GENDER = codeTable<string>({
  F: 'female',
  M: 'male',
  O: 'other',
  A: 'other',
  N: 'other',
  U: 'unknown',
});

/**
 * A table 0063 CWE (NK1-3) as a CodeableConcept: each coding the sender
 * placed in table 0063 (CWE.3/CWE.6 HL70063, or empty in a field bound to
 * it) and the Relationship map lists is translated; a local code (`L`,
 * `99...`) keeps its own meaning.
 */
export function relationshipConcept(
  cwe: string,
  d: Delimiters,
): Json | undefined {
  const concept = toCodeableConcept(cwe, d, '0063');
  const inTable = (code: number, system: number) =>
    leaf(cwe, d, code) !== '' && /^(HL7)?0063$|^$/i.test(leaf(cwe, d, system));
  const translatable = new Set(
    [inTable(1, 3) && leaf(cwe, d, 1), inTable(4, 6) && leaf(cwe, d, 4)].filter(
      (code) => typeof code === 'string',
    ),
  );
  for (const coding of (concept?.coding as Json[] | undefined) ?? []) {
    const code = String(coding.code);
    const role = RELATIONSHIP_MAP[code];
    if (role === undefined || !translatable.has(code)) continue;
    [coding.system, coding.code] = role;
    delete coding.display;
  }

  return concept;
}

/** A table 0063 code (IS) by the Relationship map; others keep no system. */
function relationship(code: string): Json[] {
  if (code === '') return [];
  const role = RELATIONSHIP_MAP[code];
  const coding = role ? { system: role[0], code: role[1] } : { code };

  return [{ coding: [coding] }];
}

/** Whether the relationship field names the patient themself. */
const isSelf = (code: string) => code === 'SEL' || code === '';

/** GT1 -> RelatedPerson when the guarantor is not the patient (GT1-11). */
export function mapGuarantor(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  const d = context.delimiters;
  const f = (n: number) => valueAt(segment, d, n);
  if (context.patient === undefined || isSelf(f(11))) return undefined;

  return {
    resourceType: 'RelatedPerson',
    id: resourceId(context, segment),
    patient: { reference: context.patient },
    ...compact({
      identifier: [
        ...eachRepetition(segment, 2, d, toIdentifier),
        ...eachRepetition(segment, 19, d, toIdentifier),
        ...present([typedIdentifier(f(12), 'SS', US_SSN)]),
      ],
      relationship: relationship(f(11)),
      name: eachRepetition(segment, 3, d, toHumanName),
      address: eachRepetition(segment, 5, d, toAddress),
      telecom: [
        ...eachRepetition(segment, 6, d, (r) => toContactPoint(r, d, 'home')),
        ...eachRepetition(segment, 7, d, (r) => toContactPoint(r, d, 'work')),
      ],
      gender: GENDER[f(9)],
      birthDate: toDate(f(8)),
      communication: present([primaryLanguage(segment, 36, d)]),
    }),
  };
}

/** IN1-16..19, 43, 49 -> the insured RelatedPerson, unless self (IN1-17). */
export function mapInsured(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  const d = context.delimiters;
  const f = (n: number) => valueAt(segment, d, n);
  if (context.patient === undefined || isSelf(f(17))) return undefined;
  const person = compact({
    identifier: eachRepetition(segment, 49, d, toIdentifier),
    name: eachRepetition(segment, 16, d, toHumanName),
    address: eachRepetition(segment, 19, d, toAddress),
    gender: GENDER[f(43)],
    birthDate: toDate(f(18)),
  });
  if (person === undefined) return undefined;

  return {
    resourceType: 'RelatedPerson',
    id: resourceId(context, segment, 'INSURED'),
    patient: { reference: context.patient },
    relationship: relationship(f(17)),
    ...person,
  };
}

function push(resource: FhirResource, key: string, values: Json[]): void {
  if (values.length === 0) return;
  resource[key] = [...((resource[key] as Json[] | undefined) ?? []), ...values];
}

/**
 * IN2-1/2 ids, IN2-34 primary language (IN2-36 is the publicity code) and
 * IN2-63 telecom of the insured.
 */
export function addInsuredDetail(
  insured: FhirResource,
  segment: Segment,
  d: Delimiters,
): void {
  push(insured, 'identifier', [
    ...eachRepetition(segment, 1, d, toIdentifier),
    ...present([typedIdentifier(valueAt(segment, d, 2), 'SS', US_SSN)]),
  ]);
  push(insured, 'telecom', eachRepetition(segment, 63, d, toContactPoint));
  push(insured, 'communication', present([primaryLanguage(segment, 34, d)]));
}

/** IN2-6 Medicare, IN2-8 Medicaid, IN2-10 military id, IN2-61 member no. */
export function addPatientNumbers(
  patient: FhirResource,
  segment: Segment,
  d: Delimiters,
): void {
  const f = (n: number) => valueAt(segment, d, n);
  // The same number sent again (one IN2 per insurance, say) is one
  // identifier of the patient.
  const known = new Set(
    ((patient.identifier as Json[] | undefined) ?? []).map((id) =>
      JSON.stringify(id),
    ),
  );
  const numbers = [
    ...present([
      typedIdentifier(f(6), 'MC', 'http://hl7.org/fhir/sid/us-medicare'),
      typedIdentifier(f(8), 'MA'),
      typedIdentifier(f(10), 'MI'),
    ]),
    ...eachRepetition(segment, 61, d, toIdentifier),
  ];
  push(
    patient,
    'identifier',
    numbers.filter((id) => !known.has(JSON.stringify(id))),
  );
}
