/**
 * The contract between the validators (HL7 v2, FHIR R4) and everything that
 * acts on their verdict: the validate-drop Lambda, `npm run validate`, the
 * conformance runner and the quarantine report.
 *
 * An issue never carries a field value. Locations name where the problem is
 * (`PID[1]-7`, `Bundle.entry[3].resource.birthDate`, `line 12`), messages say
 * what rule was broken, and that is all an engineer needs to fix the feed.
 */

export type Severity = 'error' | 'warning';

export type DropFormat =
  | 'hl7v2'
  | 'fhir-json'
  | 'fhir-bundle'
  | 'fhir-ndjson'
  | 'unknown';

export interface ValidationIssue {
  /** Stable, machine-readable rule code in snake_case, e.g. `msh_missing`. */
  rule: string;
  severity: Severity;
  /** Where, never what: segment/field, JSON path, or line number. */
  location: string;
  /** A sentence an engineer understands, free of field values. */
  message: string;
  /** Index of the record (HL7 message, NDJSON line, Bundle entry) it concerns. */
  record?: number;
}

/** A FHIR R4 resource as parsed JSON; validators guarantee `resourceType`. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  [element: string]: unknown;
}

/**
 * One record of a drop: an HL7 v2 message, an NDJSON line, a single FHIR
 * resource or a whole Bundle. Records are the unit of the per-record policy.
 */
export interface RecordVerdict {
  /** 0-based index of the record inside the drop. */
  index: number;
  /** Human location of the record: `message 3`, `line 12`, `Bundle`. */
  location: string;
  accepted: boolean;
  issues: ValidationIssue[];
  /** FHIR resources this record stages when accepted. */
  resources: FhirResource[];
  /** Byte range of the record in the decoded input, for quarantining it. */
  span?: { start: number; end: number };
}

export const QUARANTINE_POLICIES = ['drop', 'record'] as const;
/**
 * `drop`: any rejected record rejects the whole drop.
 * `record`: accepted records are staged, rejected ones quarantined.
 */
export type QuarantinePolicy = (typeof QUARANTINE_POLICIES)[number];

export interface DropValidation {
  format: DropFormat;
  /** Issues about the file as a whole (encoding, framing, batch counts). */
  fileIssues: ValidationIssue[];
  records: RecordVerdict[];
}
