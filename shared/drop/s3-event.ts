import {
  type EventShape,
  InvalidEventError,
  UnrecognisedEventError,
} from '../errors.ts';

/** One object named by an S3 ObjectCreated record, with its key decoded. */
export interface ObjectCreated {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  versionId?: string;
  sequencer?: string;
  eventTime: string;
  /** `ObjectCreated:Put`, `ObjectCreated:Copy`, ... */
  eventName?: string;
  /** Who caused the event: `AWS:<role id>:<session name>` for a role. */
  principalId?: string;
}

export type ParsedEvent =
  | { kind: 'test'; bucket?: string }
  | { kind: 'objects'; objects: ObjectCreated[] };

/**
 * Reads the event S3 sends to Lambda: a `Records` array, or the bare
 * `s3:TestEvent` sent when a notification is configured; either may arrive
 * wrapped in SQS (`body`) or SNS (`Sns.Message`, or an SNS envelope in an
 * SQS body). Keys arrive URL-encoded with `+` for space and are decoded
 * exactly once. A payload with neither ObjectCreated records nor a test
 * event throws `UnrecognisedEventError`, naming its shape only.
 */
export function parseS3Event(event: unknown): ParsedEvent {
  const found: Found = { objects: [], tests: 0 };
  collect(event, found, 0);
  if (found.objects.length > 0) {
    return { kind: 'objects', objects: found.objects };
  }
  if (found.tests > 0) return { kind: 'test', bucket: found.bucket };

  throw new UnrecognisedEventError(shapeOf(event));
}

interface Found {
  objects: ObjectCreated[];
  tests: number;
  bucket?: string;
}

// SQS around SNS around S3 is the deepest wrapping AWS delivers.
const MAX_WRAPPING = 3;

function collect(event: unknown, found: Found, depth: number): void {
  if (depth > MAX_WRAPPING) return;
  if (isTestEvent(event)) {
    found.tests += 1;
    found.bucket ??= event.Bucket;
    return;
  }
  const records = (event as { Records?: unknown })?.Records;
  if (!Array.isArray(records)) return;
  for (const [index, record] of records.entries()) {
    const inner = unwrapped(record);
    if (inner !== undefined) collect(inner, found, depth + 1);
    else if (isObjectCreated(record)) {
      found.objects.push(objectFrom(record, index));
    }
  }
}

/** The S3 message an SQS or SNS record carries, if it is one. */
function unwrapped(record: unknown): unknown {
  const r = record as {
    eventSource?: unknown;
    EventSource?: unknown;
    body?: unknown;
    Sns?: { Message?: unknown };
  };
  if (r?.eventSource === 'aws:sqs' && typeof r.body === 'string') {
    const body = parsedJson(r.body) as { Type?: unknown; Message?: unknown };
    // SNS to SQS without raw message delivery keeps the SNS envelope.
    if (body?.Type === 'Notification' && typeof body.Message === 'string') {
      return parsedJson(body.Message);
    }
    return body;
  }
  if (r?.EventSource === 'aws:sns' && typeof r.Sns?.Message === 'string') {
    return parsedJson(r.Sns.Message);
  }
  return undefined;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObjectCreated(record: unknown): boolean {
  const eventName = (record as { eventName?: unknown })?.eventName;

  return typeof eventName === 'string' && eventName.startsWith('ObjectCreated');
}

/** The event's outline for an error: names and counts, never values. */
function shapeOf(event: unknown): EventShape {
  const isRecord = typeof event === 'object' && event !== null;
  const keys = isRecord ? Object.keys(event).slice(0, 10).map(safeName) : [];
  const records = (event as { Records?: unknown })?.Records;
  const first = Array.isArray(records) ? records[0] : undefined;
  const source = first?.eventSource ?? first?.EventSource;

  return {
    keys,
    records: Array.isArray(records) ? records.length : 0,
    eventSource: typeof source === 'string' ? safeName(source) : undefined,
  };
}

/** Keys of an unknown payload are shown only as short plain names. */
function safeName(name: string): string {
  return /^[A-Za-z0-9_.:-]{1,40}$/.test(name) ? name : '<other>';
}

/**
 * Why an object's event must not start the pipeline, if it must not: a key
 * outside the landing prefixes the notification is scoped to (the
 * pipeline's own writes, were they ever in this bucket), or a copy made by
 * one of the pipeline's own principals (an in-place metadata or storage
 * class rewrite). Feeds' own puts, multipart uploads and copies pass.
 */
export function skipReason(
  object: ObjectCreated,
  scope: {
    landingPrefixes?: readonly string[];
    pipelinePrincipals?: readonly string[];
  },
): 'outside_landing_prefix' | 'self_caused_copy' | undefined {
  const prefixes = scope.landingPrefixes ?? [];
  if (prefixes.length > 0 && !prefixes.some((p) => object.key.startsWith(p))) {
    return 'outside_landing_prefix';
  }
  if (object.eventName !== 'ObjectCreated:Copy') return undefined;
  // `AWS:<role id>:<session name>`; a Lambda's session is its function name.
  const parts = (object.principalId ?? '').split(':');
  const mine = scope.pipelinePrincipals ?? [];

  return parts.slice(1).some((part) => mine.includes(part))
    ? 'self_caused_copy'
    : undefined;
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
  const principalId = record.userIdentity?.principalId;
  return {
    bucket,
    key: decodeS3Key(rawKey),
    size: Number(s3.object.size ?? 0),
    eTag: String(s3.object.eTag ?? '').replace(/"/g, ''),
    versionId: s3.object.versionId ?? undefined,
    sequencer: s3.object.sequencer ?? undefined,
    eventTime: String(record.eventTime ?? new Date(0).toISOString()),
    eventName: String(record.eventName),
    principalId: typeof principalId === 'string' ? principalId : undefined,
  };
}
