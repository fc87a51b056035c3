import type { BlobStore } from '../../shared/adapters/blob-store.ts';
import type { PipelineConfig } from '../../shared/config.ts';
import { enqueueDrop } from '../../shared/drop/curation-queue.ts';
import type { ExecutionInput } from '../../shared/drop/execution-input.ts';
import { DROP_ID_PATTERN } from '../../shared/drop/identity.ts';
import { loadManifest, saveManifest } from '../../shared/drop/manifest.ts';
import { InvalidEventError } from '../../shared/errors.ts';
import { createLogger, type Logger } from '../../shared/logger.ts';
import { awsConfig, awsStore } from '../../shared/runtime/aws.ts';

/**
 * The workflow's first state. Checks the execution input (a replay's input
 * is typed by a person), marks the drop `curating` on its manifest (the
 * intake leaves it `starting`: only the workflow may move it on, so a late
 * intake write can never undo a failure the workflow recorded), and puts the
 * drop on the curation queue, where the next Glue job run picks it up.
 * Returns the queue entry.
 */
export interface QueueDeps {
  config: PipelineConfig;
  store: BlobStore;
  logger: Logger;
}

export function createHandler(deps: QueueDeps) {
  return async (input: ExecutionInput) => {
    if (
      input?.schemaVersion !== 1 ||
      !DROP_ID_PATTERN.test(input.dropId ?? '')
    ) {
      throw new InvalidEventError(
        'failed to queue drop: execution input is not schema version 1',
      );
    }
    deps.logger.setCorrelationId(input.dropId);
    const { manifests } = deps.config.buckets;
    const manifest = await loadManifest(deps.store, manifests, input.dropId);
    if (manifest && manifest.status !== 'curating') {
      manifest.status = 'curating';
      await saveManifest(deps.store, manifests, manifest);
    }
    const queued = await enqueueDrop(
      deps.store,
      deps.config.buckets.manifests,
      input,
    );
    deps.logger.info('drop queued for curation');

    return queued;
  };
}

let handle: ReturnType<typeof createHandler> | undefined;

export const handler = (input: ExecutionInput) => {
  handle ??= createHandler({
    config: awsConfig(),
    store: awsStore(),
    logger: createLogger('queue-for-curation'),
  });
  return handle(input);
};
