/**
 * Mutants of valid inputs, generated here, each rejected (or, where the
 * documented policy makes it a warning, flagged) with the expected rule:
 * an HL7 v2 table over a corpus message, and the file-level mutants
 * (truncated, wrong encoding, binary junk) for HL7 v2 and FHIR alike. The
 * FHIR element-level table is in fhir/mutations.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Severity } from '../../shared/validation/types.ts';
import {
  allIssues,
  validateDrop,
} from '../../shared/validation/validate-drop.ts';
import { CORPUS, SAMPLES } from '../helpers/paths.ts';

/** ADT-A01-01 of the corpus as segments (it carries one OBX-5 warning). */
const SEGMENTS = readFileSync(new URL('hl7v2/ADT-A01-01.hl7', CORPUS), 'latin1')
  .replace(/^\u00ef\u00bb\u00bf/, '')
  .split(/\r\n|\r|\n/)
  .filter((segment) => segment !== '');

function indexOf(name: string): number {
  return SEGMENTS.findIndex((segment) => segment.startsWith(`${name}|`));
}

function withField(name: string, field: number, value: string): string[] {
  const at = indexOf(name);
  return SEGMENTS.map((segment, i) => {
    if (i !== at) return segment;
    const fields = segment.split('|');
    // MSH-1 is the separator itself: MSH-n sits at split index n - 1.
    fields[name === 'MSH' ? field - 1 : field] = value;
    return fields.join('|');
  });
}

function bytesOf(segments: string[]): Buffer {
  return Buffer.from(`${segments.join('\r')}\r`, 'latin1');
}

function swapped(a: string, b: string): string[] {
  const out = [...SEGMENTS];
  const i = indexOf(a);
  const j = indexOf(b);
  [out[i], out[j]] = [out[j] as string, out[i] as string];
  return out;
}

function withText(name: string, text: string, msh18: string): string[] {
  const segments = withField('MSH', 18, msh18);
  const at = indexOf(name);
  segments[at] = segments[at]?.replace(/\|([A-Z]+)\^/, `|$1${text}^`) ?? '';
  return segments;
}

interface Mutant {
  name: string;
  bytes: Uint8Array;
  fileName?: string;
  rule: string;
  severity: Severity;
  location?: string;
  /** Whether the drop still stages anything (warnings only). */
  staged: boolean;
}

const HL7_MUTANTS: Mutant[] = [
  {
    name: 'MSH-9 removed',
    bytes: bytesOf(withField('MSH', 9, '')),
    rule: 'required_field_missing',
    severity: 'error',
    location: 'MSH-9',
    staged: false,
  },
  {
    name: 'MSH-10 removed',
    bytes: bytesOf(withField('MSH', 10, '')),
    rule: 'required_field_missing',
    severity: 'error',
    location: 'MSH-10',
    staged: false,
  },
  {
    name: 'MSH-11 outside table 0103',
    bytes: bytesOf(withField('MSH', 11, 'X')),
    rule: 'invalid_coded_value',
    severity: 'error',
    location: 'MSH-11',
    staged: false,
  },
  {
    name: 'MSH-12 unknown version',
    bytes: bytesOf(withField('MSH', 12, '9.9')),
    rule: 'unsupported_version',
    severity: 'error',
    location: 'MSH-12',
    staged: false,
  },
  {
    name: 'MSH-9 type of wrong shape',
    bytes: bytesOf(withField('MSH', 9, 'ADTX^A01')),
    rule: 'invalid_message_type',
    severity: 'error',
    staged: false,
  },
  {
    name: 'PID segment removed',
    bytes: bytesOf(SEGMENTS.filter((s) => !s.startsWith('PID|'))),
    rule: 'required_segment_missing',
    severity: 'error',
    location: 'PID',
    staged: false,
  },
  {
    name: 'PID-3 removed',
    bytes: bytesOf(withField('PID', 3, '')),
    rule: 'required_field_missing',
    severity: 'error',
    location: 'PID[1]-3',
    staged: false,
  },
  {
    name: 'PID after PV1',
    bytes: bytesOf(swapped('PID', 'PV1')),
    rule: 'segment_out_of_order',
    severity: 'error',
    staged: false,
  },
  {
    name: 'lower-case segment name',
    bytes: bytesOf(
      SEGMENTS.map((s) => (s.startsWith('PID|') ? `pid${s.slice(3)}` : s)),
    ),
    rule: 'invalid_segment_name',
    severity: 'error',
    staged: false,
  },
  {
    name: 'PID-7 bad date (TS, warning by policy)',
    bytes: bytesOf(withField('PID', 7, '19801340')),
    rule: 'invalid_timestamp',
    severity: 'warning',
    location: 'PID[1]-7',
    staged: true,
  },
  {
    name: 'PID-8 outside table 0001 (warning by policy)',
    bytes: bytesOf(withField('PID', 8, 'Q')),
    rule: 'invalid_coded_value',
    severity: 'warning',
    location: 'PID[1]-8',
    staged: true,
  },
  {
    name: 'MSH-2 short of encoding characters',
    bytes: bytesOf(
      SEGMENTS.map((s, i) =>
        i === 0 ? `MSH|^~|${s.split('|').slice(2).join('|')}` : s,
      ),
    ),
    rule: 'encoding_characters_incomplete',
    severity: 'warning',
    location: 'MSH-2',
    staged: true,
  },
  {
    name: 'control bytes inside a segment',
    bytes: bytesOf(
      SEGMENTS.map((s) => (s.startsWith('PID|') ? `${s}\u0001\u0000` : s)),
    ),
    rule: 'control_character_in_segment',
    severity: 'error',
    staged: false,
  },
  {
    name: 'truncated inside MSH',
    bytes: bytesOf(SEGMENTS).subarray(0, 30),
    rule: 'required_field_missing',
    severity: 'error',
    location: 'MSH-9',
    staged: false,
  },
  {
    name: 'truncated batch (no BTS/FTS)',
    bytes: Buffer.concat([
      Buffer.from('FHS|^~\\&\rBHS|^~\\&\r'),
      bytesOf(SEGMENTS),
    ]),
    rule: 'batch_trailer_missing',
    severity: 'error',
    staged: false,
  },
  {
    name: 'UTF-8 bytes under MSH-18 8859/1',
    bytes: bytesOf(withText('PID', '\u00c3\u00a9', '8859/1')),
    rule: 'charset_mismatch',
    severity: 'error',
    location: 'MSH-18',
    staged: false,
  },
  {
    name: 'Latin-1 bytes under MSH-18 UTF-8',
    bytes: bytesOf(withText('PID', '\u00e9', 'UNICODE UTF-8')),
    rule: 'charset_mismatch',
    severity: 'error',
    location: 'MSH-18',
    staged: false,
  },
  {
    name: 'whole file in UTF-16',
    bytes: Buffer.from(SEGMENTS.join('\r'), 'utf16le'),
    rule: 'unrecognised_format',
    severity: 'error',
    staged: false,
  },
  {
    name: 'binary junk',
    bytes: junk(),
    rule: 'unrecognised_format',
    severity: 'error',
    staged: false,
  },
];

const NDJSON = readFileSync(new URL('fhir/vitals_export.ndjson', SAMPLES));
const BUNDLE = readFileSync(new URL('fhir/transaction_bundle.json', SAMPLES));

const FHIR_MUTANTS: Mutant[] = [
  {
    name: 'NDJSON truncated mid-line',
    bytes: NDJSON.subarray(0, NDJSON.indexOf('\n', 200) - 10),
    fileName: 'v.ndjson',
    rule: 'ndjson_broken_lines',
    severity: 'error',
    staged: false,
  },
  {
    name: 'Bundle truncated',
    bytes: BUNDLE.subarray(0, BUNDLE.length / 2),
    fileName: 'b.json',
    rule: 'invalid_json',
    severity: 'error',
    staged: false,
  },
  {
    name: 'NDJSON in UTF-16',
    bytes: Buffer.from(NDJSON.toString('utf8'), 'utf16le'),
    fileName: 'v.ndjson',
    rule: 'unsupported_encoding',
    severity: 'error',
    location: 'file',
    staged: false,
  },
  {
    name: 'NDJSON with a Latin-1 line',
    bytes: latin1Line(),
    fileName: 'v.ndjson',
    rule: 'unsupported_encoding',
    severity: 'error',
    location: 'line 9',
    staged: false,
  },
  {
    name: 'Bundle with a broken urn:uuid reference',
    bytes: brokenReference(),
    fileName: 'b.json',
    rule: 'unresolved_reference',
    severity: 'error',
    staged: false,
  },
  {
    name: 'binary junk named .ndjson',
    bytes: junk(),
    fileName: 'v.ndjson',
    rule: 'unrecognised_format',
    severity: 'error',
    staged: false,
  },
  {
    name: 'binary junk after valid lines',
    bytes: Buffer.concat([NDJSON, junk()]),
    fileName: 'v.ndjson',
    rule: 'ndjson_broken_lines',
    severity: 'error',
    staged: false,
  },
];

function junk(): Buffer {
  return Buffer.from(
    Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256),
  );
}

function latin1Line(): Buffer {
  const bad = Buffer.from(
    '{"resourceType":"Basic","code":{"text":"caf\u00e9"}}\n',
    'latin1',
  );
  return Buffer.concat([NDJSON, bad]);
}

function brokenReference(): Buffer {
  const text = BUNDLE.toString('utf8');
  const uuid = /"urn:uuid:([0-9a-f-]+)"/.exec(text)?.[1];
  assert.ok(uuid, 'the sample Bundle uses urn:uuid references');
  const first = text.indexOf(`"reference": "urn:uuid:${uuid}"`);
  const at =
    first === -1 ? text.indexOf(`"reference":"urn:uuid:${uuid}"`) : first;
  assert.ok(at > 0, 'the sample Bundle references its entries');
  const broken = `${text.slice(0, at)}${text.slice(at).replace(uuid, '00000000-0000-4000-8000-000000000000')}`;
  return Buffer.from(broken);
}

function check(mutant: Mutant): void {
  const decision = validateDrop(mutant.bytes, { fileName: mutant.fileName });
  const issues = allIssues(decision.validation);
  const hit = issues.find(
    (issue) =>
      issue.rule === mutant.rule &&
      issue.severity === mutant.severity &&
      (mutant.location === undefined || issue.location === mutant.location),
  );

  assert.ok(hit, `${mutant.rule} (${mutant.severity}) not reported`);
  assert.ok(hit.message.length > 10);
  assert.equal(decision.accepted.length > 0, mutant.staged);
}

describe('HL7 v2 mutants of a valid corpus message', () => {
  it('starts from a message that is accepted', () => {
    const decision = validateDrop(bytesOf(SEGMENTS));

    assert.equal(decision.accepted.length, 1);
  });

  for (const mutant of HL7_MUTANTS) {
    it(`reports ${mutant.rule} for: ${mutant.name}`, () => check(mutant));
  }
});

describe('FHIR file-level mutants of valid samples', () => {
  for (const mutant of FHIR_MUTANTS) {
    it(`reports ${mutant.rule} for: ${mutant.name}`, () => check(mutant));
  }
});
