import type { BlobStore } from '../adapters/blob-store.ts';
import { readJson } from '../adapters/blob-store.ts';
import { type Alert, replayCommand } from '../alerts.ts';

/**
 * Storm control for on-call alerts. Each failed drop leaves a small marker
 * under `alerts/window=<start>/` in the manifests bucket, one window per
 * quarter hour. The first few failures of a window are sent one by one; past
 * that, failures wait for the digest, one message per window that lists
 * every drop and how to replay them all. The first few are counted exactly,
 * however many failures are recorded at once: each claims one of the
 * window's numbered slots (`alerts/slots/window=<start>/<n>`) with a write
 * that succeeds only if the slot is free (S3 conditional PUT), and a drop
 * that finds every slot taken goes to the digest.
 */
export const WINDOW_MINUTES = 15;
export const INDIVIDUAL_ALERTS_PER_WINDOW = 5;

export interface FailureNote {
  dropId: string;
  sourceKey: string;
  stage: string;
  error: string;
  at: string;
  executionArn: string;
}

interface Marker extends FailureNote {
  delivery: 'individual' | 'digest';
}

const WINDOWS_PREFIX = 'alerts/window=';
const SLOTS_PREFIX = 'alerts/slots/window=';
export const DIGESTS_PREFIX = 'alerts/digests/';

export function windowOf(at: Date): string {
  const start = new Date(at);
  start.setUTCMinutes(
    start.getUTCMinutes() - (start.getUTCMinutes() % WINDOW_MINUTES),
    0,
    0,
  );
  return start.toISOString();
}

/** Records a failure and says whether to alert now or leave it to the digest. */
export async function noteFailure(
  store: BlobStore,
  bucket: string,
  note: FailureNote,
  now = new Date(),
): Promise<'individual' | 'digest'> {
  const window = windowOf(now);
  const markerKey = `${WINDOWS_PREFIX}${window}/${note.dropId}.json`;
  // A retried RecordFailure keeps the delivery it was given the first time.
  const recorded = await readJson<Marker>(store, bucket, markerKey);
  const delivery =
    recorded?.delivery ?? (await claimSlot(store, bucket, window, note.dropId));
  const marker: Marker = { ...note, delivery };
  await store.write(bucket, markerKey, JSON.stringify(marker), {
    contentType: 'application/json',
  });

  return delivery;
}

async function claimSlot(
  store: BlobStore,
  bucket: string,
  window: string,
  dropId: string,
): Promise<'individual' | 'digest'> {
  for (let slot = 1; slot <= INDIVIDUAL_ALERTS_PER_WINDOW; slot++) {
    const key = `${SLOTS_PREFIX}${window}/${slot}`;
    if (await store.create(bucket, key, dropId)) return 'individual';
  }

  return 'digest';
}

/**
 * Gathers the failures held back in every closed window (or every window,
 * when `includeOpen`), removes their markers, keeps their list under
 * `alerts/digests/` for a bulk replay, and returns the one message to send.
 */
export async function collectDigest(
  store: BlobStore,
  bucket: string,
  options: { now?: Date; includeOpen?: boolean; replayOptions?: string } = {},
): Promise<
  { alert: Alert; digestKey: string; drops: FailureNote[] } | undefined
> {
  const open = windowOf(options.now ?? new Date());
  const keys = (await store.list(bucket, WINDOWS_PREFIX)).filter(
    (key) =>
      options.includeOpen || !key.startsWith(`${WINDOWS_PREFIX}${open}/`),
  );
  const markers = (
    await Promise.all(keys.map((key) => readJson<Marker>(store, bucket, key)))
  ).filter((marker): marker is Marker => marker !== undefined);
  const held = markers.filter((marker) => marker.delivery === 'digest');
  const digestKey = `${DIGESTS_PREFIX}${(options.now ?? new Date()).toISOString()}.json`;
  if (held.length > 0) {
    const drops = held.map(({ delivery: _, ...note }) => note);
    await store.write(bucket, digestKey, JSON.stringify({ drops }, null, 2), {
      contentType: 'application/json',
    });
  }
  // Slots of the open window stay: they still count its first few alerts.
  const slots = (await store.list(bucket, SLOTS_PREFIX)).filter(
    (key) => !key.startsWith(`${SLOTS_PREFIX}${open}/`),
  );
  await Promise.all(
    [...keys, ...slots].map((key) => store.delete(bucket, key)),
  );
  if (held.length === 0) return undefined;

  return {
    alert: digestAlert(held, markers.length, digestKey, options.replayOptions),
    digestKey,
    drops: held,
  };
}

function digestAlert(
  held: Marker[],
  total: number,
  digestKey: string,
  replayOptions?: string,
): Alert {
  const byCause = new Map<string, number>();
  for (const marker of held) {
    const cause = `${marker.stage}: ${marker.error}`;
    byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
  }
  const lines = [
    `${total} drops failed; ${total - held.length} were alerted one by one, the other ${held.length} are summarised here.`,
    '',
    'By stage and error:',
    ...[...byCause]
      .sort((a, b) => b[1] - a[1])
      .map(([cause, n]) => `  ${n} x ${cause}`),
    '',
    'Drops (id, stage, error, source object):',
    ...held
      .slice(0, 200)
      .map((m) => `  ${m.dropId}  ${m.stage}  ${m.error}  ${m.sourceKey}`),
    ...(held.length > 200
      ? [`  ... and ${held.length - 200} more, listed in ${digestKey}`]
      : []),
    '',
    'Their raw files are in the landing bucket (a drop that failed at TierRawFile may already have its file in the archive). Once the cause is fixed, replay them all:',
    `  ${replayCommand(replayOptions, `--digest ${digestKey}`)}   (add --aws against the deployed pipeline)`,
  ];
  return {
    subject: `[drop-pipeline] ${held.length} more drops failed (summary)`,
    message: lines.join('\n'),
  };
}
