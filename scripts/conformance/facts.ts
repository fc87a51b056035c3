/**
 * Content facts of FHIR resources, for comparing our conversion with a
 * reference converter without looking at ids: every compared leaf becomes
 * `Type.path=value` (array indices dropped), every reference between
 * compared types becomes `Type.path->TargetType`, and every resource counts
 * once as `#Type`. Two outputs are then compared as multisets of facts.
 */
export type Json = Record<string, unknown>;

/** Resource types both converters are meant to produce from our scope. */
export const COMPARED_TYPES = new Set([
  'Patient',
  'RelatedPerson',
  'Encounter',
  'ServiceRequest',
  'DiagnosticReport',
  'Observation',
  'AllergyIntolerance',
  'Condition',
  'Procedure',
  'Immunization',
  'Coverage',
  'DocumentReference',
  'Appointment',
  'MessageHeader',
]);

/**
 * Keys whose values are not content: ids, narrative, human-readable
 * displays (the reference fills them from its own tables), extensions (the
 * reference's are mostly its own example.com URLs), meta and bundle plumbing.
 */
const SKIPPED_KEYS = new Set([
  'id',
  'fullUrl',
  'meta',
  'text',
  'div',
  'display',
  'extension',
  'modifierExtension',
  'url',
  'request',
  'version',
  'rank',
]);

/**
 * The reference converter invents `http://example.com/...` systems for
 * local names; they are placeholders, not URIs, so they are not compared.
 */
const PLACEHOLDER = /^http:\/\/example\.com\//;

const ZONED =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([+-]\d{2}:\d{2}|Z)$/;

/** Zoned date-times compare as instants: the same moment in any zone. */
export function normaliseValue(value: string): string {
  const match = ZONED.exec(value);
  if (match === null) return value.trim();
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;

  return instant.toISOString().replace('.000Z', 'Z');
}

export function resourceFacts(resource: Json): string[] {
  const type = String(resource.resourceType);
  const facts = [`#${type}`];
  // The resource itself is never a logical reference, whatever its own
  // `type` and `identifier` (an AllergyIntolerance has both).
  walkFields(resource, type, facts);

  return facts;
}

function walk(node: unknown, path: string, facts: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, path, facts);
    return;
  }
  if (node !== null && typeof node === 'object') {
    walkObject(node as Json, path, facts);
    return;
  }
  if (node === undefined || node === null || node === '') return;
  facts.push(`${path}=${normaliseValue(String(node))}`);
}

/**
 * A logical reference (type + identifier/display, no `reference`) stands
 * for a resource the reference converter builds and we do not yet
 * (Practitioner, Location, Organization): it compares as a reference.
 */
function isLogicalReference(node: Json): boolean {
  return (
    typeof node.type === 'string' &&
    node.reference === undefined &&
    (node.identifier !== undefined || node.display !== undefined)
  );
}

function walkObject(node: Json, path: string, facts: string[]): void {
  if (isLogicalReference(node)) {
    if (COMPARED_TYPES.has(String(node.type)))
      facts.push(`${path}->${node.type}`);
    return;
  }
  walkFields(node, path, facts);
}

function walkFields(node: Json, path: string, facts: string[]): void {
  for (const [key, value] of Object.entries(node)) {
    if (SKIPPED_KEYS.has(key) || key === 'resourceType') continue;
    if (key === 'reference' && typeof value === 'string') {
      const target = value.split('/')[0] ?? '';
      if (COMPARED_TYPES.has(target)) facts.push(`${path}->${target}`);
      continue;
    }
    if (key === 'system' && typeof value === 'string') {
      if (PLACEHOLDER.test(value)) continue;
    }
    walk(value, `${path}.${key}`, facts);
  }
}

/** A fact one side has `count` more times than the other. */
export interface Difference {
  fact: string;
  count: number;
  /** How many times both sides have it: more than 0 for a repeat. */
  shared: number;
}

export interface Comparison {
  expected: number;
  ours: number;
  matched: number;
  /** Facts only in the reference (or more often there). */
  missing: Difference[];
  /** Facts only in ours (or more often there). */
  extra: Difference[];
}

/** Multiset comparison: a fact matches as many times as both sides have it. */
export function compareFacts(
  expected: readonly string[],
  ours: readonly string[],
): Comparison {
  const left = countOf(expected);
  const right = countOf(ours);
  let matched = 0;
  const missing: Difference[] = [];
  const extra: Difference[] = [];
  for (const [fact, count] of left) {
    const have = right.get(fact) ?? 0;
    matched += Math.min(count, have);
    if (count > have) {
      missing.push({ fact, count: count - have, shared: have });
    }
  }
  for (const [fact, count] of right) {
    const want = left.get(fact) ?? 0;
    if (count > want) extra.push({ fact, count: count - want, shared: want });
  }

  return {
    expected: expected.length,
    ours: ours.length,
    matched,
    missing,
    extra,
  };
}

function countOf(facts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const fact of facts) counts.set(fact, (counts.get(fact) ?? 0) + 1);
  return counts;
}
