import type {
  DropValidation,
  FhirResource,
  QuarantinePolicy,
  RecordVerdict,
} from '../validation/types.ts';

/** Placeholder until the FHIR module lands: accepts parseable resources. */
export function validateFhir(
  bytes: Uint8Array,
  _options: { fileName?: string; policy?: QuarantinePolicy },
): DropValidation {
  const text = Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  try {
    const whole = JSON.parse(text) as FhirResource & {
      entry?: Array<{ resource: FhirResource }>;
    };
    const resources =
      whole.resourceType === 'Bundle'
        ? (whole.entry ?? []).map((e) => e.resource)
        : [whole];
    return {
      format: 'fhir-json',
      fileIssues: [],
      records: [verdict(0, 'file', resources)],
    };
  } catch {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    const records = lines.map((line, index) => {
      try {
        return verdict(index, `line ${index + 1}`, [JSON.parse(line)]);
      } catch {
        return {
          ...verdict(index, `line ${index + 1}`, []),
          accepted: false,
          issues: [
            {
              rule: 'invalid_json',
              severity: 'error' as const,
              location: `line ${index + 1}`,
              message: 'not JSON',
            },
          ],
        };
      }
    });
    return { format: 'fhir-ndjson', fileIssues: [], records };
  }
}

function verdict(
  index: number,
  location: string,
  resources: FhirResource[],
): RecordVerdict {
  const ok = resources.every((r) => typeof r?.resourceType === 'string');
  return {
    index,
    location,
    accepted: ok,
    issues: [],
    resources: ok ? resources : [],
  };
}
