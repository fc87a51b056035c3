import {
  DEFAULT_MAX_DROP_BYTES,
  feedPoliciesFromEnv,
  type PipelineConfig,
} from '../shared/config.ts';
import { LOCAL_SUBSTITUTIONS } from './state-machine.ts';

/**
 * Local mode's configuration: buckets are folders of the same names. Kept
 * apart from the pipeline so that what needs only the config (the intake
 * bench) does not load DuckDB and the workflow interpreter.
 */
export function localConfig(): PipelineConfig {
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
  };
}
