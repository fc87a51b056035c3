import {
  type AthenaClient,
  paginateGetQueryResults,
} from '@aws-sdk/client-athena';

/** Rows of a finished query, by column name, every page read. */
export interface QueryResultsReader {
  rows(queryExecutionId: string): AsyncIterable<Record<string, string | null>>;
}

/**
 * Athena returns results in pages of up to 1,000 rows, the first row of the
 * first page being the column names. Reading only the first page would miss
 * rule results on a large rule set, so every page is read.
 */
export class AthenaResultsReader implements QueryResultsReader {
  private readonly athena: AthenaClient;

  constructor(athena: AthenaClient) {
    this.athena = athena;
  }

  async *rows(queryExecutionId: string) {
    let header: string[] | undefined;
    const pages = paginateGetQueryResults(
      { client: this.athena },
      { QueryExecutionId: queryExecutionId },
    );
    for await (const page of pages) {
      const rows = page.ResultSet?.Rows ?? [];
      for (const row of rows) {
        const values = (row.Data ?? []).map(
          (datum) => datum.VarCharValue ?? null,
        );
        if (!header) {
          header = values.map((value) => value ?? '');
          continue;
        }
        yield Object.fromEntries(
          header.map((name, i) => [name, values[i] ?? null]),
        );
      }
    }
  }
}
