import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Manifest } from '../../shared/drop/manifest.ts';
import { openPipeline } from '../helpers/local.ts';
import { SAMPLES } from '../helpers/paths.ts';

type Pipeline = Awaited<ReturnType<typeof openPipeline>>;

/** What each bundled sample must become, as `npm start` runs them. */
const EXPECTED: Record<
  string,
  { status: string; tables?: Record<string, number> }
> = {
  'hl7/adt_a01_admit.hl7': {
    status: 'curated',
    tables: { patient: 1, encounter: 1, condition: 1, allergy_intolerance: 1 },
  },
  'hl7/adt_a08_update.hl7': {
    status: 'curated',
    tables: { patient: 1, encounter: 1 },
  },
  'hl7/oru_r01_lab_results.hl7': {
    status: 'curated',
    tables: {
      patient: 3,
      encounter: 3,
      observation: 7,
      service_request: 3,
      diagnostic_report: 3,
    },
  },
  'fhir/transaction_bundle.json': {
    status: 'curated',
    tables: { patient: 1, encounter: 1, observation: 1, condition: 1 },
  },
  'fhir/vitals_export.ndjson': {
    status: 'curated',
    tables: { patient: 2, observation: 6 },
  },
  'invalid/adt_missing_message_type.hl7': { status: 'quarantined' },
  'invalid/patient_xml_in_json.json': { status: 'quarantined' },
};

describe('the bundled samples, end to end', () => {
  let pipeline: Pipeline;
  const manifests = new Map<string, Manifest | undefined>();

  before(async () => {
    pipeline = await openPipeline();
    const files = (
      await readdir(SAMPLES, { recursive: true, withFileTypes: true })
    )
      .filter((entry) => entry.isFile())
      .map((entry) =>
        `${entry.parentPath.slice(SAMPLES.pathname.length)}/${entry.name}`.replace(
          /^\//,
          '',
        ),
      );
    const landed = await Promise.all(
      files.map(async (file) => {
        const [result] = await pipeline.land(
          `samples/${file}`,
          await readFile(new URL(file, SAMPLES)),
        );
        return [file, result?.dropId] as const;
      }),
    );
    await pipeline.drain();
    for (const [file, dropId] of landed)
      manifests.set(file, await pipeline.manifest(dropId ?? ''));
  });
  after(() => pipeline.dispose());

  it('ships exactly the samples this test expects', () => {
    assert.deepEqual(
      [...manifests.keys()].sort(),
      Object.keys(EXPECTED).sort(),
    );
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${expected.status === 'curated' ? 'curates' : 'quarantines'} ${file}`, async () => {
      const manifest = manifests.get(file);

      assert.equal(manifest?.status, expected.status);
      if (expected.tables) {
        assert.deepEqual(manifest?.curated?.tables, expected.tables);
        assert.equal(manifest?.quality?.passed, true);
        assert.equal(manifest?.archive?.storageClass, 'GLACIER');
      } else {
        const report = JSON.parse(
          await readFile(
            pipeline.store.pathOf(
              'quarantine',
              manifest?.quarantine?.reportKey ?? '',
            ),
            'utf8',
          ),
        );
        assert.equal(report.outcome, 'rejected');
        assert.ok(report.fileIssues.length + report.rejectedRecords.length > 0);
      }
    });
  }

  it('names the missing message type and control id in the report, by location only', async () => {
    const manifest = manifests.get('invalid/adt_missing_message_type.hl7');
    const text = await readFile(
      pipeline.store.pathOf(
        'quarantine',
        manifest?.quarantine?.reportKey ?? '',
      ),
      'utf8',
    );
    const issues = JSON.parse(text).rejectedRecords[0].issues.map(
      (i: { rule: string; location: string }) => `${i.rule}@${i.location}`,
    );

    assert.deepEqual(issues.sort(), [
      'required_field_missing@MSH-10',
      'required_field_missing@MSH-9',
    ]);
    assert.doesNotMatch(text, /Testperson|Morgan|MRN7009|19900101/);
  });
});
