import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3BlobStore } from '../shared/adapters/s3-blob-store.ts';
import { StepFunctionsStarter } from '../shared/adapters/workflow.ts';
import { configFromEnv, type PipelineConfig } from '../shared/config.ts';
import {
  digestDrops,
  latestDropOfKey,
  ReplayNotPossibleError,
  replayInput,
  requeueQuarantined,
} from '../shared/drop/replay.ts';

/**
 * `npm run replay -- --aws ...`: the same replays against the deployed
 * pipeline, with the caller's AWS credentials. Bucket names and the state
 * machine ARN come from the environment variables the functions use
 * (LANDING_BUCKET, MANIFEST_BUCKET, ..., STATE_MACHINE_ARN; see the README).
 * The operator policy allows --drop, --key, --digest, --execution and
 * --redrive: drops are found and rebuilt from the manifests bucket, never
 * from landing. --revalidate reads quarantined data and needs a data
 * engineer's role.
 */
export interface AwsReplayRequest {
  dropId?: string;
  key?: string;
  executionArn?: string;
  /** An alert digest's key in the manifests bucket: replay every drop it lists. */
  digestKey?: string;
  /** Redrive this failed execution: it resumes at the stage that failed. */
  redriveArn?: string;
  revalidate: boolean;
}

export async function replayInAws(request: AwsReplayRequest): Promise<string> {
  const config = configFromEnv();
  const store = new S3BlobStore(new S3Client({}));
  const workflow = new StepFunctionsStarter(
    new SFNClient({}),
    config.stateMachineArn,
  );

  if (request.redriveArn) {
    await workflow.redrive(request.redriveArn);
    return `redriving ${request.redriveArn}: it resumes at the stage that failed`;
  }
  if (request.executionArn) {
    const input = await workflow.inputOf(request.executionArn);
    const name = `${request.executionArn.split(':').pop()?.slice(0, 66)}-r${Date.now().toString(36)}`;
    const started = await workflow.start(name.slice(-80), input);
    return `started ${started.executionArn ?? name} with the input of ${request.executionArn}`;
  }
  if (request.digestKey) {
    return replayDigest(store, config, workflow, request.digestKey);
  }
  if (!request.dropId && !request.key) {
    throw new ReplayNotPossibleError(
      'name the drop: --drop <id>, --key <source key> or --digest <key>',
    );
  }
  const dropId =
    request.dropId ??
    (await latestDropOfKey(store, config, request.key as string));
  if (request.revalidate) {
    const target = await requeueQuarantined(store, config, dropId);
    return `restored s3://${target.bucket}/${target.key}; S3 will run it through validation again`;
  }

  return replayDrop(store, config, workflow, dropId);
}

async function replayDrop(
  store: S3BlobStore,
  config: PipelineConfig,
  workflow: StepFunctionsStarter,
  dropId: string,
): Promise<string> {
  const { input, executionName } = await replayInput(store, config, dropId);
  const started = await workflow.start(executionName, input);

  return `started ${started.executionArn ?? executionName} for drop ${dropId}`;
}

/** A new execution for every drop the digest listed, one line each. */
async function replayDigest(
  store: S3BlobStore,
  config: PipelineConfig,
  workflow: StepFunctionsStarter,
  digestKey: string,
): Promise<string> {
  const lines: string[] = [];
  for (const dropId of await digestDrops(store, config, digestKey)) {
    lines.push(await replayDrop(store, config, workflow, dropId));
  }
  lines.push(`started ${lines.length} execution(s) from ${digestKey}`);

  return lines.join('\n');
}
