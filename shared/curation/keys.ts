/**
 * Where a drop's rows of one curated table live: one Parquet object per table
 * per drop, under the table's `ingest_date` partition. The Glue job writes
 * it, a failure withdraws it, and replays replace it.
 */
export function curatedKey(
  table: string,
  ingestDate: string,
  dropId: string,
): string {
  return `${table}/ingest_date=${ingestDate}/${dropId}.parquet`;
}
