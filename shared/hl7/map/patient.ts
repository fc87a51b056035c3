/** PID -> Patient and NK1 -> RelatedPerson. */
import type { FhirResource } from '../../validation/types.ts';
import {
  type Delimiters,
  firstRepetition,
  rawField,
  repetitions,
  type Segment,
  valueAt,
} from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  compact,
  toAddress,
  toCodeableConcept,
  toContactPoint,
  toDate,
  toDateTime,
  toHumanName,
  toIdentifier,
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

const GENDER: Readonly<Record<string, string>> = {
  F: 'female',
  M: 'male',
  O: 'other',
  A: 'other',
  N: 'other',
  X: 'other',
  U: 'unknown',
};

export function mapPatient(
  segment: Segment,
  context: MappingContext,
): FhirResource {
  const d = context.delimiters;
  const field = (n: number) => valueAt(segment, d, n);
  const deceased = field(30) === 'Y' ? true : undefined;

  return {
    resourceType: 'Patient',
    id: resourceId(context, segment),
    ...compact({
      identifier: eachRepetition(segment, 3, d, toIdentifier),
      name: eachRepetition(segment, 5, d, toHumanName),
      telecom: [
        ...eachRepetition(segment, 13, d, toContactPoint),
        ...eachRepetition(segment, 14, d, toContactPoint),
      ],
      gender: GENDER[field(8)],
      birthDate: toDate(field(7)),
      deceasedDateTime: toDateTime(field(29)),
      deceasedBoolean: field(29) === '' ? deceased : undefined,
      address: eachRepetition(segment, 11, d, toAddress),
      maritalStatus: toCodeableConcept(firstRepetition(segment, d, 16), d),
    }),
  };
}

export function mapRelatedPerson(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;

  return {
    resourceType: 'RelatedPerson',
    id: resourceId(context, segment),
    patient: { reference: context.patient },
    ...compact({
      name: eachRepetition(segment, 2, d, toHumanName),
      relationship: eachRepetition(segment, 3, d, toCodeableConcept),
      address: eachRepetition(segment, 4, d, toAddress),
      telecom: [
        ...eachRepetition(segment, 5, d, toContactPoint),
        ...eachRepetition(segment, 6, d, toContactPoint),
      ],
    }),
  };
}
