/**
 * Shape of the index in `generated/r4-index.ts`, written by `scripts/build-fhir-index.ts`
 * from the R4 StructureDefinitions and read by the validator at cold start.
 */

export interface ElementEntry {
  /** Minimum cardinality from the StructureDefinition snapshot. */
  min: number;
  /** True when max is `*` or above 1: the JSON value must be an array. */
  many: boolean;
  /** A primitive or complex datatype, `Resource`, or a backbone path. */
  type: string;
  /** For an expanded `value[x]`: the choice name without the type, `value`. */
  choice?: string;
  /** Canonical URL of a required binding whose codes are in `valueSets`. */
  valueSet?: string;
}

export interface PrimitiveEntry {
  /** The JSON type that carries the primitive. */
  json: 'string' | 'boolean' | 'integer' | 'number';
  /** The spec's regex for string-carried primitives, unanchored. */
  regex?: string;
}

export interface FhirIndex {
  fhirVersion: string;
  resourceTypes: string[];
  primitives: Record<string, PrimitiveEntry>;
  /** Element name to entry, per datatype, resource and backbone path. */
  types: Record<string, Record<string, ElementEntry>>;
  /** Codes of each required value set, whatever their system. */
  valueSets: Record<string, string[]>;
  /** Code systems each required value set draws from (for Coding checks). */
  valueSetSystems: Record<string, string[]>;
}
