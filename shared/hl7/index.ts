import type { DropValidation, QuarantinePolicy } from '../validation/types.ts';

/** Placeholder until the HL7 v2 module lands: rejects every message. */
export function validateHl7(
  _bytes: Uint8Array,
  _options?: { policy?: QuarantinePolicy },
): DropValidation {
  return {
    format: 'hl7v2',
    fileIssues: [
      {
        rule: 'hl7_not_supported_yet',
        severity: 'error',
        location: 'file',
        message: 'HL7 v2 validation is not built yet.',
      },
    ],
    records: [],
  };
}
