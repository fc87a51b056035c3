/**
 * Per-feed quarantine policy: `FEED_POLICIES` maps key prefixes to `drop`
 * or `record`, read once into the config and applied by intake, so one
 * feed can hold a whole batch back while another stages its valid records.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { landingFiles } from '../../../local/landing-keys.ts';
import { LocalBlobStore } from '../../../shared/adapters/local-blob-store.ts';
import type { WorkflowStarter } from '../../../shared/adapters/workflow.ts';
import {
  feedPoliciesFromEnv,
  parseFeedPolicies,
  policyForKey,
} from '../../../shared/config.ts';
import { takeInDrop } from '../../../shared/drop/intake.ts';
import { loadManifest } from '../../../shared/drop/manifest.ts';
import { ConfigurationError } from '../../../shared/errors.ts';
import { silentLogger, TEST_CONFIG } from '../../helpers/aws.ts';
import { REPO, SAMPLES } from '../../helpers/paths.ts';

const execFileAsync = promisify(execFile);

const root = await mkdtemp(join(tmpdir(), 'feed-policy-'));
after(() => rm(root, { recursive: true, force: true }));

const valid = (await readFile(new URL('fhir/vitals_export.ndjson', SAMPLES)))
  .toString('utf8')
  .trimEnd();
/** Two valid lines around one broken line. */
const mixed = Buffer.from(
  `${valid.split('\n').slice(0, 2).join('\n')}\n{"resourceType":"Patient","birthDate":"not-a-date"}\n`,
);

const started: string[] = [];
const workflow: WorkflowStarter = {
  async start(name) {
    started.push(name);
    return { status: 'started' };
  },
};

async function land(key: string, policies: string) {
  const store = new LocalBlobStore(root);
  const config = {
    ...TEST_CONFIG,
    feedPolicies: parseFeedPolicies(policies),
  };
  await store.write(config.buckets.landing, key, mixed);
  const result = await takeInDrop(
    { config, store, workflow, logger: silentLogger() },
    {
      bucket: config.buckets.landing,
      key,
      size: mixed.length,
      eTag: key,
      eventTime: '2026-12-04T10:00:00.000Z',
    },
  );
  const manifest = await loadManifest(
    store,
    config.buckets.manifests,
    result.dropId,
  );
  assert.ok(manifest?.validation);

  return { result, validation: manifest.validation };
}

describe('feed policies', () => {
  it('picks the longest matching prefix and none for other keys', () => {
    const policies = parseFeedPolicies(
      '{"lab/":"drop","lab/vitals/":"record"}',
    );

    assert.equal(policyForKey(policies, 'lab/vitals/a.ndjson'), 'record');
    assert.equal(policyForKey(policies, 'lab/other.ndjson'), 'drop');
    assert.equal(policyForKey(policies, 'adt/a.hl7'), undefined);
  });

  it('reads FEED_POLICIES or the file FEED_POLICIES_FILE names', async () => {
    const file = join(root, 'policies.json');
    await writeFile(file, '{"adt/":"drop"}');

    const fromEnv = feedPoliciesFromEnv({ FEED_POLICIES: '{"lab/":"drop"}' });
    const fromFile = feedPoliciesFromEnv({ FEED_POLICIES_FILE: file });

    assert.deepEqual(fromEnv, [['lab/', 'drop']]);
    assert.deepEqual(fromFile, [['adt/', 'drop']]);
    assert.deepEqual(feedPoliciesFromEnv({}), []);
  });

  it('refuses malformed JSON and unknown policies at start', () => {
    assert.throws(() => parseFeedPolicies('{lab'), ConfigurationError);
    assert.throws(() => parseFeedPolicies('["drop"]'), ConfigurationError);
    assert.throws(
      () => parseFeedPolicies('{"lab/":"some"}'),
      ConfigurationError,
    );
  });

  it('stages the valid records of a per-record feed', async () => {
    const { result, validation } = await land(
      'vitals/a.ndjson',
      '{"vitals/":"record"}',
    );

    assert.equal(result.outcome, 'started');
    assert.equal(validation.policy, 'record');
    assert.deepEqual(validation.records, { in: 3, staged: 2, quarantined: 1 });
  });

  it('quarantines the whole drop of a per-drop feed', async () => {
    const { result, validation } = await land(
      'strict/a.ndjson',
      '{"strict/":"drop"}',
    );

    assert.equal(result.outcome, 'quarantined');
    assert.equal(validation.policy, 'drop');
    assert.deepEqual(validation.records, { in: 3, staged: 0, quarantined: 3 });
  });

  it('gives npm run validate the policy and verdict intake gives the landed file', async () => {
    const policies = '{"inbound/lab/":"drop"}';
    const folder = join(root, 'inbound');
    await mkdir(join(folder, 'lab'), { recursive: true });
    await writeFile(join(folder, 'lab', 'x.ndjson'), mixed);
    const [landed] = await landingFiles([folder]);
    const cli = execFileAsync(
      process.execPath,
      [fileURLToPath(new URL('local/validate-cli.ts', REPO)), folder, '--json'],
      {
        cwd: fileURLToPath(REPO),
        env: { ...process.env, FEED_POLICIES: policies },
      },
    );

    const { validation } = await land(landed?.key ?? '', policies);
    const [report] = JSON.parse((await cli.catch((failed) => failed)).stdout);

    assert.equal(landed?.key, 'inbound/lab/x.ndjson');
    assert.equal(report.policy, 'drop');
    assert.equal(report.policy, validation.policy);
    assert.equal(report.records.accepted, validation.records.staged);
    assert.equal(report.verdict, 'rejected');
  });
});
