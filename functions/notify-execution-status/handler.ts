import { SNSClient } from '@aws-sdk/client-sns';
import { SnsAlertPublisher } from '../../shared/adapters/alert-publisher.ts';
import {
  type ExecutionStatusEvent,
  notifyExecutionStatus,
  type StatusDeps,
} from '../../shared/drop/execution-status.ts';
import { createLogger } from '../../shared/logger.ts';
import { awsConfig, awsStore } from '../../shared/runtime/aws.ts';

/**
 * Target of the EventBridge rule on executions that end FAILED, TIMED_OUT or
 * ABORTED. Publishes one alert to on-call unless the workflow already did.
 */
export function createHandler(deps: StatusDeps) {
  return async (event: ExecutionStatusEvent) =>
    notifyExecutionStatus(deps, event);
}

let handle: ReturnType<typeof createHandler> | undefined;

export const handler = (event: ExecutionStatusEvent) => {
  const config = awsConfig();
  handle ??= createHandler({
    config,
    store: awsStore(),
    publisher: new SnsAlertPublisher(new SNSClient({}), config.alertTopicArn),
    logger: createLogger('notify-execution-status'),
  });
  return handle(event);
};
