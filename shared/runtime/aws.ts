import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { S3BlobStore } from '../adapters/s3-blob-store.ts';
import { StepFunctionsStarter } from '../adapters/workflow.ts';
import { configFromEnv, type PipelineConfig } from '../config.ts';

/**
 * The AWS side of the functions' dependencies, built once per cold start.
 * Local mode builds the same shapes from folders and embedded engines
 * (see local/runtime.ts); the handlers cannot tell the difference.
 */
let config: PipelineConfig | undefined;
let s3: S3Client | undefined;

export function awsConfig(): PipelineConfig {
  config ??= configFromEnv();
  return config;
}

export function awsStore(): S3BlobStore {
  s3 ??= new S3Client({});
  return new S3BlobStore(s3);
}

export function awsWorkflow(): StepFunctionsStarter {
  return new StepFunctionsStarter(
    new SFNClient({}),
    awsConfig().stateMachineArn,
  );
}
