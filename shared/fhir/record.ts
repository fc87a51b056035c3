/**
 * One parsed JSON value to one record verdict: a Bundle is validated as a
 * whole and stages its entries, any other resource stages itself.
 */
import type {
  FhirResource,
  RecordVerdict,
  ValidationIssue,
} from '../validation/types.ts';
import {
  checkBundleReferences,
  checkBundleRules,
  normaliseUuidReferences,
  selectStaged,
} from './bundle.ts';
import { RESOURCE_TYPES } from './definitions.ts';
import { hasError, issue, RULES } from './issues.ts';
import { REFERENCE_KINDS, referenceKind } from './references.ts';
import { isObject, type WalkContext, walkResource } from './resource.ts';
import { checkStrings, mayHoldForbiddenCharacters } from './strings.ts';

export interface RecordPlace {
  index: number;
  location: string;
  span: { start: number; end: number };
  /**
   * Prepended to issue locations: `line 12: ` in NDJSON, empty otherwise.
   * An issue with an empty location is located at the record itself.
   */
  prefix: string;
}

/** The path a resource's issues start from: its type, when it has one. */
export function rootPath(value: unknown): string {
  const type = isObject(value) ? value.resourceType : undefined;

  return typeof type === 'string' && RESOURCE_TYPES.has(type)
    ? type
    : 'Resource';
}

export function isBundle(value: unknown): boolean {
  return isObject(value) && value.resourceType === 'Bundle';
}

/** `text` is the JSON the value was parsed from, searched for escapes. */
export function resourceRecord(
  value: unknown,
  place: RecordPlace,
  text: string,
): RecordVerdict {
  const context: WalkContext = { issues: [], references: [] };
  walkResource(value, rootPath(value), context);
  if (mayHoldForbiddenCharacters(text)) {
    checkStrings(value, rootPath(value), context.issues);
  }
  const resources = isBundle(value)
    ? stageBundle(value as Record<string, unknown>, context)
    : stageSingle(value, context);

  return verdict(place, context.issues, resources);
}

function stageBundle(
  bundle: Record<string, unknown>,
  context: WalkContext,
): FhirResource[] {
  checkBundleRules(bundle, context);
  checkBundleReferences(bundle, context);
  const staged = selectStaged(bundle, context);
  if (!hasError(context.issues)) {
    normaliseUuidReferences(bundle, context.references);
  }

  return staged;
}

/** Outside a Bundle nothing can resolve a `urn:uuid`: warn, still stage. */
function stageSingle(value: unknown, context: WalkContext): FhirResource[] {
  for (const site of context.references) {
    if (referenceKind(site.holder.reference) !== REFERENCE_KINDS.uuid) continue;
    const message = 'is a urn:uuid, which cannot resolve outside a Bundle';
    const warning = issue(
      RULES.unresolvedReference,
      site.path,
      message,
      'warning',
    );
    context.issues.push(warning);
  }

  return [value as FhirResource];
}

export function verdict(
  place: RecordPlace,
  issues: ValidationIssue[],
  resources: FhirResource[],
): RecordVerdict {
  const accepted = !hasError(issues);
  const located = issues.map((item) => ({
    ...item,
    // Line-level issues carry no path of their own: they are the line.
    location: item.location ? place.prefix + item.location : place.location,
    record: place.index,
  }));

  return {
    index: place.index,
    location: place.location,
    accepted,
    issues: located,
    resources: accepted ? resources : [],
    span: place.span,
  };
}
