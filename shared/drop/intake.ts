import { createHash } from 'node:crypto';
import { type BlobStore, readJson } from '../adapters/blob-store.ts';
import type { WorkflowStarter } from '../adapters/workflow.ts';
import { type PipelineConfig, policyForKey } from '../config.ts';
import { DropTooLargeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { type StreamOutcome, validateStream } from '../validation/stream.ts';
import type { ValidationIssue } from '../validation/types.ts';
import type { ExecutionInput } from './execution-input.ts';
import { dropIdFor, executionNameFor, ingestDateOf } from './identity.ts';
import { loadManifest, type Manifest, saveManifest } from './manifest.ts';
import {
  IssueTally,
  QuarantineWriter,
  type ReportSummary,
  reportKey,
} from './quarantine.ts';
import type { ObjectCreated } from './s3-event.ts';
import { StagedWriter } from './stage.ts';

export interface IntakeDeps {
  config: PipelineConfig;
  store: BlobStore;
  workflow: WorkflowStarter;
  logger: Logger;
}

export type IntakeOutcome = 'started' | 'quarantined' | 'duplicate' | 'missing';

export interface IntakeResult {
  dropId: string;
  outcome: IntakeOutcome;
  executionName?: string;
}

/**
 * Takes one landed object through validation, streamed: stages what is
 * valid, quarantines what is not with a report, and starts the curation
 * workflow. Memory holds a block of records and one buffer per open output
 * object, whatever the object's size.
 * Safe to run twice for the same object: a drop already handed on is
 * recognised from its manifest, and the execution name is deterministic.
 */
export async function takeInDrop(
  deps: IntakeDeps,
  object: ObjectCreated,
): Promise<IntakeResult> {
  const dropId = dropIdFor(object);
  deps.logger.setCorrelationId(dropId);
  const { buckets } = deps.config;
  const previous = await loadManifest(deps.store, buckets.manifests, dropId);
  const redo =
    previous?.status === 'validating' ||
    previous?.status === 'requeued' ||
    previous?.status === 'starting';
  if (previous && !redo) {
    await removeSettledCopy(deps, object, previous.status);
    deps.logger.info('duplicate drop ignored', { status: previous.status });
    return { dropId, outcome: 'duplicate' };
  }

  const started = Date.now();
  if (object.size > deps.config.maxDropBytes) {
    throw new DropTooLargeError(
      `failed to read drop over the size limit: ${object.key}`,
    );
  }
  const body = await deps.store.read(
    object.bucket,
    object.key,
    object.versionId,
  );
  if (!body) {
    deps.logger.warn('landed object no longer exists', { key: object.key });
    return { dropId, outcome: 'missing' };
  }
  const manifest = newManifest(object, dropId);
  await saveManifest(deps.store, buckets.manifests, manifest);

  const intake = await streamDrop(deps, object, manifest, body, previous);
  manifest.timings.validate = Date.now() - started;
  if (intake.duplicateOf) {
    return settleDuplicate(deps, object, manifest, intake.duplicateOf);
  }
  if (intake.rejectAll) {
    // Recorded before the landing copy goes, so a crash in between leaves a
    // manifest that points at the quarantined bytes.
    manifest.status = 'quarantined';
    await saveManifest(deps.store, buckets.manifests, manifest);
    await deps.store.delete(object.bucket, object.key, object.versionId);
    deps.logger.info('drop quarantined', { reportKey: reportKey(dropId) });
    return { dropId, outcome: 'quarantined' };
  }

  // The full manifest is saved before the start, and is the intake's last
  // write: the workflow's first state moves it to `curating`, so a failure
  // the workflow records is never overwritten from here. A crash between
  // save and start leaves `starting`, which the retried event redoes; the
  // execution name makes a second start a no-op.
  const name = executionNameFor(object.key, dropId);
  const input = executionInput(manifest, manifest.staged?.resources ?? {});
  manifest.status = 'starting';
  manifest.execution = { name, startedAt: new Date().toISOString() };
  await saveManifest(deps.store, buckets.manifests, manifest);
  const result = await deps.workflow.start(name, input);
  deps.logger.info('workflow started', {
    executionName: name,
    result: result.status,
  });

  return { dropId, outcome: 'started', executionName: name };
}

interface Outputs {
  staged: StagedWriter;
  quarantine: QuarantineWriter;
  tally: IssueTally;
}

/**
 * One pass over the object: hashes it, validates it block by block, writes
 * accepted resources to the staged files and rejected records to quarantine
 * as their verdicts arrive, then settles what only the end can tell. Fills
 * in the manifest's size, hash, validation, staged and quarantine.
 */
async function streamDrop(
  deps: IntakeDeps,
  object: ObjectCreated,
  manifest: Manifest,
  body: AsyncIterable<Uint8Array>,
  previous: Manifest | undefined,
): Promise<{ rejectAll: boolean; duplicateOf?: string }> {
  const outputs = openOutputs(deps, object, manifest, previous);
  try {
    return await streamInto(deps, object, manifest, body, outputs);
  } catch (error) {
    // Whatever failed, no upload is left open and no partial output stays.
    await abandon(outputs).catch(() => undefined);
    throw error;
  }
}

async function streamInto(
  deps: IntakeDeps,
  object: ObjectCreated,
  manifest: Manifest,
  body: AsyncIterable<Uint8Array>,
  outputs: Outputs,
): Promise<{ rejectAll: boolean; duplicateOf?: string }> {
  const policy = policyForKey(deps.config.feedPolicies, object.key);
  const hashed = new HashedSource(body);
  let rejected = 0;
  const outcome = await validateStream(
    hashed.chunks(),
    { fileName: object.key.split('/').pop(), policy },
    async (record, bytes) => {
      outputs.tally.add(record.issues);
      if (!record.accepted) rejected++;
      if (!record.accepted) await outputs.quarantine.reject(record, bytes);
      // Under the drop policy one rejection decides: stage nothing more.
      else if (!(policy === 'drop' && rejected > 0)) {
        await outputs.staged.add(record.resources);
      }
    },
  );
  manifest.source.size = hashed.bytes;
  manifest.source.sha256 = hashed.digest();
  manifest.format = outcome.format;
  const owner = await claimContent(deps, manifest);
  if (owner !== manifest.dropId) {
    await abandon(outputs);
    return { rejectAll: false, duplicateOf: owner };
  }

  return settle(deps, manifest, outcome, outputs);
}

/** Leaves nothing of this run in staged or quarantine. */
async function abandon({ staged, quarantine }: Outputs): Promise<void> {
  await Promise.all([staged.discard(), quarantine.abort()]);
}

function openOutputs(
  deps: IntakeDeps,
  object: ObjectCreated,
  manifest: Manifest,
  previous: Manifest | undefined,
): Outputs {
  const { buckets } = deps.config;
  const { dropId, ingestDate } = manifest;
  const previousKeys = previous?.staged?.keys ?? [];
  const staged = new StagedWriter(
    deps.store,
    buckets.staged,
    { dropId, ingestDate, previousKeys },
    (keys) => noteStagedKeys(deps, manifest, [...previousKeys, ...keys]),
  );
  const quarantine = new QuarantineWriter(deps.store, buckets.quarantine, {
    dropId,
    source: sourceOf(object),
  });

  return { staged, quarantine, tally: new IssueTally() };
}

/**
 * Completes the staged files, or deletes them when nothing may be staged
 * (the whole object is then copied to quarantine), and writes the report.
 */
async function settle(
  deps: IntakeDeps,
  manifest: Manifest,
  outcome: StreamOutcome,
  { staged, quarantine, tally }: Outputs,
): Promise<{ rejectAll: boolean }> {
  const { buckets } = deps.config;
  // Nothing accepted is a whole rejection too, kept byte for byte.
  const rejectAll = outcome.rejectAll || outcome.records.accepted === 0;
  const output = rejectAll ? undefined : await staged.finish();
  if (rejectAll) await staged.discard();
  const fileIssues = [
    ...outcome.fileIssues,
    ...repeatIssues(output?.repeated ?? new Map()),
  ];
  const records = countsOf(outcome.records, rejectAll);
  const { policy, format } = outcome;
  manifest.validation = { policy, records, issues: tally.summary(fileIssues) };
  deps.logger.info('drop validated', { format, ...records });

  delete manifest.staged;
  if (output) {
    const { keys, counts: resources } = output;
    manifest.staged = { bucket: buckets.staged, keys, resources };
  }
  if (rejectAll || outcome.records.rejected > 0) {
    const verdict: ReportSummary['outcome'] = rejectAll
      ? 'rejected'
      : 'partially-accepted';
    const summary = { format, policy, outcome: verdict, records, fileIssues };
    const { dataKey } = await quarantine.finish(summary);
    manifest.quarantine = {
      bucket: buckets.quarantine,
      reportKey: reportKey(manifest.dropId),
      dataKey,
    };
  }

  return { rejectAll };
}

/**
 * Saved before a staged key's first byte, so that a run which crashes
 * mid-write leaves the keys it touched where the next run finds and
 * replaces or removes them.
 */
async function noteStagedKeys(
  deps: IntakeDeps,
  manifest: Manifest,
  keys: string[],
): Promise<void> {
  const { staged } = deps.config.buckets;
  manifest.staged = { bucket: staged, keys: [...new Set(keys)], resources: {} };
  await saveManifest(deps.store, deps.config.buckets.manifests, manifest);
}

/** in = staged + quarantined, at the level of records. */
function countsOf(
  records: { in: number; accepted: number },
  rejectAll: boolean,
) {
  const staged = rejectAll ? 0 : records.accepted;
  return { in: records.in, staged, quarantined: records.in - staged };
}

/**
 * A drop that sends one resource twice keeps the later one; the count is
 * reported, so that in = staged + quarantined still reads true at the
 * record level and the collapsed resources are not lost silently.
 */
function repeatIssues(repeated: Map<string, number>): ValidationIssue[] {
  return [...repeated].map(([type, count]) => ({
    rule: 'duplicate_resource_id',
    severity: 'warning',
    location: 'file',
    message: `${count} ${type} resource(s) repeat an id already sent in this drop; the last of each is staged.`,
  }));
}

/**
 * The drop id is derived from the event's ETag, which is the MD5 of the bytes
 * for SSE-S3 single-part uploads but not under SSE-KMS (nor for multipart
 * uploads with another part size), so a re-upload of the same bytes can
 * arrive as a new drop. The first drop to take in a (key, content hash)
 * claims it with a conditional write; a later drop with the same pair is a
 * duplicate of that one. Returns the id of the drop that owns the content.
 */
async function claimContent(
  deps: IntakeDeps,
  manifest: Manifest,
): Promise<string> {
  const { bucket, key, sha256 } = manifest.source;
  const where = createHash('sha256').update(`${bucket}/${key}`).digest('hex');
  const marker = `content/${where}/${sha256}.json`;
  const { manifests } = deps.config.buckets;
  const claim = JSON.stringify({ dropId: manifest.dropId });
  if (await deps.store.create(manifests, marker, claim)) return manifest.dropId;
  const owner = await readJson<{ dropId: string }>(
    deps.store,
    manifests,
    marker,
  );
  if (!owner || owner.dropId === manifest.dropId) return manifest.dropId;

  // A drop requeued for revalidation comes back as a copy in landing whose
  // ETag may differ: the new drop takes its place instead of duplicating it.
  const previous = await loadManifest(deps.store, manifests, owner.dropId);
  if (previous?.status !== 'requeued') return owner.dropId;
  previous.status = 'superseded';
  previous.duplicateOf = manifest.dropId;
  await saveManifest(deps.store, manifests, previous);
  await deps.store.write(manifests, marker, claim);

  return manifest.dropId;
}

/**
 * Marks a drop whose bytes another drop already took in, and removes its
 * landing copy when that can lose nothing: the bucket is versioned (the
 * owner reads its own version) or the owner is settled (its bytes are
 * archived or quarantined). An owner still in flight on an unversioned
 * bucket shares this very object, so it stays.
 */
async function settleDuplicate(
  deps: IntakeDeps,
  object: ObjectCreated,
  manifest: Manifest,
  owner: string,
): Promise<IntakeResult> {
  const { manifests } = deps.config.buckets;
  const original = await loadManifest(deps.store, manifests, owner);
  const settled =
    original?.status === 'curated' || original?.status === 'quarantined';
  if (object.versionId || settled) {
    await deps.store.delete(object.bucket, object.key, object.versionId);
  }
  manifest.status = 'duplicate';
  manifest.duplicateOf = owner;
  delete manifest.staged;
  await saveManifest(deps.store, manifests, manifest);
  deps.logger.info('duplicate content ignored', { duplicateOf: owner });

  return { dropId: manifest.dropId, outcome: 'duplicate' };
}

/**
 * A re-upload of bytes whose drop is already archived or quarantined leaves
 * an identical copy in landing (the same ETag is what made it a duplicate);
 * it is removed so that landing holds only what is waiting or failed. A
 * redelivered event finds its object already gone, and a failed drop's raw
 * file stays where on-call expects it.
 */
async function removeSettledCopy(
  deps: IntakeDeps,
  object: ObjectCreated,
  status: string,
) {
  if (status !== 'curated' && status !== 'quarantined') return;
  const landed = await deps.store.head(
    object.bucket,
    object.key,
    object.versionId,
  );
  if (landed && landed.eTag === object.eTag) {
    await deps.store.delete(object.bucket, object.key, object.versionId);
  }
}

export function executionInput(
  manifest: Manifest,
  stagedCounts: Record<string, number>,
): ExecutionInput {
  const { bucket, key, versionId, eTag } = manifest.source;
  return {
    schemaVersion: 1,
    dropId: manifest.dropId,
    ingestDate: manifest.ingestDate,
    format: manifest.format ?? 'unknown',
    source: versionId
      ? { bucket, key, versionId, eTag }
      : { bucket, key, eTag },
    stagedCounts,
  };
}

/** The object's bytes passed on as read, hashed and counted on the way. */
class HashedSource {
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly body: AsyncIterable<Uint8Array>;

  constructor(body: AsyncIterable<Uint8Array>) {
    this.body = body;
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of this.body) {
      this.hash.update(chunk);
      this.bytes += chunk.length;
      yield chunk;
    }
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Size as the event tells it until the read has counted and hashed it. */
function newManifest(object: ObjectCreated, dropId: string): Manifest {
  return {
    schemaVersion: 1,
    dropId,
    source: { ...sourceOf(object), eTag: object.eTag, size: object.size },
    receivedAt: object.eventTime,
    ingestDate: ingestDateOf(object.eventTime),
    status: 'validating',
    timings: {},
    updatedAt: new Date().toISOString(),
  };
}

function sourceOf(object: ObjectCreated) {
  return object.versionId
    ? { bucket: object.bucket, key: object.key, versionId: object.versionId }
    : { bucket: object.bucket, key: object.key };
}
