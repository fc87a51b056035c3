/**
 * FHIR R4 validation of drops: single resources, Bundles of any type and
 * Bulk Data NDJSON, checked against the R4 StructureDefinitions.
 */
export { FHIR_VERSION } from './definitions.ts';
export { RULES, type Rule } from './issues.ts';
export { validateResource } from './resource.ts';
export { type ValidateFhirOptions, validateFhir } from './validate.ts';
