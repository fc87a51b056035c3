import { resolve } from 'node:path';
import {
  DEFAULT_MAX_DROP_BYTES,
  feedPoliciesFromEnv,
  type PipelineConfig,
} from '../shared/config.ts';
import { LOCAL_SUBSTITUTIONS } from './state-machine.ts';

/** The CLI's root when none is given; any other is named in commands. */
export const DEFAULT_ROOT = '.local';

/** `--root <dir>` for commands printed about this root, unless the default. */
export function rootOption(root: string): string | undefined {
  if (resolve(root) === resolve(DEFAULT_ROOT)) return undefined;
  const safe = /^[\w@%+=:,./-]+$/.test(root);

  return `--root ${safe ? root : `'${root.replaceAll("'", `'\\''`)}'`}`;
}

/**
 * Local mode's configuration: buckets are folders of the same names. Kept
 * apart from the pipeline so that what needs only the config (the intake
 * bench) does not load DuckDB and the workflow interpreter.
 */
export function localConfig(root = DEFAULT_ROOT): PipelineConfig {
  return {
    buckets: {
      landing: 'landing',
      staged: 'staged',
      quarantine: 'quarantine',
      curated: 'curated',
      dq: 'dq',
      manifests: 'manifests',
      archive: 'archive',
    },
    archiveStorageClass: 'GLACIER',
    stateMachineArn:
      'arn:aws:states:local:000000000000:stateMachine:drop-pipeline',
    alertTopicArn: LOCAL_SUBSTITUTIONS.AlertTopicArn,
    glueDatabase: 'local',
    maxDropBytes: Number(process.env.MAX_DROP_BYTES ?? DEFAULT_MAX_DROP_BYTES),
    feedPolicies: feedPoliciesFromEnv(),
    replayOptions: rootOption(root),
  };
}
