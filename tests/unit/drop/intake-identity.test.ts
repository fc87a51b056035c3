/**
 * Drop identity beyond the ETag, and the manifest a starting workflow sees.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalBlobStore } from '../../../shared/adapters/local-blob-store.ts';
import type { WorkflowStarter } from '../../../shared/adapters/workflow.ts';
import type { PipelineConfig } from '../../../shared/config.ts';
import { takeInDrop } from '../../../shared/drop/intake.ts';
import {
  loadManifest,
  type Manifest,
  saveManifest,
} from '../../../shared/drop/manifest.ts';
import { requeueQuarantined } from '../../../shared/drop/replay.ts';
import { silentLogger, TEST_CONFIG } from '../../helpers/aws.ts';

const root = await mkdtemp(join(tmpdir(), 'intake-identity-'));
after(() => rm(root, { recursive: true, force: true }));
const { buckets } = TEST_CONFIG;

const ndjson = (family: string) =>
  Buffer.from(
    `${JSON.stringify({ resourceType: 'Patient', id: 'p1', name: [{ family }] })}\n`,
  );

/** Records each start with the manifest as it stood at that moment. */
function recordingWorkflow(
  store: LocalBlobStore,
  during?: (manifest: Manifest) => Promise<void>,
) {
  const seen: Array<Manifest | undefined> = [];
  const workflow: WorkflowStarter = {
    async start(_name, input) {
      const { dropId } = input as { dropId: string };
      const manifest = await loadManifest(store, buckets.manifests, dropId);
      seen.push(manifest);
      if (manifest && during) await during(manifest);
      return { status: 'started' };
    },
  };
  return { workflow, seen };
}

/** Lands bytes and delivers an event whose ETag is not their MD5 (SSE-KMS). */
async function landWithKms(
  store: LocalBlobStore,
  workflow: WorkflowStarter,
  key: string,
  bytes: Buffer,
  config: PipelineConfig = TEST_CONFIG,
) {
  await store.write(buckets.landing, key, bytes);
  return takeInDrop(
    { config, store, workflow, logger: silentLogger() },
    {
      bucket: buckets.landing,
      key,
      size: bytes.length,
      eTag: randomBytes(16).toString('hex'),
      eventTime: '2026-12-04T10:00:00.000Z',
    },
  );
}

describe('intake identity', () => {
  it('takes the same bytes at the same key in once, whatever the ETag', async () => {
    const store = new LocalBlobStore(await mkdtemp(join(root, 's-')));
    const { workflow, seen } = recordingWorkflow(store);

    const first = await landWithKms(
      store,
      workflow,
      'in/a.ndjson',
      ndjson('A'),
    );
    const again = await landWithKms(
      store,
      workflow,
      'in/a.ndjson',
      ndjson('A'),
    );
    const changed = await landWithKms(
      store,
      workflow,
      'in/a.ndjson',
      ndjson('B'),
    );

    assert.deepEqual(
      [first.outcome, again.outcome, changed.outcome],
      ['started', 'duplicate', 'started'],
    );
    assert.equal(seen.length, 2);
    const duplicate = await loadManifest(
      store,
      buckets.manifests,
      again.dropId,
    );
    assert.equal(duplicate?.status, 'duplicate');
    assert.equal(duplicate?.duplicateOf, first.dropId);
    assert.equal(duplicate?.staged, undefined);
  });

  it('starts the workflow with the full manifest saved', async () => {
    const store = new LocalBlobStore(await mkdtemp(join(root, 's-')));
    const { workflow, seen } = recordingWorkflow(store);

    const result = await landWithKms(
      store,
      workflow,
      'in/b.ndjson',
      ndjson('C'),
    );

    assert.equal(seen[0]?.status, 'starting');
    assert.deepEqual(seen[0]?.validation?.records, {
      in: 1,
      staged: 1,
      quarantined: 0,
    });
    assert.ok(seen[0]?.staged?.keys.length);
    const after = await loadManifest(store, buckets.manifests, result.dropId);
    assert.equal(after?.status, 'starting');
  });

  it('leaves a failure recorded while the start was in flight', async () => {
    const store = new LocalBlobStore(await mkdtemp(join(root, 's-')));
    const { workflow } = recordingWorkflow(store, async (manifest) => {
      await saveManifest(store, buckets.manifests, {
        ...manifest,
        status: 'failed',
      });
    });

    const result = await landWithKms(
      store,
      workflow,
      'in/c.ndjson',
      ndjson('D'),
    );

    const after = await loadManifest(store, buckets.manifests, result.dropId);
    assert.equal(after?.status, 'failed');
    assert.ok(after?.validation);
  });

  it('lets a drop requeued for revalidation come back under a new ETag', async () => {
    const store = new LocalBlobStore(await mkdtemp(join(root, 's-')));
    const { workflow, seen } = recordingWorkflow(store);
    const strict: PipelineConfig = {
      ...TEST_CONFIG,
      feedPolicies: [['in/', 'drop']],
    };
    const bytes = Buffer.concat([
      ndjson('E'),
      Buffer.from('{"resourceType":"Patient","id":"p2","gender":7}\n'),
    ]);
    const first = await landWithKms(
      store,
      workflow,
      'in/e.ndjson',
      bytes,
      strict,
    );
    await requeueQuarantined(store, TEST_CONFIG, first.dropId);

    const again = await landWithKms(store, workflow, 'in/e.ndjson', bytes);

    assert.deepEqual(
      [first.outcome, again.outcome],
      ['quarantined', 'started'],
    );
    assert.equal(seen.length, 1);
    const before = await loadManifest(store, buckets.manifests, first.dropId);
    assert.equal(before?.status, 'superseded');
    assert.equal(before?.duplicateOf, again.dropId);
  });
});
