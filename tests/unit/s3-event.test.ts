import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { dropIdFor, executionNameFor } from '../../shared/drop/identity.ts';
import {
  decodeS3Key,
  encodeS3Key,
  parseS3Event,
} from '../../shared/drop/s3-event.ts';
import { objectCreated } from '../helpers/aws.ts';
import { CASES } from '../helpers/paths.ts';

const caseJson = async (path: string) =>
  JSON.parse(await readFile(new URL(path, CASES), 'utf8'));

describe('parseS3Event', () => {
  it('decodes keys the way S3 encodes them, once', async () => {
    const event = await caseJson('s3-key-url-encoding/event_encoded_keys.json');

    const parsed = parseS3Event(event);

    assert.equal(parsed.kind, 'objects');
    assert.deepEqual(
      parsed.kind === 'objects' && parsed.objects.map((o) => o.key),
      [
        'inbound/hl7/ADT feed (2)/lab résultats msg+1.hl7',
        'inbound/fhir/batch:2024-06-01; part 1.ndjson',
        'inbound/hl7/100% complete/copy.hl7',
      ],
    );
  });

  it('recognises the s3:TestEvent sent when notifications are configured', async () => {
    const event = await caseJson('s3-test-event/s3_test_event_raw.json');

    assert.equal(parseS3Event(event).kind, 'test');
  });

  it('unwraps test events from SQS and SNS', async () => {
    const wrapped = await Promise.all(
      ['sqs_wrapped_test_event.json', 'sns_wrapped_test_event.json'].map(
        (file) => caseJson(`s3-test-event/${file}`),
      ),
    );

    const kinds = wrapped.map((event) => parseS3Event(event).kind);

    assert.deepEqual(kinds, ['test', 'test']);
  });

  it('unwraps ObjectCreated records from SQS, SNS and SNS inside SQS', () => {
    const s3Event = objectCreated('inbound/a+b.hl7');
    const sns = (message: unknown) => ({
      Records: [
        { EventSource: 'aws:sns', Sns: { Message: JSON.stringify(message) } },
      ],
    });
    const sqs = (body: unknown) => ({
      Records: [{ eventSource: 'aws:sqs', body: JSON.stringify(body) }],
    });
    const snsEnvelope = {
      Type: 'Notification',
      Message: JSON.stringify(s3Event),
    };

    const keys = [sqs(s3Event), sns(s3Event), sqs(snsEnvelope)].map((event) => {
      const parsed = parseS3Event(event);
      return parsed.kind === 'objects' ? parsed.objects[0]?.key : parsed.kind;
    });

    assert.deepEqual(keys, [
      'inbound/a b.hl7',
      'inbound/a b.hl7',
      'inbound/a b.hl7',
    ]);
  });

  it('rejects a payload without ObjectCreated records, naming its shape only', () => {
    const unknown = { detail: { name: 'SECRET' }, 'x\nSECRET': 1 };
    const dynamo = { Records: [{ eventSource: 'aws:dynamodb', SECRET: 1 }] };
    const removed = objectCreated('inbound/x.hl7');
    (removed.Records[0] as { eventName: string }).eventName =
      'ObjectRemoved:Delete';

    for (const event of [unknown, dynamo, removed, { Records: [] }, null]) {
      assert.throws(
        () => parseS3Event(event),
        (error: Error) => {
          assert.equal(error.name, 'UnrecognisedEventError');
          assert.doesNotMatch(error.message, /SECRET|\n/);
          return true;
        },
      );
    }
    assert.throws(
      () => parseS3Event(dynamo),
      /1 record\(s\), eventSource aws:dynamodb/,
    );
    assert.throws(() => parseS3Event(unknown), /keys \[detail, <other>\]/);
  });

  it('round-trips keys through the local encoder', () => {
    const keys = [
      'a b/c+d.hl7',
      '100% done/x.json',
      'é/ü (1).ndjson',
      "it's.hl7",
    ];

    for (const key of keys) assert.equal(decodeS3Key(encodeS3Key(key)), key);
  });
});

describe('drop identity', () => {
  it('maps a redelivered event to the same drop and a new version of different bytes to another', async () => {
    const [first, redelivery, newVersion] = await Promise.all(
      [
        'invocation_1.json',
        'invocation_2_redelivery.json',
        'invocation_3_new_version.json',
      ].map((file) => caseJson(`s3-duplicate-delivery/${file}`)),
    );
    const idOf = (event: unknown) => {
      const parsed = parseS3Event(event);
      return parsed.kind === 'objects'
        ? dropIdFor(parsed.objects[0] as never)
        : '';
    };

    assert.equal(idOf(first), idOf(redelivery));
    assert.notEqual(idOf(first), idOf(newVersion));
  });

  it('builds execution names within Step Functions limits for any key', () => {
    const alphabet = 'aZ09 _-./:%+()éü漢😀';
    for (let i = 0; i < 500; i++) {
      const length = 1 + ((i * 7919) % 400);
      const key = Array.from(
        { length },
        (_, j) => alphabet[(i * 31 + j * 17) % alphabet.length],
      ).join('');
      const dropId = dropIdFor({ bucket: 'b', key, eTag: String(i) });

      const name = executionNameFor(key, dropId);

      assert.match(name, /^[A-Za-z0-9_-]{1,80}$/);
      assert.ok(name.endsWith(dropId));
    }
  });

  it('gives different names to keys that differ only past the readable part', () => {
    const long = 'x'.repeat(200);
    const a = dropIdFor({ bucket: 'b', key: `${long}-1.hl7`, eTag: 'e' });
    const b = dropIdFor({ bucket: 'b', key: `${long}-2.hl7`, eTag: 'e' });

    assert.notEqual(
      executionNameFor(`${long}-1.hl7`, a),
      executionNameFor(`${long}-2.hl7`, b),
    );
  });
});
