import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { readJson } from '../shared/adapters/blob-store.ts';
import { S3BlobStore } from '../shared/adapters/s3-blob-store.ts';
import { StepFunctionsStarter } from '../shared/adapters/workflow.ts';
import { configFromEnv } from '../shared/config.ts';
import { dropIdFor } from '../shared/drop/identity.ts';
import { replayInput, requeueQuarantined } from '../shared/drop/replay.ts';

/**
 * `npm run replay -- --aws ...`: the same replays against the deployed
 * pipeline, with the caller's AWS credentials. Bucket names and the state
 * machine ARN come from the environment variables the functions use
 * (LANDING_BUCKET, MANIFEST_BUCKET, ..., STATE_MACHINE_ARN; see the README).
 * The operator policy allows --drop and --execution; --revalidate reads
 * quarantined data and needs a data engineer's role.
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
  const dropId =
    request.dropId ??
    (await dropIdOfLandedKey(store, config.buckets.landing, request.key));
  if (request.revalidate) {
    const target = await requeueQuarantined(store, config, dropId);
    return `restored s3://${target.bucket}/${target.key}; S3 will run it through validation again`;
  }
  const { input, executionName } = await replayInput(store, config, dropId);
  const started = await workflow.start(executionName, input);
  return `started ${started.executionArn ?? executionName} for drop ${dropId}`;
}

/** A failed drop keeps its raw file in landing, whose ETag gives its id. */
async function dropIdOfLandedKey(
  store: S3BlobStore,
  bucket: string,
  key?: string,
): Promise<string> {
  const head = key ? await store.head(bucket, key) : undefined;
  if (!key || !head?.eTag) {
    throw new Error(
      'name the drop with --drop <id>; --key works while the raw file is still in landing',
    );
  }
  return dropIdFor({ bucket, key, eTag: head.eTag });
}
