import { createHash } from 'node:crypto';
import type { BlobStore } from '../adapters/blob-store.ts';
import type { WorkflowStarter } from '../adapters/workflow.ts';
import { type PipelineConfig, policyForKey } from '../config.ts';
import { DropTooLargeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { validateDrop } from '../validation/validate-drop.ts';
import type { ExecutionInput } from './execution-input.ts';
import { dropIdFor, executionNameFor, ingestDateOf } from './identity.ts';
import { loadManifest, type Manifest, saveManifest } from './manifest.ts';
import {
  buildReport,
  issueSummary,
  recordCounts,
  reportKey,
  writeQuarantine,
} from './quarantine.ts';
import type { ObjectCreated } from './s3-event.ts';
import { writeStaged } from './stage.ts';

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
 * Takes one landed object through validation: stages what is valid,
 * quarantines what is not with a report, and starts the curation workflow.
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
    previous?.status === 'validating' || previous?.status === 'requeued';
  if (previous && !redo) {
    await removeSettledCopy(deps, object, previous.status);
    deps.logger.info('duplicate drop ignored', { status: previous.status });
    return { dropId, outcome: 'duplicate' };
  }

  const started = Date.now();
  const raw = await readDrop(deps, object);
  if (!raw) {
    deps.logger.warn('landed object no longer exists', { key: object.key });
    return { dropId, outcome: 'missing' };
  }
  const manifest = newManifest(object, dropId, raw);
  await saveManifest(deps.store, buckets.manifests, manifest);

  const fileName = object.key.split('/').pop();
  const policy = policyForKey(deps.config.feedPolicies, object.key);
  const decision = validateDrop(raw.bytes, { fileName, policy });
  manifest.format = decision.validation.format;
  manifest.validation = {
    policy: decision.policy,
    records: recordCounts(decision),
    issues: issueSummary(decision),
  };
  deps.logger.info('drop validated', {
    format: manifest.format,
    ...manifest.validation.records,
  });

  const rejectedWhole = decision.accepted.length === 0;
  if (decision.rejected.length > 0 || rejectedWhole) {
    const report = await writeQuarantine(
      deps.store,
      buckets.quarantine,
      buildReport({ dropId, source: sourceOf(object) }, decision),
      { bytes: raw.bytes, decision },
    );
    manifest.quarantine = {
      bucket: buckets.quarantine,
      reportKey: reportKey(dropId),
      dataKey: report.dataKey,
    };
  }

  if (rejectedWhole) {
    await deps.store.delete(object.bucket, object.key, object.versionId);
    manifest.status = 'quarantined';
    manifest.timings.validate = Date.now() - started;
    await saveManifest(deps.store, buckets.manifests, manifest);
    deps.logger.info('drop quarantined', { reportKey: reportKey(dropId) });
    return { dropId, outcome: 'quarantined' };
  }

  const staged = await writeStaged(
    deps.store,
    buckets.staged,
    {
      dropId,
      ingestDate: manifest.ingestDate,
      previousKeys: previous?.staged?.keys,
    },
    decision.resources,
  );
  manifest.staged = {
    bucket: buckets.staged,
    keys: staged.keys,
    resources: staged.counts,
  };
  manifest.timings.validate = Date.now() - started;

  const name = executionNameFor(object.key, dropId);
  const input = executionInput(manifest, staged.counts);
  const result = await deps.workflow.start(name, input);
  manifest.status = 'curating';
  manifest.execution = { name, startedAt: new Date().toISOString() };
  await saveManifest(deps.store, buckets.manifests, manifest);
  deps.logger.info('workflow started', {
    executionName: name,
    result: result.status,
  });

  return { dropId, outcome: 'started', executionName: name };
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

interface RawDrop {
  bytes: Buffer;
  sha256: string;
}

/** Streams the object, hashing as it reads, and refuses what cannot fit. */
async function readDrop(
  deps: IntakeDeps,
  object: ObjectCreated,
): Promise<RawDrop | undefined> {
  if (object.size > deps.config.maxDropBytes) {
    throw new DropTooLargeError(
      `failed to read drop over the size limit: ${object.key}`,
    );
  }
  const stream = await deps.store.read(
    object.bucket,
    object.key,
    object.versionId,
  );
  if (!stream) return undefined;
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) {
    hash.update(chunk);
    chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), sha256: hash.digest('hex') };
}

function newManifest(
  object: ObjectCreated,
  dropId: string,
  raw: RawDrop,
): Manifest {
  return {
    schemaVersion: 1,
    dropId,
    source: {
      ...sourceOf(object),
      eTag: object.eTag,
      size: raw.bytes.length,
      sha256: raw.sha256,
    },
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
