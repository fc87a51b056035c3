import type { ExecutionInput } from '../../shared/drop/execution-input.ts';
import { type TierDeps, tierRawFile } from '../../shared/drop/tier.ts';
import { createLogger } from '../../shared/logger.ts';
import { awsConfig, awsStore } from '../../shared/runtime/aws.ts';

/**
 * Invoked by the workflow's TierRawFile state after the quality check
 * passed. Moves the raw drop to the archive bucket in a Glacier class and
 * marks the drop curated. Throws RawObjectMissingError when the raw file is
 * in neither place.
 */
export function createHandler(deps: TierDeps) {
  return async (input: ExecutionInput) => {
    deps.logger.setCorrelationId(input.dropId);
    return tierRawFile(deps, input);
  };
}

let handle: ReturnType<typeof createHandler> | undefined;

export const handler = (input: ExecutionInput) => {
  handle ??= createHandler({
    config: awsConfig(),
    store: awsStore(),
    logger: createLogger('tier-raw-file'),
  });
  return handle(input);
};
