/**
 * What every segment mapper of one message shares: delimiters, the seed of
 * deterministic resource ids, and references to the patient and encounter
 * so that resources of one message point at each other.
 */
import { createHash } from 'node:crypto';
import type { Delimiters, ParsedMessage, Segment } from '../parse.ts';
import { rawField, valueAt } from '../parse.ts';

export interface MappingContext {
  delimiters: Delimiters;
  /** MSH-3, MSH-4 and MSH-10: unique per message across senders. */
  seed: string;
  patient?: string;
  encounter?: string;
  /** Event code (MSH-9.2), which sets the status of some resources. */
  trigger: string;
}

export function createContext(message: ParsedMessage): MappingContext {
  const msh = message.segments[0];
  const d = message.delimiters;
  const seed =
    msh === undefined
      ? ''
      : [rawField(msh, 3), rawField(msh, 4), rawField(msh, 10)].join('\u0000');
  const trigger = msh === undefined ? '' : valueAt(msh, d, 9, 2);

  return { delimiters: d, seed, trigger };
}

/**
 * A valid FHIR id (64 hex chars max) from a hash of the message key and the
 * segment's position, so converting the same bytes twice gives the same ids
 * and no id reveals an identifier of the patient.
 */
export function resourceId(
  context: MappingContext,
  segment: Pick<Segment, 'name' | 'repetition'>,
  suffix = '',
): string {
  const key = `${context.seed}\u0000${segment.name}\u0000${segment.repetition}${suffix}`;

  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
