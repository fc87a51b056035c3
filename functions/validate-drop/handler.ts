import { awsConfig, awsStore, awsWorkflow } from '../../shared/runtime/aws.ts';
import {
  type IntakeDeps,
  type IntakeResult,
  takeInDrop,
} from '../../shared/drop/intake.ts';
import { parseS3Event } from '../../shared/drop/s3-event.ts';
import { createLogger } from '../../shared/logger.ts';

/**
 * Triggered by S3 ObjectCreated on the landing bucket. Validates each object,
 * stages or quarantines it, and starts one curation workflow per drop.
 * Returns what happened to each drop; an `s3:TestEvent` is acknowledged and
 * does nothing. Throws (so that S3 retries, then the DLQ) only when storage
 * or Step Functions fail.
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
