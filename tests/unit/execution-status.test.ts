import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BlobStore } from '../../shared/adapters/blob-store.ts';
import type { Alert } from '../../shared/alerts.ts';
import { notifyExecutionStatus } from '../../shared/drop/execution-status.ts';
import { createLogger } from '../../shared/logger.ts';
import { TEST_CONFIG } from '../helpers/aws.ts';

const DROP = 'e'.repeat(32);

/** Runs `work` with stdout captured: Powertools logs there. */
async function capturingStdout(work: () => Promise<unknown>) {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await work();
  } finally {
    process.stdout.write = write;
  }
  return lines.filter((line) => line.startsWith('{')).map((l) => JSON.parse(l));
}

describe('the EventBridge net', () => {
  it('logs under the drop id of the execution it alerts on', async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    const sent: Alert[] = [];
    const deps = {
      config: TEST_CONFIG,
      store: { read: async () => undefined } as unknown as BlobStore,
      publisher: { publish: async (alert: Alert) => void sent.push(alert) },
      logger: createLogger('notify-execution-status'),
    };

    const lines = await capturingStdout(() =>
      notifyExecutionStatus(deps, {
        detail: {
          executionArn: 'arn:aws:states:us-east-1:0:execution:m:x',
          name: 'x',
          status: 'TIMED_OUT',
          input: JSON.stringify({ dropId: DROP, source: { key: 'k' } }),
        },
      }),
    );

    assert.equal(sent.length, 1);
    assert.equal(
      sent[0]?.subject,
      `[drop-pipeline] execution timed out: drop ${DROP.slice(0, 12)}`,
    );
    assert.ok(lines.length > 0);
    for (const line of lines) assert.equal(line.correlation_id, DROP);
  });
});
