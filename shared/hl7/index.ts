/** HL7 v2 parsing, validation and mapping to FHIR R4. */
export type { Delimiters, Segment } from './parse.ts';
export { EXPLICIT_NULL, valueAt } from './parse.ts';
export { type Hl7Message, readHl7Messages } from './read.ts';
export { type ValidateHl7Options, validateHl7 } from './validate.ts';
