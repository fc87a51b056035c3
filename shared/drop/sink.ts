import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { BlobStore, PutOptions } from '../adapters/blob-store.ts';

/** Bytes written and not yet taken by the store before `write` waits. */
const HIGH_WATER = 1024 * 1024;
/** Lines are joined into writes of about this size: one write per line costs. */
const LINE_BATCH = 64 * 1024;

/**
 * One object written as it is produced: `write` hands bytes to
 * `BlobStore.writeStream` and waits while the store is behind, so what is
 * held is one buffer here plus the store's part, never the whole object.
 * Nothing is visible under the key until `end` resolves; `abort` leaves
 * whatever the key held before (nothing, or an earlier run's object).
 */
export class ObjectSink {
  readonly key: string;
  private readonly body = new PassThrough({ highWaterMark: HIGH_WATER });
  private readonly done: Promise<void>;
  private failure: unknown;
  private lines: string[] = [];
  private lineChars = 0;

  constructor(
    store: BlobStore,
    bucket: string,
    key: string,
    options?: PutOptions,
  ) {
    this.key = key;
    this.done = store.writeStream(bucket, key, this.body, options);
    // The store reports a broken body through `done`; no listener here
    // would make `abort` crash the process instead.
    this.body.on('error', () => undefined);
    // Kept so a failed store surfaces at the next write, not as unhandled.
    this.done.catch((error: unknown) => {
      this.failure = error ?? new Error(`failed to write object: ${key}`);
      this.body.destroy();
    });
  }

  async write(bytes: Uint8Array | string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.body.write(bytes)) return;
    await Promise.race([once(this.body, 'drain'), this.done]);
    if (this.failure) throw this.failure;
  }

  /** Writes `text` and a line feed, batched with the lines around it. */
  async writeLine(text: string): Promise<void> {
    this.lines.push(text, '\n');
    this.lineChars += text.length + 1;
    if (this.lineChars >= LINE_BATCH) await this.flushLines();
  }

  async end(): Promise<void> {
    await this.flushLines();
    this.body.end();
    await this.done;
  }

  private async flushLines(): Promise<void> {
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.lineChars = 0;
    await this.write(text);
  }

  async abort(): Promise<void> {
    this.body.destroy(new Error(`write abandoned: ${this.key}`));
    await this.done.catch(() => undefined);
  }
}
