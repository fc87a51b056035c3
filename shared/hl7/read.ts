/**
 * Parsed messages of a drop, for callers that need the segments themselves
 * (Z-segments for the curated layer, values the FHIR mapping omits). Messages
 * that cannot be decoded are skipped; validateHl7 says why.
 */
import type { ByteRange } from './framing.ts';
import { frameMessages } from './framing.ts';
import { decodeMessage } from './message.ts';
import type { ParsedMessage } from './parse.ts';

export interface Hl7Message extends ParsedMessage {
  /** 0-based index, the same as the record index of validateHl7. */
  index: number;
  span: ByteRange;
}

export function readHl7Messages(bytes: Uint8Array): Hl7Message[] {
  const framing = frameMessages(bytes);

  return framing.units.flatMap((unit, index) => {
    const { parsed } = decodeMessage(bytes, unit, framing.crTerminated, index);
    return parsed ? [{ ...parsed, index, span: unit.span }] : [];
  });
}
