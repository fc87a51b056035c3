import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { BlobStore } from '../../shared/adapters/blob-store.ts';
import { LocalBlobStore } from '../../shared/adapters/local-blob-store.ts';
import { dropIdFor } from '../../shared/drop/identity.ts';
import { takeInDrop } from '../../shared/drop/intake.ts';
import { QuarantineWriter, reportKey } from '../../shared/drop/quarantine.ts';
import { validateDrop } from '../../shared/validation/validate-drop.ts';
import { silentLogger, TEST_CONFIG } from '../helpers/aws.ts';
import {
  asArray,
  branches,
  type Json,
  loadTemplate,
  ROOT,
  type Template,
  text,
} from './template.ts';

const require = createRequire(import.meta.url);
const allowList = require('../../infra/wildcard-allow-list.cjs') as Record<
  string,
  string
>;

type Statement = {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: Json;
  NotResource?: unknown;
  Sid?: string;
};
type Found = { owner: string; statement: Statement };

let template: Template;

/** Every statement of every identity policy, both branches of each Fn::If. */
const identityStatements = (): Found[] => {
  const found: Found[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const documents =
      resource.Type === 'AWS::IAM::Role'
        ? (resource.Properties.Policies ?? []).map(
            (p: Json) => p.PolicyDocument,
          )
        : ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy'].includes(
              resource.Type,
            )
          ? [resource.Properties.PolicyDocument]
          : [];
    for (const document of documents) {
      for (const entry of document.Statement) {
        for (const statement of branches(entry))
          found.push({ owner: id, statement });
      }
    }
  }

  return found;
};

/** Problems the checker finds in one Allow statement. */
const problems = ({ owner, statement }: Found): string[] => {
  if (statement.Effect !== 'Allow') return [];
  const actions = asArray(statement.Action ?? []);
  const resources = asArray(statement.Resource ?? []);
  const found: string[] = [];
  if (statement.NotAction || statement.NotResource) {
    found.push(`${owner}: NotAction/NotResource in an Allow`);
  }
  for (const action of actions) {
    if (action.includes('*')) found.push(`${owner}: wildcard action ${action}`);
  }
  if (resources.includes('*')) {
    for (const action of actions) {
      if (!(action in allowList)) {
        found.push(`${owner}: ${action} on Resource "*" is not allow-listed`);
      }
    }
  }

  return found;
};

const actionsOf = (owner: string): Set<string> =>
  new Set(
    identityStatements()
      .filter((f) => f.owner === owner && f.statement.Effect === 'Allow')
      .flatMap((f) => asArray(f.statement.Action ?? [])),
  );

const resourcesFor = (owner: string, action: string): string =>
  text(
    identityStatements()
      .filter(
        (f) =>
          f.owner === owner &&
          f.statement.Effect === 'Allow' &&
          asArray(f.statement.Action ?? []).includes(action),
      )
      .map((f) => f.statement.Resource),
  );

describe('the IAM checker', () => {
  before(() => {
    template = loadTemplate();
  });

  it('flags a wildcard action, a wildcard resource and NotAction', () => {
    const bad: Found[] = [
      {
        owner: 'A',
        statement: { Effect: 'Allow', Action: '*', Resource: 'x' },
      },
      {
        owner: 'B',
        statement: { Effect: 'Allow', Action: 's3:Get*', Resource: 'x' },
      },
      {
        owner: 'C',
        statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      },
      {
        owner: 'D',
        statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: 'x' },
      },
    ];

    const found = bad.flatMap(problems);

    assert.equal(found.length, 4);
  });

  it('accepts an allow-listed action on Resource "*" and any Deny', () => {
    const good: Found[] = [
      {
        owner: 'A',
        statement: {
          Effect: 'Allow',
          Action: 'logs:CreateLogDelivery',
          Resource: '*',
        },
      },
      {
        owner: 'B',
        statement: { Effect: 'Deny', Action: 's3:*', Resource: '*' },
      },
    ];

    const found = good.flatMap(problems);

    assert.deepEqual(found, []);
  });

  it('finds no wildcard action or unlisted wildcard resource in the template', () => {
    const statements = identityStatements();

    const found = statements.flatMap(problems);

    assert.ok(statements.length > 40);
    assert.deepEqual(found, []);
  });

  it('documents every allow-listed action in the README', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

    for (const action of Object.keys(allowList)) {
      assert.ok(doc.includes(action), action);
    }
  });

  it('uses wildcards in key policies only for the key itself', () => {
    const keys = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::KMS::Key',
    );

    for (const key of keys) {
      for (const statement of key.Properties.KeyPolicy.Statement) {
        // In a key policy, Resource "*" means this key.
        assert.equal(statement.Resource, '*');
        if (statement.Action === 'kms:*') {
          assert.match(text(statement.Principal), /:root"/);
        }
      }
    }
  });
});

describe('roles', () => {
  before(() => {
    template = loadTemplate();
  });

  it('lets the validate function read and remove landing objects, stage, quarantine and start executions', () => {
    const actions = actionsOf('ValidateDropRole');

    for (const action of [
      's3:GetObject',
      's3:GetObjectVersion',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:PutObject',
      'states:StartExecution',
      'states:DescribeExecution',
      'sqs:SendMessage',
    ]) {
      assert.ok(actions.has(action), action);
    }
    assert.match(
      resourcesFor('ValidateDropRole', 's3:DeleteObject'),
      /-landing\/\*/,
    );
    assert.doesNotMatch(
      resourcesFor('ValidateDropRole', 's3:PutObject'),
      /-landing|-curated|-archive/,
    );
  });

  it('allows every storage call the intake makes on its hardest paths', async () => {
    const calls = await intakeStorageCalls();
    const zoneOf = (bucket: string) => bucket.replace(/^test-/, '');

    assert.ok(calls.length > 0);
    for (const { action, bucket } of calls) {
      const zone = zoneOf(bucket);
      const resources = resourcesFor('ValidateDropRole', action);
      const pattern = action === 's3:ListBucket' ? `-${zone}"` : `-${zone}/*`;
      assert.ok(resources.includes(pattern), `${action} on ${zone}`);
    }
  });

  it('gives the build-quality-query function nothing but its logs', () => {
    const actions = [...actionsOf('BuildQualityQueryRole')].filter(
      (a) => !a.startsWith('xray:'),
    );

    assert.deepEqual(actions.sort(), [
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });

  it('lets only the tiering function write to the archive bucket', () => {
    const writers = identityStatements()
      .filter(
        (f) =>
          f.statement.Effect === 'Allow' &&
          asArray(f.statement.Action ?? []).includes('s3:PutObject') &&
          /-archive\//.test(text(f.statement.Resource)),
      )
      .map((f) => f.owner);

    assert.deepEqual(writers, ['TierRawFileRole']);
  });

  it('lets the notify function publish to the topic and read and write manifests only', () => {
    const actions = actionsOf('NotifyExecutionStatusRole');

    assert.ok(actions.has('sns:Publish'));
    assert.equal(
      resourcesFor('NotifyExecutionStatusRole', 'sns:Publish'),
      '[{"Ref":"AlertTopic"}]',
    );
    assert.match(
      resourcesFor('NotifyExecutionStatusRole', 's3:GetObject'),
      /-manifests\/\*/,
    );
    // It records the failure and the alert on the drop's manifest.
    assert.equal(
      resourcesFor('NotifyExecutionStatusRole', 's3:PutObject'),
      resourcesFor('NotifyExecutionStatusRole', 's3:GetObject'),
    );
    assert.doesNotMatch(
      resourcesFor('NotifyExecutionStatusRole', 's3:PutObject'),
      /-(landing|staged|curated|archive|quarantine)/,
    );
  });

  it('grants the state machine every integration its ASL calls', () => {
    const actions = actionsOf('StateMachineRole');

    for (const action of [
      'glue:StartCrawler',
      'glue:GetCrawler',
      'glue:StartJobRun',
      'glue:GetJobRun',
      'glue:GetJobRuns',
      'glue:BatchStopJobRun',
      'athena:StartQueryExecution',
      'athena:GetQueryExecution',
      'athena:StopQueryExecution',
      'glue:GetTable',
      'glue:GetDatabase',
      'glue:GetPartitions',
      'lambda:InvokeFunction',
      'sns:Publish',
      'kms:GenerateDataKey',
    ]) {
      assert.ok(actions.has(action), action);
    }
    const invoked = resourcesFor('StateMachineRole', 'lambda:InvokeFunction');
    for (const fn of [
      'BuildQualityQuery',
      'EvaluateQuality',
      'TierRawFile',
      'RecordFailure',
    ]) {
      assert.ok(invoked.includes(`${fn}LambdaFunction`), fn);
    }
    assert.ok(!invoked.includes('ValidateDrop'));
  });

  it('lets the crawler change only the staged_ tables', () => {
    const tables = resourcesFor('CrawlerRole', 'glue:CreateTable');

    assert.match(tables, /table\/hie_drop_pipeline_dev\/staged_\*/);
  });
});

/** Store methods as the S3 actions IAM checks them against. */
const ACTIONS: Record<string, string[]> = {
  read: ['s3:GetObject'],
  head: ['s3:GetObject'],
  write: ['s3:PutObject'],
  create: ['s3:PutObject'],
  writeStream: ['s3:PutObject', 's3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
  list: ['s3:ListBucket'],
};

/**
 * Every (action, bucket) `takeInDrop` uses on a local store, over drops
 * that reach the paths the plain tests do not: a whole rejection after
 * staging began, a repeated resource id, the same bytes under a new ETag.
 */
async function intakeStorageCalls() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-intake-'));
  const local = new LocalBlobStore(root);
  const calls: Array<{ action: string; bucket: string }> = [];
  const store = new Proxy(local, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || !(String(name) in ACTIONS)) {
        return value;
      }
      return (...args: unknown[]) => {
        const first = args[0];
        if (name === 'copy') {
          const [from, to] = args as [{ bucket: string }, { bucket: string }];
          calls.push({ action: 's3:GetObject', bucket: from.bucket });
          calls.push({ action: 's3:PutObject', bucket: to.bucket });
        } else {
          for (const action of ACTIONS[String(name)] ?? []) {
            calls.push({ action, bucket: String(first) });
          }
        }
        return value.apply(target, args);
      };
    },
  }) as BlobStore;
  const patient = (id: string) =>
    JSON.stringify({ resourceType: 'Patient', id, gender: 'female' });
  const drops = [
    `${patient('a')}\n{"resourceType":"Patient","id":"b","gender":7}\n`,
    `${patient('c')}\n${patient('c')}\n`,
    `${patient('d')}\n{"resourceType":"Pat`,
  ];
  const workflow = { start: async () => ({ status: 'started' as const }) };
  const config = {
    ...TEST_CONFIG,
    feedPolicies: [['feed/0', 'drop']] as const,
  };
  const land = async (key: string, body: string, eTag: string) => {
    await local.write(config.buckets.landing, key, body);
    await takeInDrop(
      { config, store, workflow, logger: silentLogger() },
      {
        bucket: config.buckets.landing,
        key,
        size: body.length,
        eTag,
        eventTime: '2026-12-04T10:00:00.000Z',
      },
    );
  };
  for (const [i, body] of drops.entries()) {
    await land(`feed/${i}.ndjson`, body, `etag-${i}`);
  }
  await land('feed/1.ndjson', drops[1] ?? '', 'etag-kms');
  fs.rmSync(root, { recursive: true, force: true });

  return calls;
}

/** Keys the quarantine writer leaves for a drop from `source`: data and report. */
const quarantineKeys = async (source: string, bytes: Buffer) => {
  const written = new Set<string>();
  const store = {
    writeStream: async (
      _bucket: string,
      key: string,
      body: AsyncIterable<unknown>,
    ) => {
      for await (const _ of body);
      written.add(key);
    },
    copy: async (_from: unknown, to: { key: string }) => {
      written.add(to.key);
    },
    delete: async (_bucket: string, key: string) => {
      written.delete(key);
    },
  } as unknown as BlobStore;
  const dropId = dropIdFor({ bucket: 'landing', key: source, eTag: 'e' });
  const decision = validateDrop(bytes, { fileName: source });
  const writer = new QuarantineWriter(store, 'quarantine', {
    dropId,
    source: { bucket: 'landing', key: source },
  });
  for (const record of decision.validation.records) {
    if (record.accepted) continue;
    const span = record.span;
    await writer.reject(record, span && bytes.subarray(span.start, span.end));
  }
  const outcome =
    decision.accepted.length === 0 ? 'rejected' : 'partially-accepted';
  await writer.finish({
    format: decision.validation.format,
    policy: decision.policy,
    outcome,
    records: { in: 0, staged: 0, quarantined: 0 },
    fileIssues: [],
  });
  const reports = [reportKey(dropId)];

  return {
    outcomes: [outcome],
    reports,
    data: [...written].filter((key) => !reports.includes(key)),
  };
};

const quarantineArn = (key: string) =>
  `arn:aws:s3:::hie-drop-pipeline-dev-123456789012-quarantine/${key}`;

/** An IAM resource pattern as a regular expression: `*` spans `/`. */
const arnPattern = (resource: Json): RegExp => {
  const arn = String(resource['Fn::Sub'] ?? resource)
    .replace(/\$\{AWS::Partition\}/g, 'aws')
    .replace(/\$\{AWS::AccountId\}/g, '123456789012');
  const body = arn
    .split('')
    .map((c) =>
      c === '*'
        ? '.*'
        : c === '?'
          ? '.'
          : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');

  return new RegExp(`^${body}$`);
};

/** IAM's verdict on s3:GetObject of `arn`: an explicit deny wins. */
const s3Read = (statements: Statement[], arn: string) => {
  const matching = statements.filter(
    (s) =>
      asArray(s.Action ?? []).includes('s3:GetObject') &&
      asArray(s.Resource ?? []).some((r) => arnPattern(r).test(arn)),
  );
  if (matching.some((s) => s.Effect === 'Deny')) return 'deny';

  return matching.length > 0 ? 'allow' : 'implicit deny';
};

describe('the operator policy', () => {
  let statements: Statement[];

  before(() => {
    template = loadTemplate();
    const policy = template.Resources.OperatorReplayPolicy;
    assert.equal(policy?.Type, 'AWS::IAM::ManagedPolicy');
    statements = policy?.Properties.PolicyDocument.Statement.flatMap(branches);
  });

  const allowed = () =>
    statements
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => asArray(s.Action ?? []));

  it('allows reading, starting and redriving executions', () => {
    const actions = allowed();

    for (const action of [
      'states:DescribeExecution',
      'states:GetExecutionHistory',
      'states:ListExecutions',
      'states:StartExecution',
      'states:RedriveExecution',
    ]) {
      assert.ok(actions.includes(action), action);
    }
  });

  it('allows reading quarantine reports and manifests, and no other object', () => {
    const reads = statements.filter(
      (s) =>
        s.Effect === 'Allow' &&
        asArray(s.Action ?? []).includes('s3:GetObject'),
    );
    const resources = reads.flatMap((s) => asArray(s.Resource)).map(text);

    assert.equal(resources.length, 2);
    assert.match(resources[0] ?? '', /-quarantine\/\?{32}\/report\.json/);
    assert.match(resources[1] ?? '', /-manifests\/\*/);
  });

  it('denies reading raw, staged, curated, archived and quarantined raw data', () => {
    const deny = statements.find((s) => s.Effect === 'Deny');
    const resources = text(deny?.Resource);

    assert.deepEqual(deny?.Action, ['s3:GetObject', 's3:GetObjectVersion']);
    for (const zone of [
      '-quarantine/*/*/*',
      '-landing/*',
      '-staged/*',
      '-curated/*',
      '-archive/*',
    ]) {
      assert.ok(resources.includes(zone), zone);
    }
  });

  it('denies every quarantined byte and allows only the report, whatever the file names', async () => {
    const source = 'inbound/lab/report.json';
    const good = fs.readFileSync(
      path.join(ROOT, 'samples/fhir/vitals_export.ndjson'),
    );
    const bad = Buffer.from('{"resourceType":"Patient","gender":7}\n');
    const partly = await quarantineKeys(source, Buffer.concat([good, bad]));
    const whole = await quarantineKeys(source, bad);

    const dataKeys = [...partly.data, ...whole.data];
    assert.deepEqual(partly.outcomes, ['partially-accepted']);
    assert.deepEqual(whole.outcomes, ['rejected']);
    assert.ok(dataKeys.some((key) => key.endsWith('/rejected/report.json')));
    for (const key of dataKeys) {
      assert.equal(s3Read(statements, quarantineArn(key)), 'deny', key);
    }
    for (const key of [...partly.reports, ...whole.reports]) {
      assert.equal(s3Read(statements, quarantineArn(key)), 'allow', key);
    }
  });

  it('allows no Athena, Glue or Lambda action that could read PHI', () => {
    const risky = allowed().filter((a) =>
      /^(athena|glue|lambda|s3:PutObject|s3:Delete)/.test(a),
    );

    assert.deepEqual(risky, []);
  });
});
