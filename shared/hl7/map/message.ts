/**
 * Maps one accepted message to FHIR R4 resources, segment by segment in
 * message order. Each PID opens a patient group (ORU_R01 PATIENT_RESULT,
 * ADT_A39 merges, A17 swaps, A24/A37 links, query responses, SIU PATIENT
 * groups): its Patient is the subject of what follows, up to the next PID,
 * and each PV1 the encounter until the next. An SIU's RESOURCES (from RGS)
 * go back to the first patient, whom the appointment names. In OML and
 * OMG a PID, PV1 or AL1 after the order has begun opens PRIOR_RESULT
 * instead, which maps to nothing (see `endsPriorResult`).
 */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import { type ParsedMessage, type Segment, valueAt } from '../parse.ts';
import { addParticipant, mapService } from './booking.ts';
import { mapAdverseReaction, mapAllergy, mapCondition } from './clinical.ts';
import { createContext, type MappingContext, resourceId } from './context.ts';
import { mapCoverage } from './coverage.ts';
import {
  addDocumentContent,
  closeDocument,
  type DocumentBody,
  mapDocument,
} from './document.ts';
import { addDiagnosis, addVisitDetail, mapEncounter } from './encounter.ts';
import { addSoftware, mapMessageHeader, mapProvenance } from './header.ts';
import {
  addInsuredDetail,
  addPatientNumbers,
  mapGuarantor,
  mapInsured,
} from './insured.ts';
import { addContact, mapRelatedPerson } from './kin.ts';
import { addNote } from './note.ts';
import { mapObservation } from './observation.ts';
import { mapOrder } from './order.ts';
import {
  addMergedRecords,
  addPrimaryCare,
  mapMother,
  mapPatient,
} from './patient.ts';
import { addRoute, mapImmunization, mapProcedure } from './procedure.ts';
import { mapReferral } from './referral.ts';
import { mapAppointment } from './schedule.ts';
import { addTiming } from './timing.ts';
import { countUnmapped, describeUnmapped } from './unmapped.ts';

interface MappingState {
  context: MappingContext;
  messageType: string;
  /** The ORC waiting for its OBR (ORC and OBR together make one order). */
  orc?: Segment;
  /**
   * In OUL_R22 to R24 the ORC follows its OBR: the OBR of the latest order,
   * while no ORC has joined it yet.
   */
  obrWithoutOrc?: Segment;
  /**
   * After an SPM, until the next SAC, ORC, OBR or PID: OBX there describe
   * the specimen (ORU_R01 row 4.2.7.2.1, OUL SPECIMEN group), not an
   * order's result or supporting information. An OBX straight after an
   * OUL_R24 SPM could also open its order's RESULT group; like a greedy
   * parse, we read it as the specimen's.
   */
  inSpecimen?: boolean;
  /** Visit diagnoses (DG1 and its Condition), added once PV1 is mapped. */
  diagnoses: { dg1: Segment; condition: FhirResource }[];
  /** TQ1 of the ORC waiting for its OBR. */
  timing: Segment[];
  /** OBR-7 of the latest OBR, the default time of its OBX results. */
  orderTime?: string;
  /** The report of the latest OBR, which collects the OBX that follow. */
  report?: FhirResource;
  /** The ServiceRequest of the latest OBR, which its OBX are based on. */
  request?: FhirResource;
  /** The latest resource made, which an NTE that follows annotates. */
  last?: FhirResource;
  patient?: FhirResource;
  encounter?: FhirResource;
  /** The insured RelatedPerson of the latest IN1, which its IN2 completes. */
  insured?: FhirResource;
  /** The Immunization of the latest RXA, which RXR and OBX complete. */
  immunization?: FhirResource;
  /** The MessageHeader, which the first SFT completes. */
  header?: FhirResource;
  /** The Appointment of the SCH, which AIS/AIG/AIL/AIP complete. */
  appointment?: FhirResource;
  /** The name of the latest segment other than NTE. */
  previous?: string;
  /** Segments left out, with why (`PRIOR_RESULT`), to count as unmapped. */
  skipped: Map<Segment, string>;
  /** Inside an order message's PRIOR_RESULT group, which maps to nothing. */
  inPriorResult?: boolean;
  /** An OBR or OBX of the PRIOR_RESULT's order has been seen. */
  priorOrderSeen?: boolean;
  /** The first patient group, once a second PID opened another. */
  firstGroup?: PatientGroup;
  /** The SCH, whose SCH-25 also sets its services' request status. */
  sch?: Segment;
  /** In a document message (MDM), the TXA document its OBX fill. */
  document?: DocumentBody;
  /** Every segment of the message, for look-ahead (SCH -> TQ1). */
  segments: readonly Segment[];
}

/** OUL events whose ORDER group puts the ORC after its OBR. */
const ORC_AFTER_OBR = new Set(['R22', 'R23', 'R24']);

const orcFollowsObr = (state: MappingState) =>
  state.messageType === 'OUL' && ORC_AFTER_OBR.has(state.context.trigger);

/**
 * Unmapped segments that sit inside a group between its first segment and
 * the group's NTE (participations, test code details, substance ids).
 */
const IN_GROUP = new Set(['PRT', 'ROL', 'TCD', 'SID']);

/** Mapped segments whose NTE annotate what they make, or nothing. */
const STARTS_RESOURCE = new Set([
  'PID',
  'NK1',
  'PV1',
  'DG1',
  'AL1',
  'IAM',
  'PR1',
  'GT1',
  'IN1',
  'RF1',
  'ORC',
  'OBR',
  'SPM',
  'RXA',
  'TXA',
  'SCH',
  'AIS',
]);

/** Order messages, whose DG1 sit inside the order group they explain. */
const ORDER_MESSAGES = new Set(['ORM', 'OML', 'OMG', 'OMI', 'OMB', 'OMD']);

type SegmentMapper = (
  segment: Segment,
  state: MappingState,
) => FhirResource | FhirResource[] | undefined;

const MAPPERS = codeTable<SegmentMapper>({
  MSH: (segment, state) => {
    state.header = mapMessageHeader(segment, state.context);
    return state.header;
  },
  SFT: (segment, state) => {
    if (state.header) addSoftware(state.header, segment, state.context);
    return undefined;
  },
  PID: (segment, state) => {
    const patient = mapPatient(segment, state.context);
    state.patient ??= patient;
    const mother = mapMother(segment, state.context);
    return mother ? [patient, mother] : patient;
  },
  MRG: (segment, state) => {
    if (state.patient) addMergedRecords(state.patient, segment, state.context);
    return undefined;
  },
  PD1: (segment, state) => {
    if (state.patient) addPrimaryCare(state.patient, segment, state.context);
    return undefined;
  },
  NK1: (segment, state) => {
    const d = state.context.delimiters;
    if (state.patient) addContact(state.patient, segment, d);
    return mapRelatedPerson(segment, state.context);
  },
  PV1: (segment, state) => {
    // Each PV1 is a visit of its own (BAR_P01 sends several under one PID):
    // what follows it, PV2 and DG1 included, is that visit's. Diagnoses
    // waiting for a visit (a DG1 before its PV1, REF) join the first.
    if (state.encounter) addDiagnoses(state);
    const encounter = mapEncounter(segment, state.context);
    state.encounter = encounter;
    state.context.encounter = `Encounter/${encounter.id}`;
    return encounter;
  },
  PV2: (segment, state) => {
    if (state.encounter)
      addVisitDetail(state.encounter, segment, state.context);
    return undefined;
  },
  NTE: (segment, state) => {
    // SIU_S12 row 5.2.2: the notes of a SERVICE (after its AIS) are the
    // Appointment's comment, not the service request's.
    const target =
      state.previous === 'AIS' && state.appointment
        ? state.appointment
        : state.last;
    if (!addNote(target, segment, state.context)) {
      state.skipped.set(segment, 'no resource that takes notes');
    }
    return undefined;
  },
  IN1: mapIn1,
  IN2: (segment, state) => {
    const d = state.context.delimiters;
    if (state.insured) addInsuredDetail(state.insured, segment, d);
    if (state.patient) addPatientNumbers(state.patient, segment, d);
    return undefined;
  },
  GT1: (segment, { context }) => mapGuarantor(segment, context),
  RF1: (segment, { context }) => mapReferral(segment, context),
  SCH: (segment, state) => {
    const tq1 = state.segments.find((s) => s.name === 'TQ1');
    state.sch = segment;
    state.appointment = mapAppointment(segment, tq1, state.context);
    return state.appointment;
  },
  TQ1: (segment, state) => {
    if (state.orc) state.timing.push(segment);
    else if (state.request) {
      addTiming(state.request, segment, state.context.delimiters);
    }
    return undefined;
  },
  AIS: (segment, state) =>
    mapService(segment, state.sch, state.appointment, state.context),
  AIG: addResource,
  AIL: addResource,
  AIP: addResource,
  TXA: (segment, state) => {
    const document = mapDocument(segment, state.context, state.request);
    if (state.messageType === 'MDM') {
      if (state.document) closeDocument(state.document);
      state.document = { document, lines: [] };
    }
    return document;
  },
  ORC: (segment, state) => {
    if (state.obrWithoutOrc && orcFollowsObr(state)) {
      completeOrder(state.obrWithoutOrc, segment, state);
      return undefined;
    }
    // A new order group: timing of an earlier ORC that never met its OBR
    // (a pharmacy order, say) must not reach this one, nor may what comes
    // before this group's OBR (an ORU ORDER_DOCUMENT, v2.8.2 on) reach the
    // previous order.
    endOrderGroup(state);
    state.orc = segment;
    return undefined;
  },
  OBR: mapObr,
  SPM: (_segment, state) => {
    state.inSpecimen = true;
    return undefined;
  },
  // CONTAINER (SAC) follows the specimen's own OBX: in OUL_R24 the OBX
  // after it are the order's results again. Elsewhere (OML_O21) the OBX
  // after a SAC describe the container, which maps to nothing either.
  SAC: (_segment, state) => {
    if (state.messageType === 'OUL' && state.context.trigger === 'R24') {
      state.inSpecimen = false;
    }
    return undefined;
  },
  OBX: (segment, state) => {
    // The OBX of a document message are the document (MDM_T02 row 10.1);
    // one of another value type (a DICOM UID, a number) stays an Observation.
    const d = state.context.delimiters;
    if (state.document && addDocumentContent(state.document, segment, d)) {
      // An NTE after the body is the document's comment, whatever came
      // between the TXA and it (CON, an OBX kept as an Observation).
      state.last = state.document.document;
      return undefined;
    }
    const mapped = mapObservation({
      segment,
      context: state.context,
      orderTime: state.orderTime,
    });
    // Row 4.2.7.2.1 gives a specimen's OBX a `focus` on the Specimen, which
    // we do not make from SPM yet: such an OBX stands alone.
    if (state.inSpecimen) return mapped;
    addResult(state.report, mapped[0]);
    if (ORDER_MESSAGES.has(state.messageType)) {
      addSupportingInfo(state.request, mapped[0]);
    } else addBasedOn(mapped[0], state.request);
    // An OBX of a VXU order group is about its immunization (row 12.6.1).
    if (state.immunization && mapped[0]?.resourceType === 'Observation') {
      mapped[0].partOf = [
        { reference: `Immunization/${state.immunization.id}` },
      ];
    }
    return mapped;
  },
  DG1: (segment, state) => {
    const condition = mapCondition(segment, state.context);
    if (condition === undefined) return undefined;
    // In an order message a DG1 after the OBR is the reason for the order
    // (OML_O21 row 6.4.6); elsewhere (ADT, DFT, BAR, ...) a DG1 belongs to
    // the visit (DG1[Encounter]), even after an OBR.
    if (state.request && ORDER_MESSAGES.has(state.messageType)) {
      const reasons = (state.request.reasonReference as unknown[]) ?? [];
      const reference = { reference: `Condition/${condition.id}` };
      state.request.reasonReference = [...reasons, reference];
    } else {
      state.diagnoses.push({ dg1: segment, condition });
    }
    return condition;
  },
  AL1: (segment, { context }) => mapAllergy(segment, context),
  IAM: (segment, { context }) => mapAdverseReaction(segment, context),
  PR1: (segment, { context }) => mapProcedure(segment, context),
  RXA: (segment, state) => {
    state.immunization = mapImmunization(segment, state.context, state.orc);
    state.orc = undefined;
    return state.immunization;
  },
  RXR: (segment, state) => {
    const d = state.context.delimiters;
    if (state.immunization) addRoute(state.immunization, segment, d);
    return undefined;
  },
});

function addResource(segment: Segment, state: MappingState): undefined {
  const d = state.context.delimiters;
  if (state.appointment) addParticipant(state.appointment, segment, d);
  // The notes of a general, location or personnel resource have no target
  // (SIU_S12 rows 5.3.2, 5.4.2, 5.5.2): they are counted, not made the
  // previous resource's.
  state.last = undefined;
  return undefined;
}

function mapObr(segment: Segment, state: MappingState): FhirResource[] {
  const order = mapOrder(segment, state.orc, state.context, state.messageType);
  state.obrWithoutOrc = state.orc === undefined ? segment : undefined;
  state.orc = undefined;
  state.inSpecimen = false;
  for (const tq1 of state.timing) {
    if (order) addTiming(order.request, tq1, state.context.delimiters);
  }
  state.timing = [];
  state.orderTime = valueAt(segment, state.context.delimiters, 7);
  state.report = order?.report;
  state.request = order?.request;

  return order ? [order.request, ...(order.report ? [order.report] : [])] : [];
}

/**
 * The ORC that follows its OBR (OUL_R22 to R24: ORDER = OBR, [ORC], ...)
 * completes the order the OBR made: the same ServiceRequest and report,
 * mapped again with the ORC.
 */
function completeOrder(obr: Segment, orc: Segment, state: MappingState) {
  state.obrWithoutOrc = undefined;
  const order = mapOrder(obr, orc, state.context, state.messageType);
  if (order === undefined || state.request === undefined) return;
  // Only PRT may stand between the OBR and this ORC, so nothing has added
  // to the order since: the ORC's reading replaces the OBR-only one whole
  // (the same ids), dropping what it no longer says (OBR-6 beside a TQ
  // timing, an OBR-27 that ORC-6 overrides).
  replaceContent(state.request, order.request);
  if (state.report && order.report) {
    replaceContent(state.report, {
      ...order.report,
      result: state.report.result,
    });
  }
}

/** Gives `target` the keys of `source` only; references to it still hold. */
function replaceContent(target: FhirResource, source: FhirResource): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

/** IN1 -> Coverage, and its insured RelatedPerson as the subscriber. */
function mapIn1(segment: Segment, state: MappingState): FhirResource[] {
  const coverage = mapCoverage(segment, state.context);
  const insured = mapInsured(segment, state.context);
  state.insured = insured;
  if (coverage === undefined) return [];
  if (insured === undefined) return [coverage];
  coverage.subscriber = { reference: `RelatedPerson/${insured.id}` };

  return [coverage, insured];
}

function addResult(report: FhirResource | undefined, result?: FhirResource) {
  if (report === undefined || result === undefined) return;
  (report.result as unknown[]).push({
    reference: `Observation/${result.id}`,
  });
}

/**
 * OBX of an order message -> ServiceRequest.supportingInfo: it informs
 * the order rather than resulting from it (OML_O21 row 6.4.7.1).
 */
function addSupportingInfo(request?: FhirResource, result?: FhirResource) {
  if (request === undefined || result?.resourceType !== 'Observation') return;
  const known = (request.supportingInfo as unknown[] | undefined) ?? [];
  const reference = { reference: `Observation/${result.id}` };
  request.supportingInfo = [...known, reference];
}

/** OBX in a result group -> Observation.basedOn its ServiceRequest. */
function addBasedOn(observation?: FhirResource, request?: FhirResource) {
  if (observation?.resourceType !== 'Observation' || request === undefined) {
    return;
  }
  observation.basedOn = [{ reference: `ServiceRequest/${request.id}` }];
}

/** A report whose OBR had no OBX keeps no empty `result` array. */
function dropEmptyResults(resources: FhirResource[]): FhirResource[] {
  for (const resource of resources) {
    if (Array.isArray(resource.result) && resource.result.length === 0) {
      delete resource.result;
    }
  }
  return resources;
}

export interface MappedMessage {
  resources: FhirResource[];
  /** Segment names and field positions that no mapper read, if any. */
  unmapped?: string;
}

/**
 * The resources of one message, then its Provenance, which names them all;
 * same bytes, same resources, byte for byte.
 */
export function mapMessage(message: ParsedMessage): MappedMessage {
  // One context (and so one key hash) serves the segments and Provenance.
  const context = createContext(message);
  const { resources, skipped } = mapSegments(message, context);
  const unmapped = describeUnmapped(countUnmapped(message.segments, skipped));
  const msh = message.segments[0];
  if (msh && resources.length > 0) {
    resources.push(mapProvenance(msh, context, resources, unmapped));
  }

  return { resources, unmapped };
}

/**
 * The subject and encounter of the patient group whose PID is at `at`: the
 * PID's Patient, and the first PV1 before the next PID (none: no encounter,
 * rather than another patient's). In an order message the patient's visit
 * comes before its orders, and a PV1 after an ORC or OBR is a prior
 * result's; elsewhere (REF_I12) the visit may follow the OBR.
 */
function setGroupSubject(
  context: MappingContext,
  segments: readonly Segment[],
  at: number,
  orderMessage: boolean,
): void {
  const pid = segments[at] as Segment;
  context.patient = `Patient/${resourceId(context, pid)}`;
  context.encounter = undefined;
  for (let i = at + 1; i < segments.length; i += 1) {
    const segment = segments[i] as Segment;
    if (segment.name === 'PID') break;
    if (orderMessage && (segment.name === 'ORC' || segment.name === 'OBR')) {
      break;
    }
    if (segment.name === 'PV1') {
      context.encounter = `Encounter/${resourceId(context, segment)}`;
      break;
    }
  }
}

/** Order messages whose structure has PRIOR_RESULT (OML_O21/O33/O35, OMG_O19). */
const PRIOR_RESULT_MESSAGES = new Set(['OML', 'OMG']);

/** A message with PRIOR_RESULT groups whose first order has begun. */
function inOrder(state: MappingState): boolean {
  return (
    PRIOR_RESULT_MESSAGES.has(state.messageType) &&
    (state.orc !== undefined || state.request !== undefined)
  );
}

/**
 * PATIENT_PRIOR, VISIT_PRIOR and AL1 open PRIOR_RESULT; in the PATIENT
 * group they come before any order. ORDER_PRIOR alone, with none of them,
 * cannot be told from a new order and is mapped as one.
 */
const PRIOR_RESULT_START = new Set(['PID', 'PD1', 'PV1', 'PV2', 'AL1']);

/**
 * In OML and OMG a PID, PV1 or AL1 after the order has begun opens
 * PRIOR_RESULT: the prior patient, visit, allergies, orders and results,
 * which OML_O21 rows 6.4.10 map to nothing. We map none of it
 * (it would otherwise join the current order or patient) and count its
 * segments as unmapped; the message stays in the archive.
 *
 * PRIOR_RESULT ends where the order it sits in goes on (FT1, CTI, BLG),
 * at the next specimen or container (SPM, SAC: OML_O33/O35), or where a
 * new order starts. Its first ORC is always its own ORDER_PRIOR (which is
 * required); after a prior OBR or OBX, an ORC may start another
 * ORDER_PRIOR or a new order, which the segment order alone cannot tell:
 * we take one whose control code asks for an order (NW, CA, DC, XO, ...)
 * as a new order; a prior order reports on one done (RE, CM, SC). A
 * prior order sent with a request code is read as an order of the main
 * patient, and a new order sent with a report code is left out with the
 * prior result (counted as unmapped); parsing by the message's group
 * grammar would settle both.
 */
const PRIOR_RESULT_END = new Set(['FT1', 'CTI', 'BLG', 'SPM', 'SAC']);

/**
 * Order control codes (table 0119) a placer sends to ask for an order:
 * new, cancel, discontinue, change, parent/child, replace, number, hold,
 * release. A prior order reports on one done (RE, CM, SC, OK, ...).
 */
const NEW_ORDER_CONTROL = new Set([
  'NW',
  'CA',
  'DC',
  'XO',
  'PA',
  'CH',
  'RP',
  'SN',
  'HD',
  'RL',
]);

function endsPriorResult(segment: Segment, state: MappingState): boolean {
  if (PRIOR_RESULT_END.has(segment.name)) return true;
  // ORDER_PRIOR is required: the first ORC after PATIENT_PRIOR, its visit
  // or AL1 is always the prior order's own.
  if (segment.name !== 'ORC' || !state.priorOrderSeen) return false;
  return NEW_ORDER_CONTROL.has(
    valueAt(segment, state.context.delimiters, 1).trim(),
  );
}

/** A patient group's subject, to go back to. */
interface PatientGroup {
  patient?: FhirResource;
  encounter?: FhirResource;
  patientReference?: string;
  encounterReference?: string;
}

/** SIU's RGS starts the RESOURCES, which are the first patient's. */
function backToFirstGroup(state: MappingState, first: PatientGroup): void {
  addDiagnoses(state);
  state.context.patient = first.patientReference;
  state.context.encounter = first.encounterReference;
  state.patient = first.patient;
  state.encounter = first.encounter;
  state.last = undefined;
}

/**
 * A second (third, ...) PID: results, orders and visits that follow are
 * this patient's, so nothing of the previous group may reach them.
 */
function openPatientGroup(state: MappingState, at: number): void {
  state.firstGroup ??= {
    patient: state.patient,
    encounter: state.encounter,
    patientReference: state.context.patient,
    encounterReference: state.context.encounter,
  };
  addDiagnoses(state);
  setGroupSubject(
    state.context,
    state.segments,
    at,
    ORDER_MESSAGES.has(state.messageType),
  );
  state.patient = undefined;
  state.encounter = undefined;
  endOrderGroup(state);
  state.orc = undefined;
  state.obrWithoutOrc = undefined;
  state.insured = undefined;
  state.immunization = undefined;
  state.last = undefined;
}

/** What one order group gathers, which the next may not inherit. */
function endOrderGroup(state: MappingState): void {
  state.timing = [];
  state.request = undefined;
  state.report = undefined;
  state.orderTime = undefined;
  state.inSpecimen = false;
}

/**
 * A DG1 may come before its PV1 (REF, RRI): diagnoses wait, and join the
 * current visit when the next visit or patient group begins, or at the end.
 */
function addDiagnoses(state: MappingState): void {
  const d = state.context.delimiters;
  for (const { dg1, condition } of state.diagnoses) {
    if (state.encounter) addDiagnosis(state.encounter, dg1, condition, d);
  }
  state.diagnoses = [];
}

function mapSegments(
  message: ParsedMessage,
  context: MappingContext,
): { resources: FhirResource[]; skipped: ReadonlyMap<Segment, string> } {
  const segments = message.segments;
  const msh = message.segments[0];
  const messageType = msh ? valueAt(msh, message.delimiters, 9, 1) : '';
  // Segments before the first PID (SCH in SIU, say) belong to its group.
  const first = segments.findIndex((segment) => segment.name === 'PID');
  if (first !== -1) {
    setGroupSubject(context, segments, first, ORDER_MESSAGES.has(messageType));
  }
  const state: MappingState = {
    context,
    messageType,
    segments,
    timing: [],
    diagnoses: [],
    skipped: new Map(),
  };

  // A loop rather than flatMap: no array per segment just to be flattened.
  const resources: FhirResource[] = [];
  const skipped = state.skipped;
  for (let at = 0; at < segments.length; at += 1) {
    const segment = segments[at] as Segment;
    if (state.inPriorResult && endsPriorResult(segment, state)) {
      state.inPriorResult = false;
    }
    if (!state.inPriorResult && PRIOR_RESULT_START.has(segment.name)) {
      if (inOrder(state)) {
        state.inPriorResult = true;
        state.priorOrderSeen = false;
      } else if (segment.name === 'PID' && state.patient) {
        openPatientGroup(state, at);
      }
    }
    if (state.inPriorResult) {
      if (segment.name === 'OBR' || segment.name === 'OBX') {
        state.priorOrderSeen = true;
      }
      skipped.set(segment, 'PRIOR_RESULT');
      continue;
    }
    const mapper = MAPPERS[segment.name];
    // A segment we do not map (FT1, say) ends what an NTE may annotate,
    // unless it sits inside the group before its NTE (OBX, PRT, NTE).
    if (mapper === undefined && !IN_GROUP.has(segment.name)) {
      state.last = undefined;
    }
    if (segment.name !== 'NTE' && !IN_GROUP.has(segment.name)) {
      state.previous = segment.name;
    }
    if (segment.name === 'RGS' && state.firstGroup) {
      backToFirstGroup(state, state.firstGroup);
    }
    // Only an ORC right after its OBR (PRT between them) completes it.
    if (segment.name !== 'ORC' && segment.name !== 'PRT') {
      state.obrWithoutOrc = undefined;
    }
    const mapped = mapper?.(segment, state);
    // A segment that starts a resource of its own but made none (a DG1
    // without a patient, a self guarantor, an SPM) leaves its NTE nothing
    // to annotate, rather than the resource before it.
    if (mapped === undefined && STARTS_RESOURCE.has(segment.name)) {
      state.last = undefined;
    }
    if (mapped === undefined) continue;
    if (Array.isArray(mapped)) {
      resources.push(...mapped);
      if (mapped[0] !== undefined) state.last = mapped[0];
    } else {
      resources.push(mapped);
      state.last = mapped;
    }
  }
  if (state.document) closeDocument(state.document);
  addDiagnoses(state);

  return { resources: dropEmptyResults(resources), skipped };
}
