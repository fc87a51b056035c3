/**
 * Message-level rules. Policy: a problem is an ERROR when the message cannot
 * be routed, deduplicated or mapped faithfully (the pipeline would stage a
 * wrong or keyless record); it is a WARNING when only one mapped element is
 * lost, and that element is then left out of the FHIR output.
 *
 * | rule                        | sev     | where                               |
 * | --------------------------- | ------- | ----------------------------------- |
 * | msh_missing                 | error   | first segment is not MSH            |
 * | encoding_characters_invalid | error   | MSH-1/MSH-2                         |
 * | required_field_missing      | error   | MSH-9.1/.2, MSH-10, MSH-11, MSH-12, |
 * |                             |         | PID-3, OBX-2 (when OBX-5), OBX-3    |
 * | invalid_message_type        | error   | MSH-9 parts not 3-char codes        |
 * | invalid_coded_value         | error   | MSH-11 (0103), OBX-2 (0125)         |
 * | invalid_coded_value         | warning | PID-8 (0001), OBX-11 (0085)         |
 * | unsupported_version         | error   | MSH-12 not 2.1 to 2.8.2             |
 * | invalid_segment_name        | error   | name not [A-Z][A-Z0-9]{2}           |
 * | required_segment_missing    | error   | per structure, see structures.ts    |
 * | expected_segment_missing    | warning | EVN, PV1 where the structure has it |
 * | segment_out_of_order        | error   | per structure                       |
 * | structure_not_checked       | warning | no definition: MSH and field rules  |
 * | invalid_timestamp           | warning | MSH-7, EVN-2, PID-7, PV1-44/45,     |
 * |                             |         | OBX-14                              |
 * | invalid_numeric             | warning | OBX-5 when OBX-2 is NM              |
 * | expected_field_missing      | warning | PV1-2, OBX-11                       |
 *
 *
 * Checked before these, in framing.ts (file issues) and message.ts:
 *
 * | rule                            | sev     | why                             |
 * | ------------------------------- | ------- | ------------------------------- |
 * | byte_order_mark                 | warning | stripped, harmless              |
 * | non_standard_segment_terminator | warning | LF or CRLF, normalised          |
 * | mllp_envelope_stripped          | warning | 0x0B / 0x1C 0x0D at frame edges |
 * | mllp_frame_incomplete           | error   | frame without end block: cut off|
 * | batch_count_mismatch            | error   | BTS-1/FTS-1: truncated transfer |
 * | batch_count_invalid             | error   | trailer count not a number      |
 * | batch_trailer_missing           | error   | BHS/FHS without BTS/FTS         |
 * | empty_file                      | error   | no segment at all               |
 * | encoding_characters_incomplete  | warning | MSH-2 has fewer than 4 chars    |
 * | charset_inferred                | warning | non-ASCII bytes, MSH-18 empty   |
 * | charset_not_ascii               | warning | 8-bit bytes, MSH-18 ASCII       |
 * | charset_mismatch                | error   | bytes (or \Xhh\) contradict it  |
 * | charset_unsupported             | error   | MSH-18 names an unknown set     |
 * | control_character_in_segment    | error   | corruption or broken frame      |
 * | escaped_control_character       | error   | \Xhh\ < 0x20 but TAB, CR, LF    |
 * | raw_newline_in_field            | warning | LF kept as a line break         |
 * | file_rejected, drop_rejected    | error   | held back by the policy         |
 */
import type { Severity, ValidationIssue } from '../validation/types.ts';
import { codeTable } from './code-table.ts';
import {
  ADMINISTRATIVE_SEX,
  isNumeric,
  isTimestamp,
  PROCESSING_ID,
  RESULT_STATUS,
  SUPPORTED_VERSIONS,
  VALUE_TYPE,
} from './datatypes.ts';
import { recordIssue } from './issues.ts';
import { fieldLocation, SEGMENT_NAME } from './message.ts';
import {
  type Delimiters,
  leaf,
  type ParsedMessage,
  rawField,
  repetitions,
  type Segment,
  valueAt,
} from './parse.ts';
import {
  checkRequiredSegments,
  REQUIRED_SEGMENTS,
  resolveStructure,
  SOFT_REQUIRED,
} from './structures.ts';

type Report = (
  rule: string,
  severity: Severity,
  location: string,
  message: string,
) => void;

export function checkMessage(
  message: ParsedMessage,
  index: number,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report: Report = (rule, severity, location, text) => {
    issues.push(recordIssue(index, rule, severity, location, text));
  };
  const msh = message.segments[0];
  if (msh === undefined || msh.name !== 'MSH') {
    report(
      'msh_missing',
      'error',
      'segment 1',
      'The message does not start with an MSH segment.',
    );
    return issues;
  }

  checkHeader(msh, message.delimiters, report);
  checkSegmentNames(message.segments, report);
  if (hasMessageType(msh, message.delimiters)) {
    checkStructure(msh, message, report);
  }
  for (const segment of message.segments) {
    SEGMENT_CHECKS[segment.name]?.(segment, message.delimiters, report);
  }

  return issues;
}

function isBlank(value: string): boolean {
  return value.trim() === '';
}

function checkHeader(msh: Segment, d: Delimiters, report: Report): void {
  checkMessageType(msh, d, report);
  if (isBlank(valueAt(msh, d, 10))) {
    report(
      'required_field_missing',
      'error',
      'MSH-10',
      'Message control id (MSH-10) is missing.',
    );
  }
  checkProcessingId(msh, d, report);
  checkVersion(msh, d, report);
  checkTimestamp(msh, d, 7, report);
}

function hasMessageType(msh: Segment, d: Delimiters): boolean {
  return !isBlank(valueAt(msh, d, 9, 1)) && !isBlank(valueAt(msh, d, 9, 2));
}

const CODE = /^[A-Z0-9]{3}$/;

function checkMessageType(msh: Segment, d: Delimiters, report: Report): void {
  const type = valueAt(msh, d, 9, 1);
  const trigger = valueAt(msh, d, 9, 2);
  const structure = valueAt(msh, d, 9, 3);
  if (isBlank(type) || isBlank(trigger)) {
    report(
      'required_field_missing',
      'error',
      'MSH-9',
      'Message type (MSH-9) lacks its type or trigger event.',
    );
    return;
  }
  const bad = [type, trigger].findIndex((part) => !CODE.test(part));
  if (bad !== -1) {
    report(
      'invalid_message_type',
      'error',
      `MSH-9.${bad + 1}`,
      'Message type parts must be three-character codes.',
    );
  }
  if (structure !== '' && !/^[A-Z0-9]{3}_[A-Z0-9]{3}$/.test(structure)) {
    report(
      'invalid_message_type',
      'error',
      'MSH-9.3',
      'Message structure must read like ADT_A01.',
    );
  }
}

function checkProcessingId(msh: Segment, d: Delimiters, report: Report): void {
  const id = valueAt(msh, d, 11).trim();
  if (id === '') {
    report(
      'required_field_missing',
      'error',
      'MSH-11',
      'Processing id (MSH-11) is missing.',
    );
  } else if (!PROCESSING_ID.has(id)) {
    report(
      'invalid_coded_value',
      'error',
      'MSH-11',
      'Processing id is not in HL7 table 0103.',
    );
  }
}

function checkVersion(msh: Segment, d: Delimiters, report: Report): void {
  const version = valueAt(msh, d, 12).trim();
  if (version === '') {
    report(
      'required_field_missing',
      'error',
      'MSH-12',
      'Version id (MSH-12) is missing.',
    );
  } else if (!SUPPORTED_VERSIONS.has(version)) {
    report(
      'unsupported_version',
      'error',
      'MSH-12',
      'Version id is not an HL7 v2 version from 2.1 to 2.8.2.',
    );
  }
}

function checkTimestamp(
  segment: Segment,
  d: Delimiters,
  field: number,
  report: Report,
): void {
  const value = valueAt(segment, d, field).trim();
  if (value !== '' && !isTimestamp(value)) {
    const where = fieldLocation(segment.name, segment.repetition, field);
    report(
      'invalid_timestamp',
      'warning',
      where,
      'Not a valid TS/DTM; the element is left out of the mapping.',
    );
  }
}

function checkSegmentNames(segments: readonly Segment[], report: Report): void {
  segments.forEach((segment, i) => {
    if (!SEGMENT_NAME.test(segment.name)) {
      report(
        'invalid_segment_name',
        'error',
        `segment ${i + 1}`,
        'Segment name is not three upper-case letters or digits.',
      );
    }
  });
}

function checkStructure(
  msh: Segment,
  message: ParsedMessage,
  report: Report,
): void {
  const d = message.delimiters;
  const structure = resolveStructure(
    valueAt(msh, d, 9, 1),
    valueAt(msh, d, 9, 2),
    valueAt(msh, d, 9, 3),
  );
  const required = REQUIRED_SEGMENTS[structure];
  if (required === undefined) {
    report(
      'structure_not_checked',
      'warning',
      'MSH-9',
      'No segment definition for this message structure; segment order was not checked.',
    );
    return;
  }
  const names = message.segments.map((segment) => segment.name);
  for (const finding of checkRequiredSegments(required, names)) {
    const kind =
      finding.kind === 'missing' && SOFT_REQUIRED.has(finding.segment)
        ? 'soft_missing'
        : finding.kind;
    const [rule, severity, text] = SEGMENT_FINDINGS[kind];
    report(rule, severity, finding.segment, text);
  }
}

const SEGMENT_FINDINGS = {
  missing: [
    'required_segment_missing',
    'error',
    'A segment the message structure requires is missing.',
  ],
  soft_missing: [
    'expected_segment_missing',
    'warning',
    'A segment the structure requires is missing; only its own mapping is lost.',
  ],
  out_of_order: [
    'segment_out_of_order',
    'error',
    'A required segment appears before the segments it must follow.',
  ],
} as const;

type SegmentCheck = (segment: Segment, d: Delimiters, report: Report) => void;

const SEGMENT_CHECKS = codeTable<SegmentCheck>({
  EVN: (segment, d, report) => checkTimestamp(segment, d, 2, report),
  PID: checkPid,
  PV1: checkPv1,
  OBX: checkObx,
});

function checkPid(segment: Segment, d: Delimiters, report: Report): void {
  const where = (field: number) =>
    fieldLocation('PID', segment.repetition, field);
  if (!hasIdentifier(segment, d)) {
    report(
      'required_field_missing',
      'error',
      where(3),
      'Patient identifier list (PID-3) is missing.',
    );
  }
  checkTimestamp(segment, d, 7, report);
  const sex = valueAt(segment, d, 8).trim();
  if (sex !== '' && !ADMINISTRATIVE_SEX.has(sex)) {
    report(
      'invalid_coded_value',
      'warning',
      where(8),
      'Administrative sex is not in HL7 table 0001.',
    );
  }
}

/** A PID-3 of only explicit nulls (`""`) identifies nobody. */
function hasIdentifier(segment: Segment, d: Delimiters): boolean {
  return repetitions(rawField(segment, 3), d).some(
    (rep) => !isBlank(leaf(rep, d, 1)),
  );
}

function checkPv1(segment: Segment, d: Delimiters, report: Report): void {
  if (isBlank(valueAt(segment, d, 2))) {
    const where = fieldLocation('PV1', segment.repetition, 2);
    report(
      'expected_field_missing',
      'warning',
      where,
      'Patient class (PV1-2) is missing; Encounter.class becomes unknown.',
    );
  }
  checkTimestamp(segment, d, 44, report);
  checkTimestamp(segment, d, 45, report);
}

function checkObx(segment: Segment, d: Delimiters, report: Report): void {
  const where = (field: number) =>
    fieldLocation('OBX', segment.repetition, field);
  const valueType = valueAt(segment, d, 2).trim();
  const hasValue = rawField(segment, 5) !== '';
  if (valueType === '' && hasValue) {
    report(
      'required_field_missing',
      'error',
      where(2),
      'Value type (OBX-2) is missing while OBX-5 holds a value.',
    );
  } else if (valueType !== '' && !VALUE_TYPE.has(valueType)) {
    report(
      'invalid_coded_value',
      'error',
      where(2),
      'Value type is not in HL7 table 0125.',
    );
  }
  if (!hasIdentifier(segment, d)) {
    report(
      'required_field_missing',
      'error',
      where(3),
      'Observation identifier (OBX-3) is missing.',
    );
  }
  if (valueType === 'NM' && hasValue) checkNumeric(segment, d, report);
  checkResultStatus(segment, d, report);
  checkTimestamp(segment, d, 14, report);
}

/** A Quantity holds one number: a non-number or a repetition loses it. */
function checkNumeric(segment: Segment, d: Delimiters, report: Report): void {
  const values = repetitions(rawField(segment, 5), d);
  const where = fieldLocation('OBX', segment.repetition, 5);
  if (values.some((value) => !isNumeric(value.trim()))) {
    report(
      'invalid_numeric',
      'warning',
      where,
      'A numeric (NM) result is not a number; it is mapped without a value.',
    );
  } else if (values.length > 1) {
    report(
      'invalid_numeric',
      'warning',
      where,
      'A numeric (NM) result repeats; one Quantity cannot hold it, so no value is mapped.',
    );
  }
}

function checkResultStatus(
  segment: Segment,
  d: Delimiters,
  report: Report,
): void {
  const status = valueAt(segment, d, 11).trim();
  const where = fieldLocation('OBX', segment.repetition, 11);
  if (status === '') {
    report(
      'expected_field_missing',
      'warning',
      where,
      'Result status (OBX-11) is missing; Observation.status becomes unknown.',
    );
  } else if (!RESULT_STATUS.has(status)) {
    report(
      'invalid_coded_value',
      'warning',
      where,
      'Result status is not in HL7 table 0085; Observation.status becomes unknown.',
    );
  }
}
