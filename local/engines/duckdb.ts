import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * The embedded engine behind the local Glue job and the local Athena. One
 * in-memory database per pipeline, used by one statement at a time: the
 * Glue job's concurrency is emulated above it, not inside DuckDB. Extension
 * auto-install is off because it would reach the internet.
 */
export class Engine {
  private readonly connection: DuckDBConnection;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(connection: DuckDBConnection) {
    this.connection = connection;
  }

  static async open(): Promise<Engine> {
    const instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      threads: '2',
    });
    const connection = await instance.connect();
    // Every quality query re-reads the small Parquet files of earlier drops.
    await connection.run('SET parquet_metadata_cache = true');
    return new Engine(connection);
  }

  /** Runs statements in order, one caller at a time. */
  exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => work(this.connection));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    return this.exclusive(async (connection) => {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
    });
  }

  close(): void {
    this.connection.closeSync();
  }
}
