import { SNSClient } from '@aws-sdk/client-sns';
import {
  type AlertPublisher,
  SnsAlertPublisher,
} from '../../shared/adapters/alert-publisher.ts';
import type { BlobStore } from '../../shared/adapters/blob-store.ts';
import type { PipelineConfig } from '../../shared/config.ts';
import { collectDigest } from '../../shared/drop/alert-storm.ts';
import { createLogger, type Logger } from '../../shared/logger.ts';
import { awsConfig, awsStore } from '../../shared/runtime/aws.ts';

/**
 * Runs every quarter hour (EventBridge schedule). Sends on-call one message
 * summarising the failed drops that a storm held back from individual
 * alerts in the windows that have closed, with the bulk replay command.
 * Returns how many drops it summarised.
 */
export interface DigestDeps {
  config: PipelineConfig;
  store: BlobStore;
  publisher: AlertPublisher;
  logger: Logger;
}

export function createHandler(
  deps: DigestDeps,
  options: { includeOpen?: boolean } = {},
) {
  return async (): Promise<{ summarised: number }> => {
    const digest = await collectDigest(
      deps.store,
      deps.config.buckets.manifests,
      { ...options, replayOptions: deps.config.replayOptions },
    );
    if (!digest) return { summarised: 0 };

    await deps.publisher.publish(digest.alert);
    deps.logger.info('alert digest sent', {
      drops: digest.drops.length,
      digestKey: digest.digestKey,
    });
    return { summarised: digest.drops.length };
  };
}

let handle: ReturnType<typeof createHandler> | undefined;

export const handler = () => {
  const config = awsConfig();
  handle ??= createHandler({
    config,
    store: awsStore(),
    publisher: new SnsAlertPublisher(new SNSClient({}), config.alertTopicArn),
    logger: createLogger('send-alert-digest'),
  });
  return handle();
};
