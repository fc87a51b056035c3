import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ValidationIssue } from '../shared/validation/types.ts';
import { validateDrop } from '../shared/validation/validate-drop.ts';

/**
 * `npm run conformance [-- <corpus dir>] [--json]`: the proof that the
 * validator accepts real data. Validates every HL7 v2 message and every FHIR
 * resource (NDJSON line, Bundle, single resource) under the corpus
 * (`../shared/corpus` by default) and lists each rejection with its rule
 * codes and locations. Each rejection must appear in KNOWN_DEFECTS with the
 * reason the sample itself breaks HL7 v2 or FHIR R4; an unexplained
 * rejection is a gap in our support and fails the run (exit 1).
 */

interface Defect {
  /** `rule@location` of every error expected, in order. */
  errors: readonly string[];
  why: string;
}

const OBX3 =
  'OBX-3 (observation identifier) is required in every HL7 v2 version; ' +
  'the sample writes a document OBX with no identifier.';
const PROVENANCE_AGENT =
  'R4 Provenance.agent is 1..* and Provenance.agent.who is 1..1; ' +
  'the converter emitted a Provenance without them.';

/** Rejections that are defects of the samples, not of the validator. */
export const KNOWN_DEFECTS: Readonly<Record<string, Defect>> = {
  'hl7v2/MDHHS-OML-O21-1.hl7#message 1': {
    errors: ['required_segment_missing@ORC'],
    why: 'OML_O21 opens every ORDER group with ORC (required); the sample opens its order with OBR alone.',
  },
  'hl7v2/ORU-R01-01.hl7#message 1': {
    errors: ['required_field_missing@OBX[2]-3'],
    why: OBX3,
  },
  'hl7v2/OUL-R22-01.hl7#message 1': {
    errors: ['required_field_missing@OBX[3]-3'],
    why: OBX3,
  },
  'hl7v2/OUL-R22-02.hl7#message 1': {
    errors: [
      'required_field_missing@OBX[3]-3',
      'required_field_missing@OBX[6]-3',
    ],
    why: OBX3,
  },
  'hl7v2/OUL-R23-01.hl7#message 1': {
    errors: ['required_field_missing@OBX[3]-3'],
    why: OBX3,
  },
  'hl7v2/OUL-R23-02.hl7#message 1': {
    errors: [
      'required_field_missing@OBX[3]-3',
      'required_field_missing@OBX[6]-3',
    ],
    why: OBX3,
  },
  'hl7v2/OUL-R24-01.hl7#message 1': {
    errors: ['required_field_missing@OBX[2]-3'],
    why: OBX3,
  },
  'hl7v2/OUL-R24-02.hl7#message 1': {
    errors: ['required_field_missing@OBX[2]-3'],
    why: OBX3,
  },
  'hl7v2-expected/ADT01-23-expected.json#Bundle': {
    errors: [
      'invalid_reference@Bundle.entry[4].resource.guarantor[0].party.reference',
      'cardinality_min@Bundle.entry[12].resource.agent',
    ],
    why:
      'A reference of a type with an empty id (Type/ and nothing after) is not ' +
      'a literal reference R4 allows (the id is 1..64 of [A-Za-z0-9-.]); ' +
      PROVENANCE_AGENT,
  },
  'hl7v2-expected/ADT01-28-expected.json#Bundle': {
    errors: ['cardinality_min@Bundle.entry[10].resource.agent'],
    why: PROVENANCE_AGENT,
  },
  'hl7v2-expected/ADT04-23-expected.json#Bundle': {
    errors: [
      'code_not_in_required_valueset@Bundle.entry[4].resource.telecom[0].use',
      'code_not_in_required_valueset@Bundle.entry[4].resource.telecom[0].system',
      'code_not_in_required_valueset@Bundle.entry[4].resource.telecom[1].use',
      'code_not_in_required_valueset@Bundle.entry[4].resource.telecom[1].system',
      'code_not_in_required_valueset@Bundle.entry[6].resource.name[0].use',
      'code_not_in_required_valueset@Bundle.entry[7].resource.name[0].use',
      'code_not_in_required_valueset@Bundle.entry[12].resource.name[0].use',
    ],
    why:
      'ContactPoint.use, ContactPoint.system and HumanName.use have required ' +
      'bindings (contact-point-use, contact-point-system, name-use) and codes ' +
      'are case-sensitive; the sample carries the HL7 v2 table values ' +
      '(upper case, a phone number as system) instead of the R4 codes.',
  },
  'hl7v2-expected/ADT04-28-expected.json#Bundle': {
    errors: ['cardinality_min@Bundle.entry[13].resource.agent'],
    why: PROVENANCE_AGENT,
  },
  'hl7v2-expected/LAB-ORU-1-expected.json#Bundle': {
    errors: ['cardinality_min@Bundle.entry[1].resource.agent[0].who'],
    why: PROVENANCE_AGENT,
  },
  'hl7v2-expected/LAB-ORU-2-expected.json#Bundle': {
    errors: ['cardinality_min@Bundle.entry[1].resource.agent[0].who'],
    why: PROVENANCE_AGENT,
  },
  'hl7v2-expected/OUL-R24-01-expected.json#Bundle': {
    errors: [
      'cardinality_min@Bundle.entry[100].resource.status',
      'cardinality_min@Bundle.entry[100].resource.code',
      'bundle_request_missing@Bundle.entry[100]',
    ],
    why:
      'R4 DiagnosticReport.status and .code are 1..1, and bdl-3 requires ' +
      'entry.request in a batch Bundle; the last entry has none of them.',
  },
};

/** Files of the corpus that are not clinical data: licences, indexes, logs. */
const DATA_EXTENSIONS = new Set(['.hl7', '.json', '.ndjson']);
const NOT_FHIR = new Set(['fhir-bulk/log.ndjson']);

export interface ConformanceRow {
  record: string;
  format: string;
  accepted: boolean;
  errors: string[];
  explained: boolean;
  why?: string;
}

export async function runConformance(root: string): Promise<ConformanceRow[]> {
  const rows: ConformanceRow[] = [];
  for (const file of await dataFiles(root)) {
    const name = relative(root, file);
    if (NOT_FHIR.has(name)) continue;
    const decision = validateDrop(await readFile(file), {
      fileName: file.split('/').pop(),
      policy: 'record',
    });
    const fileErrors = decision.validation.fileIssues.filter(isError);
    for (const record of decision.validation.records) {
      const key = `${name}#${record.location}`;
      const errors = [...fileErrors, ...record.issues.filter(isError)].map(
        (issue) => `${issue.rule}@${issue.location}`,
      );
      const accepted = decision.accepted.includes(record);
      rows.push(judge(key, decision.validation.format, accepted, errors));
    }
  }
  return rows;
}

function judge(
  record: string,
  format: string,
  accepted: boolean,
  errors: string[],
): ConformanceRow {
  if (accepted) return { record, format, accepted, errors, explained: true };
  const defect = KNOWN_DEFECTS[record];
  const explained =
    defect !== undefined && defect.errors.join('|') === errors.join('|');

  return { record, format, accepted, errors, explained, why: defect?.why };
}

async function dataFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && DATA_EXTENSIONS.has(extname(e.name)))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function isError(issue: ValidationIssue): boolean {
  return issue.severity === 'error';
}

function printSummary(rows: ConformanceRow[]): void {
  const byFormat = new Map<string, { in: number; accepted: number }>();
  for (const row of rows) {
    const counts = byFormat.get(row.format) ?? { in: 0, accepted: 0 };
    counts.in++;
    if (row.accepted) counts.accepted++;
    byFormat.set(row.format, counts);
  }
  for (const [format, counts] of byFormat) {
    console.log(
      `${format.padEnd(12)} ${counts.accepted}/${counts.in} accepted, ${counts.in - counts.accepted} rejected`,
    );
  }
  console.log('\nRejections:');
  for (const row of rows.filter((r) => !r.accepted)) {
    const mark = row.explained ? 'sample defect' : 'UNEXPLAINED';
    console.log(`- ${row.record} [${mark}] ${row.errors.join(', ')}`);
    if (row.why) console.log(`    why: ${row.why}`);
  }
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const root = resolve(positionals[0] ?? '../shared/corpus');
  const rows = await runConformance(root);
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else printSummary(rows);
  const unexplained = rows.filter((row) => !row.explained).length;
  console.log(
    `\n${rows.length} records, ${rows.filter((r) => r.accepted).length} accepted, ${unexplained} unexplained rejection(s)`,
  );
  process.exitCode = unexplained > 0 ? 1 : 0;
}
