/**
 * The streamed intake on drops of many validation blocks (256 KiB each):
 * verdicts arrive block by block and outputs are written as they come, yet
 * what ends up staged and quarantined is what the whole-buffer validator
 * decides for the same bytes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readAll } from '../../../shared/adapters/blob-store.ts';
import { LocalBlobStore } from '../../../shared/adapters/local-blob-store.ts';
import type { WorkflowStarter } from '../../../shared/adapters/workflow.ts';
import { takeInDrop } from '../../../shared/drop/intake.ts';
import { loadManifest, saveManifest } from '../../../shared/drop/manifest.ts';
import type { QuarantineReport } from '../../../shared/drop/quarantine.ts';
import { stagedKey } from '../../../shared/drop/stage.ts';
import { validateDrop } from '../../../shared/validation/validate-drop.ts';
import { silentLogger, TEST_CONFIG } from '../../helpers/aws.ts';

const root = await mkdtemp(join(tmpdir(), 'streamed-intake-'));
after(() => rm(root, { recursive: true, force: true }));

const { buckets } = TEST_CONFIG;
const workflow: WorkflowStarter = {
  async start() {
    return { status: 'started' };
  },
};

function patient(i: number): string {
  return JSON.stringify({
    resourceType: 'Patient',
    id: `p${i}`,
    gender: i % 2 ? 'female' : 'male',
    birthDate: '1970-01-01',
  });
}

function observation(i: number): string {
  return JSON.stringify({
    resourceType: 'Observation',
    id: `o${i}`,
    status: 'final',
    code: { text: 'Heart rate' },
    subject: { reference: `Patient/p${i}` },
    valueQuantity: { value: 60 + (i % 40), unit: '/min' },
  });
}

/** Every 97th line breaks a rule: spread over every block of the file. */
function mixedLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    if (i % 97 === 0)
      return `{"resourceType":"Patient","id":"bad${i}","birthDate":"not-a-date"}`;
    return i % 3 ? observation(i) : patient(i);
  });
}

/** A store in its own folder, so each test sees only its own objects. */
async function freshStore() {
  const dir = await mkdtemp(join(root, 'store-'));
  const store = new LocalBlobStore(dir);
  const files = async (bucket: string) =>
    (await readdir(join(dir, bucket), { recursive: true }).catch(() => []))
      .map(String)
      .filter((name) => name.includes('.'));

  return { store, files };
}

async function land(key: string, bytes: Buffer, store: LocalBlobStore) {
  await store.write(buckets.landing, key, bytes);
  const result = await takeInDrop(
    { config: TEST_CONFIG, store, workflow, logger: silentLogger() },
    {
      bucket: buckets.landing,
      key,
      size: bytes.length,
      eTag: createHash('md5').update(bytes).digest('hex'),
      eventTime: '2026-12-04T10:00:00.000Z',
    },
  );
  const manifest = await loadManifest(store, buckets.manifests, result.dropId);
  assert.ok(manifest);

  return { result, manifest, store };
}

async function bytesOf(store: LocalBlobStore, bucket: string, key: string) {
  const body = await store.read(bucket, key);
  assert.ok(body, `missing ${bucket}/${key}`);

  return readAll(body);
}

async function text(store: LocalBlobStore, bucket: string, key: string) {
  return (await bytesOf(store, bucket, key)).toString('utf8');
}

describe('the streamed intake', () => {
  it('stages and quarantines a drop of many blocks as the whole-buffer validator decides', async () => {
    const lines = mixedLines(60_000);
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    assert.ok(bytes.length > 8 * 1024 * 1024);
    const expected = validateDrop(bytes, { fileName: 'big.ndjson' });

    const { store } = await freshStore();

    const { result, manifest } = await land('feed/big.ndjson', bytes, store);

    assert.equal(result.outcome, 'started');
    assert.equal(manifest.source.size, bytes.length);
    assert.equal(
      manifest.source.sha256,
      createHash('sha256').update(bytes).digest('hex'),
    );
    const rejected = expected.rejected.length;
    assert.deepEqual(manifest.validation?.records, {
      in: lines.length,
      staged: lines.length - rejected,
      quarantined: rejected,
    });
    for (const [type, resources] of expected.resources) {
      const key = stagedKey(type, manifest.ingestDate, result.dropId);
      const staged = await text(store, buckets.staged, key);
      assert.equal(
        staged,
        `${resources.map((r) => JSON.stringify(r)).join('\n')}\n`,
      );
      assert.equal(manifest.staged?.resources[type], resources.length);
    }
    const report = JSON.parse(
      await text(store, buckets.quarantine, `${result.dropId}/report.json`),
    ) as QuarantineReport;
    assert.equal(report.outcome, 'partially-accepted');
    assert.deepEqual(
      report.rejectedRecords.map((r) => r.index),
      expected.rejected.map((r) => r.index),
    );
    assert.equal(
      await text(store, buckets.quarantine, report.dataKey),
      `${lines.filter((_, i) => i % 97 === 0).join('\n')}\n`,
    );
    assert.doesNotMatch(JSON.stringify(report), /not-a-date|female/);
  });

  it('deletes what it staged and keeps every byte when the end rejects the drop', async () => {
    const lines = mixedLines(40_000).filter((_, i) => i % 97 !== 0);
    const bytes = Buffer.from(`${lines.join('\n')}\n{"resourceType":"Pat`);
    assert.ok(bytes.length > 4 * 1024 * 1024);

    const { store, files } = await freshStore();

    const { result, manifest } = await land('feed/cut.ndjson', bytes, store);

    assert.equal(result.outcome, 'quarantined');
    assert.equal(manifest.status, 'quarantined');
    assert.equal(manifest.staged, undefined);
    assert.deepEqual(await files(buckets.staged), []);
    assert.deepEqual(manifest.validation?.records, {
      in: lines.length + 1,
      staged: 0,
      quarantined: lines.length + 1,
    });
    const report = JSON.parse(
      await text(store, buckets.quarantine, `${result.dropId}/report.json`),
    ) as QuarantineReport;
    assert.equal(report.outcome, 'rejected');
    assert.equal(report.dataKey, `${result.dropId}/raw/feed/cut.ndjson`);
    assert.ok(report.fileIssues.some((i) => i.severity === 'error'));
    const kept = await bytesOf(store, buckets.quarantine, report.dataKey);
    assert.ok(kept.equals(bytes));
    assert.equal(
      await store.head(buckets.landing, 'feed/cut.ndjson'),
      undefined,
    );
  });

  it('keeps the last copy of an id repeated blocks apart and says how many it dropped', async () => {
    const lines = mixedLines(50_000).filter((_, i) => i % 97 !== 0);
    lines.push(patient(3).replace('"female"', '"other"'));
    const bytes = Buffer.from(`${lines.join('\n')}\n`);

    const { store } = await freshStore();

    const { result, manifest } = await land('feed/again.ndjson', bytes, store);

    const key = stagedKey('Patient', manifest.ingestDate, result.dropId);
    const patients = (await text(store, buckets.staged, key))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const threes = patients.filter((p) => p.id === 'p3');
    assert.deepEqual(
      threes.map((p) => p.gender),
      ['other'],
    );
    assert.equal(manifest.staged?.resources.Patient, patients.length);
    const repeat = manifest.validation?.issues.find(
      (i) => i.rule === 'duplicate_resource_id',
    );
    assert.equal(repeat?.count, 1);
  });

  it('replaces the output of a run that died mid-write and removes keys it no longer writes', async () => {
    const lines = mixedLines(30_000).filter((_, i) => i % 97 !== 0);
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const { store, files } = await freshStore();
    const crashing: LocalBlobStore = Object.create(store);
    crashing.writeStream = async (bucket, key, body, options) => {
      if (bucket === buckets.staged && key.startsWith('Patient/')) {
        for await (const _ of body) break; // dies after the first bytes
        throw new Error('Task timed out after 300.00 seconds');
      }
      return store.writeStream(bucket, key, body, options);
    };
    await assert.rejects(land('feed/retry.ndjson', bytes, crashing));
    const dropId = (await files(buckets.manifests))
      .map((name) => name.replace(/\.json$/, ''))
      .find((name) => !name.includes('/'));
    const crashed = await loadManifest(store, buckets.manifests, dropId ?? '');
    assert.equal(crashed?.status, 'validating');
    assert.ok(crashed?.staged);
    const stale = stagedKey('Condition', crashed.ingestDate, crashed.dropId);
    await store.write(buckets.staged, stale, '{}\n');
    crashed.staged.keys.push(stale);
    await saveManifest(store, buckets.manifests, crashed);

    const { result, manifest } = await land('feed/retry.ndjson', bytes, store);

    assert.equal(result.dropId, crashed.dropId);
    assert.equal(result.outcome, 'started');
    assert.equal(await store.head(buckets.staged, stale), undefined);
    const staged = await files(buckets.staged);
    assert.deepEqual(
      staged.filter((name) => name.endsWith('.partial')),
      [],
    );
    for (const key of manifest.staged?.keys ?? []) {
      const type = key.split('/')[0] ?? '';
      const count =
        (await text(store, buckets.staged, key)).split('\n').length - 1;
      assert.equal(count, manifest.staged?.resources[type]);
    }
    assert.equal(
      (manifest.staged?.resources.Patient ?? 0) +
        (manifest.staged?.resources.Observation ?? 0),
      lines.length,
    );
  });
});
