import { createHash } from 'node:crypto';
import { validateFhir } from '../fhir/index.ts';
import { validateHl7 } from '../hl7/index.ts';
import { detectFormat } from './detect.ts';
import type {
  DropFormat,
  DropValidation,
  FhirResource,
  QuarantinePolicy,
  RecordVerdict,
  ValidationIssue,
} from './types.ts';

/**
 * The one validator behind the Lambda, `npm run validate` and the
 * conformance run: detects the format, runs the HL7 v2 or FHIR validator and
 * applies the quarantine policy.
 */
export interface DropDecision {
  validation: DropValidation;
  policy: QuarantinePolicy;
  accepted: RecordVerdict[];
  rejected: RecordVerdict[];
  /** Resources to stage, by type, each with an id and unique within its type. */
  resources: Map<string, FhirResource[]>;
}

export interface ValidateOptions {
  fileName?: string;
  /** Overrides the default policy for the detected format. */
  policy?: QuarantinePolicy;
}

export function validateDrop(
  bytes: Uint8Array,
  options: ValidateOptions = {},
): DropDecision {
  const validation = runValidator(bytes, options);
  const policy = options.policy ?? defaultPolicy(validation.format);
  const fileRejected = validation.fileIssues.some(isError);
  const anyRejected = validation.records.some((record) => !record.accepted);
  const rejectAll =
    fileRejected ||
    validation.records.length === 0 ||
    (policy === 'drop' && anyRejected);
  const accepted = rejectAll
    ? []
    : validation.records.filter((r) => r.accepted);
  const rejected = rejectAll
    ? validation.records
    : validation.records.filter((r) => !r.accepted);

  const { resources, repeated } = stageable(accepted);
  const withRepeats =
    repeated.size === 0 ? validation : noteRepeats(validation, repeated);

  return { validation: withRepeats, policy, accepted, rejected, resources };
}

/**
 * A drop that sends one resource twice keeps the later one, as a FHIR
 * server applying the updates in order would; the count is reported, so
 * that in = staged + quarantined still reads true at the record level and
 * the collapsed resources are not lost silently.
 */
function noteRepeats(
  validation: DropValidation,
  repeated: Map<string, number>,
): DropValidation {
  const issues: ValidationIssue[] = [...repeated].map(([type, count]) => ({
    rule: 'duplicate_resource_id',
    severity: 'warning',
    location: 'file',
    message: `${count} ${type} resource(s) repeat an id already sent in this drop; the last of each is staged.`,
  }));
  return { ...validation, fileIssues: [...validation.fileIssues, ...issues] };
}

/** Every issue of the drop, file-wide first, for reports and summaries. */
export function allIssues(validation: DropValidation): ValidationIssue[] {
  return [
    ...validation.fileIssues,
    ...validation.records.flatMap((record) => record.issues),
  ];
}

function runValidator(bytes: Uint8Array, options: ValidateOptions) {
  const format = detectFormat(bytes);
  if (format === 'hl7v2') return validateHl7(bytes, { policy: options.policy });
  // XML and UTF-16 are the two ways a FHIR feed most often sends what is not
  // FHIR JSON; the FHIR validator names them precisely.
  if (format === 'unknown' && !looksLikeMisencodedFhir(bytes))
    return unrecognised(bytes);

  return validateFhir(bytes, {
    fileName: options.fileName,
    policy: options.policy,
  });
}

/**
 * NDJSON exports and multi-message HL7 files are streams of independent
 * records, so one bad record should not hold back the rest; a single FHIR
 * resource or Bundle is one unit and passes or fails whole.
 */
export function defaultPolicy(format: DropFormat): QuarantinePolicy {
  if (format === 'fhir-ndjson') return 'record';
  if (format === 'hl7v2') return 'record';

  return 'drop';
}

function looksLikeMisencodedFhir(bytes: Uint8Array): boolean {
  const [a, b] = [bytes[0], bytes[1]];
  const utf16 = (a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff);
  const head = Buffer.from(bytes.subarray(0, 64))
    .toString('latin1')
    .replace(/^\xEF\xBB\xBF/, '')
    .trimStart();

  return utf16 || head.startsWith('<');
}

function unrecognised(bytes: Uint8Array): DropValidation {
  const rule = bytes.length === 0 ? 'empty_file' : 'unrecognised_format';
  const message =
    bytes.length === 0
      ? 'The file is empty.'
      : 'The file is neither HL7 v2 (starts with MSH, FHS or BHS) nor FHIR JSON (starts with {).';

  return {
    format: 'unknown',
    fileIssues: [{ rule, severity: 'error', location: 'file', message }],
    records: [],
  };
}

function isError(issue: ValidationIssue): boolean {
  return issue.severity === 'error';
}

/**
 * Gives every resource an id (a hash of its content when the feed sent
 * none) and keeps the last of several with the same type and id, so staged
 * counts equal curated row counts.
 */
function stageable(records: RecordVerdict[]): {
  resources: Map<string, FhirResource[]>;
  repeated: Map<string, number>;
} {
  const byType = new Map<string, Map<string, FhirResource>>();
  const repeated = new Map<string, number>();
  for (const resource of records.flatMap((record) => record.resources)) {
    const withId = resource.id
      ? resource
      : { ...resource, id: contentId(resource) };
    const ofType = byType.get(withId.resourceType) ?? new Map();
    if (ofType.has(withId.id)) {
      repeated.set(
        withId.resourceType,
        (repeated.get(withId.resourceType) ?? 0) + 1,
      );
    }
    ofType.set(withId.id as string, withId);
    byType.set(withId.resourceType, ofType);
  }
  const resources = new Map(
    [...byType].map(([type, list]) => [type, [...list.values()]]),
  );
  return { resources, repeated };
}

function contentId(resource: FhirResource): string {
  return createHash('sha256')
    .update(JSON.stringify(resource))
    .digest('hex')
    .slice(0, 32);
}
