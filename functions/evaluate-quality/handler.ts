import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaResultsReader } from '../../shared/adapters/query-results.ts';
import { createLogger } from '../../shared/logger.ts';
import {
  type EvaluateDeps,
  type EvaluateInput,
  evaluateQuality,
} from '../../shared/quality/evaluate.ts';
import { awsConfig, awsStore } from '../../shared/runtime/aws.ts';

/**
 * Invoked by the workflow's EvaluateQuality state once Athena has run the
 * quality query. Reads all result pages, stores them in the dq zone and on
 * the manifest, and throws QualityCheckFailed when an error rule failed.
 */
export function createHandler(deps: EvaluateDeps) {
  return async (input: EvaluateInput) => {
    deps.logger.setCorrelationId(input.dropId);
    return evaluateQuality(deps, input);
  };
}

let handle: ReturnType<typeof createHandler> | undefined;

export const handler = (input: EvaluateInput) => {
  handle ??= createHandler({
    config: awsConfig(),
    store: awsStore(),
    queryResults: new AthenaResultsReader(new AthenaClient({})),
    logger: createLogger('evaluate-quality'),
  });
  return handle(input);
};
