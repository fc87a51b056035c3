/**
 * The resource segments of a scheduling message: AIS (service) ->
 * ServiceRequest that the Appointment is based on, and AIG (general
 * resource), AIL (location) and AIP (personnel) -> Appointment.participant
 * (AIS/AIG/AIL/AIP[Appointment] and AIS[ServiceRequest] maps).
 */
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
  toCodeableConcept,
  toDateTime,
  toLocationReference,
  toPractitionerReference,
} from './datatypes.ts';
import { fillerStatus } from './schedule.ts';

/**
 * Table 0278 filler status of one resource -> participant status. The maps
 * give the field (AIP-12 -> participant.status) but no concept map, and
 * R4 needs a status: a resource booked is accepted, one cancelled,
 * discontinued (Dc) or deleted declined, and anything else, an empty field
 * included, tentative.
 */
const PARTICIPANT_STATUS = codeTable<string>({
  Booked: 'accepted',
  Started: 'accepted',
  Complete: 'accepted',
  Cancelled: 'declined',
  Dc: 'declined',
  Deleted: 'declined',
});

function push(resource: FhirResource, key: string, value: Json): void {
  resource[key] = [...((resource[key] as Json[] | undefined) ?? []), value];
}

/**
 * SCH-25 -> the status of the ServiceRequest for a booked service
 * (SCH[ServiceRequest] row 25; row 0: active when SCH-25 is empty, whatever
 * the trigger event). Row 25 names the Appointment's FillerStatusCodes map,
 * whose codes a request cannot take, so we translate them (a choice): an
 * appointment cancelled, discontinued or missed revokes the request, a
 * completed one fulfils it, a deleted one was entered in error; any other
 * status leaves it active.
 */
const REQUEST_STATUS = codeTable<string>({
  Cancelled: 'revoked',
  Dc: 'revoked',
  Noshow: 'revoked',
  Complete: 'completed',
  Deleted: 'entered-in-error',
});

/** AIS -> a ServiceRequest for the booked service (AIS-3 code). */
export function mapService(
  ais: Segment,
  sch: Segment | undefined,
  appointment: FhirResource | undefined,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;
  const code = toCodeableConcept(firstRepetition(ais, d, 3), d);
  const request: FhirResource = {
    resourceType: 'ServiceRequest',
    id: resourceId(context, ais),
    status: (sch && REQUEST_STATUS[fillerStatus(sch, d)]) || 'active',
    intent: 'order',
    subject: { reference: context.patient },
    ...compact({
      code,
      occurrencePeriod: compact({ start: zoned(valueAt(ais, d, 4)) }),
    }),
  };
  if (appointment) {
    push(appointment, 'basedOn', {
      reference: `ServiceRequest/${request.id}`,
    });
    if (code) push(appointment, 'serviceType', code);
  }

  return request;
}

const zoned = (ts: string) => {
  const value = toDateTime(ts);
  return value?.includes('T') ? value : undefined;
};

interface ResourceFields {
  /** The resource id field and how to name its logical reference. */
  actor: (segment: Segment, d: Delimiters) => Json | undefined;
  /** The resource type field; AIL-4 (location type) has no target. */
  type?: number;
  start: number;
  status: number;
}

const RESOURCE_FIELDS = codeTable<ResourceFields>({
  AIG: {
    actor: (s, d) => {
      const cwe = firstRepetition(s, d, 3);
      return logical('Device', leaf(cwe, d, 2) || leaf(cwe, d, 1));
    },
    type: 4,
    start: 8,
    status: 14,
  },
  AIL: {
    actor: (s, d) => toLocationReference(firstRepetition(s, d, 3), d),
    start: 6,
    status: 12,
  },
  AIP: {
    actor: (s, d) => toPractitionerReference(firstRepetition(s, d, 3), d),
    type: 4,
    start: 6,
    status: 12,
  },
});

function logical(type: string, display: string): Json | undefined {
  return display === '' ? undefined : { type, display };
}

/** AIG/AIL/AIP -> one more participant of the Appointment. */
export function addParticipant(
  appointment: FhirResource,
  segment: Segment,
  d: Delimiters,
): void {
  const fields = RESOURCE_FIELDS[segment.name];
  if (fields === undefined) return;
  const actor = fields.actor(segment, d);
  const type =
    fields.type === undefined
      ? undefined
      : toCodeableConcept(firstRepetition(segment, d, fields.type), d);
  if (actor === undefined && type === undefined) return;
  const status = leaf(firstRepetition(segment, d, fields.status), d, 1);
  push(appointment, 'participant', {
    ...compact({
      type: type && [type],
      actor,
    }),
    status: PARTICIPANT_STATUS[status] ?? 'tentative',
    ...compact({
      period: compact({ start: zoned(valueAt(segment, d, fields.start)) }),
    }),
  });
}
