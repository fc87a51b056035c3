/**
 * Reference checks. Inside a Bundle a reference may point at another entry
 * (by `fullUrl` or `Type/id`); anywhere it may point at a contained resource
 * (`#id`) or at a server we cannot see, so those are only checked for shape.
 */
import type { ValidationIssue } from '../validation/types.ts';
import { RESOURCE_TYPES } from './definitions.ts';
import { issue, RULES } from './issues.ts';

/** A `Reference` met during the walk, kept for resolution and rewriting. */
export interface ReferenceSite {
  holder: { reference: string };
  path: string;
}

export interface WalkContext {
  issues: ValidationIssue[];
  references: ReferenceSite[];
}

export const REFERENCE_KINDS = {
  local: 'local',
  uuid: 'uuid',
  oid: 'oid',
  relative: 'relative',
  conditional: 'conditional',
  absolute: 'absolute',
  invalid: 'invalid',
} as const;

export type ReferenceKind =
  (typeof REFERENCE_KINDS)[keyof typeof REFERENCE_KINDS];

const UUID_URN =
  /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const OID_URN = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;
const RELATIVE =
  /^([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const CONDITIONAL = /^([A-Z][A-Za-z]+)\?\S+$/;
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/;

export function referenceKind(reference: string): ReferenceKind {
  if (reference.startsWith('#')) return REFERENCE_KINDS.local;
  if (reference.startsWith('urn:uuid:')) {
    return UUID_URN.test(reference) ? REFERENCE_KINDS.uuid : 'invalid';
  }
  if (reference.startsWith('urn:oid:')) {
    return OID_URN.test(reference) ? REFERENCE_KINDS.oid : 'invalid';
  }
  if (ABSOLUTE.test(reference)) return REFERENCE_KINDS.absolute;

  return typedKind(reference);
}

function typedKind(reference: string): ReferenceKind {
  const relative = RELATIVE.exec(reference);
  if (relative) {
    return RESOURCE_TYPES.has(relative[1] as string) ? 'relative' : 'invalid';
  }
  const conditional = CONDITIONAL.exec(reference);
  if (conditional && RESOURCE_TYPES.has(conditional[1] as string)) {
    return REFERENCE_KINDS.conditional;
  }

  return REFERENCE_KINDS.invalid;
}

/** Records a reference for later resolution, reporting a malformed one. */
export function checkReference(
  holder: { reference: string },
  path: string,
  context: WalkContext,
): void {
  if (referenceKind(holder.reference) === REFERENCE_KINDS.invalid) {
    const message =
      'is not a well-formed reference (Type/id, absolute URL, urn:uuid, #id)';
    context.issues.push(issue(RULES.invalidReference, path, message));
    return;
  }
  context.references.push({ holder, path });
}

/** `#id` references must name a resource contained in the same resource. */
export function checkLocalReferences(
  resource: Record<string, unknown>,
  from: number,
  context: WalkContext,
): void {
  let containedIds: Set<string> | undefined;
  for (let i = from; i < context.references.length; i++) {
    const site = context.references[i] as ReferenceSite;
    const reference = site.holder.reference;
    if (!reference.startsWith('#') || reference === '#') continue;
    containedIds ??= idsOf(resource.contained);
    if (containedIds.has(reference.slice(1))) continue;
    const message = 'points at a contained resource that is not there';
    context.issues.push(issue(RULES.unresolvedReference, site.path, message));
  }
}

function idsOf(contained: unknown): Set<string> {
  const ids = new Set<string>();
  if (!Array.isArray(contained)) return ids;
  for (const item of contained) {
    if (typeof item?.id === 'string') ids.add(item.id);
  }

  return ids;
}
