import type { AlertPublisher } from '../adapters/alert-publisher.ts';
import type { BlobStore } from '../adapters/blob-store.ts';
import { formatAlert } from '../alerts.ts';
import type { PipelineConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { ExecutionInput } from './execution-input.ts';
import { loadManifest, type Manifest, saveManifest } from './manifest.ts';

/** The part of an EventBridge "Step Functions Execution Status Change" we read. */
export interface ExecutionStatusEvent {
  time?: string;
  detail: {
    executionArn: string;
    name: string;
    status: string;
    input?: string | null;
    error?: string | null;
    cause?: string | null;
  };
}

export interface StatusDeps {
  config: PipelineConfig;
  store: BlobStore;
  publisher: AlertPublisher;
  logger: Logger;
}

/**
 * The net under the workflow's own alerting: executions that time out, are
 * aborted, or fail outside any Catch. An execution the workflow already
 * alerted on is skipped, so on-call gets one message per failed drop.
 */
export async function notifyExecutionStatus(
  deps: StatusDeps,
  event: ExecutionStatusEvent,
): Promise<'sent' | 'already-alerted'> {
  const { detail } = event;
  const input = parseInput(detail.input);
  const dropId = input?.dropId ?? 'unknown';
  deps.logger.setCorrelationId(dropId);
  const manifest = input ? await manifestOf(deps, dropId) : undefined;
  if (manifest?.alertedExecutions?.includes(detail.executionArn)) {
    deps.logger.info('execution already alerted', { status: detail.status });
    return 'already-alerted';
  }

  const at = event.time ?? new Date().toISOString();
  await deps.publisher.publish(
    formatAlert({
      dropId,
      sourceKey: input?.source?.key ?? 'unknown',
      stage: 'unknown',
      ended: ENDED[detail.status] ?? detail.status.toLowerCase(),
      error: detail.error ?? `Execution${capitalise(detail.status)}`,
      cause: detail.cause ?? undefined,
      at,
      executionArn: detail.executionArn,
      executionName: detail.name,
      replayOptions: deps.config.replayOptions,
    }),
  );
  deps.logger.info('execution alert sent', { status: detail.status });
  if (manifest) await markAlerted(deps, manifest, detail, at);

  return 'sent';
}

const ENDED: Record<string, string> = {
  FAILED: 'failed',
  TIMED_OUT: 'timed out',
  ABORTED: 'was aborted',
};

/**
 * The net must alert even when the manifests cannot be read, which is
 * often why the workflow could not record the failure itself.
 */
async function manifestOf(
  deps: StatusDeps,
  dropId: string,
): Promise<Manifest | undefined> {
  try {
    return await loadManifest(
      deps.store,
      deps.config.buckets.manifests,
      dropId,
    );
  } catch (error) {
    deps.logger.warn('manifest unreadable', { error: (error as Error).name });
    return undefined;
  }
}

/** After the alert went out: a failure here must not send it again. */
async function markAlerted(
  deps: StatusDeps,
  manifest: Manifest,
  detail: ExecutionStatusEvent['detail'],
  at: string,
): Promise<void> {
  manifest.status = 'failed';
  manifest.failure = {
    stage: `execution ${detail.status}`,
    error: detail.error ?? detail.status,
    at,
    executionArn: detail.executionArn,
  };
  manifest.alertedExecutions = [
    ...(manifest.alertedExecutions ?? []),
    detail.executionArn,
  ];
  try {
    await saveManifest(deps.store, deps.config.buckets.manifests, manifest);
  } catch (error) {
    deps.logger.warn('manifest not updated', { error: (error as Error).name });
  }
}

function parseInput(
  input: string | null | undefined,
): ExecutionInput | undefined {
  if (!input) return undefined;
  try {
    return JSON.parse(input) as ExecutionInput;
  } catch {
    return undefined;
  }
}

function capitalise(status: string): string {
  return status
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
