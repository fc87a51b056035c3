import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { createHandler } from '../../functions/validate-drop/handler.ts';
import { s3Event } from '../../local/pipeline.ts';
import type { BlobStore } from '../../shared/adapters/blob-store.ts';
import { createLogger } from '../../shared/logger.ts';
import { openPipeline } from '../helpers/local.ts';
import { SAMPLES } from '../helpers/paths.ts';

/** A batch of `count` ORU messages in one FHS/BHS envelope. */
function batch(count: number): Buffer {
  const messages = Array.from({ length: count }, (_, i) =>
    [
      `MSH|^~\\&|LAB|FAC|HIE|HIE|20240105090000||ORU^R01^ORU_R01|B-${i}|P|2.5.1`,
      `PID|1||${100000 + i}^^^HOSP^MR||Batch^Synthetic||19800101|F`,
      `OBR|1|ORD-${i}|FIL-${i}|2345-7^Glucose^LN|||20240105070000`,
      `OBX|1|NM|2345-7^Glucose^LN||${80 + (i % 40)}|mg/dL|70-99|N|||F`,
    ].join('\r'),
  );
  return Buffer.from(
    [
      'FHS|^~\\&|LAB|FAC|HIE|HIE|20240105090000||||FILE-1',
      'BHS|^~\\&|LAB|FAC|HIE|HIE|20240105090000||||BATCH-1',
      ...messages,
      `BTS|${count}`,
      'FTS|1',
      '',
    ].join('\r'),
  );
}

describe('limits and crashes', () => {
  it('curates a 5,000-message batch with every state of the workflow under 32 KiB', async () => {
    const pipeline = await openPipeline();
    try {
      const [result] = await pipeline.land('inbound/batch.hl7', batch(5000));
      await pipeline.drain();
      const execution = [...pipeline.executions.values()][0];

      assert.equal(
        (await pipeline.manifest(result?.dropId ?? ''))?.status,
        'curated',
      );
      assert.equal(
        (await pipeline.manifest(result?.dropId ?? ''))?.curated?.tables
          .observation,
        5000,
      );
      assert.ok(JSON.stringify(execution?.input).length < 1024);
      assert.ok(
        (execution?.largestStateBytes ?? Number.POSITIVE_INFINITY) < 32 * 1024,
      );
    } finally {
      await pipeline.dispose();
    }
  });

  it('replaces partial staged output when the validate function dies mid-drop and S3 retries', async () => {
    const pipeline = await openPipeline();
    try {
      const bytes = await readFile(
        new URL('hl7/oru_r01_lab_results.hl7', SAMPLES),
      );
      const event = s3Event(
        'landing',
        'inbound/labs.hl7',
        bytes,
        new Date('2026-12-04T10:00:00Z'),
      );
      await pipeline.store.write('landing', 'inbound/labs.hl7', bytes);
      let writes = 0;
      const crashing: BlobStore = Object.create(pipeline.store);
      crashing.writeStream = async (bucket, key, body, options) => {
        if (bucket === 'staged' && ++writes === 2) {
          for await (const _ of body) break; // dies after the first bytes
          throw new Error('Task timed out after 300.00 seconds');
        }
        return pipeline.store.writeStream(bucket, key, body, options);
      };
      const deps = {
        config: pipeline.config,
        workflow: pipeline,
        logger: createLogger('test'),
      };

      await assert.rejects(createHandler({ ...deps, store: crashing })(event));
      const [retry] = await createHandler({ ...deps, store: pipeline.store })(
        event,
      );
      await pipeline.drain();

      const manifest = await pipeline.manifest(retry?.dropId ?? '');
      const observations = await pipeline.query(
        `select count(*) as n from observation where drop_id = '${retry?.dropId}'`,
      );
      assert.equal(manifest?.status, 'curated');
      assert.equal(Number(observations[0]?.n), 7);
      assert.equal(pipeline.executions.size, 1);
    } finally {
      await pipeline.dispose();
    }
  });
});
