/** IN1 (+ IN2 identifiers) -> Coverage. */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import { firstRepetition, type Segment, valueAt } from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  codeSystemUri,
  compact,
  type Json,
  present,
  toCodeableConcept,
  toDateTime,
} from './datatypes.ts';

const COVERAGE_CLASS = 'http://terminology.hl7.org/CodeSystem/coverage-class';
const RELATIONSHIP =
  'http://terminology.hl7.org/CodeSystem/subscriber-relationship';

/** IN1-17 insured's relationship (table 0063) -> subscriber-relationship. */
export const SUBSCRIBER = codeTable<string>({
  SEL: 'self',
  SPO: 'spouse',
  DOM: 'spouse',
  CHD: 'child',
  PAR: 'parent',
  EME: 'other',
  OTH: 'other',
});

function coverageClass(
  code: string,
  value: string,
  name: string,
): Json | undefined {
  if (value === '') return undefined;
  return compact({
    type: { coding: [{ system: COVERAGE_CLASS, code }] },
    value,
    name,
  });
}

/**
 * Coverage.payor is required and the payor Organization is not built from
 * XON yet, so IN1-3/IN1-4 become a logical reference (identifier, display).
 */
function payor(segment: Segment, context: MappingContext): Json {
  const d = context.delimiters;
  const id = valueAt(segment, d, 3, 1);
  const name = valueAt(segment, d, 4, 1);

  const named = compact({
    identifier: id === '' ? undefined : { value: id },
    display: name,
  });
  // Without IN1-3 or IN1-4 there is no payor to type as an Organization.
  return named
    ? { type: 'Organization', ...named }
    : { display: 'unknown payor' };
}

/**
 * Coverage.identifier: IN1-2 health plan id (IN1[Coverage] row 2: CWE.1
 * value, CWE.3 system), then IN1-36 policy number. The guidance gives
 * IN1-36 no row; we keep it because claims are joined on it, and it is the
 * one IN1 number an analyst asks for by name.
 */
function identifiers(f: (n: number, c?: number) => string): Json[] {
  const plan = f(2, 1);
  return present([
    plan === ''
      ? undefined
      : compact({ system: codeSystemUri(f(2, 3)), value: plan }),
    f(36) === '' ? undefined : { value: f(36) },
  ]);
}

export function mapCoverage(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;
  const f = (n: number, c = 1) => valueAt(segment, d, n, c);
  const relationship = SUBSCRIBER[f(17)];

  return {
    resourceType: 'Coverage',
    id: resourceId(context, segment),
    status: 'active',
    beneficiary: { reference: context.patient },
    payor: [payor(segment, context)],
    ...compact({
      identifier: identifiers(f),
      type: toCodeableConcept(firstRepetition(segment, d, 15), d),
      class: present([
        coverageClass('plan', f(2, 1), f(2, 2)),
        coverageClass('group', f(8), f(9)),
      ]),
      subscriberId: f(49),
      relationship: relationship
        ? { coding: [{ system: RELATIONSHIP, code: relationship }] }
        : undefined,
      // IN1[Coverage] rows 12 and 13: period is dateTime, so a sender's
      // time (IN1-12/13 sent as DTM) is kept.
      period: compact({ start: toDateTime(f(12)), end: toDateTime(f(13)) }),
    }),
  };
}
