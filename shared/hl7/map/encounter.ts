/** PV1 -> Encounter. */
import type { FhirResource } from '../../validation/types.ts';
import { firstRepetition, type Segment, valueAt } from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  compact,
  present,
  tableConcept,
  toCodeableConcept,
  toDateTime,
  toIdentifier,
} from './datatypes.ts';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

/** HL7 table 0004 patient class -> v3 ActCode, per the v2-to-FHIR map. */
const PATIENT_CLASS: Readonly<
  Record<string, { code: string; display: string }>
> = {
  E: { code: 'EMER', display: 'emergency' },
  I: { code: 'IMP', display: 'inpatient encounter' },
  B: { code: 'IMP', display: 'inpatient encounter' },
  O: { code: 'AMB', display: 'ambulatory' },
  R: { code: 'AMB', display: 'ambulatory' },
  P: { code: 'PRENC', display: 'pre-admission' },
};

/** Trigger events whose meaning fixes the encounter status. */
const EVENT_STATUS: Readonly<Record<string, string>> = {
  A03: 'finished',
  A05: 'planned',
  A14: 'planned',
  A11: 'cancelled',
  A27: 'cancelled',
  A38: 'cancelled',
};

function encounterClass(code: string): Record<string, string> {
  const known = PATIENT_CLASS[code];
  if (known) return { system: ACT_CODE, ...known };
  if (code === '') {
    return {
      system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
      code: 'UNK',
    };
  }

  return { system: 'http://terminology.hl7.org/CodeSystem/v2-0004', code };
}

/**
 * The event decides first; then PV1-45 (discharged), pre-admission class,
 * an ADT event or PV1-44 (admitted) mean the visit is under way.
 */
function encounterStatus(
  trigger: string,
  patientClass: string,
  period: { start?: string; end?: string },
): string {
  const fromEvent = EVENT_STATUS[trigger];
  if (fromEvent) return fromEvent;
  if (period.end) return 'finished';
  if (patientClass === 'P') return 'planned';
  if (trigger.startsWith('A') || period.start) return 'in-progress';

  return 'unknown';
}

export function mapEncounter(
  segment: Segment,
  context: MappingContext,
): FhirResource {
  const d = context.delimiters;
  const patientClass = valueAt(segment, d, 2).trim();
  const start = toDateTime(valueAt(segment, d, 44));
  const end = toDateTime(valueAt(segment, d, 45));
  const visit = firstRepetition(segment, d, 19);

  return {
    resourceType: 'Encounter',
    id: resourceId(context, segment),
    status: encounterStatus(context.trigger, patientClass, { start, end }),
    class: encounterClass(patientClass),
    ...compact({
      identifier: [toIdentifier(visit, d)].filter((id) => id !== undefined),
      subject: context.patient ? { reference: context.patient } : undefined,
      period: compact({ start, end }),
      type: present([tableConcept('0007', valueAt(segment, d, 4).trim())]),
      serviceType: tableConcept('0069', valueAt(segment, d, 10).trim()),
      hospitalization: compact({
        admitSource: tableConcept('0023', valueAt(segment, d, 14).trim()),
        dischargeDisposition: tableConcept(
          '0112',
          valueAt(segment, d, 36).trim(),
        ),
      }),
    }),
  };
}

/** PV2-3 admit reason -> reasonCode, PV2-25 visit priority -> priority. */
export function addVisitDetail(
  encounter: FhirResource,
  pv2: Segment,
  context: MappingContext,
): void {
  const d = context.delimiters;
  const reason = toCodeableConcept(firstRepetition(pv2, d, 3), d);
  const priority = tableConcept('0217', valueAt(pv2, d, 25).trim());
  if (reason) encounter.reasonCode = [reason];
  if (priority) encounter.priority = priority;
}
