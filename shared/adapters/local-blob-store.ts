import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import {
  copyFile,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  BlobStore,
  ObjectInfo,
  PutOptions,
  StreamBody,
} from './blob-store.ts';

/**
 * Buckets as folders under one root: `<root>/<bucket>/<key>`. Object
 * metadata (storage class, user metadata) lives in a sidecar tree under
 * `<root>/.meta/` so the bucket folders hold only the objects, and DuckDB or
 * a person can read them directly. Versions are not kept: local mode has one
 * version per key, which is what the pipeline reads anyway.
 */
export class LocalBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  pathOf(bucket: string, key: string): string {
    return join(this.root, bucket, ...key.split('/'));
  }

  async read(bucket: string, key: string) {
    const path = this.pathOf(bucket, key);
    if (!(await exists(path))) return undefined;

    return createReadStream(path);
  }

  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const path = this.pathOf(bucket, key);
    const stats = await stat(path).catch(() => undefined);
    if (!stats?.isFile()) return undefined;
    const meta = await this.readMeta(bucket, key);

    return { size: stats.size, ...meta };
  }

  async write(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ) {
    const path = this.pathOf(bucket, key);
    await atomicWrite(path, body);
    await this.writeMeta(bucket, key, options, md5(body));
  }

  /** `wx` opens only a file that does not exist yet, atomically. */
  async create(
    bucket: string,
    key: string,
    body: Uint8Array | string,
    options: PutOptions = {},
  ): Promise<boolean> {
    const path = this.pathOf(bucket, key);
    await mkdir(dirname(path), { recursive: true });
    try {
      await writeFile(path, body, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    await this.writeMeta(bucket, key, options, md5(body));

    return true;
  }

  /** Streams into a `.partial` file beside the target, then renames it. */
  async writeStream(
    bucket: string,
    key: string,
    body: StreamBody,
    options: PutOptions = {},
  ) {
    const path = this.pathOf(bucket, key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
    const hash = createHash('md5');
    const hashing = new Transform({
      transform(chunk, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, hashing, createWriteStream(temp));
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await this.writeMeta(bucket, key, options, hash.digest('hex'));
  }

  async copy(
    from: { bucket: string; key: string },
    to: { bucket: string; key: string },
    options: PutOptions = {},
  ) {
    const target = this.pathOf(to.bucket, to.key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.partial`;
    await copyFile(this.pathOf(from.bucket, from.key), temp);
    await rename(temp, target);
    const source = await this.readMeta(from.bucket, from.key);
    await this.writeMeta(to.bucket, to.key, options, source.eTag);
  }

  async delete(bucket: string, key: string) {
    await rm(this.pathOf(bucket, key), { force: true });
    await rm(this.metaPath(bucket, key), { force: true });
  }

  /**
   * Keys under a prefix, as ListObjectsV2 gives them. Only the folder the
   * prefix names is read (`queue/pending/` reads that folder, `alerts/window=`
   * reads `alerts/`), not the whole bucket: queue polling and the storm
   * check list small folders of a bucket that holds every manifest.
   */
  async list(bucket: string, prefix: string): Promise<string[]> {
    const base = join(this.root, bucket);
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const files = await filesUnder(join(base, ...folder.split('/')));

    return files
      .map((file) => relative(base, file).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix) && !key.endsWith('.partial'))
      .sort();
  }

  private metaPath(bucket: string, key: string): string {
    return join(this.root, '.meta', bucket, ...`${key}.json`.split('/'));
  }

  private async readMeta(bucket: string, key: string) {
    const text = await readFile(this.metaPath(bucket, key), 'utf8').catch(
      () => undefined,
    );
    return text ? (JSON.parse(text) as Omit<ObjectInfo, 'size'>) : {};
  }

  /** The ETag is the MD5 of the bytes, as S3 gives a single-part upload. */
  private async writeMeta(
    bucket: string,
    key: string,
    options: PutOptions,
    eTag?: string,
  ) {
    const meta = {
      storageClass: options.storageClass ?? 'STANDARD',
      metadata: options.metadata ?? {},
      ...(eTag ? { eTag } : {}),
    };
    await atomicWrite(this.metaPath(bucket, key), JSON.stringify(meta));
  }
}

function md5(body: Uint8Array | string): string {
  return createHash('md5').update(body).digest('hex');
}

async function atomicWrite(path: string, body: Uint8Array | string) {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
  await writeFile(temp, body);
  await rename(temp, path);
}

async function exists(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isFile() ?? false;
}

/** Every file below a folder, at any depth; none when it does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);

  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
