import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { validateFhir } from '../../../shared/fhir/index.ts';
import { errorRules, readShared, SHARED } from './helpers.ts';

const BULK = new URL('corpus/fhir-bulk/', SHARED);
const EXPECTED = new URL('corpus/hl7v2-expected/', SHARED);

/**
 * Reference-converter Bundles that break R4 itself, pinned rule by rule so
 * that any change in verdict is seen. Each is a defect of the sample:
 * - ADT01-23: Account.guarantor.party is `Organization/` (no id), and a
 *   Provenance has no agent (Provenance.agent is 1..*).
 * - ADT01-28, ADT04-28: a Provenance without agent.
 * - ADT04-23: ContactPoint.use `HOME`, ContactPoint.system a phone-like
 *   string, HumanName.use `CURRENT`: codes are case-sensitive and these are
 *   outside the required value sets.
 * - LAB-ORU-1, LAB-ORU-2: Provenance.agent without `who` (1..1).
 * - OUL-R24-01: a batch entry with no request holding a DiagnosticReport with
 *   neither status nor code (both 1..1).
 */
const PINNED: Record<string, string[]> = {
  'ADT01-23-expected.json': ['invalid_reference', 'cardinality_min'],
  'ADT01-28-expected.json': ['cardinality_min'],
  'ADT04-23-expected.json': Array(7).fill('code_not_in_required_valueset'),
  'ADT04-28-expected.json': ['cardinality_min'],
  'LAB-ORU-1-expected.json': ['cardinality_min'],
  'LAB-ORU-2-expected.json': ['cardinality_min'],
  'OUL-R24-01-expected.json': [
    'cardinality_min',
    'cardinality_min',
    'bundle_request_missing',
  ],
};

describe('fhir-bulk corpus', () => {
  const files = readdirSync(BULK).filter((name) => name.endsWith('.ndjson'));

  for (const file of files.filter((name) => name !== 'log.ndjson')) {
    it(`accepts every line of ${file}`, () => {
      const bytes = readShared(`corpus/fhir-bulk/${file}`);

      const drop = validateFhir(bytes, { fileName: file });

      assert.equal(drop.format, 'fhir-ndjson');
      assert.ok(drop.records.length > 0);
      assert.deepEqual(errorRules(drop), []);
      assert.ok(drop.records.every((record) => record.accepted));
    });
  }

  it('rejects the export log as not FHIR', () => {
    const bytes = readShared('corpus/fhir-bulk/log.ndjson');

    const drop = validateFhir(bytes, { fileName: 'log.ndjson' });

    assert.deepEqual(
      drop.fileIssues.map((item) => item.rule),
      ['not_fhir'],
    );
    assert.ok(drop.records.every((record) => !record.accepted));
  });
});

describe('hl7v2-expected corpus', () => {
  const files = readdirSync(EXPECTED).filter((name) => name.endsWith('.json'));

  it('holds the 100 reference Bundles', () => {
    assert.equal(files.length, 100);
  });

  for (const file of files) {
    const pinned = PINNED[file];
    const verdict = pinned
      ? `rejects ${file} for its pinned defects`
      : `accepts ${file}`;
    it(verdict, () => {
      const bytes = readShared(`corpus/hl7v2-expected/${file}`);

      const drop = validateFhir(bytes, { fileName: file });

      assert.equal(drop.format, 'fhir-bundle');
      assert.deepEqual(errorRules(drop), pinned ?? []);
      assert.equal(drop.records[0]?.accepted, pinned === undefined);
    });
  }
});
