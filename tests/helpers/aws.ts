import { Readable } from 'node:stream';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { PipelineConfig } from '../../shared/config.ts';
import { createLogger } from '../../shared/logger.ts';

/** A GetObject body as the SDK returns it in Node. */
export function sdkBody(bytes: Uint8Array | string) {
  return sdkStreamMixin(Readable.from([Buffer.from(bytes)]));
}

export const TEST_CONFIG: PipelineConfig = {
  buckets: {
    landing: 'test-landing',
    staged: 'test-staged',
    quarantine: 'test-quarantine',
    curated: 'test-curated',
    dq: 'test-dq',
    manifests: 'test-manifests',
    archive: 'test-archive',
  },
  archiveStorageClass: 'DEEP_ARCHIVE',
  stateMachineArn:
    'arn:aws:states:us-east-1:000000000000:stateMachine:drop-pipeline',
  alertTopicArn: 'arn:aws:sns:us-east-1:000000000000:on-call',
  glueDatabase: 'test_db',
  maxDropBytes: 10 * 1024 * 1024,
};

export function silentLogger(name = 'test') {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  return createLogger(name);
}

/** An S3 ObjectCreated:Put event for one object, key encoded as S3 does. */
export function objectCreated(
  key: string,
  options: { eTag?: string; versionId?: string; size?: number } = {},
) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-12-04T10:00:00.000Z',
        eventName: 'ObjectCreated:Put',
        s3: {
          bucket: { name: TEST_CONFIG.buckets.landing },
          object: {
            key,
            size: options.size ?? 100,
            eTag: options.eTag ?? '0123456789abcdef0123456789abcdef',
            versionId: options.versionId ?? 'v1',
          },
        },
      },
    ],
  };
}
