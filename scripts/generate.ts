import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { allCurationSql } from '../shared/curation/sql.ts';

/**
 * Writes glue/sql/<table>.sql from shared/curation/tables.json. The files are
 * committed because the Glue job reads them from S3 as they are; a test
 * fails when they drift from the table spec.
 */
const dir = new URL('../glue/sql/', import.meta.url);
await mkdir(dir, { recursive: true });
const sql = allCurationSql();
for (const file of await readdir(dir)) {
  if (!sql.has(file.replace(/\.sql$/, ''))) await rm(new URL(file, dir));
}
for (const [table, text] of sql)
  await writeFile(new URL(`${table}.sql`, dir), text);
console.log(`wrote ${sql.size} curation queries to glue/sql/`);
