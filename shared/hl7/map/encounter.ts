/** PV1 -> Encounter. */
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
  tableConcept,
  toCodeableConcept,
  toDateTime,
  toIdentifier,
  toLocationReference,
  toPositiveInt,
  toPractitionerReference,
  V2_0203,
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

const VISIT_NUMBER = {
  coding: [{ system: V2_0203, code: 'VN' }],
};

const PARTICIPATION =
  'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';

/** PV1 doctor fields -> participant type (PV1[Encounter] map rows). */
const DOCTOR_FIELDS = [
  [7, 'ATND'],
  [8, 'REF'],
  [9, 'CON'],
  [17, 'ADM'],
  [52, 'PART'],
] as const;

/**
 * Practitioner resources are not built from XCN yet, so each participant
 * is a logical reference: XCN.1 as identifier, the name as display.
 */
function participants(
  segment: Segment,
  d: Delimiters,
  fields: readonly (readonly [number, string])[] = DOCTOR_FIELDS,
): Json[] {
  return fields.flatMap(([field, code]) =>
    repetitions(rawField(segment, field), d).flatMap((xcn) => {
      const individual = toPractitionerReference(xcn, d);
      if (individual === undefined) return [];
      const type = [{ coding: [{ system: PARTICIPATION, code }] }];
      return [{ type, individual }];
    }),
  );
}

/**
 * PV1 location fields -> Encounter.location status (PV1[Encounter] rows):
 * PV1-3 is planned for a pre-admission (PV1-2 P), else active; PV1-42
 * pending is reserved.
 */
function locationFields(patientClass: string) {
  return [
    [3, patientClass === 'P' ? 'planned' : 'active'],
    [6, 'completed'],
    [11, 'active'],
    [42, 'reserved'],
    [43, 'completed'],
  ] as const;
}

/** PV1 locations as logical Location references with their status. */
function locations(segment: Segment, d: Delimiters, patientClass: string) {
  return locationFields(patientClass).flatMap(([field, status]) => {
    const location = toLocationReference(firstRepetition(segment, d, field), d);
    return location ? [{ location, status }] : [];
  });
}

/**
 * Trigger event (MSH-9.2) -> status, the Event[EncounterStatus] map used by
 * MSH[Encounter] row 9; A14, A27 and A38 (pending admit, its cancellation,
 * cancelled pre-admit) are not in the map and follow A05 and A11.
 */
const EVENT_STATUS = codeTable<string>({
  A01: 'in-progress',
  A02: 'in-progress',
  A03: 'finished',
  A04: 'planned',
  A05: 'planned',
  A08: 'unknown',
  A11: 'cancelled',
  A13: 'in-progress',
  A14: 'planned',
  A27: 'cancelled',
  A38: 'cancelled',
});

/** Cancel discharge and cancel pending discharge. */
const CANCELS_DISCHARGE = new Set(['A13', 'A25']);

/** PV1-2 patient class -> status, the PatientClass[EncounterStatus] map. */
const CLASS_STATUS = codeTable<string>({
  E: 'in-progress',
  I: 'in-progress',
  O: 'in-progress',
  P: 'planned',
  R: 'in-progress',
  B: 'in-progress',
  C: 'in-progress',
  N: 'in-progress',
  U: 'unknown',
});

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
 * A cancelling event decides first; then a discharge time means finished
 * (PV1 row 45; a cancelled discharge gives none); then the event
 * (MSH[Encounter] row 9), then the patient class (PV1 row 2).
 */
function encounterStatus(
  trigger: string,
  patientClass: string,
  period: { start?: string; end?: string },
): string {
  const fromEvent = EVENT_STATUS[trigger];
  if (fromEvent === 'cancelled') return fromEvent;
  if (period.end) return 'finished';

  return fromEvent ?? CLASS_STATUS[patientClass] ?? 'unknown';
}

export function mapEncounter(
  segment: Segment,
  context: MappingContext,
): FhirResource {
  const d = context.delimiters;
  const patientClass = valueAt(segment, d, 2).trim();
  const start = toDateTime(valueAt(segment, d, 44));
  // A13 and A25 cancel a discharge and a pending discharge: the visit goes
  // on (Event[EncounterStatus] A13 in-progress), so PV1-45, which still
  // carries the cancelled time, ends nothing. PV1 row 45 has no condition;
  // leaving period.end out here is our choice.
  const end = CANCELS_DISCHARGE.has(context.trigger)
    ? undefined
    : toDateTime(valueAt(segment, d, 45));
  const visit = firstRepetition(segment, d, 19);
  // PV1-19 is the visit number whatever CX.5 says (PV1[Encounter] row 19).
  const visitId = toIdentifier(visit, d);
  if (visitId) visitId.type = VISIT_NUMBER;

  return {
    resourceType: 'Encounter',
    id: resourceId(context, segment),
    status: encounterStatus(context.trigger, patientClass, { start, end }),
    class: encounterClass(patientClass),
    ...compact({
      // PV1-50 alternate visit id is one more identifier of the visit.
      identifier: present([
        visitId,
        toIdentifier(firstRepetition(segment, d, 50), d),
      ]),
      participant: participants(segment, d),
      location: locations(segment, d, patientClass),
      subject: context.patient ? { reference: context.patient } : undefined,
      period: compact({ start, end }),
      type: present([tableConcept('0007', valueAt(segment, d, 4).trim())]),
      serviceType: tableConcept('0069', valueAt(segment, d, 10).trim()),
      hospitalization: compact({
        preAdmissionIdentifier: toIdentifier(firstRepetition(segment, d, 5), d),
        reAdmission: tableConcept('0092', valueAt(segment, d, 13).trim()),
        dietPreference: present([
          toCodeableConcept(firstRepetition(segment, d, 38), d),
        ]),
        admitSource: tableConcept('0023', valueAt(segment, d, 14).trim()),
        dischargeDisposition: tableConcept(
          '0112',
          valueAt(segment, d, 36).trim(),
        ),
      }),
    }),
  };
}

const ACT_PRIORITY = 'http://terminology.hl7.org/CodeSystem/v3-ActPriority';

/** Table 0217 visit priority -> v3 ActPriority (table-hl70217 map). */
const VISIT_PRIORITY = codeTable<string>({
  '1': 'EM',
  '2': 'UR',
  '3': 'EL',
});

/** PV2-25: each of CWE.1 and CWE.4 translated, else kept in table 0217. */
function visitPriority(cwe: string, d: Delimiters): Json | undefined {
  const codes = [leaf(cwe, d, 1), leaf(cwe, d, 4)].filter((c) => c !== '');
  const coding = codes.map((code) => {
    const priority = VISIT_PRIORITY[code];
    return priority
      ? { system: ACT_PRIORITY, code: priority }
      : { system: 'http://terminology.hl7.org/CodeSystem/v2-0217', code };
  });

  return coding.length === 0 ? undefined : { coding };
}

/** PV2-11 actual length of stay in days -> Encounter.length. */
function lengthOfStay(days: string): Json | undefined {
  // Whole days a double holds exactly: 400 digits would be Infinity.
  if (!/^\d{1,9}$/.test(days)) return undefined;
  return {
    value: Number(days),
    unit: 'd',
    system: 'http://unitsofmeasure.org',
    code: 'd',
  };
}

/**
 * PV2-3 admit reason -> reasonCode, PV2-11 -> length, PV2-13 referral
 * source -> participant REF, PV2-25 visit priority -> priority.
 */
export function addVisitDetail(
  encounter: FhirResource,
  pv2: Segment,
  context: MappingContext,
): void {
  const d = context.delimiters;
  const reason = toCodeableConcept(firstRepetition(pv2, d, 3), d);
  const priority = visitPriority(firstRepetition(pv2, d, 25), d);
  const length = lengthOfStay(valueAt(pv2, d, 11).trim());
  const referrers = participants(pv2, d, [[13, 'REF']]);
  if (reason) encounter.reasonCode = [reason];
  if (priority) encounter.priority = priority;
  if (length) encounter.length = length;
  if (referrers.length > 0) {
    const known = (encounter.participant as Json[] | undefined) ?? [];
    encounter.participant = [...known, ...referrers];
  }
}

const DIAGNOSIS_ROLE = 'http://terminology.hl7.org/CodeSystem/diagnosis-role';

/**
 * DG1 -> Encounter.diagnosis (DG1[Encounter] map): the Condition, DG1-6
 * type as `use` (DiagnosisType map: A -> AD; W and F have no target and
 * stay in table 0052) and DG1-15 priority as `rank`.
 */
export function addDiagnosis(
  encounter: FhirResource,
  dg1: Segment,
  condition: FhirResource,
  d: Delimiters,
): void {
  const type = valueAt(dg1, d, 6).trim();
  const use =
    type === 'A'
      ? { coding: [{ system: DIAGNOSIS_ROLE, code: 'AD' }] }
      : tableConcept('0052', type);
  const diagnosis = compact({
    condition: { reference: `Condition/${condition.id}` },
    use,
    rank: toPositiveInt(valueAt(dg1, d, 15)),
  });
  const known = (encounter.diagnosis as Json[] | undefined) ?? [];
  encounter.diagnosis = [...known, diagnosis];
}
