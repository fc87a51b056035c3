import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { beforeEach, describe, it } from 'node:test';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler } from '../../functions/validate-drop/handler.ts';
import { S3BlobStore } from '../../shared/adapters/s3-blob-store.ts';
import { StepFunctionsStarter } from '../../shared/adapters/workflow.ts';
import {
  objectCreated,
  sdkBody,
  silentLogger,
  TEST_CONFIG,
} from '../helpers/aws.ts';
import { CASES, SAMPLES } from '../helpers/paths.ts';

const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);

function handler(logger = silentLogger(), config = TEST_CONFIG) {
  return createHandler({
    config,
    store: new S3BlobStore(new S3Client({ region: 'us-east-1' })),
    workflow: new StepFunctionsStarter(
      new SFNClient({ region: 'us-east-1' }),
      TEST_CONFIG.stateMachineArn,
    ),
    logger,
  });
}

function landed(key: string, bytes: Buffer) {
  s3.on(GetObjectCommand, { Bucket: TEST_CONFIG.buckets.manifests }).rejects(
    new NoSuchKey({ message: 'no manifest', $metadata: {} }),
  );
  s3.on(GetObjectCommand, {
    Bucket: TEST_CONFIG.buckets.landing,
    Key: key,
  }).callsFake(() => ({ Body: sdkBody(bytes) }) as never);
  s3.on(PutObjectCommand).resolves({});
  s3.on(CopyObjectCommand).resolves({});
  s3.on(DeleteObjectCommand).resolves({});
}

/** A PutObject body: a string, bytes, or the stream an upload sends. */
async function text(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** As deployed: drops under inbound/, the validator's own copies known. */
const SCOPED = {
  ...TEST_CONFIG,
  landingPrefixes: ['inbound/'],
  pipelinePrincipals: ['validate-drop'],
};

const ndjson = await readFile(new URL('fhir/vitals_export.ndjson', SAMPLES));

describe('validate-drop handler', () => {
  beforeEach(() => {
    s3.reset();
    sfn.reset();
    s3.onAnyCommand().rejects(new Error('unexpected S3 call'));
    sfn.onAnyCommand().rejects(new Error('unexpected Step Functions call'));
  });

  it('reads the object under its decoded key and version', async () => {
    landed('inbound/vitals export+1.ndjson', ndjson);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });

    await handler()(objectCreated('inbound/vitals+export%2B1.ndjson'));

    const get = s3.commandCalls(GetObjectCommand, {
      Bucket: TEST_CONFIG.buckets.landing,
    })[0];
    assert.equal(get?.args[0].input.Key, 'inbound/vitals export+1.ndjson');
    assert.equal(get?.args[0].input.VersionId, 'v1');
  });

  it('starts the workflow with the documented, PHI-free input', async () => {
    landed('inbound/vitals.ndjson', ndjson);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });

    const [result] = await handler()(objectCreated('inbound/vitals.ndjson'));

    const call = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    assert.equal(call?.stateMachineArn, TEST_CONFIG.stateMachineArn);
    assert.equal(call?.name, result?.executionName);
    assert.deepEqual(JSON.parse(call?.input ?? '{}'), {
      schemaVersion: 1,
      dropId: result?.dropId,
      ingestDate: '2026-12-04',
      format: 'fhir-ndjson',
      source: {
        bucket: TEST_CONFIG.buckets.landing,
        key: 'inbound/vitals.ndjson',
        versionId: 'v1',
        eTag: '0123456789abcdef0123456789abcdef',
      },
      stagedCounts: { Observation: 6, Patient: 2 },
    });
    assert.doesNotMatch(call?.input ?? '', /Sample|Synthetic|1964-02-29/);
  });

  it('maps a redelivered event to the same execution name and treats the second start as a duplicate', async () => {
    landed('inbound/vitals.ndjson', ndjson);
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: 'arn:x' })
      .rejects(
        new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }),
      );
    const event = objectCreated('inbound/vitals.ndjson');

    const [first] = await handler()(event);
    const [second] = await handler()(event);

    const names = sfn
      .commandCalls(StartExecutionCommand)
      .map((c) => c.args[0].input.name);
    assert.equal(names.length, 2);
    assert.equal(names[0], names[1]);
    assert.equal(first?.outcome, 'started');
    assert.equal(second?.outcome, 'started');
  });

  it('quarantines an unreadable drop with a report and starts nothing', async () => {
    const xml = await readFile(
      new URL('invalid/patient_xml_in_json.json', SAMPLES),
    );
    landed('inbound/patient.json', xml);

    const [result] = await handler()(objectCreated('inbound/patient.json'));

    assert.equal(result?.outcome, 'quarantined');
    assert.equal(sfn.commandCalls(StartExecutionCommand).length, 0);
    const puts = s3.commandCalls(PutObjectCommand, {
      Bucket: TEST_CONFIG.buckets.quarantine,
    });
    const report = puts.find((c) =>
      c.args[0].input.Key?.endsWith('/report.json'),
    );
    const copy = s3.commandCalls(CopyObjectCommand)[0]?.args[0].input;
    assert.equal(
      JSON.parse(await text(report?.args[0].input.Body)).fileIssues[0].rule,
      'not_json',
    );
    assert.deepEqual(copy, {
      Bucket: TEST_CONFIG.buckets.quarantine,
      Key: `${result?.dropId}/raw/inbound/patient.json`,
      CopySource: `${TEST_CONFIG.buckets.landing}/inbound/patient.json?versionId=v1`,
      MetadataDirective: 'COPY',
      Metadata: undefined,
      StorageClass: undefined,
    });
    const deleted = s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input;
    assert.deepEqual(deleted, {
      Bucket: TEST_CONFIG.buckets.landing,
      Key: 'inbound/patient.json',
      VersionId: 'v1',
    });
  });

  it('streams a partly accepted drop: valid resources to staged, rejected bytes and report to quarantine', async () => {
    const lines = ndjson.toString('utf8').trimEnd().split('\n');
    const bad = '{"resourceType":"Patient","birthDate":"not-a-date"}';
    landed(
      'inbound/mixed.ndjson',
      Buffer.from(`${[...lines, bad].join('\n')}\n`),
    );
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });

    const [result] = await handler()(objectCreated('inbound/mixed.ndjson'));

    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    const body = async (bucket: string, suffix: string) =>
      text(
        puts.find((p) => p.Bucket === bucket && p.Key?.endsWith(suffix))?.Body,
      );
    const patients = await body(
      TEST_CONFIG.buckets.staged,
      `drop_id=${result?.dropId}/part-0.ndjson`,
    );
    const report = JSON.parse(
      await body(TEST_CONFIG.buckets.quarantine, '/report.json'),
    );
    assert.equal(result?.outcome, 'started');
    assert.ok(patients.length > 0);
    assert.equal(
      await body(TEST_CONFIG.buckets.quarantine, '/rejected/mixed.ndjson'),
      `${bad}\n`,
    );
    assert.equal(report.outcome, 'partially-accepted');
    assert.deepEqual(report.records, { in: 9, staged: 8, quarantined: 1 });
    assert.deepEqual(
      report.rejectedRecords.map((r: { location: string }) => r.location),
      ['line 9'],
    );
    assert.doesNotMatch(JSON.stringify(report), /not-a-date/);
  });

  it('acknowledges an s3:TestEvent without touching storage or the workflow', async () => {
    const results = await handler()({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Bucket: 'b',
    });

    assert.deepEqual(results, []);
    assert.equal(s3.calls().length, 0);
    assert.equal(sfn.calls().length, 0);
  });

  it('acknowledges an SQS-wrapped s3:TestEvent with one INFO line', async () => {
    const event = JSON.parse(
      await readFile(
        new URL('s3-test-event/sqs_wrapped_test_event.json', CASES),
        'utf8',
      ),
    );
    const logger = silentLogger();
    const lines: string[] = [];
    logger.info = (message: string) => {
      lines.push(message);
    };

    const results = await handler(logger)(event);

    assert.deepEqual(results, []);
    assert.deepEqual(lines, ['test event acknowledged']);
    assert.equal(s3.calls().length + sfn.calls().length, 0);
  });

  it('starts nothing for keys outside the landing prefixes or copies the pipeline made', async () => {
    const scoped = handler(silentLogger(), SCOPED);
    const copy = objectCreated('inbound/vitals.ndjson');
    Object.assign(copy.Records[0] as object, {
      eventName: 'ObjectCreated:Copy',
      userIdentity: { principalId: 'AWS:AROAEXAMPLE:validate-drop' },
    });

    const results = [
      ...(await scoped(objectCreated('quarantine/inbound/x.ndjson'))),
      ...(await scoped(copy)),
    ];

    assert.deepEqual(results, []);
    assert.equal(s3.calls().length + sfn.calls().length, 0);
  });

  it('takes in a feed copy and a put under the landing prefix as before', async () => {
    landed('inbound/vitals.ndjson', ndjson);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });
    const scoped = handler(silentLogger(), SCOPED);
    const feedCopy = objectCreated('inbound/vitals.ndjson');
    Object.assign(feedCopy.Records[0] as object, {
      eventName: 'ObjectCreated:Copy',
      userIdentity: { principalId: 'AWS:AIDAFEEDUSER' },
    });

    const [put] = await scoped(objectCreated('inbound/vitals.ndjson'));
    const [copied] = await scoped(feedCopy);

    assert.equal(put?.dropId, copied?.dropId);
    assert.equal(sfn.commandCalls(StartExecutionCommand).length, 2);
  });

  it("logs a test event after a drop without that drop's correlation id", async () => {
    landed('inbound/vitals.ndjson', ndjson);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });
    const logger = silentLogger();
    const handle = handler(logger);
    const [drop] = await handle(objectCreated('inbound/vitals.ndjson'));
    assert.equal(logger.getCorrelationId(), drop?.dropId);

    await handle({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' });

    assert.equal(logger.getCorrelationId(), undefined);
  });
});
