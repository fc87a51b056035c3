import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { DeliveryResult } from '../../local/pipeline.ts';
import { openPipeline } from '../helpers/local.ts';
import { SAMPLES } from '../helpers/paths.ts';

type Pipeline = Awaited<ReturnType<typeof openPipeline>>;
const sample = (path: string) => readFile(new URL(path, SAMPLES));

async function landOne(
  pipeline: Pipeline,
  key: string,
  bytes: Buffer,
): Promise<DeliveryResult> {
  const [result] = await pipeline.land(key, bytes);
  await pipeline.drain();
  assert.ok(result);
  return result;
}

async function count(
  pipeline: Pipeline,
  table: string,
  dropId: string,
): Promise<number> {
  const rows = await pipeline.query(
    `select count(*) as n from ${table} where drop_id = '${dropId}'`,
  );
  return Number(rows[0]?.n);
}

describe('local pipeline on an NDJSON export', () => {
  let pipeline: Pipeline;
  let bytes: Buffer;
  let result: DeliveryResult;

  before(async () => {
    pipeline = await openPipeline();
    bytes = await sample('fhir/vitals_export.ndjson');
    result = await landOne(pipeline, 'exports/vitals export.ndjson', bytes);
  });
  after(() => pipeline.dispose());

  it('curates every staged resource into its table', async () => {
    assert.equal(await count(pipeline, 'patient', result.dropId), 2);
    assert.equal(await count(pipeline, 'observation', result.dropId), 6);
  });

  it('passes the quality rules and records them in the dq zone and the manifest', async () => {
    const manifest = await pipeline.manifest(result.dropId);
    const dq = JSON.parse(
      await readFile(
        pipeline.store.pathOf(
          'dq',
          `results/ingest_date=${manifest?.ingestDate}/${result.dropId}.json`,
        ),
        'utf8',
      ),
    );

    assert.equal(manifest?.quality?.passed, true);
    assert.deepEqual(manifest?.curated?.tables, { patient: 2, observation: 6 });
    assert.ok(
      dq.rules.some(
        (r: { ruleId: string }) => r.ruleId === 'row_count_matches_staged',
      ),
    );
    assert.equal(dq.rules.length, manifest?.quality?.rules.length);
  });

  it('moves the raw file byte for byte to the archive in a Glacier class', async () => {
    const manifest = await pipeline.manifest(result.dropId);
    const archived = await pipeline.store.head(
      'archive',
      manifest?.archive?.key ?? '',
    );
    const landing = await pipeline.store.list('landing', '');

    assert.equal(archived?.storageClass, 'GLACIER');
    assert.deepEqual(
      await readFile(
        pipeline.store.pathOf('archive', manifest?.archive?.key ?? ''),
      ),
      bytes,
    );
    assert.deepEqual(landing, []);
  });

  it('writes a manifest with size, hash, outcome, counts and timings', async () => {
    const manifest = await pipeline.manifest(result.dropId);

    assert.equal(manifest?.status, 'curated');
    assert.equal(manifest?.source.size, bytes.length);
    assert.equal(
      manifest?.source.sha256,
      createHash('sha256').update(bytes).digest('hex'),
    );
    assert.deepEqual(manifest?.validation?.records, {
      in: 8,
      staged: 8,
      quarantined: 0,
    });
    assert.deepEqual(manifest?.staged?.resources, {
      Observation: 6,
      Patient: 2,
    });
    assert.equal(typeof manifest?.timings.validate, 'number');
  });

  it('keeps curated row counts unchanged when the same drop runs again', async () => {
    const record = await pipeline.replay(result.dropId);

    assert.equal(record.status, 'SUCCEEDED');
    assert.equal(await count(pipeline, 'patient', result.dropId), 2);
    assert.equal(await count(pipeline, 'observation', result.dropId), 6);
  });

  it('starts one execution when S3 delivers the same event twice', async () => {
    const again = await pipeline.land('exports/vitals export.ndjson', bytes);
    await pipeline.drain();

    assert.equal(again[0]?.dropId, result.dropId);
    assert.equal(again[0]?.outcome, 'duplicate');
    assert.deepEqual(
      await pipeline.store.list('landing', ''),
      [],
      'the identical copy is not left in landing',
    );
    assert.equal(await count(pipeline, 'observation', result.dropId), 6);
  });
});

describe('local pipeline when the Glue job fails', () => {
  let pipeline: Pipeline;
  let result: DeliveryResult;
  const key = 'exports/vitals.ndjson';

  before(async () => {
    pipeline = await openPipeline({
      faults: (state) =>
        state === 'RunGlueJob' ? { mode: 'permanent' } : undefined,
    });
    result = await landOne(
      pipeline,
      key,
      await sample('fhir/vitals_export.ndjson'),
    );
  });
  after(() => pipeline.dispose());

  it('sends one alert naming the drop, the stage, the error and the replay command', async () => {
    const log = await readFile(pipeline.alerts.path, 'utf8');

    assert.equal(pipeline.alerts.sent.length, 1);
    assert.match(
      log,
      new RegExp(`Drop ${result.dropId} failed at stage RunGlueJob`),
    );
    assert.match(log, /Error: +InjectedFault/);
    assert.ok(
      log.includes(
        `npm run replay -- --root ${pipeline.root} --drop ${result.dropId}`,
      ),
    );
    assert.match(log, new RegExp(`Source object: ${key}`));
    assert.match(log, /curated rows were withdrawn/);
  });

  it('keeps the raw file in landing, tiers nothing and marks the drop failed', async () => {
    const manifest = await pipeline.manifest(result.dropId);

    assert.deepEqual(await pipeline.store.list('landing', ''), [key]);
    assert.deepEqual(await pipeline.store.list('archive', ''), []);
    assert.equal(manifest?.status, 'failed');
    assert.equal(manifest?.failure?.stage, 'RunGlueJob');
    assert.equal(await count(pipeline, 'observation', result.dropId), 0);
  });

  it('completes the drop on replay once the fault is gone, as a clean run would', async () => {
    pipeline.faults = undefined;

    const record = await pipeline.replay(result.dropId);

    assert.equal(record.status, 'SUCCEEDED');
    assert.equal((await pipeline.manifest(result.dropId))?.status, 'curated');
    assert.equal(await count(pipeline, 'observation', result.dropId), 6);
    assert.deepEqual(await pipeline.store.list('landing', ''), []);
  });
});

describe('local pipeline when tiering fails', () => {
  it('tells on-call the curated rows are visible, as they are', async () => {
    const pipeline = await openPipeline({
      faults: (state) =>
        state === 'TierRawFile' ? { mode: 'permanent' } : undefined,
    });
    try {
      const result = await landOne(
        pipeline,
        'x/vitals.ndjson',
        await sample('fhir/vitals_export.ndjson'),
      );
      const message = pipeline.alerts.sent[0]?.message ?? '';

      assert.equal(await count(pipeline, 'observation', result.dropId), 6);
      assert.match(message, /rows passed the quality check and are visible/);
      assert.doesNotMatch(message, /nothing from this run is visible/);
    } finally {
      await pipeline.dispose();
    }
  });
});

describe('local pipeline when the alert path itself fails', () => {
  /** A drop whose Glue job fails, with `stage` of the alert path failing too. */
  async function failBoth(stage: string) {
    const pipeline = await openPipeline({
      faults: (state) =>
        state === 'RunGlueJob' || state === stage
          ? { mode: 'permanent' }
          : undefined,
    });
    try {
      const result = await landOne(
        pipeline,
        'x/vitals.ndjson',
        await sample('fhir/vitals_export.ndjson'),
      );
      return {
        result,
        alerts: pipeline.alerts.sent,
        manifest: await pipeline.manifest(result.dropId),
        execution: [...pipeline.executions.values()][0],
      };
    } finally {
      await pipeline.dispose();
    }
  }

  it('alerts through the EventBridge net when SNS never takes the alert', async () => {
    const { alerts, manifest, execution } = await failBoth('PublishAlert');

    assert.equal(alerts.length, 1);
    assert.match(
      alerts[0]?.subject ?? '',
      /^\[drop-pipeline\] execution failed: drop /,
    );
    assert.equal(manifest?.status, 'failed');
    assert.deepEqual(manifest?.alertedExecutions, [execution?.arn]);
  });

  it('sends one readable alert when the failure cannot be recorded', async () => {
    const { alerts, result } = await failBoth('RecordFailure');

    assert.equal(alerts.length, 1);
    assert.equal(
      alerts[0]?.subject,
      `[drop-pipeline] execution failed: drop ${result.dropId.slice(0, 12)}`,
    );
    assert.match(alerts[0]?.message ?? '', /Error: +DropFailed/);
  });
});

describe('local pipeline under transient faults', () => {
  const stages = [
    'StartCrawler',
    'GetCrawler',
    'RunGlueJob',
    'BuildQualityQuery',
    'RunQualityQuery',
    'EvaluateQuality',
    'TierRawFile',
  ] as const;

  for (const stage of stages) {
    it(`retries ${stage} and curates the drop without an alert`, async () => {
      const pipeline = await openPipeline({
        faults: (state) =>
          state === stage ? { mode: 'transient', times: 2 } : undefined,
      });
      try {
        const result = await landOne(
          pipeline,
          'x/vitals.ndjson',
          await sample('fhir/vitals_export.ndjson'),
        );
        const execution = [...pipeline.executions.values()][0];

        assert.equal(
          (await pipeline.manifest(result.dropId))?.status,
          'curated',
        );
        assert.equal(execution?.retries, 2);
        assert.equal(pipeline.alerts.sent.length, 0);
      } finally {
        await pipeline.dispose();
      }
    });
  }
});

describe('local pipeline on an HL7 document addendum', () => {
  let pipeline: Pipeline;
  let result: DeliveryResult;
  const addendum = [
    'MSH|^~\\&|DOCS|FAC|HIE|FAC|20240105083000||MDM^T06^MDM_T02|DOC-7|P|2.5.1',
    'EVN|T06|20240105083000',
    'PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F',
    'PV1|1|O',
    'TXA|1|DI|TX|20240105080000+0000||20240105083000+0000||||||DOC-2|DOC-1||||AU',
    'OBX|1|TX|NOTE^Note^L||addendum text||||||F',
  ];

  before(async () => {
    pipeline = await openPipeline();
    const bytes = Buffer.from(`${addendum.join('\r')}\r`);
    result = await landOne(pipeline, 'hl7/addendum.hl7', bytes);
  });
  after(() => pipeline.dispose());

  it('curates the parent document and the relation into document_reference', async () => {
    assert.equal(result.outcome, 'started');
    const rows = await pipeline.query(
      `select master_identifier, parent_document, parent_relation, doc_status
         from document_reference where drop_id = '${result.dropId}'`,
    );

    assert.deepEqual(
      rows.map((row) => ({ ...row })),
      [
        {
          master_identifier: 'DOC-2',
          parent_document: 'DOC-1',
          parent_relation: 'appends',
          doc_status: 'final',
        },
      ],
    );
  });
});
