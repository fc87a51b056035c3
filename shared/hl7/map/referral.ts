/** RF1 referral -> ServiceRequest, after the RF1[ServiceRequest] map. */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
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
  toCodeableConcept,
  toDateTime,
  toPeriod,
} from './datatypes.ts';

/**
 * Table 0283 referral status -> request-status. A pending referral awaits
 * the receiver's acceptance, so it is not yet active.
 */
const REFERRAL_STATUS = codeTable<string>({
  A: 'active',
  P: 'on-hold',
  R: 'revoked',
  E: 'completed',
});

/** Table 0280 referral priority -> request-priority. */
const REFERRAL_PRIORITY = codeTable<string>({
  S: 'stat',
  A: 'asap',
  R: 'routine',
});

/** EI -> Identifier (EI.1 value); the namespace alone is no system. */
function eiIdentifier(ei: string, d: Delimiters): Json | undefined {
  const value = leaf(ei, d, 1);
  return value.trim() === '' ? undefined : { value };
}

const concept = (segment: Segment, d: Delimiters, field: number) =>
  toCodeableConcept(firstRepetition(segment, d, field), d);

export function mapReferral(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;
  const f = (n: number) => valueAt(segment, d, n).trim();

  return {
    resourceType: 'ServiceRequest',
    id: resourceId(context, segment),
    status: REFERRAL_STATUS[f(1)] ?? 'unknown',
    intent: 'order',
    subject: { reference: context.patient },
    ...compact({
      identifier: present([
        eiIdentifier(firstRepetition(segment, d, 6), d),
        eiIdentifier(firstRepetition(segment, d, 11), d),
      ]),
      priority: REFERRAL_PRIORITY[f(2)],
      category: present([concept(segment, d, 3)]),
      locationCode: present([concept(segment, d, 5)]),
      occurrencePeriod: toPeriod(f(7), f(8)),
      authoredOn: toDateTime(f(9)),
      reasonCode: present([concept(segment, d, 10)]),
      encounter: context.encounter
        ? { reference: context.encounter }
        : undefined,
    }),
  };
}
