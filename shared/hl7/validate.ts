/**
 * Entry point of the HL7 v2 validator: frames the drop into messages, decodes
 * and checks each one, and maps accepted messages to FHIR R4. Never throws:
 * any input, however broken, comes back as issues.
 */
import type {
  DropValidation,
  FhirResource,
  QuarantinePolicy,
  RecordVerdict,
  ValidationIssue,
} from '../validation/types.ts';
import { frameMessages, type MessageUnit } from './framing.ts';
import { fileIssue, hasError, recordIssue } from './issues.ts';
import { mapMessage } from './map/message.ts';
import { decodeMessage } from './message.ts';
import { checkMessage } from './rules.ts';

export interface ValidateHl7Options {
  /** Default `record`: each message stands or falls on its own. */
  policy?: QuarantinePolicy;
  /** Default true; false skips FHIR mapping (validation-only callers). */
  map?: boolean;
  /**
   * Default false: adds one `unmapped_content` warning per message naming
   * the segments and field positions no mapper read. Off by default because
   * nearly every real message has some; the Provenance of each message
   * carries the same summary either way.
   */
  reportUnmapped?: boolean;
}

export function validateHl7(
  bytes: Uint8Array,
  options: ValidateHl7Options = {},
): DropValidation {
  try {
    return validateDrop(bytes, options.policy ?? 'record', {
      map: options.map ?? true,
      reportUnmapped: options.reportUnmapped ?? false,
    });
  } catch {
    // A bug here must quarantine the drop, not crash the Lambda; the cause
    // is not attached because it could quote field values.
    return {
      format: 'hl7v2',
      fileIssues: [
        fileIssue(
          'validator_failure',
          'error',
          'file',
          'The HL7 validator failed unexpectedly on this file.',
        ),
      ],
      records: [],
    };
  }
}

interface MapOptions {
  map: boolean;
  reportUnmapped: boolean;
}

function validateDrop(
  bytes: Uint8Array,
  policy: QuarantinePolicy,
  map: MapOptions,
): DropValidation {
  const framing = frameMessages(bytes);
  const fileIssues = [...framing.issues];
  if (framing.units.length === 0) {
    fileIssues.push(
      fileIssue(
        'empty_file',
        'error',
        'file',
        'The file holds no HL7 segments.',
      ),
    );
  }
  const records = framing.units.map((unit, index) =>
    judgeMessage(bytes, unit, framing.crTerminated, index, map),
  );

  applyPolicy(records, hasError(fileIssues), policy);
  return { format: 'hl7v2', fileIssues, records };
}

function judgeMessage(
  bytes: Uint8Array,
  unit: MessageUnit,
  crTerminated: boolean,
  index: number,
  options: MapOptions,
): RecordVerdict {
  const decoded = decodeMessage(bytes, unit, crTerminated, index);
  const issues: ValidationIssue[] = [...decoded.issues];
  if (unit.frameIncomplete) issues.push(incompleteFrame(index));
  if (decoded.parsed !== undefined && !hasError(issues)) {
    issues.push(...checkMessage(decoded.parsed, index));
  }
  const accepted = decoded.parsed !== undefined && !hasError(issues);
  const mapped =
    accepted && options.map && decoded.parsed
      ? mapMessage(decoded.parsed)
      : undefined;
  const resources: FhirResource[] = mapped?.resources ?? [];
  if (options.reportUnmapped && mapped?.unmapped) {
    // One summary per message, not one issue per field: positions only.
    issues.push(
      recordIssue(
        index,
        'unmapped_content',
        'warning',
        'message',
        mapped.unmapped,
      ),
    );
  }

  return {
    index,
    location: `message ${index + 1}`,
    accepted,
    issues,
    resources,
    span: { start: unit.span.start, end: unit.span.end },
  };
}

function incompleteFrame(index: number): ValidationIssue {
  const message =
    'The MLLP frame of this message has no end block (0x1C): the transfer was cut off.';

  return recordIssue(index, 'mllp_frame_incomplete', 'error', 'frame', message);
}

/**
 * A file-level error (bad batch count, missing trailer) means the file cannot
 * be trusted as a whole, so every message is held back. Under the `drop`
 * policy one rejected message holds back all the others too.
 */
function applyPolicy(
  records: RecordVerdict[],
  fileFailed: boolean,
  policy: QuarantinePolicy,
): void {
  const anyRejected = records.some((record) => !record.accepted);
  if (fileFailed) {
    holdBack(
      records,
      'file_rejected',
      'The file failed a file-level check; see the file issues.',
    );
  } else if (policy === 'drop' && anyRejected) {
    holdBack(
      records,
      'drop_rejected',
      'Another message in the drop was rejected and the policy is drop.',
    );
  }
}

function holdBack(
  records: RecordVerdict[],
  rule: string,
  message: string,
): void {
  for (const record of records) {
    if (!record.accepted) continue;
    record.accepted = false;
    record.resources = [];
    record.issues.push(
      recordIssue(record.index, rule, 'error', record.location, message),
    );
  }
}
