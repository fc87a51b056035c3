import {
  type FailureDeps,
  type FailureInput,
  forgetAlert,
  recordFailure,
} from '../../shared/drop/record-failure.ts';
import { createLogger } from '../../shared/logger.ts';
import { awsConfig, awsStore } from '../../shared/runtime/aws.ts';

/**
 * Invoked by the workflow's RecordFailure state from any stage's Catch.
 * Marks the drop failed on its manifest and returns `{ subject, message }`
 * for the PublishAlert state to send to on-call. Invoked by ForgetAlert
 * (`alertUndelivered`) when that publish failed: takes the alerted mark back.
 */
export function createHandler(deps: FailureDeps) {
  return async (event: FailureInput) => {
    deps.logger.setCorrelationId(event.input.dropId);
    if (event.alertUndelivered) return forgetAlert(deps, event);

    return recordFailure(deps, event);
  };
}

let handle: ReturnType<typeof createHandler> | undefined;

export const handler = (event: FailureInput) => {
  handle ??= createHandler({
    config: awsConfig(),
    store: awsStore(),
    logger: createLogger('record-failure'),
  });
  return handle(event);
};
