import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalBlobStore } from '../../../shared/adapters/local-blob-store.ts';
import { loadManifest, saveManifest } from '../../../shared/drop/manifest.ts';
import { recordFailure } from '../../../shared/drop/record-failure.ts';
import { silentLogger, TEST_CONFIG } from '../../helpers/aws.ts';

const root = await mkdtemp(join(tmpdir(), 'record-failure-'));
after(() => rm(root, { recursive: true, force: true }));
const { buckets } = TEST_CONFIG;
const dropId = 'a'.repeat(32);

/** A store whose conditional writes (storm slots) always fail. */
class SlotlessStore extends LocalBlobStore {
  override async create(): Promise<boolean> {
    throw new Error('conditional write refused');
  }
}

function failure(executionArn: string) {
  return {
    input: {
      schemaVersion: 1 as const,
      dropId,
      ingestDate: '2026-12-04',
      format: 'hl7v2' as const,
      source: { bucket: buckets.landing, key: 'in/a.hl7', eTag: 'e' },
      stagedCounts: {},
      failedStage: { name: 'TierRawFile', redriveCount: 0 },
      failure: { Error: 'RawObjectMissingError' },
    },
    executionArn,
    executionName: 'a-hl7',
  };
}

describe('recordFailure', () => {
  it('marks the execution alerted only once the failure is fully recorded', async () => {
    const store = new SlotlessStore(root);
    await saveManifest(store, buckets.manifests, {
      schemaVersion: 1,
      dropId,
      source: { bucket: buckets.landing, key: 'in/a.hl7', eTag: 'e', size: 1 },
      receivedAt: '2026-12-04T10:00:00.000Z',
      ingestDate: '2026-12-04',
      status: 'curating',
      timings: {},
      updatedAt: '2026-12-04T10:00:00.000Z',
    });
    const deps = { config: TEST_CONFIG, store, logger: silentLogger() };

    await assert.rejects(recordFailure(deps, failure('arn:x:1')));

    const manifest = await loadManifest(store, buckets.manifests, dropId);
    assert.equal(manifest?.status, 'failed');
    assert.deepEqual(manifest?.alertedExecutions ?? [], []);
  });

  it('marks it alerted when recording succeeds', async () => {
    const store = new LocalBlobStore(root);
    const deps = { config: TEST_CONFIG, store, logger: silentLogger() };

    await recordFailure(deps, failure('arn:x:2'));

    const manifest = await loadManifest(store, buckets.manifests, dropId);
    assert.deepEqual(manifest?.alertedExecutions, ['arn:x:2']);
  });
});
