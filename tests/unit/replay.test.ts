import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { beforeEach, describe, it } from 'node:test';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { replayInAws } from '../../local/replay-aws.ts';
import { openPipeline } from '../helpers/local.ts';
import { sdkBody, TEST_CONFIG } from '../helpers/aws.ts';
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
