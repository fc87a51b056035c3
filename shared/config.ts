import { ConfigurationError } from './errors.ts';

/**
 * Everything the functions read from their environment, read once at cold
 * start. Local mode builds the same object from folder names instead.
 */
export interface PipelineConfig {
  buckets: {
    landing: string;
    staged: string;
    quarantine: string;
    curated: string;
    dq: string;
    manifests: string;
    archive: string;
  };
  archiveStorageClass: ArchiveStorageClass;
  stateMachineArn: string;
  alertTopicArn: string;
  glueDatabase: string;
  /** Drops above this size are quarantined unread rather than risk the Lambda. */
  maxDropBytes: number;
}

export const ARCHIVE_STORAGE_CLASSES = [
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
] as const;
export type ArchiveStorageClass = (typeof ARCHIVE_STORAGE_CLASSES)[number];

type Env = Record<string, string | undefined>;

export function configFromEnv(env: Env = process.env): PipelineConfig {
  return {
    buckets: {
      landing: required(env, 'LANDING_BUCKET'),
      staged: required(env, 'STAGED_BUCKET'),
      quarantine: required(env, 'QUARANTINE_BUCKET'),
      curated: required(env, 'CURATED_BUCKET'),
      dq: required(env, 'DQ_BUCKET'),
      manifests: required(env, 'MANIFEST_BUCKET'),
      archive: required(env, 'ARCHIVE_BUCKET'),
    },
    archiveStorageClass: storageClass(env.ARCHIVE_STORAGE_CLASS ?? 'GLACIER'),
    stateMachineArn: env.STATE_MACHINE_ARN ?? '',
    alertTopicArn: env.ALERT_TOPIC_ARN ?? '',
    glueDatabase: env.GLUE_DATABASE ?? 'hie_pipeline',
    maxDropBytes: Number(env.MAX_DROP_BYTES ?? 512 * 1024 * 1024),
  };
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) {
    throw new ConfigurationError(`missing environment variable: ${name}`);
  }
  return value;
}

function storageClass(value: string): ArchiveStorageClass {
  const known: readonly string[] = ARCHIVE_STORAGE_CLASSES;
  if (!known.includes(value)) {
    throw new ConfigurationError(
      `ARCHIVE_STORAGE_CLASS must be one of ${known.join(', ')}`,
    );
  }
  return value as ArchiveStorageClass;
}
