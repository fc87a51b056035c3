/** PR1 -> Procedure and RXA -> Immunization. */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import { isNumeric } from '../datatypes.ts';
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
  codeSystemUri,
  compact,
  type Json,
  present,
  toCodeableConcept,
  toDate,
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
const COMPLETION = codeTable<string>({
  CP: 'completed',
  PA: 'completed',
  RE: 'not-done',
  NA: 'not-done',
});

/** CVX 998 "no vaccine administered" and RXA-6 999 "unknown amount". */
const UNKNOWN_DOSE = '999';

const V2_0443 = 'http://terminology.hl7.org/CodeSystem/v2-0443';

/** XCN repetitions -> performers of one v2-0443 function (AP, OP). */
function immunizationPerformers(
  segment: Segment | undefined,
  field: number,
  code: string,
  d: Delimiters,
): Json[] {
  if (segment === undefined) return [];
  return repetitions(rawField(segment, field), d).flatMap((xcn) => {
    const actor = toPractitionerReference(xcn, d);
    const fn = { coding: [{ system: V2_0443, code }] };
    return actor ? [{ function: fn, actor }] : [];
  });
}

/** ORC-2/3 (ORC[Immunization]) -> identifiers typed PLAC and FILL. */
function orderIdentifiers(orc: Segment | undefined, d: Delimiters): Json[] {
  if (orc === undefined) return [];
  return present([
    toEntityIdentifier(firstRepetition(orc, d, 2), d, 'PLAC'),
    toEntityIdentifier(firstRepetition(orc, d, 3), d, 'FILL'),
  ]);
}

/**
 * RXA-9 administration notes, as the US CDC immunization guide reads them
 * (the RXA map leaves RXA-9 to such guides): 00 is a new record from the
 * source, so primarySource; any other code is the report origin.
 */
function source(segment: Segment, d: Delimiters): Json {
  const note = firstRepetition(segment, d, 9);
  const code = leaf(note, d, 1);
  if (code === '') return {};
  if (code === '00') return { primarySource: true };

  return {
    primarySource: false,
    reportOrigin: toCodeableConcept(note, d),
  };
}

/** RXA-6/7 -> doseQuantity; RXA-7 is a CWE unit (CWE[Quantity]). */
function doseQuantity(segment: Segment, d: Delimiters): Json | undefined {
  const amount = valueAt(segment, d, 6).trim();
  if (amount === UNKNOWN_DOSE || !isNumeric(amount)) return undefined;
  const unit = firstRepetition(segment, d, 7);
  const system = codeSystemUri(leaf(unit, d, 3));

  return compact({
    value: toDecimal(amount),
    unit: leaf(unit, d, 2) || leaf(unit, d, 1),
    system,
    code: system ? leaf(unit, d, 1) : undefined,
  });
}

function immunizationStatus(segment: Segment, d: Delimiters): string {
  if (valueAt(segment, d, 21).trim() === 'D') return 'entered-in-error';
  return COMPLETION[valueAt(segment, d, 20).trim()] ?? 'completed';
}

/**
 * ORC + RXA -> Immunization (ORC[Immunization], RXA[Immunization]).
 * Immunization needs patient, vaccineCode and an occurrence; an RXA without
 * a usable RXA-3 maps to nothing rather than to an invented date.
 */
export function mapImmunization(
  segment: Segment,
  context: MappingContext,
  orc?: Segment,
): FhirResource | undefined {
  const d = context.delimiters;
  const occurrence = toDateTime(valueAt(segment, d, 3));
  const vaccine = toCodeableConcept(firstRepetition(segment, d, 5), d);
  if (context.patient === undefined || !occurrence || !vaccine)
    return undefined;
  const recorded =
    valueAt(segment, d, 21).trim() === 'A'
      ? toDateTime(valueAt(segment, d, 22))
      : undefined;

  return {
    resourceType: 'Immunization',
    id: resourceId(context, segment),
    status: immunizationStatus(segment, d),
    vaccineCode: vaccine,
    patient: { reference: context.patient },
    occurrenceDateTime: occurrence,
    ...compact({
      identifier: orderIdentifiers(orc, d),
      encounter: context.encounter
        ? { reference: context.encounter }
        : undefined,
      recorded: recorded ?? (orc ? toDateTime(valueAt(orc, d, 9)) : undefined),
      ...source(segment, d),
      lotNumber: valueAt(segment, d, 15),
      expirationDate: toDate(valueAt(segment, d, 16)),
      doseQuantity: doseQuantity(segment, d),
      performer: [
        ...immunizationPerformers(orc, 12, 'OP', d),
        ...immunizationPerformers(segment, 10, 'AP', d),
      ],
      statusReason: toCodeableConcept(firstRepetition(segment, d, 18), d),
      reasonCode: present([
        toCodeableConcept(firstRepetition(segment, d, 19), d),
      ]),
    }),
  };
}

/** RXR-1 route and RXR-2 site of the Immunization (RXR[Immunization]). */
export function addRoute(
  immunization: FhirResource,
  rxr: Segment,
  d: Delimiters,
): void {
  const route = toCodeableConcept(firstRepetition(rxr, d, 1), d);
  const site = toCodeableConcept(firstRepetition(rxr, d, 2), d);
  if (route) immunization.route = route;
  if (site) immunization.site = site;
}
