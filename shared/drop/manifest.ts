import type { BlobStore } from '../adapters/blob-store.ts';
import { readJson } from '../adapters/blob-store.ts';
import { ManifestNotFoundError } from '../errors.ts';
import type { DropFormat } from '../validation/types.ts';

/**
 * The audit record of one drop: what came in, what went where, counts,
 * hashes, timings and rule results. One JSON object per drop in the
 * manifests bucket, updated by each stage. It holds ids, keys, rule codes and
 * counts only, so operators may read it.
 */
export interface Manifest {
  schemaVersion: 1;
  dropId: string;
  source: {
    bucket: string;
    key: string;
    versionId?: string;
    eTag: string;
    size: number;
    sha256?: string;
  };
  receivedAt: string;
  ingestDate: string;
  format?: DropFormat;
  status: DropStatus;
  validation?: ValidationSummary;
  staged?: {
    bucket: string;
    keys: string[];
    resources: Record<string, number>;
  };
  quarantine?: { bucket: string; reportKey: string; dataKey?: string };
  execution?: { name: string; startedAt: string };
  curated?: { tables: Record<string, number> };
  quality?: QualitySummary;
  archive?: { bucket: string; key: string; storageClass: string };
  failure?: FailureSummary;
  /** The other drop of the same bytes: the owner for a `duplicate`, the
   * successor for a `superseded` drop. */
  duplicateOf?: string;
  /** Executions whose failure on-call has already been told about. */
  alertedExecutions?: string[];
  timings: Record<string, number>;
  updatedAt: string;
}

export const DROP_STATUSES = [
  'validating',
  /** Sent back through validation by `npm run replay -- --revalidate`. */
  'requeued',
  'quarantined',
  /** Validated and staged; the workflow is being started. */
  'starting',
  /** The same bytes at the same key were already taken in (`duplicateOf`). */
  'duplicate',
  /**
   * Requeued for revalidation, then taken in again under another drop id
   * (`duplicateOf` names it): the ETag of the restored copy differs (SSE-KMS).
   */
  'superseded',
  'curating',
  'curated',
  'failed',
] as const;
export type DropStatus = (typeof DROP_STATUSES)[number];

export interface ValidationSummary {
  policy: string;
  records: { in: number; staged: number; quarantined: number };
  issues: Array<{ rule: string; severity: string; count: number }>;
}

export interface QualitySummary {
  passed: boolean;
  checkedAt: string;
  rules: Array<{
    ruleId: string;
    table: string;
    column?: string;
    severity: string;
    failed: number;
    observed: number;
    expected?: number;
    passed: boolean;
  }>;
}

export interface FailureSummary {
  stage: string;
  error: string;
  at: string;
  executionArn: string;
}

export function manifestKey(dropId: string): string {
  return `${dropId}.json`;
}

export async function loadManifest(
  store: BlobStore,
  bucket: string,
  dropId: string,
): Promise<Manifest | undefined> {
  return readJson<Manifest>(store, bucket, manifestKey(dropId));
}

export async function saveManifest(
  store: BlobStore,
  bucket: string,
  manifest: Manifest,
): Promise<void> {
  const body = JSON.stringify(
    { ...manifest, updatedAt: new Date().toISOString() },
    null,
    2,
  );
  await store.write(bucket, manifestKey(manifest.dropId), body, {
    contentType: 'application/json',
  });
}

/** Read, change and write back the manifest of a drop that must exist. */
export async function updateManifest(
  store: BlobStore,
  bucket: string,
  dropId: string,
  change: (manifest: Manifest) => void,
): Promise<Manifest> {
  const manifest = await loadManifest(store, bucket, dropId);
  if (!manifest) {
    throw new ManifestNotFoundError(`failed to load manifest: ${dropId}`);
  }
  change(manifest);
  await saveManifest(store, bucket, manifest);

  return manifest;
}
