import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LocalBlobStore } from '../../shared/adapters/local-blob-store.ts';
import { curatedColumns, quote } from '../../shared/curation/sql.ts';
import { TABLES } from '../../shared/curation/tables.ts';
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
 * ingest date. Locally the tables are loaded into DuckDB once from the
 * Parquet files and then kept in step drop by drop (refreshCuratedDrop), so
 * a query does not reopen every earlier drop's file; the files stay the
 * record. A table with no files yet is an empty table of the declared
 * columns, as the Glue table declared in serverless.yml would be.
 */
export async function loadCuratedTables(
  engine: Engine,
  curatedRoot: string,
): Promise<void> {
  for (const table of TABLES) {
    const glob = parquetSource(`${curatedRoot}/${table.name}/*/*.parquet`);
    const files = await engine.rows(
      `SELECT count(*) AS n FROM glob('${glob.path}')`,
    );
    const empty = emptyTable(table.name);
    await engine.rows(
      `CREATE OR REPLACE TABLE ${quote(table.name)} AS ${empty}`,
    );
    if (Number(files[0]?.n ?? 0) > 0) {
      await engine.rows(
        `INSERT INTO ${quote(table.name)} BY NAME SELECT * FROM ${glob.sql}`,
      );
    }
  }
}

/** Replaces one drop's rows of one table with what its Parquet file holds now. */
export async function refreshCuratedDrop(
  engine: Engine,
  file: string,
  table: string,
  dropId: string,
  exists: boolean,
): Promise<void> {
  await engine.rows(`DELETE FROM ${quote(table)} WHERE drop_id = '${dropId}'`);
  if (exists) {
    await engine.rows(
      `INSERT INTO ${quote(table)} BY NAME SELECT * FROM ${parquetSource(file).sql}`,
    );
  }
}

function parquetSource(path: string) {
  const escaped = path.replace(/'/g, "''");
  return {
    path: escaped,
    sql: `read_parquet('${escaped}', hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`,
  };
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
