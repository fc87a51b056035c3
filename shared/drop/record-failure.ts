import type { BlobStore } from '../adapters/blob-store.ts';
import { type Alert, formatAlert } from '../alerts.ts';
import type { PipelineConfig } from '../config.ts';
import { curatedKey } from '../curation/keys.ts';
import { TABLES } from '../curation/tables.ts';
import type { Logger } from '../logger.ts';
import { noteFailure } from './alert-storm.ts';
import type { ExecutionInput } from './execution-input.ts';
import { UNPUBLISHED_STAGES } from './fail-drop.ts';
import { loadManifest, saveManifest, updateManifest } from './manifest.ts';

export interface FailureInput {
  input: ExecutionInput & {
    failedStage?: { name: string; redriveCount: number };
    failure?: { Error?: string; Cause?: string };
  };
  executionArn: string;
  executionName: string;
  /** Set by ForgetAlert: PublishAlert could not deliver this alert. */
  alertUndelivered?: boolean;
  /** Defaults to now: the state reaches this function right after the failure. */
  failedAt?: string;
}

async function withdrawCurated(
  store: BlobStore,
  bucket: string,
  input: { dropId: string; ingestDate: string },
): Promise<void> {
  await Promise.all(
    TABLES.map((table) =>
      store.delete(
        bucket,
        curatedKey(table.name, input.ingestDate, input.dropId),
      ),
    ),
  );
}

export interface FailureDeps {
  config: PipelineConfig;
  store: BlobStore;
  logger: Logger;
}

/**
 * Marks the drop failed on its manifest, withdraws what analysts must not
 * see, notes the failure for storm control, and only then marks this
 * execution alerted (so the EventBridge net does not send a second
 * message): if any step before the mark fails, the execution fails unmarked
 * and the net sends the one alert. Returns the alert for the workflow to
 * publish, with `delivery: 'digest'` when a storm of failures is under way
 * and the digest will carry it.
 */
export async function recordFailure(
  deps: FailureDeps,
  event: FailureInput,
): Promise<Alert & { delivery: 'individual' | 'digest' }> {
  const { input } = event;
  const stage = input.failedStage?.name ?? 'unknown';
  const error = input.failure?.Error ?? 'UnknownError';
  const at = event.failedAt ?? new Date().toISOString();
  const bucket = deps.config.buckets.manifests;
  const manifest = await loadManifest(deps.store, bucket, input.dropId);
  if (manifest) {
    manifest.status = 'failed';
    manifest.failure = { stage, error, at, executionArn: event.executionArn };
    await saveManifest(deps.store, bucket, manifest);
  }
  if (input.ingestDate && UNPUBLISHED_STAGES.has(stage)) {
    await withdrawCurated(deps.store, deps.config.buckets.curated, input);
  }
  deps.logger.error('drop failed', {
    stage,
    error,
    manifestFound: Boolean(manifest),
  });

  const delivery = await noteFailure(deps.store, bucket, {
    dropId: input.dropId,
    sourceKey: input.source.key,
    stage,
    error,
    at,
    executionArn: event.executionArn,
  });
  if (manifest) {
    await updateManifest(deps.store, bucket, input.dropId, (current) => {
      current.alertedExecutions = [
        ...new Set([...(current.alertedExecutions ?? []), event.executionArn]),
      ];
    });
  }
  const alert = formatAlert({
    dropId: input.dropId,
    sourceKey: input.source.key,
    stage,
    error,
    cause: input.failure?.Cause,
    at,
    executionArn: event.executionArn,
    executionName: event.executionName,
    replayOptions: deps.config.replayOptions,
  });

  return { ...alert, delivery };
}

/**
 * PublishAlert gave up: the execution is no longer marked alerted, so the
 * EventBridge net sends the alert when the execution fails. The drop stays
 * marked failed.
 */
export async function forgetAlert(
  deps: FailureDeps,
  event: FailureInput,
): Promise<void> {
  const bucket = deps.config.buckets.manifests;
  const manifest = await loadManifest(deps.store, bucket, event.input.dropId);
  deps.logger.error('alert not delivered', {
    stage: event.input.failedStage?.name ?? 'unknown',
    manifestFound: Boolean(manifest),
  });
  if (!manifest?.alertedExecutions?.includes(event.executionArn)) return;

  manifest.alertedExecutions = manifest.alertedExecutions.filter(
    (arn) => arn !== event.executionArn,
  );
  await saveManifest(deps.store, bucket, manifest);
}
