/**
 * What every segment mapper of one message shares: delimiters, the seed of
 * deterministic resource ids, and references to the patient and encounter
 * so that resources of one message point at each other.
 */
import { hash } from 'node:crypto';
import type { Delimiters, ParsedMessage, Segment } from '../parse.ts';
import { rawField, valueAt } from '../parse.ts';

export interface MappingContext {
  delimiters: Delimiters;
  /**
   * Hash of MSH-3, MSH-4, MSH-10 and the message's bytes: the same message
   * always gets the same key, and two different messages get different
   * keys even when a sender reuses a control id (counters reset on
   * interface-engine restarts), so neither replaces the other in staging.
   */
  messageKey: string;
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
      : [
          rawField(msh, 3),
          rawField(msh, 4),
          rawField(msh, 10),
          message.contentHash ?? '',
        ].join('\u0000');
  const messageKey = hash('sha256', seed, 'hex');
  const trigger = msh === undefined ? '' : valueAt(msh, d, 9, 2);

  return { delimiters: d, messageKey: messageKey.slice(0, 40), trigger };
}

/**
 * A valid FHIR id: the message key hash plus the segment's name and position
 * (`<40 hex>-OBX3`), so the same bytes always give the same ids, ids stay
 * unique across senders, and none reveals an identifier of the patient.
 * One hash per message instead of one per resource keeps mapping fast.
 */
export function resourceId(
  context: MappingContext,
  segment: Pick<Segment, 'name' | 'repetition'>,
  suffix = '',
): string {
  const tail = suffix === '' ? '' : `-${suffix}`;

  return `${context.messageKey}-${segment.name}${segment.repetition}${tail}`;
}
