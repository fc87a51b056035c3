import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LocalBlobStore } from '../../shared/adapters/local-blob-store.ts';
import { curatedKey } from '../../shared/curation/keys.ts';
import { allCurationSql, renderSql } from '../../shared/curation/sql.ts';
import { TABLES } from '../../shared/curation/tables.ts';
import {
  DROP_ID_PATTERN,
  INGEST_DATE_PATTERN,
} from '../../shared/drop/identity.ts';
import { stagedKey } from '../../shared/drop/stage.ts';
import { refreshCuratedDrop } from './catalog.ts';
import type { Engine } from './duckdb.ts';

export interface CurationRun {
  dropId: string;
  ingestDate: string;
  sourceKey: string;
}

/**
 * The Glue job, run locally: the same generated SQL that glue/curate_drop.py
 * runs in AWS, executed by DuckDB over this drop's staged files. Each table's
 * Parquet file for the drop is written aside and renamed into place, and a
 * table the drop no longer feeds loses its old file, so re-running a drop
 * replaces its rows and never adds to them.
 */
export async function runCuration(
  engine: Engine,
  store: LocalBlobStore,
  buckets: { staged: string; curated: string },
  run: CurationRun,
): Promise<Record<string, number>> {
  if (
    !DROP_ID_PATTERN.test(run.dropId) ||
    !INGEST_DATE_PATTERN.test(run.ingestDate)
  ) {
    throw new Error(
      'failed to start curation: malformed drop id or ingest date',
    );
  }
  const sql = allCurationSql();
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const staged = store.pathOf(
      buckets.staged,
      stagedKey(table.resourceType, run.ingestDate, run.dropId),
    );
    const target = store.pathOf(
      buckets.curated,
      curatedKey(table.name, run.ingestDate, run.dropId),
    );
    const exists =
      (await store.head(
        buckets.staged,
        stagedKey(table.resourceType, run.ingestDate, run.dropId),
      )) !== undefined;
    if (!exists) {
      await rm(target, { force: true });
      await refreshCuratedDrop(engine, target, table.name, run.dropId, false);
      continue;
    }
    const select = renderSql(sql.get(table.name) as string, {
      staged_path: staged,
      drop_id: run.dropId,
      source_key: run.sourceKey,
    });
    counts[table.name] = await writeParquet(engine, select, target);
    await refreshCuratedDrop(engine, target, table.name, run.dropId, true);
  }
  return counts;
}

async function writeParquet(
  engine: Engine,
  select: string,
  target: string,
): Promise<number> {
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.partial`;
  const rows = await engine.rows(
    `COPY (${select}) TO '${temp.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`,
  );
  await rename(temp, target);

  return Number(rows[0]?.Count ?? 0);
}
