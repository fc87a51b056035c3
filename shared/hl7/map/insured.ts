/**
 * GT1 guarantor and IN1/IN2 insured -> RelatedPerson, after the
 * GT1[RelatedPerson], IN1[RelatedPerson] and IN2[RelatedPerson] maps of the
 * v2-to-FHIR guidance. A guarantor or insured who is the patient (SEL) makes
 * no RelatedPerson; IN2 patient numbers (Medicare, Medicaid, military,
 * member) go to the Patient (IN2[Patient]).
 */
import type { FhirResource } from '../../validation/types.ts';
import { type Delimiters, type Segment, valueAt } from '../parse.ts';
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

/** Table 0063 relationship -> v3 RoleCode (ConceptMap table-hl70063). */
const ROLE: Readonly<Record<string, string>> = {
  BRO: 'BRO',
  CHD: 'CHILD',
  DOM: 'DOMPART',
  EXF: 'FAMMEMB',
  FCH: 'CHLDFOST',
  FND: 'FRND',
  FTH: 'FTH',
  GCH: 'GRNDCHILD',
  GRD: 'GUARD',
  GRP: 'GRPRN',
  MTH: 'MTH',
  NCH: 'NCHILD',
  PAR: 'PRN',
  SCH: 'STPCHLD',
  SIB: 'SIB',
  SIS: 'SIS',
  SPO: 'SPS',
};

export const GENDER: Readonly<Record<string, string>> = {
  F: 'female',
  M: 'male',
  O: 'other',
  A: 'other',
  N: 'other',
  U: 'unknown',
};

/**
 * A table 0063 CWE (NK1-3) as a CodeableConcept: each coding translated to
 * v3 RoleCode when the concept map knows it, else kept in table 0063.
 */
export function relationshipConcept(
  cwe: string,
  d: Delimiters,
): Json | undefined {
  const concept = toCodeableConcept(cwe, d, '0063');
  for (const coding of (concept?.coding as Json[] | undefined) ?? []) {
    const role = ROLE[String(coding.code)];
    if (role === undefined || !String(coding.system).endsWith('v2-0063')) {
      continue;
    }
    coding.system = ROLE_CODE;
    coding.code = role;
    delete coding.display;
  }

  return concept;
}

/** A table 0063 code as a RoleCode coding; unknown codes keep no system. */
function relationship(code: string): Json[] {
  if (code === '') return [];
  const role = ROLE[code];
  const coding = role ? { system: ROLE_CODE, code: role } : { code };

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
        ...present([typedIdentifier(f(12), 'SB', US_SSN)]),
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
  push(patient, 'identifier', [
    ...present([
      typedIdentifier(f(6), 'MC', 'http://hl7.org/fhir/sid/us-medicare'),
      typedIdentifier(f(8), 'MA'),
      typedIdentifier(f(10), 'MI'),
    ]),
    ...eachRepetition(segment, 61, d, toIdentifier),
  ]);
}
