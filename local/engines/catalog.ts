import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TABLES } from '../../shared/curation/tables.ts';
import { curatedColumns, quote } from '../../shared/curation/sql.ts';
import type { LocalBlobStore } from '../../shared/adapters/local-blob-store.ts';
import type { Engine } from './duckdb.ts';

/**
 * Stand-in for the Glue crawler: discovers the staged zone's tables (one per
 * resource type) and their partitions and writes them to a catalog file. In
 * AWS the crawler does the same for Athena users exploring staged FHIR.
 */
export async function crawlStaged(
  store: LocalBlobStore,
  bucket: string,
  catalogPath: string,
): Promise<{ tables: number; partitions: number }> {
  const keys = await store.list(bucket, '');
  const tables = new Map<string, Set<string>>();
  for (const key of keys) {
    const [type, date, drop] = key.split('/');
    if (!type || !date || !drop) continue;
    const partitions = tables.get(type) ?? new Set();
    partitions.add(`${date}/${drop}`);
    tables.set(type, partitions);
  }
  const catalog = Object.fromEntries(
    [...tables].map(([type, partitions]) => [
      type,
      { partitions: [...partitions].sort() },
    ]),
  );
  await mkdir(dirname(catalogPath), { recursive: true });
  await writeFile(
    catalogPath,
    JSON.stringify(
      { crawledAt: new Date().toISOString(), tables: catalog },
      null,
      2,
    ),
  );

  return {
    tables: tables.size,
    partitions: [...tables.values()].reduce((n, s) => n + s.size, 0),
  };
}

/**
 * What Athena sees in AWS: one table per curated folder, partitioned by
 * ingest date. A table with no files yet is an empty table of the declared
 * columns, as the Glue table declared in serverless.yml would be. Tables
 * already known to have files are skipped (`withFiles` is updated).
 */
export async function defineCuratedViews(
  engine: Engine,
  curatedRoot: string,
  withFiles: Set<string>,
): Promise<void> {
  for (const table of TABLES) {
    if (withFiles.has(table.name)) continue;
    const glob = `${curatedRoot}/${table.name}/*/*.parquet`;
    const files = await engine.rows(`SELECT count(*) AS n FROM glob('${glob}')`);
    const hasFiles = Number(files[0]?.n ?? 0) > 0;
    if (hasFiles) withFiles.add(table.name);
    // A view over the glob sees files added later, so only an empty table's
    // stand-in needs replacing once its first file appears.
    const source = hasFiles
      ? `SELECT * FROM read_parquet('${glob}', hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`
      : emptyTable(table.name);
    await engine.rows(`CREATE OR REPLACE VIEW ${quote(table.name)} AS ${source}`);
  }
}

function emptyTable(name: string): string {
  const table = TABLES.find((t) => t.name === name);
  const columns = [
    ...curatedColumns(table ?? { name, resourceType: '', columns: [] }),
    { name: 'ingest_date', type: 'string' },
  ];
  const list = columns
    .map(
      (c) =>
        `CAST(NULL AS ${c.type === 'double' ? 'DOUBLE' : 'VARCHAR'}) AS ${quote(c.name)}`,
    )
    .join(', ');
  return `SELECT ${list} WHERE false`;
}
