import { readFileSync } from 'node:fs';
import { ConfigurationError } from './errors.ts';
import {
  QUARANTINE_POLICIES,
  type QuarantinePolicy,
} from './validation/types.ts';

/**
 * Everything the functions read from their environment, read once at cold
 * start. Local mode builds the same object from folder names instead.
 */
/**
 * 2 GiB. The intake streams, so memory no longer bounds a drop; time does.
 * The slowest intake measured (HL7 v2 mapped to FHIR, about 10 MB/s on one
 * core in `npm run bench`, so about 6 MB/s on the 0.6 vCPU of a 1,024 MB
 * Lambda) takes about 6 minutes for 2 GiB, inside the 15-minute timeout
 * with room for S3. Larger files should be split: NDJSON and HL7 v2 split
 * at any record.
 */
export const DEFAULT_MAX_DROP_BYTES = 2 * 1024 * 1024 * 1024;

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
  /**
   * Drops above this size fail at once (`DropTooLargeError`, then the
   * dead-letter queue) instead of running into the Lambda's timeout.
   */
  maxDropBytes: number;
  /**
   * Quarantine policy per feed, by key prefix (longest prefix wins); a drop
   * under no prefix gets its format's default (per record for NDJSON and
   * HL7 v2, whole drop for a single resource or Bundle).
   */
  feedPolicies?: FeedPolicies;
  /**
   * Key prefixes of the landing bucket that hold drops (the notification's
   * filter); an event for any other key starts nothing. Empty or absent:
   * every key is a drop (local mode).
   */
  landingPrefixes?: readonly string[];
  /**
   * Role ids or session names (a Lambda's session is its function name) of
   * the pipeline's own principals: an `ObjectCreated:Copy` they caused is a
   * rewrite of a drop already taken in, not a new drop.
   */
  pipelinePrincipals?: readonly string[];
  /**
   * Options the replay command in an alert needs besides the drop: in local
   * mode `--root <dir>` when the run used another root than the default.
   */
  replayOptions?: string;
}

/** `[prefix, policy]` pairs, longest prefix first. */
export type FeedPolicies = ReadonlyArray<readonly [string, QuarantinePolicy]>;

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
    maxDropBytes: Number(env.MAX_DROP_BYTES ?? DEFAULT_MAX_DROP_BYTES),
    feedPolicies: feedPoliciesFromEnv(env),
    landingPrefixes: list(env.LANDING_PREFIXES),
    pipelinePrincipals: [
      ...list(env.PIPELINE_PRINCIPALS),
      ...list(env.AWS_LAMBDA_FUNCTION_NAME),
    ],
  };
}

/** A comma-separated list, blanks dropped. */
function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Reads `FEED_POLICIES`, a JSON object from key prefix to `drop` or
 * `record` (e.g. `{"lab/":"drop","adt/":"record"}`), or the same JSON from
 * the file named by `FEED_POLICIES_FILE` (handy locally). Read once at cold
 * start; a malformed value fails the start rather than ingest under the
 * wrong policy.
 */
export function feedPoliciesFromEnv(env: Env = process.env): FeedPolicies {
  const file = env.FEED_POLICIES_FILE;
  const text = file ? readPolicyFile(file) : env.FEED_POLICIES;
  if (!text) return [];

  return parseFeedPolicies(text);
}

export function parseFeedPolicies(text: string): FeedPolicies {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError('FEED_POLICIES must be a JSON object', {
      cause: error,
    });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError('FEED_POLICIES must be a JSON object');
  }
  const known: readonly string[] = QUARANTINE_POLICIES;
  const pairs = Object.entries(parsed).map(([prefix, policy]) => {
    if (typeof policy !== 'string' || !known.includes(policy)) {
      throw new ConfigurationError(
        `FEED_POLICIES values must be one of ${known.join(', ')}: ${prefix}`,
      );
    }
    return [prefix, policy as QuarantinePolicy] as const;
  });

  return pairs.sort(([a], [b]) => b.length - a.length);
}

/** The policy of the longest prefix matching the key, if any. */
export function policyForKey(
  policies: FeedPolicies | undefined,
  key: string,
): QuarantinePolicy | undefined {
  return policies?.find(([prefix]) => key.startsWith(prefix))?.[1];
}

function readPolicyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`failed to read FEED_POLICIES_FILE: ${path}`, {
      cause: error,
    });
  }
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
