import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalBlobStore } from '../../../shared/adapters/local-blob-store.ts';
import { saveManifest } from '../../../shared/drop/manifest.ts';
import { tierRawFile } from '../../../shared/drop/tier.ts';
import { silentLogger, TEST_CONFIG } from '../../helpers/aws.ts';

const root = await mkdtemp(join(tmpdir(), 'tier-'));
after(() => rm(root, { recursive: true, force: true }));
const { buckets } = TEST_CONFIG;
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

function inputFor(key: string, body: string) {
  return {
    schemaVersion: 1 as const,
    dropId: md5(`drop:${body}`),
    ingestDate: '2026-12-04',
    format: 'fhir-ndjson' as const,
    source: { bucket: buckets.landing, key, eTag: md5(body) },
    stagedCounts: {},
  };
}

describe('tierRawFile', () => {
  const store = new LocalBlobStore(root);
  const deps = { config: TEST_CONFIG, store, logger: silentLogger() };

  it('archives the raw object and removes it from landing', async () => {
    await store.write(buckets.landing, 'in/a.ndjson', 'first');
    const input = inputFor('in/a.ndjson', 'first');
    await saveManifest(store, buckets.manifests, {
      schemaVersion: 1,
      dropId: input.dropId,
      source: { ...input.source, size: 5 },
      receivedAt: '2026-12-04T10:00:00.000Z',
      ingestDate: input.ingestDate,
      status: 'curating',
      timings: {},
      updatedAt: '2026-12-04T10:00:00.000Z',
    });

    const result = await tierRawFile(deps, input);

    assert.equal(await store.head(buckets.landing, 'in/a.ndjson'), undefined);
    assert.ok(await store.head(buckets.archive, result.archiveKey));
  });

  it('refuses to archive bytes a later upload put at the same key', async () => {
    await store.write(buckets.landing, 'in/b.ndjson', 'one');
    const input = inputFor('in/b.ndjson', 'one');
    await store.write(buckets.landing, 'in/b.ndjson', 'second');

    await assert.rejects(tierRawFile(deps, input), {
      name: 'RawObjectReplacedError',
    });

    assert.equal(
      (await store.head(buckets.landing, 'in/b.ndjson'))?.eTag,
      md5('second'),
    );
    assert.deepEqual(await store.list(buckets.archive, input.dropId), []);
  });
});
