/**
 * NTE -> Annotation on the resource made from the segment before it
 * (NTE[Observation] map: NTE-3 text, NTE-5 author, NTE-6 time).
 */
import type { FhirResource } from '../../validation/types.ts';
import {
  decodeEscapes,
  firstRepetition,
  rawField,
  repetitions,
  type Segment,
  valueAt,
} from '../parse.ts';
import type { MappingContext } from './context.ts';
import {
  compact,
  type Json,
  toDateTime,
  toPractitionerReference,
} from './datatypes.ts';

/** Resource types with `note` (Annotation[]); Appointment has `comment`. */
const NOTED = new Set([
  'Observation',
  'ServiceRequest',
  'AllergyIntolerance',
  'Condition',
  'Procedure',
  'Immunization',
]);

/** NTE-3 repetitions are lines of one comment. */
function noteText(segment: Segment, context: MappingContext): string {
  const d = context.delimiters;
  return repetitions(rawField(segment, 3), d)
    .map((line) => decodeEscapes(line, d))
    .join('\n')
    .trim();
}

/**
 * Adds an NTE to the resource before it: its note, an Appointment's
 * comment, or a DocumentReference's content. False when the note has
 * nowhere to go (nothing before it, or a resource without notes: Patient,
 * Encounter, Coverage), so that the caller counts it as unmapped.
 */
export function addNote(
  target: FhirResource | undefined,
  segment: Segment,
  context: MappingContext,
): boolean {
  const text = noteText(segment, context);
  if (text === '') return true;
  if (target === undefined) return false;
  if (target.resourceType === 'Appointment') {
    const before = typeof target.comment === 'string' ? target.comment : '';
    target.comment = before === '' ? text : `${before}\n${text}`;
    return true;
  }
  if (target.resourceType === 'DocumentReference') {
    // NTE[DocumentReference] row 3: the comment is content of the document.
    const bytes = Buffer.from(text, 'utf8');
    const attachment = {
      contentType: 'text/plain',
      data: bytes.toString('base64'),
      size: bytes.length,
      title: 'comment',
    };
    target.content = [...((target.content as Json[]) ?? []), { attachment }];
    return true;
  }
  if (!NOTED.has(target.resourceType)) return false;
  const notes = Array.isArray(target.note) ? target.note : [];
  target.note = [...notes, annotation(segment, context, text)];
  return true;
}

/** NTE-5 entered by -> authorReference, NTE-6 entered at -> time. */
function annotation(
  segment: Segment,
  context: MappingContext,
  text: string,
): Json {
  const d = context.delimiters;
  return {
    ...compact({
      authorReference: toPractitionerReference(
        firstRepetition(segment, d, 5),
        d,
      ),
      time: toDateTime(valueAt(segment, d, 6)),
    }),
    text,
  };
}
