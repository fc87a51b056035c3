/**
 * ORC + OBR -> ServiceRequest, and in result messages (ORU, OUL) OBR ->
 * DiagnosticReport whose `result` lists the OBX that follow it.
 */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
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
  compact,
  type Json,
  present,
  ROLE_CODE,
  toCodeableConcept,
  toDateTime,
  toEntityIdentifier,
  toIdentifier,
  toPractitionerReference,
  V2_0203,
} from './datatypes.ts';
import { legacyTiming, mergeTiming, PRIORITY } from './timing.ts';

/**
 * ORC-5 order status (table 0038) -> ServiceRequest.status, the OrderStatus
 * map; A (some results available) has no target there.
 */
const ORDER_STATUS = codeTable<string>({
  IP: 'active',
  SC: 'active',
  CM: 'completed',
  CA: 'revoked',
  DC: 'revoked',
  RP: 'revoked',
  ER: 'entered-in-error',
  HD: 'on-hold',
});

/**
 * ORC-1 order control (table 0119), used when ORC-5 is empty, after the
 * OrderControlCode[ServiceRequest.status] map: a request to cancel or hold
 * (CA, HD) leaves the order active until the filler confirms (CR, HR).
 * Codes the map leaves without a target give unknown.
 */
const ORDER_CONTROL = codeTable<string>({
  AF: 'active',
  CA: 'active',
  CR: 'revoked',
  DC: 'revoked',
  DF: 'revoked',
  DR: 'revoked',
  FU: 'completed',
  HD: 'active',
  HR: 'on-hold',
  NW: 'active',
  OC: 'revoked',
  OD: 'revoked',
  OH: 'on-hold',
  OK: 'active',
  PR: 'active',
  PY: 'active',
  RL: 'active',
  RO: 'active',
  RQ: 'active',
});

/** ORC-29 order type (table 0482) -> locationCode (OrderType map). */
const ORDER_TYPE = codeTable<string>({ I: 'HOSP', O: 'OF' });

/**
 * What ORC adds to the ServiceRequest (ORC[ServiceRequest] map): ORC-4
 * placer group as requisition (PGN), ORC-8 parent as a logical basedOn,
 * ORC-9 authoredOn for a new order, ORC-12 requester, ORC-29 locationCode.
 */
function orderDetail(orc: Segment | undefined, d: Delimiters): Json {
  if (orc === undefined) return {};
  const group = toEntityIdentifier(firstRepetition(orc, d, 4), d, 'PGN');
  // EIP[Identifier-PlacerAssignedGroupNumber] row 1 gives value and type
  // only: an EI.3 universal id sent in ORC-4 is not Identifier.system (as
  // for the ORC-2/3 order numbers).
  if (group !== undefined) delete group.system;
  const parent = toEntityIdentifier(firstRepetition(orc, d, 8), d);
  const orderType = ORDER_TYPE[valueAt(orc, d, 29).trim()];

  return {
    requisition: group,
    basedOn: parent && [{ type: 'ServiceRequest', identifier: parent }],
    authoredOn:
      valueAt(orc, d, 1).trim() === 'NW'
        ? toDateTime(valueAt(orc, d, 9))
        : undefined,
    requester: toPractitionerReference(firstRepetition(orc, d, 12), d),
    locationCode: orderType && [
      { coding: [{ system: ROLE_CODE, code: orderType }] },
    ],
  };
}

/**
 * OBR-25 result status (table 0123) -> DiagnosticReport.status, per the
 * ResultStatus[Non-Queries] map; A, M and N have no target (unknown).
 */
const REPORT_STATUS = codeTable<string>({
  O: 'registered',
  I: 'registered',
  S: 'registered',
  R: 'partial',
  P: 'preliminary',
  C: 'corrected',
  F: 'final',
  X: 'cancelled',
});

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
    identifiers.push({ type: { coding: [{ system: V2_0203, code }] }, value });
  }

  return identifiers;
}

/**
 * OBR-53 alternate placer order numbers (CX), else ORC-33: identifiers
 * typed PLAC (OBR[ServiceRequest] row 53, ORC[ServiceRequest] row 33).
 */
function alternatePlacerNumbers(
  obr: Segment,
  orc: Segment | undefined,
  d: Delimiters,
): Json[] {
  const fromObr = repetitions(rawField(obr, 53), d);
  const numbers =
    fromObr.length > 0 || orc === undefined
      ? fromObr
      : repetitions(rawField(orc, 33), d);

  return numbers.flatMap((cx) => {
    const identifier = toIdentifier(cx, d);
    if (identifier === undefined) return [];
    return [
      { ...identifier, type: { coding: [{ system: V2_0203, code: 'PLAC' }] } },
    ];
  });
}

export interface OrderResources {
  request: FhirResource;
  report?: FhirResource;
}

/** Repetitions of an OBR CWE field as CodeableConcepts. */
function concepts(obr: Segment, field: number, d: Delimiters): Json[] {
  return repetitions(rawField(obr, field), d).flatMap((cwe) =>
    present([toCodeableConcept(cwe, d)]),
  );
}

/**
 * What OBR adds (OBR[ServiceRequest] map): OBR-5 priority, OBR-6
 * occurrence, OBR-11 G reflex-order intent, OBR-16 requester when ORC-12
 * is empty, OBR-31 reasonCode, OBR-46/47 orderDetail.
 */
function requestDetail(obr: Segment, d: Delimiters): Json {
  return {
    intent: valueAt(obr, d, 11).trim() === 'G' ? 'reflex-order' : 'order',
    priority: PRIORITY[valueAt(obr, d, 5).trim()],
    occurrenceDateTime: toDateTime(valueAt(obr, d, 6)),
    requester: toPractitionerReference(firstRepetition(obr, d, 16), d),
    reasonCode: concepts(obr, 31, d),
    orderDetail: [...concepts(obr, 46, d), ...concepts(obr, 47, d)],
  };
}

/**
 * The order's TQ: ORC-7 (ORC[ServiceRequest] row 7), else OBR-27 when ORC-6
 * and ORC-7 are both empty (OBR[ServiceRequest] row 27); the first
 * repetition.
 */
function orderTiming(obr: Segment, orc: Segment | undefined, d: Delimiters) {
  const fromOrc = orc === undefined ? '' : firstRepetition(orc, d, 7);
  const useObr =
    fromOrc === '' && (orc === undefined || valueAt(orc, d, 6) === '');

  return legacyTiming(useObr ? firstRepetition(obr, d, 27) : fromOrc, d);
}

/**
 * OBR-29 parent result -> a logical `basedOn` (OBR[ServiceRequest] row
 * 29, only while OBR-50 is empty): EIP.1 typed PLAC, or when only the
 * filler's number is sent EIP.2 typed FILL; the row leaves the choice to
 * the implementation when both are valued, and the placer's is kept.
 */
function parentResult(obr: Segment, d: Delimiters): Json[] {
  if (valueAt(obr, d, 50) !== '') return [];
  const eip = firstRepetition(obr, d, 29);
  const placer = leaf(eip, d, 1, 1);
  const [value, code] =
    placer !== '' ? [placer, 'PLAC'] : [leaf(eip, d, 2, 1), 'FILL'];
  if (value.trim() === '') return [];
  const type = { coding: [{ system: V2_0203, code }] };

  return [{ type: 'ServiceRequest', identifier: { type, value } }];
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
      identifier: [
        ...orderIdentifiers(obr, context, orc),
        ...alternatePlacerNumbers(obr, orc, d),
      ],
      code,
      encounter,
      ...requestDetail(obr, d),
      ...compact(orderDetail(orc, d)),
    }),
  };
  const basedOn = [
    ...((request.basedOn as Json[] | undefined) ?? []),
    ...parentResult(obr, d),
  ];
  if (basedOn.length > 0) request.basedOn = basedOn;
  mergeTiming(request, orderTiming(obr, orc, d));
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
      // ORC-4 joins the order numbers (ORC[DiagnosticReport] row 4): EIP.1
      // typed PGN, as EIP[Identifier-PlacerAssignedGroupNumber] says. EIP.2,
      // the filler's group number, is not mapped.
      identifier: present([
        ...orderIdentifiers(obr, context),
        request.requisition ? { ...(request.requisition as Json) } : undefined,
      ]),
      encounter: context.encounter
        ? { reference: context.encounter }
        : undefined,
      effectiveDateTime: toDateTime(valueAt(obr, d, 7)),
      issued: issued?.includes('T') ? issued : undefined,
    }),
    result: [],
  };
}
