import type { BlobStore } from '../adapters/blob-store.ts';
import { readJson } from '../adapters/blob-store.ts';
import type { ExecutionInput } from './execution-input.ts';

/**
 * The curation queue: one small marker object per drop waiting for the Glue
 * job, in the manifests bucket under `queue/`. Each Glue job run curates
 * every drop pending when it starts, so a burst of drops shares a few job
 * runs instead of starting one each, while every drop keeps its own
 * execution, alert and replay. The job removes a drop's marker once its
 * tables are written, or moves it to `queue/failed/` with the error name.
 */
export interface QueuedDrop {
  dropId: string;
  ingestDate: string;
  sourceKey: string;
  queuedAt: string;
}

export interface FailedDrop extends QueuedDrop {
  error: string;
  failedAt: string;
}

export type CurationState =
  | { state: 'pending' }
  | { state: 'curated' }
  | { state: 'failed'; error: string };

export const PENDING_PREFIX = 'queue/pending/';
export const FAILED_PREFIX = 'queue/failed/';

export const pendingKey = (dropId: string) => `${PENDING_PREFIX}${dropId}.json`;
export const failedKey = (dropId: string) => `${FAILED_PREFIX}${dropId}.json`;

/** Queues a drop for curation; a replay queues it again and clears an old failure. */
export async function enqueueDrop(
  store: BlobStore,
  bucket: string,
  input: ExecutionInput,
): Promise<QueuedDrop> {
  const queued: QueuedDrop = {
    dropId: input.dropId,
    ingestDate: input.ingestDate,
    sourceKey: input.source.key,
    queuedAt: new Date().toISOString(),
  };
  await store.delete(bucket, failedKey(input.dropId));
  await store.write(bucket, pendingKey(input.dropId), JSON.stringify(queued), {
    contentType: 'application/json',
  });
  return queued;
}

export async function curationState(
  store: BlobStore,
  bucket: string,
  dropId: string,
): Promise<CurationState> {
  if (await store.head(bucket, pendingKey(dropId))) return { state: 'pending' };
  const failed = await readJson<FailedDrop>(store, bucket, failedKey(dropId));
  if (failed) return { state: 'failed', error: failed.error };

  return { state: 'curated' };
}

export async function pendingDrops(
  store: BlobStore,
  bucket: string,
  limit: number,
): Promise<QueuedDrop[]> {
  const keys = (await store.list(bucket, PENDING_PREFIX)).slice(0, limit);
  const drops = await Promise.all(
    keys.map((key) => readJson<QueuedDrop>(store, bucket, key)),
  );

  return drops.filter((drop): drop is QueuedDrop => drop !== undefined);
}

export async function markCurated(
  store: BlobStore,
  bucket: string,
  drop: QueuedDrop,
) {
  await store.delete(bucket, pendingKey(drop.dropId));
}

export async function markFailed(
  store: BlobStore,
  bucket: string,
  drop: QueuedDrop,
  error: string,
) {
  const failed: FailedDrop = {
    ...drop,
    error,
    failedAt: new Date().toISOString(),
  };
  await store.write(bucket, failedKey(drop.dropId), JSON.stringify(failed), {
    contentType: 'application/json',
  });
  await store.delete(bucket, pendingKey(drop.dropId));
}
