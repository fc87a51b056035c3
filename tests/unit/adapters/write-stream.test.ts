import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { LocalBlobStore } from '../../../shared/adapters/local-blob-store.ts';
import { S3BlobStore } from '../../../shared/adapters/s3-blob-store.ts';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
const s3 = mockClient(S3Client);

async function* chunks(...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

describe('S3BlobStore.writeStream', () => {
  beforeEach(() => s3.reset());

  it('sends a body smaller than one part as a single PutObject', async () => {
    s3.on(PutObjectCommand).resolves({});
    const store = new S3BlobStore(
      new S3Client({
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    );

    await store.writeStream('b', 'k/part-0.ndjson', chunks('{"a":1}\n', '{}'), {
      contentType: 'application/fhir+ndjson',
    });

    const [call] = s3.commandCalls(PutObjectCommand);
    assert.equal(s3.commandCalls(PutObjectCommand).length, 1);
    assert.equal(call?.args[0].input.Bucket, 'b');
    assert.equal(call?.args[0].input.Key, 'k/part-0.ndjson');
    assert.equal(call?.args[0].input.ContentType, 'application/fhir+ndjson');
    assert.equal(
      Buffer.from(call?.args[0].input.Body as Uint8Array).toString(),
      '{"a":1}\n{}',
    );
  });
});

describe('LocalBlobStore.writeStream', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'write-stream-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes the streamed bytes and the MD5 ETag a single PUT would get', async () => {
    const store = new LocalBlobStore(root);

    await store.writeStream('b', 'x/y.ndjson', chunks('ab', 'cd'));
    await store.write('b', 'x/z.ndjson', 'abcd');

    const body = await readFile(store.pathOf('b', 'x/y.ndjson'), 'utf8');
    const streamed = await store.head('b', 'x/y.ndjson');
    const whole = await store.head('b', 'x/z.ndjson');
    assert.equal(body, 'abcd');
    assert.equal(streamed?.eTag, whole?.eTag);
  });

  it('accepts a Node readable stream', async () => {
    const store = new LocalBlobStore(root);

    await store.writeStream('b', 'k', Readable.from(chunks('one ', 'two')));

    assert.equal(await readFile(store.pathOf('b', 'k'), 'utf8'), 'one two');
  });

  it('leaves neither the object nor a partial file when the body fails', async () => {
    const store = new LocalBlobStore(root);
    async function* failing() {
      yield Buffer.from('half');
      throw new Error('source broke');
    }

    await assert.rejects(
      store.writeStream('b', 'k', failing()),
      /source broke/,
    );

    assert.deepEqual(await readdir(join(root, 'b')), []);
  });
});
