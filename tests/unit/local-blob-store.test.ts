import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalBlobStore } from '../../shared/adapters/local-blob-store.ts';

describe('the local blob store', () => {
  let root: string;
  let store: LocalBlobStore;

  before(async () => {
    root = await fs.mkdtemp(join(tmpdir(), 'blob-store-'));
    store = new LocalBlobStore(root);
    for (const key of [
      'a.json',
      'queue/pending/1.json',
      'queue/pending/2.json',
      'queue/failed/3.json',
      'alerts/window=2026-12-04T03:00/x.json',
      'alerts/window=2026-12-04T03:15/y.json',
      'alerts/digests/d.json',
    ]) {
      await store.write('manifests', key, '{}');
    }
  });
  after(() => fs.rm(root, { recursive: true, force: true }));

  it('lists keys under a prefix as S3 does, whole keys, sorted', async () => {
    assert.deepEqual(await store.list('manifests', 'queue/pending/'), [
      'queue/pending/1.json',
      'queue/pending/2.json',
    ]);
    assert.deepEqual(await store.list('manifests', 'alerts/window='), [
      'alerts/window=2026-12-04T03:00/x.json',
      'alerts/window=2026-12-04T03:15/y.json',
    ]);
    assert.equal((await store.list('manifests', '')).length, 7);
    assert.deepEqual(await store.list('manifests', 'nothing/here/'), []);
    assert.deepEqual(await store.list('missing-bucket', ''), []);
  });

  it('reads only the folder a prefix names, not the whole bucket', async () => {
    const read: string[] = [];
    const readdir = fs.readdir;
    fs.readdir = ((path: string, options: never) => {
      read.push(String(path));
      return readdir(path, options);
    }) as typeof fs.readdir;
    syncBuiltinESMExports();
    try {
      await store.list('manifests', 'queue/pending/');
    } finally {
      fs.readdir = readdir;
      syncBuiltinESMExports();
    }

    const folder = join(root, 'manifests', 'queue', 'pending');
    assert.ok(read.length > 0);
    for (const path of read) assert.ok(path.startsWith(folder), path);
  });
});
