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
import { mapPatient, mapRelatedPerson } from './patient.ts';

interface MappingState {
  context: MappingContext;
  /** OBR-7 of the latest OBR, the default time of its OBX results. */
  orderTime?: string;
}

type SegmentMapper = (
  segment: Segment,
  state: MappingState,
) => FhirResource | FhirResource[] | undefined;

const MAPPERS: Readonly<Record<string, SegmentMapper>> = {
  PID: (segment, { context }) => mapPatient(segment, context),
  NK1: (segment, { context }) => mapRelatedPerson(segment, context),
  PV1: (segment, { context }) => mapEncounter(segment, context),
  OBR: (segment, state) => {
    state.orderTime = valueAt(segment, state.context.delimiters, 7);
    return undefined;
  },
  OBX: (segment, state) =>
    mapObservation({
      segment,
      context: state.context,
      orderTime: state.orderTime,
    }),
  DG1: (segment, { context }) => mapCondition(segment, context),
  AL1: (segment, { context }) => mapAllergy(segment, context),
};

export function mapMessage(message: ParsedMessage): FhirResource[] {
  const context = createContext(message);
  const pid = message.segments.find((segment) => segment.name === 'PID');
  const pv1 = message.segments.find((segment) => segment.name === 'PV1');
  if (pid) context.patient = `Patient/${resourceId(context, pid)}`;
  if (pv1) context.encounter = `Encounter/${resourceId(context, pv1)}`;
  const state: MappingState = { context };

  return message.segments.flatMap((segment) => {
    const mapped = MAPPERS[segment.name]?.(segment, state);
    return mapped === undefined ? [] : mapped;
  });
}
