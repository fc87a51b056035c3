/** PR1 -> Procedure and RXA -> Immunization. */
import type { FhirResource } from '../../validation/types.ts';
import { isNumeric } from '../datatypes.ts';
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
  type Json,
  present,
  toCodeableConcept,
  toDateTime,
  toDecimal,
  toEntityIdentifier,
  toPractitionerReference,
} from './datatypes.ts';

const SNOMED = 'http://snomed.info/sct';

/** PR1 practitioner fields and the SNOMED function each gives (PR1 map). */
const PERFORMERS = [
  [8, '88189002'],
  [11, '304292004'],
  [12, ''],
] as const;

function performers(segment: Segment, d: Delimiters): Json[] {
  return PERFORMERS.flatMap(([field, code]) =>
    repetitions(rawField(segment, field), d).flatMap((xcn) => {
      const actor = toPractitionerReference(xcn, d);
      if (actor === undefined) return [];
      const fn =
        code === '' ? undefined : { coding: [{ system: SNOMED, code }] };
      return [compact({ function: fn, actor }) as Json];
    }),
  );
}

/**
 * PR1-5 alone is performedDateTime; with PR1-7 minutes and a time to the
 * minute it starts a performedPeriod that ends PR1-7 minutes later.
 */
function performed(segment: Segment, d: Delimiters): Json {
  const start = toDateTime(valueAt(segment, d, 5));
  const minutes = Number(valueAt(segment, d, 7));
  if (start === undefined) return {};
  if (!start.includes('T') || !Number.isInteger(minutes) || minutes <= 0) {
    return { performedDateTime: start };
  }
  const offset = start.slice(-6);
  const end = new Date(Date.parse(start) + minutes * 60_000);
  const local = new Date(end.getTime() + offsetMinutes(offset) * 60_000);
  const text = local.toISOString().slice(0, 19);

  return { performedPeriod: { start, end: `${text}${offset}` } };
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/**
 * PR1 -> Procedure (PR1[Procedure] map). Status is unknown: the map leaves
 * it to the message context and says unknown when that is not clear.
 */
export function mapProcedure(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;
  const description = valueAt(segment, d, 4);
  const parent = toEntityIdentifier(firstRepetition(segment, d, 25), d);
  const code = toCodeableConcept(firstRepetition(segment, d, 3), d);

  return {
    resourceType: 'Procedure',
    id: resourceId(context, segment),
    status: 'unknown',
    subject: { reference: context.patient },
    ...compact({
      identifier: present([
        toEntityIdentifier(firstRepetition(segment, d, 19), d),
      ]),
      partOf: parent && [{ type: 'Procedure', identifier: parent }],
      category: toCodeableConcept(firstRepetition(segment, d, 6), d),
      code: code
        ? compact({ ...code, text: code.text ?? (description || undefined) })
        : compact({ text: description }),
      encounter: context.encounter
        ? { reference: context.encounter }
        : undefined,
      ...performed(segment, d),
      performer: performers(segment, d),
      reasonCode: present([
        toCodeableConcept(firstRepetition(segment, d, 15), d),
      ]),
    }),
  };
}

/** RXA-20 completion status (table 0322) -> Immunization.status. */
const COMPLETION: Readonly<Record<string, string>> = {
  CP: 'completed',
  PA: 'completed',
  RE: 'not-done',
  NA: 'not-done',
};

/** CVX 998 "no vaccine administered" and RXA-6 999 "unknown amount". */
const UNKNOWN_DOSE = '999';

/**
 * Immunization needs patient, vaccineCode and an occurrence; an RXA without
 * a usable RXA-3 maps to nothing rather than to an invented date.
 */
export function mapImmunization(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  const d = context.delimiters;
  const occurrence = toDateTime(valueAt(segment, d, 3));
  const vaccine = toCodeableConcept(
    firstRepetition(segment, context.delimiters, 5),
    d,
  );
  if (context.patient === undefined || !occurrence || !vaccine)
    return undefined;
  const amount = valueAt(segment, d, 6).trim();
  const dose =
    amount !== UNKNOWN_DOSE && isNumeric(amount)
      ? compact({ value: toDecimal(amount), unit: valueAt(segment, d, 7, 1) })
      : undefined;

  return {
    resourceType: 'Immunization',
    id: resourceId(context, segment),
    status: COMPLETION[valueAt(segment, d, 20).trim()] ?? 'completed',
    vaccineCode: vaccine,
    patient: { reference: context.patient },
    occurrenceDateTime: occurrence,
    ...compact({
      encounter: context.encounter
        ? { reference: context.encounter }
        : undefined,
      lotNumber: valueAt(segment, d, 15),
      doseQuantity: dose,
    }),
  };
}
