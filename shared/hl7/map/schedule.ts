/** SCH (+ TQ1 timing) -> Appointment. */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import {
  type Delimiters,
  firstRepetition,
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
  toPositiveInt,
  V2_0203,
} from './datatypes.ts';

/**
 * SCH-25 filler status (table 0278) -> Appointment.status, by the
 * FillerStatusCodes[Appointment] map. The map gives Dc (Discontinued),
 * Blocked and Overbook no target, and the status is required: we read a
 * discontinued appointment as cancelled (it will not take place) and a
 * blocked or overbooked slot as booked (a choice).
 */
const APPOINTMENT_STATUS = codeTable<string>({
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
});

/**
 * SCH-25 as table 0278 spells it (`Cancelled`, `Dc`): senders also send
 * `CANCELLED` or `cancelled`, which name the same status.
 */
export function fillerStatus(sch: Segment, d: Delimiters): string {
  const code = valueAt(sch, d, 25).trim();
  return code.charAt(0).toUpperCase() + code.slice(1).toLowerCase();
}

/** Trigger events that fix the status whatever SCH-25 says. */
const EVENT_STATUS = codeTable<string>({
  S15: 'cancelled',
  S17: 'entered-in-error',
  S26: 'noshow',
});

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
  // minutesDuration is a positiveInt: 1e20 or 1.5 is none.
  const duration = toPositiveInt(f(9));
  const zoned = (value?: string) => (value?.includes('T') ? value : undefined);

  return {
    resourceType: 'Appointment',
    id: resourceId(context, sch),
    status:
      EVENT_STATUS[context.trigger] ??
      APPOINTMENT_STATUS[fillerStatus(sch, d)] ??
      'booked',
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
      minutesDuration: f(10, 1) === 'Min' ? duration : undefined,
    }),
  };
}
