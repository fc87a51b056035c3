/** PR1 -> Procedure and RXA -> Immunization. */
import type { FhirResource } from '../../validation/types.ts';
import { isNumeric } from '../datatypes.ts';
import { firstRepetition, type Segment, valueAt } from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  compact,
  toCodeableConcept,
  toDateTime,
  toDecimal,
} from './datatypes.ts';

/** PR1 reports procedures done, hence status completed. */
export function mapProcedure(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;
  const description = valueAt(segment, d, 4);

  return {
    resourceType: 'Procedure',
    id: resourceId(context, segment),
    status: 'completed',
    subject: { reference: context.patient },
    ...compact({
      code:
        toCodeableConcept(firstRepetition(segment, context.delimiters, 3), d) ??
        compact({ text: description }),
      encounter: context.encounter
        ? { reference: context.encounter }
        : undefined,
      performedDateTime: toDateTime(valueAt(segment, d, 5)),
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
