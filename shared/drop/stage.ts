import type { BlobStore } from '../adapters/blob-store.ts';
import type { FhirResource } from '../validation/types.ts';

/**
 * Staged layout: one NDJSON file per resource type per drop, partitioned the
 * way the crawler and the Glue job read it. Writing a drop again replaces its
 * files, and files of types it no longer has are removed, so a retry or a
 * replay never appends.
 */
export function stagedKey(type: string, ingestDate: string, dropId: string) {
  return `${type}/ingest_date=${ingestDate}/drop_id=${dropId}/part-0.ndjson`;
}

export async function writeStaged(
  store: BlobStore,
  bucket: string,
  drop: { dropId: string; ingestDate: string; previousKeys?: string[] },
  resources: Map<string, FhirResource[]>,
): Promise<{ keys: string[]; counts: Record<string, number> }> {
  const keys: string[] = [];
  const counts: Record<string, number> = {};
  for (const [type, list] of [...resources].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const key = stagedKey(type, drop.ingestDate, drop.dropId);
    const body = `${list.map((resource) => JSON.stringify(resource)).join('\n')}\n`;
    await store.write(bucket, key, body, {
      contentType: 'application/fhir+ndjson',
    });
    keys.push(key);
    counts[type] = list.length;
  }
  const stale = (drop.previousKeys ?? []).filter((key) => !keys.includes(key));
  await Promise.all(stale.map((key) => store.delete(bucket, key)));

  return { keys, counts };
}
