import type { BlobStore } from '../adapters/blob-store.ts';
import type { PipelineConfig } from '../config.ts';
import { PipelineError } from '../errors.ts';
import type { ExecutionInput } from './execution-input.ts';
import { executionInput } from './intake.ts';
import { loadManifest, saveManifest } from './manifest.ts';

/** A drop cannot be replayed the way it was asked. */
export class ReplayNotPossibleError extends PipelineError {
  override name = 'ReplayNotPossibleError';
}

/**
 * The input a new execution of a staged drop needs: the same one its first
 * execution had, rebuilt from the manifest. Every stage replaces the drop's
 * own output, so running it again cannot duplicate rows.
 */
export async function replayInput(
  store: BlobStore,
  config: PipelineConfig,
  dropId: string,
): Promise<{ input: ExecutionInput; executionName: string }> {
  const manifest = await loadManifest(store, config.buckets.manifests, dropId);
  if (!manifest)
    throw new ReplayNotPossibleError(
      `failed to replay drop: no manifest for ${dropId}`,
    );
  if (!manifest.staged) {
    throw new ReplayNotPossibleError(
      `failed to replay drop: ${dropId} was quarantined whole; use --revalidate to send it through validation again`,
    );
  }
  const input = executionInput(manifest, manifest.staged.resources);
  const base = (manifest.execution?.name ?? dropId).slice(0, 66);

  return {
    input,
    executionName: `${base}-r${Date.now().toString(36)}`.slice(-80),
  };
}

/**
 * Sends a drop that was quarantined whole back through validation, after the
 * validator or the pipeline's configuration was fixed: its raw bytes return
 * to landing under their original key, which raises the ObjectCreated event
 * again, and the manifest is marked so that the event is not taken for a
 * duplicate. Needs a role that may read quarantined data.
 */
export async function requeueQuarantined(
  store: BlobStore,
  config: PipelineConfig,
  dropId: string,
): Promise<{ bucket: string; key: string }> {
  const manifest = await loadManifest(store, config.buckets.manifests, dropId);
  const dataKey = manifest?.quarantine?.dataKey;
  if (!manifest || manifest.status !== 'quarantined' || !dataKey) {
    throw new ReplayNotPossibleError(
      `failed to revalidate drop: ${dropId} is not quarantined whole`,
    );
  }
  manifest.status = 'requeued';
  await saveManifest(store, config.buckets.manifests, manifest);
  const target = { bucket: manifest.source.bucket, key: manifest.source.key };
  await store.copy({ bucket: config.buckets.quarantine, key: dataKey }, target);

  return target;
}
