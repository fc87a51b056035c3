import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import {
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { LocalBlobStore } from '../../../shared/adapters/local-blob-store.ts';
import { S3BlobStore } from '../../../shared/adapters/s3-blob-store.ts';

const s3 = mockClient(S3Client);

function s3Error(name: string, status: number) {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });
}

describe('BlobStore.create on S3', () => {
  const store = new S3BlobStore(new S3Client({ region: 'us-east-1' }));
  beforeEach(() => s3.reset());

  it('writes with If-None-Match: * and reports success', async () => {
    s3.on(PutObjectCommand).resolves({});

    const created = await store.create('b', 'slots/1', 'drop');

    assert.equal(created, true);
    assert.equal(
      s3.commandCalls(PutObjectCommand)[0]?.args[0].input.IfNoneMatch,
      '*',
    );
  });

  it('reports false when the key already exists (412)', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));

    assert.equal(await store.create('b', 'slots/1', 'drop'), false);
  });

  it('retries once when a concurrent conditional write conflicts (409)', async () => {
    s3.on(PutObjectCommand)
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .rejects(s3Error('PreconditionFailed', 412));

    assert.equal(await store.create('b', 'slots/1', 'drop'), false);
    assert.equal(s3.commandCalls(PutObjectCommand).length, 2);
  });

  it('gives a key up after a second conflict (409 twice)', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('ConditionalRequestConflict', 409));

    assert.equal(await store.create('b', 'slots/1', 'drop'), false);
    assert.equal(s3.commandCalls(PutObjectCommand).length, 2);
  });

  it('passes other errors on', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));

    await assert.rejects(store.create('b', 'slots/1', 'drop'), /AccessDenied/);
  });
});

describe('BlobStore.create on folders', () => {
  let root: string;
  after(() => rm(root, { recursive: true, force: true }));

  it('lets exactly one of many concurrent calls create the key', async () => {
    root = await mkdtemp(join(tmpdir(), 'create-'));
    const store = new LocalBlobStore(root);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.create('b', 'k/1', String(i))),
    );

    assert.equal(results.filter(Boolean).length, 1);
    const body = await readFile(store.pathOf('b', 'k/1'), 'utf8');
    assert.equal(body, String(results.indexOf(true)));
  });
});
