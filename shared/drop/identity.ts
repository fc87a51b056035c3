import { createHash } from 'node:crypto';
import type { ObjectCreated } from './s3-event.ts';

/**
 * A drop is one object's content at one key. Its id is a hash of bucket,
 * decoded key and ETag, so a redelivered event or a re-upload of the same
 * bytes maps to the same drop, while changed content at the same key is a
 * new drop. Ids are hex: safe in keys, execution names and logs.
 */
export function dropIdFor(
  object: Pick<ObjectCreated, 'bucket' | 'key' | 'eTag'>,
): string {
  const identity = `${object.bucket}/${object.key}#${object.eTag}`;
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

const NAME_LIMIT = 80;
const HASH_PART = 33; // '-' plus 32 hex characters

/**
 * Step Functions names allow `[A-Za-z0-9_-]` up to 80 characters. The name
 * shows a readable tail of the file name for the console and ends in the
 * drop id, which alone makes it unique.
 */
export function executionNameFor(key: string, dropId: string): string {
  const base = key.split('/').pop() ?? '';
  const readable = base
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(-(NAME_LIMIT - HASH_PART - 1));

  return readable ? `${readable}-${dropId}` : dropId;
}

/** The UTC date the drop arrived: the curated partition it will live in. */
export function ingestDateOf(eventTime: string): string {
  const date = new Date(eventTime);
  return Number.isNaN(date.getTime())
    ? new Date(0).toISOString().slice(0, 10)
    : date.toISOString().slice(0, 10);
}

export const DROP_ID_PATTERN = /^[0-9a-f]{32}$/;
export const INGEST_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
