import type { BlobStore } from '../../shared/adapters/blob-store.ts';
import type { PipelineConfig } from '../../shared/config.ts';
import { curationState } from '../../shared/drop/curation-queue.ts';
import { awsConfig, awsStore } from '../../shared/runtime/aws.ts';

/**
 * Invoked by the workflow's CheckCuration state, before and after a Glue job
 * run. Returns `{ state: 'pending' | 'curated' | 'failed', error? }` for this
 * drop: pending drops need a job run, curated ones go on to the quality
 * check, failed ones to the alert.
 */
export function createHandler(deps: {
  config: PipelineConfig;
  store: BlobStore;
}) {
  return async (input: { dropId: string }) =>
    curationState(deps.store, deps.config.buckets.manifests, input.dropId);
}

let handle: ReturnType<typeof createHandler> | undefined;

export const handler = (input: { dropId: string }) => {
  handle ??= createHandler({ config: awsConfig(), store: awsStore() });
  return handle(input);
};
