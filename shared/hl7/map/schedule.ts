/** SCH (+ TQ1 timing) -> Appointment; TXA -> DocumentReference. */
import type { FhirResource } from '../../validation/types.ts';
import { firstRepetition, type Segment, valueAt } from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  compact,
  type Json,
  present,
  tableConcept,
  toCodeableConcept,
  toDateTime,
  V2_0203,
} from './datatypes.ts';

/** SCH-25 filler status (table 0278) -> Appointment.status. */
const APPOINTMENT_STATUS: Readonly<Record<string, string>> = {
  Pending: 'pending',
  Waitlist: 'waitlist',
  Booked: 'booked',
  Started: 'checked-in',
  Complete: 'fulfilled',
  Cancelled: 'cancelled',
  Dc: 'cancelled',
  Deleted: 'entered-in-error',
  Blocked: 'booked',
  Overbook: 'booked',
  Noshow: 'noshow',
};

/** Trigger events that fix the status whatever SCH-25 says. */
const EVENT_STATUS: Readonly<Record<string, string>> = {
  S15: 'cancelled',
  S17: 'entered-in-error',
  S26: 'noshow',
};

function typedId(value: string, code: string): Json | undefined {
  if (value === '') return undefined;
  return { type: { coding: [{ system: V2_0203, code }] }, value };
}

export function mapAppointment(
  sch: Segment,
  tq1: Segment | undefined,
  context: MappingContext,
): FhirResource {
  const d = context.delimiters;
  const f = (n: number, c = 1) => valueAt(sch, d, n, c);
  const start = tq1 ? toDateTime(valueAt(tq1, d, 7)) : undefined;
  const end = tq1 ? toDateTime(valueAt(tq1, d, 8)) : undefined;
  const duration = Number(f(9));
  const zoned = (value?: string) => (value?.includes('T') ? value : undefined);

  return {
    resourceType: 'Appointment',
    id: resourceId(context, sch),
    status:
      EVENT_STATUS[context.trigger] ?? APPOINTMENT_STATUS[f(25)] ?? 'booked',
    participant: [
      {
        actor: context.patient ? { reference: context.patient } : undefined,
        status: 'accepted',
      },
    ].map((p) => compact(p) ?? { status: 'accepted' }),
    ...compact({
      identifier: present([typedId(f(1), 'PLAC'), typedId(f(2), 'FILL')]),
      appointmentType: toCodeableConcept(firstRepetition(sch, d, 8), d),
      reasonCode: present([toCodeableConcept(firstRepetition(sch, d, 7), d)]),
      start: zoned(start),
      end: zoned(end),
      minutesDuration:
        Number.isInteger(duration) && duration > 0 && f(10, 1) === 'Min'
          ? duration
          : undefined,
    }),
  };
}

/** TXA-17 completion status (table 0271) -> DocumentReference.docStatus. */
const DOC_STATUS: Readonly<Record<string, string>> = {
  DI: 'preliminary',
  DO: 'preliminary',
  IP: 'preliminary',
  IN: 'preliminary',
  PA: 'preliminary',
  AU: 'final',
  LA: 'final',
};

/** TXA-19 availability (table 0273): cancelled/obsolete -> superseded. */
function documentStatus(availability: string): string {
  return availability === 'CA' || availability === 'OB'
    ? 'superseded'
    : 'current';
}

/**
 * How a document relates to its parent (TXA-13), by the MDM event: T05/T06
 * add an addendum, T09/T10 replace the parent (MDM_T02 and TXA mapping,
 * relatesTo rows). Other events name no relation, so none is made.
 */
const PARENT_RELATION: Readonly<Record<string, string>> = {
  T05: 'appends',
  T06: 'appends',
  T09: 'replaces',
  T10: 'replaces',
};

function relatesTo(parent: string, trigger: string): Json[] | undefined {
  const code = PARENT_RELATION[trigger];
  if (parent === '' || code === undefined) return undefined;
  return [
    {
      code,
      target: { type: 'DocumentReference', identifier: { value: parent } },
    },
  ];
}

/**
 * The document body is in the OBX that follow; they become Observations,
 * so the attachment here holds the creation time and the content type only.
 */
export function mapDocument(
  txa: Segment,
  context: MappingContext,
): FhirResource {
  const d = context.delimiters;
  const f = (n: number, c = 1) => valueAt(txa, d, n, c);
  const created = toDateTime(f(6)) ?? toDateTime(f(4));

  return {
    resourceType: 'DocumentReference',
    id: resourceId(context, txa),
    status: documentStatus(f(19)),
    content: [
      {
        attachment: compact({
          contentType: f(3) === 'TX' ? 'text/plain' : undefined,
          creation: created,
        }) ?? { title: 'document' },
      },
    ],
    ...compact({
      masterIdentifier: f(12) === '' ? undefined : { value: f(12) },
      type: tableConcept('0270', f(2)),
      docStatus: DOC_STATUS[f(17)],
      relatesTo: relatesTo(f(13), context.trigger),
      subject: context.patient ? { reference: context.patient } : undefined,
      context: compact({
        encounter: context.encounter
          ? [{ reference: context.encounter }]
          : undefined,
        period: compact({ start: toDateTime(f(4)) }),
      }),
    }),
  };
}
