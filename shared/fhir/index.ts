import type { DropValidation, QuarantinePolicy } from '../validation/types.ts';

/** Placeholder until the FHIR module lands: accepts parseable resources. */
export function validateFhir(
  bytes: Uint8Array,
  _options: { fileName?: string; policy?: QuarantinePolicy },
): DropValidation {
  const text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const records = lines.map((line, index) => {
    const resource = JSON.parse(line);
    return {
      index,
      location: `line ${index + 1}`,
      accepted: true,
      issues: [],
      resources: [resource],
    };
  });
  return { format: 'fhir-ndjson', fileIssues: [], records };
}
