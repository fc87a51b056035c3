import { InvalidEventError } from '../errors.ts';

/** One object named by an S3 ObjectCreated record, with its key decoded. */
export interface ObjectCreated {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  versionId?: string;
  sequencer?: string;
  eventTime: string;
}

export type ParsedEvent =
  | { kind: 'test'; bucket?: string }
  | { kind: 'objects'; objects: ObjectCreated[] };

/**
 * Reads the event S3 sends to Lambda: a `Records` array, or the bare
 * `s3:TestEvent` sent when a notification is configured. Keys arrive
 * URL-encoded with `+` for space and are decoded exactly once.
 */
export function parseS3Event(event: unknown): ParsedEvent {
  if (isTestEvent(event)) return { kind: 'test', bucket: event.Bucket };
  const records = (event as { Records?: unknown })?.Records;
  if (!Array.isArray(records)) {
    throw new InvalidEventError('failed to parse event: no Records array');
  }
  const objects = records
    .filter((record) => String(record?.eventName).startsWith('ObjectCreated'))
    .map((record, index) => objectFrom(record, index));

  return { kind: 'objects', objects };
}

/** S3 encodes keys like a form: `+` is a space, `%2B` a literal plus. */
export function decodeS3Key(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

/** The inverse, used by local mode so that the decoding above is exercised. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
}

function isTestEvent(event: unknown): event is { Bucket?: string } {
  return (event as { Event?: unknown })?.Event === 's3:TestEvent';
}

// biome-ignore lint/suspicious/noExplicitAny: the record is untrusted JSON, checked field by field below.
function objectFrom(record: any, index: number): ObjectCreated {
  const s3 = record?.s3;
  const rawKey = s3?.object?.key;
  const bucket = s3?.bucket?.name;
  if (typeof rawKey !== 'string' || typeof bucket !== 'string') {
    throw new InvalidEventError(
      `failed to parse event: record ${index} lacks bucket or key`,
    );
  }
  return {
    bucket,
    key: decodeS3Key(rawKey),
    size: Number(s3.object.size ?? 0),
    eTag: String(s3.object.eTag ?? '').replace(/"/g, ''),
    versionId: s3.object.versionId ?? undefined,
    sequencer: s3.object.sequencer ?? undefined,
    eventTime: String(record.eventTime ?? new Date(0).toISOString()),
  };
}
