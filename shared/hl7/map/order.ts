/**
 * ORC + OBR -> ServiceRequest, and in result messages (ORU, OUL) OBR ->
 * DiagnosticReport whose `result` lists the OBX that follow it.
 */
import type { FhirResource } from '../../validation/types.ts';
import { firstRepetition, type Segment, valueAt } from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  compact,
  type Json,
  toCodeableConcept,
  toDateTime,
} from './datatypes.ts';

/** ORC-5 order status (table 0038) -> ServiceRequest.status. */
const ORDER_STATUS: Readonly<Record<string, string>> = {
  A: 'active',
  IP: 'active',
  SC: 'active',
  CM: 'completed',
  CA: 'revoked',
  DC: 'revoked',
  RP: 'revoked',
  ER: 'entered-in-error',
  HD: 'on-hold',
};

/** ORC-1 order control (table 0119), used when ORC-5 is empty. */
const ORDER_CONTROL: Readonly<Record<string, string>> = {
  NW: 'active',
  SC: 'active',
  XO: 'active',
  RE: 'active',
  CA: 'revoked',
  OC: 'revoked',
  DC: 'revoked',
  OD: 'revoked',
  HD: 'on-hold',
  OH: 'on-hold',
};

/** OBR-25 result status (table 0123) -> DiagnosticReport.status. */
const REPORT_STATUS: Readonly<Record<string, string>> = {
  O: 'registered',
  I: 'registered',
  S: 'registered',
  A: 'partial',
  R: 'partial',
  P: 'preliminary',
  C: 'corrected',
  F: 'final',
  X: 'cancelled',
};

const RESULT_MESSAGES = new Set(['ORU', 'OUL']);

function orderStatus(
  orc: Segment | undefined,
  context: MappingContext,
): string {
  if (orc === undefined) return 'unknown';
  const d = context.delimiters;
  const status = ORDER_STATUS[valueAt(orc, d, 5).trim()];

  return status ?? ORDER_CONTROL[valueAt(orc, d, 1).trim()] ?? 'unknown';
}

/**
 * OBR-2 placer and OBR-3 filler order numbers, typed PLAC and FILL; ORC-2
 * and ORC-3 carry the same numbers and stand in when OBR leaves them empty.
 */
function orderIdentifiers(
  obr: Segment,
  context: MappingContext,
  orc?: Segment,
): Json[] {
  const d = context.delimiters;
  const identifiers: Json[] = [];
  for (const [field, code] of [
    [2, 'PLAC'],
    [3, 'FILL'],
  ] as const) {
    const fromObr = valueAt(obr, d, field, 1);
    const value =
      fromObr !== '' || orc === undefined ? fromObr : valueAt(orc, d, field, 1);
    if (value === '') continue;
    const system = 'http://terminology.hl7.org/CodeSystem/v2-0203';
    identifiers.push({ type: { coding: [{ system, code }] }, value });
  }

  return identifiers;
}

export interface OrderResources {
  request: FhirResource;
  report?: FhirResource;
}

/** A ServiceRequest needs a subject, so an order without PID maps to nothing. */
export function mapOrder(
  obr: Segment,
  orc: Segment | undefined,
  context: MappingContext,
  messageType: string,
): OrderResources | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;
  const code = toCodeableConcept(firstRepetition(obr, d, 4), d);
  const subject = { reference: context.patient };
  const encounter = context.encounter
    ? { reference: context.encounter }
    : undefined;
  const request: FhirResource = {
    resourceType: 'ServiceRequest',
    id: resourceId(context, obr, 'SR'),
    status: orderStatus(orc, context),
    intent: 'order',
    subject,
    ...compact({
      identifier: orderIdentifiers(obr, context, orc),
      code,
      encounter,
      authoredOn: orc ? toDateTime(valueAt(orc, d, 9)) : undefined,
    }),
  };
  if (!RESULT_MESSAGES.has(messageType)) return { request };

  return { request, report: mapReport(obr, context, request, code) };
}

function mapReport(
  obr: Segment,
  context: MappingContext,
  request: FhirResource,
  code: Json | undefined,
): FhirResource {
  const d = context.delimiters;
  const issued = toDateTime(valueAt(obr, d, 22));

  return {
    resourceType: 'DiagnosticReport',
    id: resourceId(context, obr, 'DR'),
    status: REPORT_STATUS[valueAt(obr, d, 25).trim()] ?? 'unknown',
    code: code ?? { text: 'unknown' },
    subject: { reference: context.patient },
    basedOn: [{ reference: `ServiceRequest/${request.id}` }],
    ...compact({
      identifier: orderIdentifiers(obr, context),
      encounter: context.encounter
        ? { reference: context.encounter }
        : undefined,
      effectiveDateTime: toDateTime(valueAt(obr, d, 7)),
      issued: issued?.includes('T') ? issued : undefined,
    }),
    result: [],
  };
}
