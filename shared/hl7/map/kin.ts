/**
 * NK1 -> RelatedPerson (NK1[RelatedPerson] map) and Patient.contact
 * (NK1[Patient] map). The ADT_A01 message map of the v2-to-FHIR guidance
 * (row 15.1) puts a person in both and an organisation (NK1-3 EMR, NK1-7
 * E/F/I/S: employer, federal agency, insurance company, state agency) only
 * in Patient.contact.
 */
import type { FhirResource } from '../../validation/types.ts';
import {
  type Delimiters,
  firstRepetition,
  leaf,
  type Segment,
  valueAt,
} from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  compact,
  type Json,
  present,
  toAddress,
  toCodeableConcept,
  toContactPoint,
  toDate,
  toDateTime,
  toHumanName,
  toHumanNames,
  toIdentifier,
  typedIdentifier,
  US_SSN,
} from './datatypes.ts';
import { GENDER, relationshipConcept } from './insured.ts';
import { eachRepetition, primaryLanguage } from './patient.ts';

const ORGANISATION_ROLES = new Set(['E', 'F', 'I', 'S']);

/** Whether the NK1 names an organisation rather than a person. */
function isOrganisation(segment: Segment, d: Delimiters): boolean {
  return (
    valueAt(segment, d, 3) === 'EMR' ||
    ORGANISATION_ROLES.has(valueAt(segment, d, 7))
  );
}

/** NK1-3 (table 0063, as v3 RoleCode) then NK1-7 contact role (0131). */
function relationships(segment: Segment, d: Delimiters): Json[] {
  return present([
    relationshipConcept(firstRepetition(segment, d, 3), d),
    toCodeableConcept(firstRepetition(segment, d, 7), d, '0131'),
  ]);
}

/** NK1 phone fields; NK1-6 is the business number (use work). */
function telecoms(segment: Segment, d: Delimiters, fields: number[]): Json[] {
  return fields.flatMap((field) =>
    eachRepetition(segment, field, d, (r) => {
      const point = toContactPoint(r, d);
      if (point && field === 6) point.use = 'work';
      return point;
    }),
  );
}

const period = (segment: Segment, d: Delimiters) =>
  compact({
    start: toDateTime(valueAt(segment, d, 8)),
    end: toDateTime(valueAt(segment, d, 9)),
  });

export function mapRelatedPerson(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  const d = context.delimiters;
  if (context.patient === undefined || isOrganisation(segment, d)) {
    return undefined;
  }
  const f = (n: number) => valueAt(segment, d, n);

  return {
    resourceType: 'RelatedPerson',
    id: resourceId(context, segment),
    patient: { reference: context.patient },
    ...compact({
      identifier: [
        ...eachRepetition(segment, 12, d, toIdentifier),
        ...eachRepetition(segment, 33, d, toIdentifier),
        ...present([typedIdentifier(f(37), 'SS', US_SSN)]),
      ],
      relationship: relationships(segment, d),
      name: [
        ...eachRepetition(segment, 2, d, toHumanNames).flat(),
        ...eachRepetition(segment, 30, d, toHumanNames).flat(),
      ],
      telecom: telecoms(segment, d, [5, 6, 31, 40, 41]),
      address: [
        ...eachRepetition(segment, 4, d, toAddress),
        ...eachRepetition(segment, 32, d, toAddress),
      ],
      gender: GENDER[f(15)],
      birthDate: toDate(f(16)),
      period: period(segment, d),
      communication: present([primaryLanguage(segment, 20, d)]),
    }),
  };
}

/**
 * NK1 -> one Patient.contact: first name and address (0..1 in FHIR),
 * relationships, phones, period, gender and NK1-13 organisation as a
 * logical reference. Nothing is added when the NK1 has none of them.
 */
export function addContact(
  patient: FhirResource,
  segment: Segment,
  d: Delimiters,
): void {
  const organisation = leaf(firstRepetition(segment, d, 13), d, 1);
  const contact = compact({
    relationship: relationships(segment, d),
    name: toHumanName(firstRepetition(segment, d, 2), d),
    telecom: telecoms(segment, d, [5, 6, 40, 41]),
    address: toAddress(firstRepetition(segment, d, 4), d),
    gender: GENDER[valueAt(segment, d, 15)],
    organization:
      organisation === ''
        ? undefined
        : { type: 'Organization', display: organisation },
    period: period(segment, d),
  });
  const details = ['name', 'telecom', 'address', 'organization'];
  if (contact === undefined || !details.some((key) => key in contact)) return;
  const known = (patient.contact as Json[] | undefined) ?? [];
  patient.contact = [...known, contact];
}
