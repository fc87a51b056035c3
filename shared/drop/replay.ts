import { type BlobStore, readJson } from '../adapters/blob-store.ts';
import type { PipelineConfig } from '../config.ts';
import { PipelineError } from '../errors.ts';
import type { ExecutionInput } from './execution-input.ts';
import { DROP_ID_PATTERN } from './identity.ts';
import { executionInput } from './intake.ts';
import { loadManifest, type Manifest, saveManifest } from './manifest.ts';

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
  if (manifest?.status !== 'quarantined' || !dataKey) {
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

/** Manifests sit at the top of their bucket as `<drop id>.json`, beside queue
 * markers, alert-storm markers and digests, which are not manifests. */
function isManifestKey(key: string): boolean {
  return key.endsWith('.json') && DROP_ID_PATTERN.test(key.slice(0, -5));
}

const READS_AT_ONCE = 16;

/**
 * The latest drop from a source key, found from the manifests alone, so it
 * needs neither the landing bucket nor the raw file to still be there. It
 * reads every manifest: fine for an operator's replay, slow for a bucket of
 * many thousands of drops, where a key-to-drop index would be needed.
 */
export async function latestDropOfKey(
  store: BlobStore,
  config: PipelineConfig,
  sourceKey: string,
): Promise<string> {
  const bucket = config.buckets.manifests;
  const keys = (await store.list(bucket, '')).filter(isManifestKey);
  let latest: Manifest | undefined;
  for (let start = 0; start < keys.length; start += READS_AT_ONCE) {
    const batch = keys.slice(start, start + READS_AT_ONCE);
    for (const manifest of await Promise.all(
      batch.map((key) => readJson<Manifest>(store, bucket, key)),
    )) {
      if (manifest?.source.key !== sourceKey) continue;
      if (!latest || manifest.receivedAt > latest.receivedAt) latest = manifest;
    }
  }
  if (!latest) {
    throw new ReplayNotPossibleError(
      `failed to replay drop: there is no drop for key ${sourceKey}`,
    );
  }

  return latest.dropId;
}

/** The drops an alert digest (its key in the manifests bucket) listed. */
export async function digestDrops(
  store: BlobStore,
  config: PipelineConfig,
  digestKey: string,
): Promise<string[]> {
  const digest = await readJson<{ drops?: Array<{ dropId: string }> }>(
    store,
    config.buckets.manifests,
    digestKey,
  );
  if (!digest?.drops) {
    throw new ReplayNotPossibleError(
      `failed to replay digest: no digest at ${digestKey}`,
    );
  }

  return digest.drops.map((drop) => drop.dropId);
}
