import {
  type IntakeDeps,
  type IntakeResult,
  takeInDrop,
} from '../../shared/drop/intake.ts';
import { parseS3Event, skipReason } from '../../shared/drop/s3-event.ts';
import { createLogger } from '../../shared/logger.ts';
import { awsConfig, awsStore, awsWorkflow } from '../../shared/runtime/aws.ts';

/**
 * Triggered by S3 ObjectCreated on the landing bucket, directly or through
 * SQS or SNS. Validates each object, stages or quarantines it, and starts
 * one curation workflow per drop. Returns what happened to each drop; an
 * `s3:TestEvent`, a key outside the landing prefixes and a copy the
 * pipeline made itself start nothing. Throws `UnrecognisedEventError` for
 * any other payload, and (so that S3 retries, then the DLQ) when storage or
 * Step Functions fail.
 */
export function createHandler(deps: IntakeDeps) {
  return async (event: unknown): Promise<IntakeResult[]> => {
    // A warm container keeps the last drop's correlation id; each event
    // starts without it so a test event is not logged under an old drop.
    deps.logger.resetKeys();
    const parsed = parseS3Event(event);
    if (parsed.kind === 'test') {
      deps.logger.info('test event acknowledged');
      return [];
    }

    const results: IntakeResult[] = [];
    for (const object of parsed.objects) {
      const skipped = skipReason(object, deps.config);
      if (skipped) {
        deps.logger.info('event skipped', { key: object.key, reason: skipped });
        continue;
      }
      results.push(await takeInDrop(deps, object));
    }
    return results;
  };
}

let handle: ReturnType<typeof createHandler> | undefined;

export const handler = (event: unknown) => {
  handle ??= createHandler({
    config: awsConfig(),
    store: awsStore(),
    workflow: awsWorkflow(),
    logger: createLogger('validate-drop'),
  });
  return handle(event);
};
