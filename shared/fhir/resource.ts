/**
 * Structural validation of one R4 resource against the element index: names,
 * cardinalities, types (choice, complex, nested resources), primitive formats,
 * primitive extensions and required bindings on `code` elements.
 *
 * The walk is a single pass over the parsed JSON with no allocation on the
 * happy path beyond child paths, which is what keeps it near JSON.parse speed.
 */
import type { ValidationIssue } from '../validation/types.ts';
import {
  PRIMITIVES,
  type Primitive,
  RESOURCE_TYPES,
  TYPES,
  type TypeInfo,
  VALUE_SET_SYSTEMS,
  VALUE_SETS,
} from './definitions.ts';
import type { ElementEntry } from './index-types.ts';
import { issue, RULES } from './issues.ts';
import { keyPath } from './keys.ts';
import {
  checkLocalReferences,
  checkReference,
  type WalkContext,
} from './references.ts';

export type { ReferenceSite, WalkContext } from './references.ts';

type JsonObject = Record<string, unknown>;

const UNDERSCORE = 95;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Validates a resource found at `path` (its type name at the root, or e.g.
 * `Bundle.entry[3].resource`), returning every issue found.
 */
export function validateResource(
  resource: unknown,
  path: string,
): ValidationIssue[] {
  const context: WalkContext = { issues: [], references: [] };
  walkResource(resource, path, context);

  return context.issues;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks `resourceType`, then the resource's elements. A contained resource
 * (`ownScope` false) shares its container's `#id` reference scope, so its
 * local references are checked with the container's.
 */
export function walkResource(
  resource: unknown,
  path: string,
  context: WalkContext,
  ownScope = true,
): void {
  if (!isObject(resource)) {
    context.issues.push(
      issue(RULES.notAResource, path, 'is not a JSON object'),
    );
    return;
  }
  const type = resourceTypeOf(resource, path, context);
  if (type === undefined) return;
  const firstReference = context.references.length;
  walkObject(resource, TYPES.get(type), path, context, true);
  if (ownScope) checkLocalReferences(resource, firstReference, context);
}

function resourceTypeOf(
  resource: JsonObject,
  path: string,
  context: WalkContext,
): string | undefined {
  const type = resource.resourceType;
  const at = `${path}.resourceType`;
  if (type === undefined) {
    const message = 'is missing: a resource must say what it is';
    context.issues.push(issue(RULES.missingResourceType, at, message));
  } else if (typeof type !== 'string' || type.trim() === '') {
    const message = 'is empty or not a string';
    context.issues.push(issue(RULES.emptyResourceType, at, message));
  } else if (!RESOURCE_TYPES.has(type)) {
    const message = 'is not an R4 resource type';
    context.issues.push(issue(RULES.unknownResourceType, at, message));
  } else {
    return type;
  }

  return undefined;
}

function walkObject(
  object: JsonObject,
  info: TypeInfo | undefined,
  path: string,
  context: WalkContext,
  isResource: boolean,
): void {
  if (info === undefined) return;
  let choices: Set<string> | undefined;
  for (const key in object) {
    const entry = info.elements.get(key);
    if (entry === undefined) {
      checkUnlisted(object, key, info, path, context, isResource);
      continue;
    }
    if (entry.choice !== undefined) {
      choices ??= new Set();
      if (choices.has(entry.choice)) reportChoice(entry, path, context);
      choices.add(entry.choice);
    }
    checkElement(object, key, entry, path, context);
  }
  if (info.required.length > 0) checkRequired(object, info, path, context);
}

function checkUnlisted(
  object: JsonObject,
  key: string,
  info: TypeInfo,
  path: string,
  context: WalkContext,
  isResource: boolean,
): void {
  if (isResource && key === 'resourceType') return;
  if (key.charCodeAt(0) === UNDERSCORE) {
    checkPrimitiveExtension(object, key, info, path, context);
    return;
  }
  const message = 'is not an element of this type in FHIR R4';
  const at = keyPath(path, key, object);
  context.issues.push(issue(RULES.unknownElement, at, message));
}

function reportChoice(
  entry: ElementEntry,
  path: string,
  context: WalkContext,
): void {
  const at = `${path}.${entry.choice}[x]`;
  const message = 'has more than one type present; a choice allows one';
  context.issues.push(issue(RULES.choiceMultiple, at, message));
}

function checkRequired(
  object: JsonObject,
  info: TypeInfo,
  path: string,
  context: WalkContext,
): void {
  for (const { name, alternatives } of info.required) {
    const present = alternatives.some(
      (alt) => object[alt] !== undefined || object[`_${alt}`] !== undefined,
    );
    if (present) continue;
    const isChoice = alternatives.length > 1 || alternatives[0] !== name;
    const at = `${path}.${name}${isChoice ? '[x]' : ''}`;
    const message = 'is required (minimum cardinality 1) but missing';
    context.issues.push(issue(RULES.cardinalityMin, at, message));
  }
}

function checkElement(
  object: JsonObject,
  key: string,
  entry: ElementEntry,
  path: string,
  context: WalkContext,
): void {
  const value = object[key];
  if (!entry.many && isValidPrimitive(value, entry)) return;
  const at = `${path}.${key}`;
  if (!entry.many) {
    if (Array.isArray(value)) {
      const message = 'is an array but the element allows at most one value';
      context.issues.push(issue(RULES.cardinalityMax, at, message));
      return;
    }
    checkValue(value, entry, at, context, key);
    return;
  }
  if (!Array.isArray(value)) {
    const message = 'repeats (max cardinality *) and must be a JSON array';
    context.issues.push(issue(RULES.arrayExpected, at, message));
    return;
  }
  checkItems(value, object[`_${key}`], entry, at, context, key);
}

function checkItems(
  items: unknown[],
  extensions: unknown,
  entry: ElementEntry,
  at: string,
  context: WalkContext,
  key: string,
): void {
  if (items.length === 0) {
    const message = 'is an empty array; omit the element instead';
    context.issues.push(issue(RULES.emptyArray, at, message));
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isValidPrimitive(item, entry)) continue;
    if (item === null && Array.isArray(extensions) && extensions[i] != null) {
      continue;
    }
    checkValue(item, entry, `${at}[${i}]`, context, key);
  }
}

/**
 * The common case, a valid primitive, is settled without building its path:
 * paths are only needed for issues and for descending into objects.
 */
function isValidPrimitive(value: unknown, entry: ElementEntry): boolean {
  const primitive = PRIMITIVES.get(entry.type);
  if (primitive === undefined || value === null) return false;
  if (primitiveProblem(value, primitive, entry.type) !== undefined) {
    return false;
  }

  return (
    entry.valueSet === undefined ||
    VALUE_SETS.get(entry.valueSet)?.has(value as string) !== false
  );
}

function checkValue(
  value: unknown,
  entry: ElementEntry,
  at: string,
  context: WalkContext,
  key: string,
): void {
  if (value === null) {
    const message = 'is null; null is allowed only to align primitive arrays';
    context.issues.push(issue(RULES.nullNotAllowed, at, message));
    return;
  }
  const primitive = PRIMITIVES.get(entry.type);
  if (primitive !== undefined) {
    checkPrimitive(value, primitive, entry, at, context);
    return;
  }
  if (entry.type === 'Resource') {
    walkResource(value, at, context, key !== 'contained');
    return;
  }
  if (!isObject(value)) {
    const message = `must be a JSON object (${entry.type})`;
    context.issues.push(issue(RULES.wrongType, at, message));
    return;
  }
  walkObject(value, TYPES.get(entry.type), at, context, false);
  if (entry.valueSet !== undefined) {
    checkCodedBinding(value, entry.type, entry.valueSet, at, context);
  }
  if (entry.type === 'Reference' && typeof value.reference === 'string') {
    const holder = value as { reference: string };
    checkReference(holder, `${at}.reference`, context);
  }
}

function checkPrimitive(
  value: unknown,
  primitive: Primitive,
  entry: ElementEntry,
  at: string,
  context: WalkContext,
): void {
  const problem = primitiveProblem(value, primitive, entry.type);
  if (problem !== undefined) {
    context.issues.push(issue(problem.rule, at, problem.message));
    return;
  }
  if (entry.valueSet === undefined) return;
  if (VALUE_SETS.get(entry.valueSet)?.has(value as string) === false) {
    const message = `is not a code of its required value set ${entry.valueSet}`;
    context.issues.push(issue(RULES.codeNotInRequiredValueset, at, message));
  }
}

/**
 * A required binding on a Coding or CodeableConcept is met by a coding whose
 * system is one the value set draws from and whose code is in it. Codings
 * from other systems may sit beside it (translations); a concept with only
 * those, or only text, does not meet the binding.
 */
function checkCodedBinding(
  value: JsonObject,
  type: string,
  valueSet: string,
  at: string,
  context: WalkContext,
): void {
  const codes = VALUE_SETS.get(valueSet);
  const systems = VALUE_SET_SYSTEMS.get(valueSet);
  if (codes === undefined || systems === undefined) return;
  const codings = type === 'Coding' ? [value] : value.coding;
  const list = Array.isArray(codings) ? codings.filter(isObject) : [];
  const bound = list.filter((coding) => systems.has(coding.system as string));
  if (bound.some((coding) => codes.has(coding.code as string))) return;
  const message =
    bound.length > 0
      ? `has a code that is not in its required value set ${valueSet}`
      : `has no coding from the code system of its required value set ${valueSet}`;
  context.issues.push(issue(RULES.codeNotInRequiredValueset, at, message));
}

type Problem = { rule: 'wrong_type' | 'invalid_primitive'; message: string };

function primitiveProblem(
  value: unknown,
  primitive: Primitive,
  type: string,
): Problem | undefined {
  switch (primitive.json) {
    case 'string':
      if (typeof value !== 'string') return wrongJson('a JSON string', type);
      if (primitive.pattern && !primitive.pattern.test(value)) {
        return { rule: RULES.invalidPrimitive, message: notValid(type) };
      }
      return undefined;
    case 'boolean':
      return typeof value === 'boolean'
        ? undefined
        : wrongJson('true or false', type);
    case 'number':
      return typeof value === 'number'
        ? undefined
        : wrongJson('a number', type);
    case 'integer':
      return integerProblem(value, type);
  }
}

function integerProblem(value: unknown, type: string): Problem | undefined {
  if (typeof value !== 'number') return wrongJson('a JSON number', type);
  const inRange = value >= INT32_MIN && value <= INT32_MAX;
  const lowest = type === 'positiveInt' ? 1 : type === 'unsignedInt' ? 0 : -1;
  const valid =
    Number.isInteger(value) && inRange && (lowest < 0 || value >= lowest);

  return valid
    ? undefined
    : { rule: RULES.invalidPrimitive, message: notValid(type) };
}

function wrongJson(expected: string, type: string): Problem {
  return { rule: RULES.wrongType, message: `must be ${expected} (${type})` };
}

function notValid(type: string): string {
  const article = /^[aeiou]/.test(type) ? 'an' : 'a';

  return `is not ${article} valid ${type}`;
}

/**
 * `_birthDate` carries the id and extensions of `birthDate`; `_given` is an
 * array parallel to `given`, padded with nulls.
 */
function checkPrimitiveExtension(
  object: JsonObject,
  key: string,
  info: TypeInfo,
  path: string,
  context: WalkContext,
): void {
  const name = key.slice(1);
  const entry = info.elements.get(name);
  const at = keyPath(path, key, object);
  if (entry === undefined || !PRIMITIVES.has(entry.type)) {
    const message = 'does not extend a primitive element of this type';
    context.issues.push(issue(RULES.unknownElement, at, message));
    return;
  }
  const value = object[key];
  if (!entry.many) {
    checkElementPart(value, at, context);
    return;
  }
  checkExtensionArray(object[name], value, path, name, context);
}

function checkElementPart(
  value: unknown,
  at: string,
  context: WalkContext,
): void {
  if (!isObject(value)) {
    const message = 'must be a JSON object holding id and extension';
    context.issues.push(issue(RULES.wrongType, at, message));
    return;
  }
  walkObject(value, TYPES.get('Element'), at, context, false);
}

function checkExtensionArray(
  values: unknown,
  extensions: unknown,
  path: string,
  name: string,
  context: WalkContext,
): void {
  const at = `${path}._${name}`;
  if (!Array.isArray(extensions)) {
    const message = 'must be an array parallel to the repeating element';
    context.issues.push(issue(RULES.arrayExpected, at, message));
    return;
  }
  const length = Array.isArray(values) ? values.length : 0;
  if (extensions.length !== length) {
    const message = `does not have the same length as ${name}; arrays must align`;
    context.issues.push(
      issue(
        RULES.primitiveExtensionMisaligned,
        `${path}.${name}/_${name}`,
        message,
      ),
    );
  }
  for (let i = 0; i < extensions.length; i++) {
    const part = extensions[i];
    if (part === null) {
      if (Array.isArray(values) && values[i] === null) {
        const message = 'is null in both arrays; one side must have content';
        context.issues.push(
          issue(RULES.nullNotAllowed, `${at}[${i}]`, message),
        );
      }
      continue;
    }
    checkElementPart(part, `${at}[${i}]`, context);
  }
}
