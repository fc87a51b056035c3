/**
 * Maps one accepted message to FHIR R4 resources, segment by segment in
 * message order. The first PID and PV1 become the subject and encounter that
 * the other resources reference.
 */
import type { FhirResource } from '../../validation/types.ts';
import { type ParsedMessage, type Segment, valueAt } from '../parse.ts';
import { mapAllergy, mapCondition } from './clinical.ts';
import { createContext, type MappingContext, resourceId } from './context.ts';
import { mapEncounter } from './encounter.ts';
import { mapObservation } from './observation.ts';
import { mapOrder } from './order.ts';
import { mapPatient, mapRelatedPerson } from './patient.ts';
import { mapImmunization, mapProcedure } from './procedure.ts';

interface MappingState {
  context: MappingContext;
  messageType: string;
  /** The ORC waiting for its OBR (ORC and OBR together make one order). */
  orc?: Segment;
  /** OBR-7 of the latest OBR, the default time of its OBX results. */
  orderTime?: string;
  /** The report of the latest OBR, which collects the OBX that follow. */
  report?: FhirResource;
}

type SegmentMapper = (
  segment: Segment,
  state: MappingState,
) => FhirResource | FhirResource[] | undefined;

const MAPPERS: Readonly<Record<string, SegmentMapper>> = {
  PID: (segment, { context }) => mapPatient(segment, context),
  NK1: (segment, { context }) => mapRelatedPerson(segment, context),
  PV1: (segment, { context }) => mapEncounter(segment, context),
  ORC: (segment, state) => {
    state.orc = segment;
    return undefined;
  },
  OBR: mapObr,
  OBX: (segment, state) => {
    const mapped = mapObservation({
      segment,
      context: state.context,
      orderTime: state.orderTime,
    });
    addResult(state.report, mapped[0]);
    return mapped;
  },
  DG1: (segment, { context }) => mapCondition(segment, context),
  AL1: (segment, { context }) => mapAllergy(segment, context),
  PR1: (segment, { context }) => mapProcedure(segment, context),
  RXA: (segment, { context }) => mapImmunization(segment, context),
};

function mapObr(segment: Segment, state: MappingState): FhirResource[] {
  const order = mapOrder(segment, state.orc, state.context, state.messageType);
  state.orc = undefined;
  state.orderTime = valueAt(segment, state.context.delimiters, 7);
  state.report = order?.report;

  return order ? [order.request, ...(order.report ? [order.report] : [])] : [];
}

function addResult(report: FhirResource | undefined, result?: FhirResource) {
  if (report === undefined || result === undefined) return;
  (report.result as unknown[]).push({
    reference: `Observation/${result.id}`,
  });
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

export function mapMessage(message: ParsedMessage): FhirResource[] {
  const context = createContext(message);
  const pid = message.segments.find((segment) => segment.name === 'PID');
  const pv1 = message.segments.find((segment) => segment.name === 'PV1');
  if (pid) context.patient = `Patient/${resourceId(context, pid)}`;
  if (pv1) context.encounter = `Encounter/${resourceId(context, pv1)}`;
  const msh = message.segments[0];
  const messageType = msh ? valueAt(msh, message.delimiters, 9, 1) : '';
  const state: MappingState = { context, messageType };

  const resources = message.segments.flatMap((segment) => {
    const mapped = MAPPERS[segment.name]?.(segment, state);
    return mapped === undefined ? [] : mapped;
  });
  return dropEmptyResults(resources);
}
