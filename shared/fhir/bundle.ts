/**
 * What a Bundle means for ingestion: which entries are data to stage, which
 * are instructions (DELETE) or search metadata (OperationOutcome), and the
 * Bundle invariants that make its references resolvable.
 */
import type { FhirResource } from '../validation/types.ts';
import { issue, RULES } from './issues.ts';
import {
  REFERENCE_KINDS,
  type ReferenceSite,
  referenceKind,
  type WalkContext,
} from './references.ts';
import { isObject } from './resource.ts';

type JsonObject = Record<string, unknown>;

const NEEDS_REQUEST = new Set(['transaction', 'batch']);
const NEEDS_RESPONSE = new Set(['transaction-response', 'batch-response']);
// Only these methods carry a resource that becomes data on the server.
const STAGED_METHODS = new Set(['POST', 'PUT']);
const STAGED_SEARCH_MODES = new Set(['match', 'include']);

function entriesOf(bundle: JsonObject): JsonObject[] {
  const entries = bundle.entry;
  if (!Array.isArray(entries)) return [];

  return entries.filter(isObject);
}

function entryPath(index: number): string {
  return `Bundle.entry[${index}]`;
}

/** bdl-3, bdl-4, bdl-5 and bdl-7, as issues on the context. */
export function checkBundleRules(bundle: JsonObject, context: WalkContext) {
  const type = typeof bundle.type === 'string' ? bundle.type : '';
  const fullUrls = new Set<string>();
  entriesOf(bundle).forEach((entry, index) => {
    checkFullUrl(entry, index, fullUrls, context);
    checkEntryShape(entry, index, type, context);
  });
}

function checkFullUrl(
  entry: JsonObject,
  index: number,
  seen: Set<string>,
  context: WalkContext,
): void {
  if (typeof entry.fullUrl !== 'string') return;
  if (seen.has(entry.fullUrl)) {
    const at = `${entryPath(index)}.fullUrl`;
    const message = 'repeats the fullUrl of an earlier entry (bdl-7)';
    context.issues.push(issue(RULES.bundleFullUrlDuplicate, at, message));
  }
  seen.add(entry.fullUrl);
}

function checkEntryShape(
  entry: JsonObject,
  index: number,
  type: string,
  context: WalkContext,
): void {
  const at = entryPath(index);
  if (NEEDS_REQUEST.has(type) && entry.request === undefined) {
    const message = `has no request; required in a ${type} Bundle (bdl-3)`;
    context.issues.push(issue(RULES.bundleRequestMissing, at, message));
  }
  if (NEEDS_RESPONSE.has(type) && entry.response === undefined) {
    const message = `has no response; required in a ${type} Bundle (bdl-4)`;
    context.issues.push(issue(RULES.bundleResponseMissing, at, message));
  }
  const hasAny = ['resource', 'request', 'response'].some(
    (key) => entry[key] !== undefined,
  );
  if (!hasAny) {
    const message = 'has neither a resource nor a request or response (bdl-5)';
    context.issues.push(issue(RULES.bundleEntryEmpty, at, message));
  }
}

/** `urn:uuid` references must point at an entry's fullUrl. */
export function checkBundleReferences(
  bundle: JsonObject,
  context: WalkContext,
): void {
  const fullUrls = new Set<string>();
  for (const entry of entriesOf(bundle)) {
    if (typeof entry.fullUrl === 'string') fullUrls.add(entry.fullUrl);
  }
  for (const site of context.references) {
    const reference = site.holder.reference;
    if (referenceKind(reference) !== REFERENCE_KINDS.uuid) continue;
    if (fullUrls.has(reference)) continue;
    const message = 'is a urn:uuid that matches no entry fullUrl in the Bundle';
    context.issues.push(issue(RULES.unresolvedReference, site.path, message));
  }
}

/** Entries to stage, plus warnings for what is deliberately left out. */
export function selectStaged(bundle: JsonObject, context: WalkContext) {
  const type = typeof bundle.type === 'string' ? bundle.type : '';
  const staged: FhirResource[] = [];
  entriesOf(bundle).forEach((entry, index) => {
    if (isStaged(entry, type, index, context)) {
      staged.push(entry.resource as FhirResource);
    }
  });

  return staged;
}

function isStaged(
  entry: JsonObject,
  type: string,
  index: number,
  context: WalkContext,
): boolean {
  const request = isObject(entry.request) ? entry.request : undefined;
  if (NEEDS_REQUEST.has(type) && request === undefined) return false;
  if (NEEDS_REQUEST.has(type) && !STAGED_METHODS.has(`${request?.method}`)) {
    const at = `${entryPath(index)}.request`;
    const message = 'is an instruction, not data; it is not staged';
    const severity = 'warning';
    context.issues.push(
      issue(RULES.bundleInstructionNotStaged, at, message, severity),
    );
    return false;
  }
  if (!isObject(entry.resource)) return false;
  if (type !== 'searchset') return true;

  return isStagedSearchEntry(entry, index, context);
}

function isStagedSearchEntry(
  entry: JsonObject,
  index: number,
  context: WalkContext,
): boolean {
  const search = isObject(entry.search) ? entry.search : {};
  // An entry without search.mode is a match: the spec's default reading.
  const mode = typeof search.mode === 'string' ? search.mode : 'match';
  if (STAGED_SEARCH_MODES.has(mode)) return true;
  const at = `${entryPath(index)}.search.mode`;
  const message = 'marks search metadata (outcome); it is not staged as data';
  context.issues.push(
    issue(RULES.bundleOutcomeNotStaged, at, message, 'warning'),
  );

  return false;
}

/**
 * Gives `urn:uuid` entries the uuid as id when they have none, and rewrites
 * references to them as `Type/id`, so that staged rows join to each other.
 */
export function normaliseUuidReferences(
  bundle: JsonObject,
  references: readonly ReferenceSite[],
): void {
  const targets = new Map<string, string>();
  for (const entry of entriesOf(bundle)) {
    const target = uuidTarget(entry);
    if (target) targets.set(entry.fullUrl as string, target);
  }
  if (targets.size === 0) return;
  for (const site of references) {
    const target = targets.get(site.holder.reference);
    if (target !== undefined) site.holder.reference = target;
  }
}

function uuidTarget(entry: JsonObject): string | undefined {
  const fullUrl = entry.fullUrl;
  const resource = entry.resource;
  if (typeof fullUrl !== 'string' || !isObject(resource)) return undefined;
  if (referenceKind(fullUrl) !== REFERENCE_KINDS.uuid) return undefined;
  if (typeof resource.resourceType !== 'string') return undefined;
  if (resource.id === undefined)
    resource.id = fullUrl.slice('urn:uuid:'.length);

  return `${resource.resourceType}/${resource.id}`;
}
