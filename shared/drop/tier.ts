import type { BlobStore } from '../adapters/blob-store.ts';
import type { PipelineConfig } from '../config.ts';
import { RawObjectMissingError, RawObjectReplacedError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ExecutionInput } from './execution-input.ts';
import { updateManifest } from './manifest.ts';

export interface TierDeps {
  config: PipelineConfig;
  store: BlobStore;
  logger: Logger;
}

export function archiveKey(dropId: string, sourceKey: string): string {
  return `${dropId}/${sourceKey}`;
}

/**
 * Moves the raw drop from landing to the archive bucket in the configured
 * Glacier class: copy first, delete after, so a crash in between leaves two
 * copies rather than none. A replay that finds the archive copy already in
 * place only finishes the move.
 */
export async function tierRawFile(
  deps: TierDeps,
  input: ExecutionInput,
): Promise<{
  archiveKey: string;
  storageClass: string;
  alreadyArchived: boolean;
}> {
  const { buckets, archiveStorageClass } = deps.config;
  const { source } = input;
  const key = archiveKey(input.dropId, source.key);
  const archived = await deps.store.head(buckets.archive, key);
  if (!archived) {
    const landed = await deps.store.head(
      source.bucket,
      source.key,
      source.versionId,
    );
    if (!landed) {
      throw new RawObjectMissingError(
        `failed to find raw object in landing or archive: ${input.dropId}`,
      );
    }
    if (!source.versionId && landed.eTag && landed.eTag !== source.eTag) {
      throw new RawObjectReplacedError(
        `failed to tier: a later upload replaced the raw object at this drop's key: ${input.dropId}`,
      );
    }
    await deps.store.copy(
      { bucket: source.bucket, key: source.key, versionId: source.versionId },
      { bucket: buckets.archive, key },
      {
        storageClass: archiveStorageClass,
        metadata: { 'drop-id': input.dropId },
      },
    );
  }
  await deps.store.delete(source.bucket, source.key, source.versionId);
  await updateManifest(
    deps.store,
    buckets.manifests,
    input.dropId,
    (manifest) => {
      manifest.status = 'curated';
      manifest.archive = {
        bucket: buckets.archive,
        key,
        storageClass: archiveStorageClass,
      };
      delete manifest.failure;
    },
  );
  deps.logger.info('raw file tiered', {
    archiveKey: key,
    storageClass: archiveStorageClass,
  });

  return {
    archiveKey: key,
    storageClass: archiveStorageClass,
    alreadyArchived: Boolean(archived),
  };
}
