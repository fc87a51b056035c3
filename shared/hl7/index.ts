/** HL7 v2 parsing, validation and mapping to FHIR R4. */
export { type ValidateHl7Options, validateHl7 } from './validate.ts';
