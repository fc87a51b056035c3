import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalBlobStore } from '../../shared/adapters/local-blob-store.ts';
import {
  collectDigest,
  INDIVIDUAL_ALERTS_PER_WINDOW,
  noteFailure,
  windowOf,
} from '../../shared/drop/alert-storm.ts';

const note = (i: number) => ({
  dropId: String(i).padStart(32, '0'),
  sourceKey: `inbound/${i}.hl7`,
  stage: i % 2 ? 'RunGlueJob' : 'CheckQuality',
  error: i % 2 ? 'States.TaskFailed' : 'QualityCheckFailed',
  at: '2026-12-04T03:01:00.000Z',
  executionArn: `arn:x:${i}`,
});

describe('alert storm control', () => {
  let root: string;
  let store: LocalBlobStore;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'storm-'));
    store = new LocalBlobStore(root);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('groups failures by quarter hour', () => {
    assert.equal(
      windowOf(new Date('2026-12-04T03:14:59Z')),
      '2026-12-04T03:00:00.000Z',
    );
    assert.equal(
      windowOf(new Date('2026-12-04T03:15:00Z')),
      '2026-12-04T03:15:00.000Z',
    );
  });

  it('alerts the first failures one by one and holds back the rest of the window', async () => {
    const now = new Date('2026-12-04T03:02:00Z');

    const deliveries = [];
    for (let i = 0; i < 40; i++)
      deliveries.push(await noteFailure(store, 'm', note(i), now));

    assert.equal(
      deliveries.filter((d) => d === 'individual').length,
      INDIVIDUAL_ALERTS_PER_WINDOW,
    );
    assert.equal(
      deliveries.filter((d) => d === 'digest').length,
      40 - INDIVIDUAL_ALERTS_PER_WINDOW,
    );
  });

  it('counts a retried recording of the same drop once', async () => {
    const now = new Date('2026-12-04T04:02:00Z');

    const first = await noteFailure(store, 'm', note(1), now);
    const again = await noteFailure(store, 'm', note(1), now);

    assert.deepEqual([first, again], ['individual', 'individual']);
  });

  it('summarises a closed window in one message with a bulk replay command, then forgets it', async () => {
    const later = new Date('2026-12-04T05:00:00Z');

    const digest = await collectDigest(store, 'm', { now: later });
    const again = await collectDigest(store, 'm', { now: later });

    assert.equal(digest?.drops.length, 40 - INDIVIDUAL_ALERTS_PER_WINDOW);
    assert.match(digest?.alert.subject ?? '', /35 more drops failed/);
    assert.match(
      digest?.alert.message ?? '',
      /npm run replay -- --digest alerts\/digests\//,
    );
    assert.match(
      digest?.alert.message ?? '',
      /18 x RunGlueJob: States.TaskFailed/,
    );
    assert.equal(again, undefined);
    assert.equal((await store.list('m', digest?.digestKey ?? '-')).length, 1);
    assert.deepEqual(
      await store.list('m', 'alerts/slots/window=2026-12-04T03:00'),
      [],
    );
  });

  it('alerts exactly the first few when many failures are recorded at once', async () => {
    const now = new Date('2026-12-04T06:02:00Z');

    const deliveries = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        noteFailure(store, 'm', note(100 + i), now),
      ),
    );

    assert.equal(
      deliveries.filter((d) => d === 'individual').length,
      INDIVIDUAL_ALERTS_PER_WINDOW,
    );
  });
});
