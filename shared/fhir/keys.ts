/**
 * Object keys in a location. Keys are sender data: an unknown one can be a
 * patient's name typed into the wrong place, or carry a line break that
 * forges lines in a text report. A key is echoed only when it is an element
 * name somewhere in the R4 index (so `valueString` in the wrong place stays
 * readable); any other key is located by its position among its object's
 * keys, never by its text.
 */
import { TYPES } from './definitions.ts';

const UNDERSCORE = 95;

const KNOWN_NAMES: ReadonlySet<string> = knownNames();

function knownNames(): Set<string> {
  const names = new Set(['resourceType']);
  for (const info of TYPES.values()) {
    for (const name of info.elements.keys()) names.add(name);
  }
  return names;
}

/** True when `key` (or, for `_name`, its `name`) is an R4 element name. */
export function isKnownName(key: string): boolean {
  const name = key.charCodeAt(0) === UNDERSCORE ? key.slice(1) : key;

  return KNOWN_NAMES.has(name);
}

/** `Patient.birthDate`, or `Patient.<unknown key 3 of 9>`. */
export function keyPath(
  path: string,
  key: string,
  object: Record<string, unknown>,
): string {
  if (isKnownName(key)) return `${path}.${key}`;
  const keys = Object.keys(object);

  return `${path}.<unknown key ${keys.indexOf(key) + 1} of ${keys.length}>`;
}
