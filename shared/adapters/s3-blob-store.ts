import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { TransientStorageError } from '../errors.ts';
import type {
  BlobStore,
  ObjectInfo,
  PutOptions,
  StreamBody,
} from './blob-store.ts';

/** The BlobStore on Amazon S3. Buckets carry default encryption (SSE-KMS). */
export class S3BlobStore implements BlobStore {
  private readonly s3: S3Client;

  constructor(s3: S3Client) {
    this.s3 = s3;
  }

  async read(bucket: string, key: string, versionId?: string) {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          VersionId: versionId,
        }),
      );
      return out.Body as AsyncIterable<Uint8Array>;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw storageError('read', bucket, key, error);
    }
  }

  async head(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.s3.send(
        new HeadObjectCommand({
          Bucket: bucket,
          Key: key,
          VersionId: versionId,
        }),
      );
      return {
        size: out.ContentLength ?? 0,
        eTag: out.ETag?.replace(/"/g, ''),
        storageClass: out.StorageClass ?? 'STANDARD',
        metadata: out.Metadata,
      };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) {
        return undefined;
      }
      throw storageError('head', bucket, key, error);
    }
  }

  async write(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ) {
    await this.send('write', bucket, key, () =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          StorageClass: options.storageClass as StorageClass | undefined,
          Metadata: options.metadata,
        }),
      ),
    );
  }

  /**
   * A conditional PUT (`If-None-Match: *`): S3 answers 412 when the key
   * exists, and 409 when another conditional write to it is in flight,
   * which is retried once since that write may yet fail; a second 409
   * counts as taken, so a contended key is given up rather than thrown on.
   */
  async create(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ): Promise<boolean> {
    const put = () =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          IfNoneMatch: '*',
          ContentType: options.contentType,
          Metadata: options.metadata,
        }),
      );
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send('create', bucket, key, put);
        return true;
      } catch (error) {
        const status = httpStatus(error);
        if (status === 412 || (status === 409 && attempt > 1)) return false;
        if (status !== 409) throw error;
      }
    }
  }

  /**
   * A multipart upload holding at most `queueSize` parts of 8 MiB in memory;
   * a body smaller than one part goes as a single PutObject. A failed
   * multipart upload is aborted by `Upload`, leaving no object behind.
   */
  async writeStream(
    bucket: string,
    key: string,
    body: StreamBody,
    options: PutOptions = {},
  ) {
    const upload = new Upload({
      client: this.s3,
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
      params: {
        Bucket: bucket,
        Key: key,
        Body: body instanceof Readable ? body : Readable.from(body),
        ContentType: options.contentType,
        StorageClass: options.storageClass as StorageClass | undefined,
        Metadata: options.metadata,
      },
    });
    await this.send('write', bucket, key, () => upload.done());
  }

  async copy(
    from: { bucket: string; key: string; versionId?: string },
    to: { bucket: string; key: string },
    options: PutOptions = {},
  ) {
    const source = `${from.bucket}/${encodeURIComponent(from.key).replace(/%2F/g, '/')}`;
    await this.send('copy', to.bucket, to.key, () =>
      this.s3.send(
        new CopyObjectCommand({
          Bucket: to.bucket,
          Key: to.key,
          CopySource: from.versionId
            ? `${source}?versionId=${from.versionId}`
            : source,
          StorageClass: options.storageClass as StorageClass | undefined,
          MetadataDirective: options.metadata ? 'REPLACE' : 'COPY',
          Metadata: options.metadata,
        }),
      ),
    );
  }

  async delete(bucket: string, key: string, versionId?: string) {
    await this.send('delete', bucket, key, () =>
      this.s3.send(
        new DeleteObjectCommand({
          Bucket: bucket,
          Key: key,
          VersionId: versionId,
        }),
      ),
    );
  }

  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.send('list', bucket, prefix, () =>
        this.s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ContinuationToken: token,
          }),
        ),
      );
      for (const item of out.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = out.NextContinuationToken;
    } while (token);

    return keys;
  }

  private async send<T>(
    action: string,
    bucket: string,
    key: string,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw storageError(action, bucket, key, error);
    }
  }
}

/** 5xx and throttling are worth a retry; anything else is a real failure. */
function storageError(
  action: string,
  bucket: string,
  key: string,
  error: unknown,
) {
  const status = httpStatus(error);
  const transient = status === undefined || status >= 500 || status === 429;
  if (!transient) return error;

  return new TransientStorageError(
    `failed to ${action} object: s3://${bucket}/${key}`,
    { cause: error },
  );
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata
    ?.httpStatusCode;
}
