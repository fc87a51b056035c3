import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPipeline } from '../helpers/local.ts';

const observation = (id: string, code: object) =>
  JSON.stringify({
    resourceType: 'Observation',
    id,
    status: 'final',
    code,
    subject: { reference: 'Patient/p1' },
    valueQuantity: { value: 1, unit: '1' },
  });

describe('the quality gate', () => {
  it('curates an observation whose code is text only, as FHIR allows', async () => {
    const pipeline = await openPipeline();
    try {
      const lines = [
        observation('o1', { text: 'Pain score' }),
        observation('o2', { coding: [{ code: '1' }] }),
      ];
      const [result] = await pipeline.land(
        'inbound/obs.ndjson',
        Buffer.from(`${lines.join('\n')}\n`),
      );
      await pipeline.drain();

      const rows = await pipeline.query(
        `select id, code, code_text from observation where drop_id = '${result?.dropId}' order by id`,
      );
      assert.equal(
        (await pipeline.manifest(result?.dropId ?? ''))?.status,
        'curated',
      );
      assert.deepEqual(rows, [
        { id: 'o1', code: null, code_text: 'Pain score' },
        { id: 'o2', code: '1', code_text: null },
      ]);
      assert.equal(pipeline.alerts.sent.length, 0);
    } finally {
      await pipeline.dispose();
    }
  });

  it('leaves no row of a drop that failed its quality check where analysts query', async () => {
    const pipeline = await openPipeline({
      faults: (stage) =>
        stage === 'RunQualityQuery' ? { mode: 'permanent' } : undefined,
    });
    try {
      const lines = [observation('o1', { text: 'x' })];
      const [result] = await pipeline.land(
        'inbound/obs.ndjson',
        Buffer.from(`${lines.join('\n')}\n`),
      );
      await pipeline.drain();

      const rows = await pipeline.query(
        `select count(*) as n from observation where drop_id = '${result?.dropId}'`,
      );
      assert.equal(
        (await pipeline.manifest(result?.dropId ?? ''))?.status,
        'failed',
      );
      assert.equal(Number(rows[0]?.n), 0);
      assert.deepEqual(
        await pipeline.store.list('curated', 'observation/'),
        [],
      );
    } finally {
      await pipeline.dispose();
    }
  });
});
