import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { FaultStage } from '../../local/pipeline.ts';
import { openPipeline } from '../helpers/local.ts';
import { SAMPLES } from '../helpers/paths.ts';

async function failThenRedrive(stage: FaultStage) {
  const pipeline = await openPipeline({
    faults: (at) => (at === stage ? { mode: 'permanent' } : undefined),
  });
  const bytes = await readFile(new URL('hl7/oru_r01_lab_results.hl7', SAMPLES));
  const [result] = await pipeline.land('inbound/labs.hl7', bytes);
  await pipeline.drain();
  const execution = [...pipeline.executions.values()][0];
  const failed = { ...execution, jobRuns: pipeline.counters.jobRuns };
  pipeline.faults = undefined;

  const redriven = await pipeline.redrive(execution?.name ?? '');

  return { pipeline, dropId: result?.dropId ?? '', failed, redriven };
}

describe('redrive from the console', () => {
  it('fails the execution at FailDrop, after the alert', async () => {
    const { pipeline, failed } = await failThenRedrive('EvaluateQuality');
    try {
      assert.equal(failed.status, 'FAILED');
      assert.equal(failed.error, 'DropFailed');
      assert.equal(pipeline.alerts.sent.length, 1);
    } finally {
      await pipeline.dispose();
    }
  });

  it('resumes a tiering failure at tiering without running the Glue job again', async () => {
    const { pipeline, dropId, failed, redriven } =
      await failThenRedrive('TierRawFile');
    try {
      const manifest = await pipeline.manifest(dropId);

      assert.equal(redriven.status, 'SUCCEEDED');
      assert.equal(redriven.redriveCount, 1);
      assert.equal(pipeline.counters.jobRuns, failed.jobRuns);
      assert.equal(manifest?.status, 'curated');
      assert.deepEqual(await pipeline.store.list('landing', ''), []);
    } finally {
      await pipeline.dispose();
    }
  });

  it('curates a drop that failed its quality check again on redrive', async () => {
    const { pipeline, dropId, redriven } =
      await failThenRedrive('EvaluateQuality');
    try {
      const manifest = await pipeline.manifest(dropId);
      const rows = await pipeline.query(
        `select count(*) as n from observation where drop_id = '${dropId}'`,
      );

      assert.equal(redriven.status, 'SUCCEEDED');
      assert.equal(manifest?.status, 'curated');
      assert.equal(Number(rows[0]?.n), 7);
    } finally {
      await pipeline.dispose();
    }
  });

  it('sends a failed curation back to the queue and curates it', async () => {
    const { pipeline, dropId, redriven } = await failThenRedrive('CurateDrop');
    try {
      const rows = await pipeline.query(
        `select count(*) as n from observation where drop_id = '${dropId}'`,
      );

      assert.equal(redriven.status, 'SUCCEEDED');
      assert.equal(Number(rows[0]?.n), 7);
      assert.equal((await pipeline.manifest(dropId))?.status, 'curated');
    } finally {
      await pipeline.dispose();
    }
  });

  it('fails again, with a new alert, when the cause is not fixed', async () => {
    const pipeline = await openPipeline({
      faults: (at) =>
        at === 'TierRawFile' ? { mode: 'permanent' } : undefined,
    });
    try {
      await pipeline.land(
        'inbound/labs.hl7',
        await readFile(new URL('hl7/oru_r01_lab_results.hl7', SAMPLES)),
      );
      await pipeline.drain();
      const name = [...pipeline.executions.keys()][0] ?? '';

      const redriven = await pipeline.redrive(name);

      assert.equal(redriven.status, 'FAILED');
      assert.equal(redriven.error, 'DropFailed');
      assert.equal(pipeline.alerts.sent.length, 2);
      assert.deepEqual(await pipeline.store.list('landing', ''), [
        'inbound/labs.hl7',
      ]);
    } finally {
      await pipeline.dispose();
    }
  });
});
