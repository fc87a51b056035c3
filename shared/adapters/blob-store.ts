/**
 * The object storage the functions use: S3 in AWS, folders locally. It is the
 * only way shared code reaches storage, so the handlers run unchanged in
 * both modes.
 */
export interface ObjectInfo {
  size: number;
  eTag?: string;
  storageClass?: string;
  metadata?: Record<string, string>;
}

export interface PutOptions {
  contentType?: string;
  storageClass?: string;
  metadata?: Record<string, string>;
}

export type StreamBody = AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

export interface BlobStore {
  /** Streams an object; resolves undefined when it does not exist. */
  read(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<AsyncIterable<Uint8Array> | undefined>;
  head(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<ObjectInfo | undefined>;
  /** Replaces the object whole; readers never see a partial write. */
  write(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options?: PutOptions,
  ): Promise<void>;
  /**
   * Writes only when no object exists at the key, atomically: of several
   * concurrent calls for one key at most one resolves true (on S3, calls
   * that keep colliding may all give up).
   */
  create(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options?: PutOptions,
  ): Promise<boolean>;
  /**
   * Replaces the object whole from a stream of bytes, holding one part at a
   * time (S3: a multipart upload past one part, a single PUT below it).
   * Readers never see a partial write.
   */
  writeStream(
    bucket: string,
    key: string,
    body: StreamBody,
    options?: PutOptions,
  ): Promise<void>;
  /** Server-side copy, keeping bytes exactly. */
  copy(
    from: { bucket: string; key: string; versionId?: string },
    to: { bucket: string; key: string },
    options?: PutOptions,
  ): Promise<void>;
  delete(bucket: string, key: string, versionId?: string): Promise<void>;
  list(bucket: string, prefix: string): Promise<string[]>;
}

export async function readAll(
  stream: AsyncIterable<Uint8Array>,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function readJson<T>(
  store: BlobStore,
  bucket: string,
  key: string,
): Promise<T | undefined> {
  const stream = await store.read(bucket, key);
  if (!stream) return undefined;

  return JSON.parse((await readAll(stream)).toString('utf8')) as T;
}
