import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream';
import { BloomFilter } from 'mnemonist';
import split2 from 'split2';
import type { BlobStore } from '../adapters/blob-store.ts';
import type { FhirResource } from '../validation/types.ts';
import { ObjectSink } from './sink.ts';

/**
 * Staged layout: one NDJSON file per resource type per drop, partitioned the
 * way the crawler and the Glue job read it. Writing a drop again replaces its
 * files, and files of types it no longer has are removed, so a retry or a
 * replay never appends.
 */
export function stagedKey(type: string, ingestDate: string, dropId: string) {
  return `${type}/ingest_date=${ingestDate}/drop_id=${dropId}/part-0.ndjson`;
}

export interface StagedDrop {
  dropId: string;
  ingestDate: string;
  /** Keys an earlier run of this drop may have written. */
  previousKeys?: string[];
}

export interface StagedOutput {
  keys: string[];
  counts: Record<string, number>;
  /** Per type, resources dropped because a later one had the same id. */
  repeated: Map<string, number>;
}

const NDJSON = { contentType: 'application/fhir+ndjson' };
/**
 * Ids the filter holds before its false-positive rate rises (about 7 MB).
 * Past it a drop still stages correctly: more ids are only suspected, and
 * each suspect costs a map entry and a check when the type's file is read
 * back.
 */
const ID_CAPACITY = 4_000_000;
const ID_ERROR_RATE = 1e-3;
/** Where a line we wrote has its id, without parsing the line. */
const LEADING_ID = /^\{(?:"resourceType":"[^"\\]*",)?"id":"([^"\\]*)"/;

/**
 * Writes a drop's accepted resources as they arrive, one streamed object per
 * type, so memory holds one buffer per type and not the drop.
 *
 * A drop that sends one (type, id) twice keeps the later resource, as a
 * FHIR server applying the updates in order would. Streaming cannot know at
 * the first copy that a second will come, so: a Bloom filter remembers every
 * id in fixed memory; an id it may have seen is a suspect, with the place of
 * its last copy; at the end each type with suspects is read back, and only
 * when a suspect really repeats is the file rewritten without the earlier
 * copies. Memory grows with the suspects only (repeated ids and the
 * filter's rare false positives), not with the drop.
 */
export class StagedWriter {
  private readonly sinks = new Map<string, ObjectSink>();
  private readonly written = new Map<string, number>();
  private readonly seen = new BloomFilter({
    capacity: ID_CAPACITY,
    errorRate: ID_ERROR_RATE,
  });
  /** Per type: id of a suspect to the line number of its last copy. */
  private readonly suspects = new Map<string, Map<string, number>>();
  private readonly store: BlobStore;
  private readonly bucket: string;
  private readonly drop: StagedDrop;
  private readonly onKey: (keys: string[]) => Promise<void>;

  /** `onKey` hears of each key before its first byte is written. */
  constructor(
    store: BlobStore,
    bucket: string,
    drop: StagedDrop,
    onKey: (keys: string[]) => Promise<void> = async () => {},
  ) {
    this.store = store;
    this.bucket = bucket;
    this.drop = drop;
    this.onKey = onKey;
  }

  async add(resources: FhirResource[]): Promise<void> {
    for (const resource of resources) {
      const withId = resource.id
        ? resource
        : { ...resource, id: contentId(resource) };
      const type = withId.resourceType;
      const line = this.written.get(type) ?? 0;
      this.remember(type, withId.id as string, line);
      const sink = this.sinks.get(type) ?? (await this.open(type));
      await sink.writeLine(JSON.stringify(withId));
      this.written.set(type, line + 1);
    }
  }

  /** Completes every file, collapses repeated ids, removes stale keys. */
  async finish(): Promise<StagedOutput> {
    await Promise.all([...this.sinks.values()].map((sink) => sink.end()));
    const repeated = new Map<string, number>();
    for (const [type, last] of this.suspects) {
      const dropped = await this.collapse(type, last);
      if (dropped === 0) continue;
      repeated.set(type, dropped);
      this.written.set(type, (this.written.get(type) ?? 0) - dropped);
    }
    const types = [...this.sinks.keys()].sort((a, b) => a.localeCompare(b));
    const keys = types.map((type) => this.keyOf(type));
    const stale = (this.drop.previousKeys ?? []).filter(
      (key) => !keys.includes(key),
    );
    await Promise.all(stale.map((key) => this.store.delete(this.bucket, key)));
    const counts = Object.fromEntries(
      types.map((type) => [type, this.written.get(type) ?? 0]),
    );

    return { keys, counts, repeated };
  }

  /** Abandons what is being written and deletes every key of the drop. */
  async discard(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((sink) => sink.abort()));
    const keys = new Set([
      ...(this.drop.previousKeys ?? []),
      ...[...this.sinks.keys()].map((type) => this.keyOf(type)),
    ]);
    await Promise.all(
      [...keys].map((key) => this.store.delete(this.bucket, key)),
    );
  }

  private async open(type: string): Promise<ObjectSink> {
    const key = this.keyOf(type);
    const keys = [...this.sinks.keys()].map((known) => this.keyOf(known));
    await this.onKey([...keys, key]);
    const sink = new ObjectSink(this.store, this.bucket, key, NDJSON);
    this.sinks.set(type, sink);

    return sink;
  }

  private remember(type: string, id: string, line: number): void {
    const tag = `${type}\u0000${id}`;
    const known = this.suspects.get(type);
    if (known?.has(id) || this.seen.test(tag)) {
      const suspects = known ?? new Map<string, number>();
      suspects.set(id, line);
      this.suspects.set(type, suspects);
      return;
    }
    this.seen.add(tag);
  }

  /**
   * Reads a type's file back: a suspect seen on more than one line really
   * repeats, and then the file is rewritten keeping only its last line.
   * Returns how many lines were dropped.
   */
  private async collapse(
    type: string,
    last: Map<string, number>,
  ): Promise<number> {
    const copies = new Map<string, number>();
    for await (const [, id] of this.lines(type)) {
      if (last.has(id)) copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    const repeats = [...copies].filter(([, count]) => count > 1).length;
    if (repeats === 0) return 0;

    const tally = { dropped: 0 };
    const kept = this.keptLines(type, last, copies, tally);
    await this.store.writeStream(this.bucket, this.keyOf(type), kept, NDJSON);

    return tally.dropped;
  }

  /** The lines of a type's file but the earlier copies of a repeated id. */
  private async *keptLines(
    type: string,
    last: Map<string, number>,
    copies: Map<string, number>,
    tally: { dropped: number },
  ) {
    for await (const [text, id, line] of this.lines(type)) {
      const keep = last.get(id);
      const repeats = (copies.get(id) ?? 0) > 1;
      if (repeats && keep !== line) tally.dropped++;
      else yield Buffer.from(`${text}\n`);
    }
  }

  /** Each line of a staged file with its resource id and line number. */
  private async *lines(type: string) {
    const body = await this.store.read(this.bucket, this.keyOf(type));
    if (!body) return;
    // split2, not readline: its iterator reads ahead of a slow consumer,
    // and the lines it queues outlive young-generation GC.
    const reader = pipeline(body, split2(), () => undefined);
    let line = 0;
    for await (const text of reader as AsyncIterable<string>) {
      const id =
        LEADING_ID.exec(text)?.[1] ?? (JSON.parse(text) as FhirResource).id;
      yield [text, id ?? '', line++] as const;
    }
  }

  private keyOf(type: string): string {
    return stagedKey(type, this.drop.ingestDate, this.drop.dropId);
  }
}

/** A resource sent without an id is named by a hash of its content. */
function contentId(resource: FhirResource): string {
  return createHash('sha256')
    .update(JSON.stringify(resource))
    .digest('hex')
    .slice(0, 32);
}
