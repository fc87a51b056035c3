/**
 * The R4 definitions the validator consults, loaded once per cold start from
 * the index that `scripts/build-fhir-index.ts` generates. Lookups are Maps so
 * that the per-element cost stays a hash probe.
 */
import { inflateRawSync } from 'node:zlib';
import { PACKED_R4_INDEX } from './generated/r4-index.ts';
import type { ElementEntry, FhirIndex, PrimitiveEntry } from './index-types.ts';

export interface TypeInfo {
  elements: Map<string, ElementEntry>;
  /** Required names; a choice counts once, under its base name. */
  required: { name: string; alternatives: string[] }[];
}

export interface Primitive extends PrimitiveEntry {
  pattern?: RegExp;
}

const index = JSON.parse(
  inflateRawSync(Buffer.from(PACKED_R4_INDEX, 'base64')).toString('utf8'),
) as FhirIndex;

// Quantity profiles keep Quantity's shape; element types may name them.
const TYPE_ALIASES = { SimpleQuantity: 'Quantity', MoneyQuantity: 'Quantity' };

function requiredOf(elements: Map<string, ElementEntry>): TypeInfo['required'] {
  const byName = new Map<string, string[]>();
  for (const [name, entry] of elements) {
    if (entry.min < 1) continue;
    const base = entry.choice ?? name;
    const alternatives = byName.get(base) ?? [];
    alternatives.push(name);
    byName.set(base, alternatives);
  }

  return [...byName].map(([name, alternatives]) => ({ name, alternatives }));
}

function buildTypes(): Map<string, TypeInfo> {
  const types = new Map<string, TypeInfo>();
  for (const [key, raw] of Object.entries(index.types)) {
    const elements = new Map(Object.entries(raw));
    types.set(key, { elements, required: requiredOf(elements) });
  }
  for (const [alias, target] of Object.entries(TYPE_ALIASES)) {
    const info = types.get(target);
    if (info) types.set(alias, info);
  }

  return types;
}

// The spec's base64Binary regex allows whitespace on both sides of each
// 4-character group, which backtracks on large attachments; this one accepts
// the same strings with a single way to match each.
const REGEX_OVERRIDES: Record<string, string> = {
  base64Binary: '(?:\\s*[0-9a-zA-Z+/=]{4})+\\s*',
};

function buildPrimitives(): Map<string, Primitive> {
  const primitives = new Map<string, Primitive>();
  for (const [name, entry] of Object.entries(index.primitives)) {
    const regex = REGEX_OVERRIDES[name] ?? entry.regex;
    // The spec's regexes are written for whole-value matching.
    const pattern = regex ? new RegExp(`^(?:${regex})$`) : undefined;
    primitives.set(name, pattern ? { ...entry, pattern } : entry);
  }

  return primitives;
}

function setsByUrl(lists: Record<string, string[]>): Map<string, Set<string>> {
  const entries = Object.entries(lists);

  return new Map(entries.map(([url, list]) => [url, new Set(list)]));
}

export const FHIR_VERSION = index.fhirVersion;
export const RESOURCE_TYPES: ReadonlySet<string> = new Set(index.resourceTypes);
export const TYPES = buildTypes();
export const PRIMITIVES = buildPrimitives();
export const VALUE_SETS = setsByUrl(index.valueSets);
export const VALUE_SET_SYSTEMS = setsByUrl(index.valueSetSystems);
