import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { beforeEach, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { replayInAws } from '../../local/replay-aws.ts';
import { latestDropOfKey } from '../../shared/drop/replay.ts';
import { sdkBody, TEST_CONFIG } from '../helpers/aws.ts';
import { openPipeline } from '../helpers/local.ts';
import { SAMPLES } from '../helpers/paths.ts';

const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const DROP = 'c'.repeat(32);
const input = {
  schemaVersion: 1,
  dropId: DROP,
  ingestDate: '2026-12-04',
  format: 'hl7v2',
  source: { bucket: 'b', key: 'inbound/a.hl7', eTag: 'e' },
  stagedCounts: { Patient: 1 },
};

function awsEnv() {
  const { buckets } = TEST_CONFIG;
  Object.assign(process.env, {
    LANDING_BUCKET: buckets.landing,
    STAGED_BUCKET: buckets.staged,
    QUARANTINE_BUCKET: buckets.quarantine,
    CURATED_BUCKET: buckets.curated,
    DQ_BUCKET: buckets.dq,
    MANIFEST_BUCKET: buckets.manifests,
    ARCHIVE_BUCKET: buckets.archive,
    STATE_MACHINE_ARN: TEST_CONFIG.stateMachineArn,
    AWS_REGION: 'us-east-1',
  });
}

describe('replay in AWS', () => {
  beforeEach(() => {
    s3.reset();
    sfn.reset();
    awsEnv();
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:new' });
  });

  it('starts a new execution with the input of the named one', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ input: JSON.stringify(input) });

    await replayInAws({
      executionArn: 'arn:aws:states:us-east-1:0:execution:m:a-hl7-ccc',
      revalidate: false,
    });

    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    assert.deepEqual(JSON.parse(start?.input ?? ''), input);
    assert.match(start?.name ?? '', /^a-hl7-ccc-r[0-9a-z]+$/);
  });

  it("rebuilds a drop's input from its manifest", async () => {
    const manifest = {
      dropId: DROP,
      ingestDate: '2026-12-04',
      format: 'hl7v2',
      source: { bucket: 'b', key: 'inbound/a.hl7', eTag: 'e', size: 1 },
      staged: { bucket: 's', keys: [], resources: { Patient: 1 } },
      execution: { name: 'a-hl7-ccc', startedAt: '' },
    };
    s3.on(GetObjectCommand, {
      Bucket: TEST_CONFIG.buckets.manifests,
      Key: `${DROP}.json`,
    }).resolves({
      Body: sdkBody(JSON.stringify(manifest)),
    } as never);

    await replayInAws({ dropId: DROP, revalidate: false });

    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    assert.deepEqual(JSON.parse(start?.input ?? ''), input);
  });

  it('finds the drop of a source key from the manifests, without reading landing', async () => {
    const other = 'd'.repeat(32);
    manifestsHold({
      [`${DROP}.json`]: manifestOf(DROP, 'inbound/a.hl7'),
      [`${other}.json`]: manifestOf(other, 'inbound/b.hl7'),
      'alerts/window=2026-12-04T03:00/x.json': { dropId: other },
      'queue/failed/x.json': { dropId: other, error: 'E' },
    });

    await replayInAws({ key: 'inbound/a.hl7', revalidate: false });

    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    assert.deepEqual(JSON.parse(start?.input ?? ''), input);
    assert.equal(s3.commandCalls(HeadObjectCommand).length, 0);
    assert.ok(
      s3
        .commandCalls(GetObjectCommand)
        .every(
          (call) => call.args[0].input.Bucket === TEST_CONFIG.buckets.manifests,
        ),
    );
  });

  it('starts a new execution for every drop an alert digest listed', async () => {
    const other = 'd'.repeat(32);
    const digestKey = 'alerts/digests/2026-12-04T03:15:00.000Z.json';
    manifestsHold({
      [`${DROP}.json`]: manifestOf(DROP, 'inbound/a.hl7'),
      [`${other}.json`]: manifestOf(other, 'inbound/b.hl7'),
      [digestKey]: { drops: [{ dropId: DROP }, { dropId: other }] },
    });

    const said = await replayInAws({ digestKey, revalidate: false });

    const started = sfn
      .commandCalls(StartExecutionCommand)
      .map((call) => JSON.parse(call.args[0].input.input ?? '').dropId);
    assert.deepEqual(started, [DROP, other]);
    assert.match(said, /started 2 execution\(s\)/);
  });
});

function manifestOf(dropId: string, key: string) {
  return {
    dropId,
    ingestDate: '2026-12-04',
    receivedAt: '2026-12-04T03:00:00.000Z',
    format: 'hl7v2',
    source: { bucket: 'b', key, eTag: 'e', size: 1 },
    staged: { bucket: 's', keys: [], resources: { Patient: 1 } },
    execution: { name: 'a-hl7-ccc', startedAt: '' },
  };
}

/** The manifests bucket as S3 would list and serve it. */
function manifestsHold(objects: Record<string, unknown>) {
  const Bucket = TEST_CONFIG.buckets.manifests;
  s3.on(ListObjectsV2Command, { Bucket }).resolves({
    Contents: Object.keys(objects).map((Key) => ({ Key })),
  });
  for (const [Key, body] of Object.entries(objects)) {
    s3.on(GetObjectCommand, { Bucket, Key }).callsFake(() => ({
      Body: sdkBody(JSON.stringify(body)),
    }));
  }
}

describe('replay by source key locally', () => {
  it('finds the latest drop of a key among alert, queue and digest objects', async () => {
    const pipeline = await openPipeline();
    try {
      const bytes = await readFile(
        new URL('fhir/vitals_export.ndjson', SAMPLES),
      );
      const [first] = await pipeline.land('inbound/v.ndjson', bytes);
      await pipeline.drain();
      const { manifests } = pipeline.config.buckets;
      await pipeline.store.write(
        manifests,
        'alerts/digests/d.json',
        '{"drops":[]}',
      );
      await pipeline.store.write(
        manifests,
        'queue/failed/x.json',
        '{"dropId":"x"}',
      );

      const found = await latestDropOfKey(
        pipeline.store,
        pipeline.config,
        'inbound/v.ndjson',
      );

      assert.equal(found, first?.dropId);
      await assert.rejects(
        latestDropOfKey(pipeline.store, pipeline.config, 'no/such/key'),
        {
          name: 'ReplayNotPossibleError',
          message: /no drop for key no\/such\/key/,
        },
      );
    } finally {
      await pipeline.dispose();
    }
  });

  it('says on the command line that there is no drop for an unknown key', async () => {
    const pipeline = await openPipeline();
    pipeline.close();
    const cli = new URL('../../local/cli.ts', import.meta.url).pathname;

    const failed = await promisify(execFile)(process.execPath, [
      cli,
      'replay',
      '--root',
      pipeline.root,
      '--key',
      'no/such/key',
    ]).catch((error: { code: number; stderr: string }) => error);

    await pipeline.dispose();
    assert.ok('code' in failed, 'the command must fail');
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /there is no drop for key no\/such\/key/);
  });
});

describe('revalidating a quarantined drop locally', () => {
  it('runs it through validation again under the same drop id, without a second copy', async () => {
    const pipeline = await openPipeline();
    try {
      const bytes = await readFile(
        new URL('invalid/adt_missing_message_type.hl7', SAMPLES),
      );
      const [first] = await pipeline.land('inbound/bad.hl7', bytes);

      const [again] = await pipeline.revalidate(first?.dropId ?? '');

      assert.equal(again?.dropId, first?.dropId);
      assert.equal(again?.outcome, 'quarantined');
      assert.equal(
        (await pipeline.manifest(first?.dropId ?? ''))?.status,
        'quarantined',
      );
      assert.deepEqual(await pipeline.store.list('landing', ''), []);
      assert.equal(
        (await pipeline.store.list('quarantine', `${first?.dropId}/raw/`))
          .length,
        1,
      );
    } finally {
      await pipeline.dispose();
    }
  });

  it('refuses to revalidate a drop that was curated', async () => {
    const pipeline = await openPipeline();
    try {
      const [result] = await pipeline.land(
        'inbound/ok.ndjson',
        await readFile(new URL('fhir/vitals_export.ndjson', SAMPLES)),
      );
      await pipeline.drain();

      await assert.rejects(pipeline.revalidate(result?.dropId ?? ''), {
        name: 'ReplayNotPossibleError',
      });
    } finally {
      await pipeline.dispose();
    }
  });
});

describe('redrive in AWS', () => {
  it('asks Step Functions to redrive the named execution', async () => {
    awsEnv();
    sfn.reset();
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date() });

    await replayInAws({
      redriveArn: 'arn:aws:states:us-east-1:0:execution:m:a',
      revalidate: false,
    });

    assert.equal(
      sfn.commandCalls(RedriveExecutionCommand)[0]?.args[0].input.executionArn,
      'arn:aws:states:us-east-1:0:execution:m:a',
    );
  });
});
