/**
 * Every folder under `shared/cases` behaves as its case.md says. Cases
 * already tested elsewhere are referenced, not repeated: the walk checks
 * that the named test file exists and exercises the case. The AWS-side
 * cases (s3-*, sfn-*, glue-*, sdk-client-mock-pitfalls) are checked here
 * against their fixtures: what our event parser, naming, state machine and
 * test suite do with them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createHandler } from '../../functions/validate-drop/handler.ts';
import { dropIdFor, executionNameFor } from '../../shared/drop/identity.ts';
import { executionInput } from '../../shared/drop/intake.ts';
import type { Manifest } from '../../shared/drop/manifest.ts';
import { parseS3Event } from '../../shared/drop/s3-event.ts';
import { validateStream } from '../../shared/validation/stream.ts';
import { silentLogger, TEST_CONFIG } from '../helpers/aws.ts';
import { CASES, REPO } from '../helpers/paths.ts';

const folders = readdirSync(CASES)
  .filter((name) => statSync(new URL(name, CASES)).isDirectory())
  .sort();

/** Cases whose behaviour another test file pins, by that file. */
const TESTED_ELSEWHERE: Readonly<Record<string, string>> = {
  'fhir-bad-resourcetype-or-xml': 'tests/unit/fhir/cases.test.ts',
  'fhir-bundle-types': 'tests/unit/fhir/cases.test.ts',
  'fhir-ndjson-blank-lines': 'tests/unit/fhir/cases.test.ts',
  'fhir-primitive-extensions': 'tests/unit/fhir/cases.test.ts',
  'fhir-utf8-bom': 'tests/unit/fhir/cases.test.ts',
  'hl7-batch-fhs-bhs': 'tests/unit/hl7/cases.test.ts',
  'hl7-charset-latin1': 'tests/unit/hl7/charset.test.ts',
  'hl7-embedded-lf-in-field': 'tests/unit/hl7/cases.test.ts',
  'hl7-large-obx-ed': 'tests/unit/hl7/cases.test.ts',
  'hl7-lf-terminators': 'tests/unit/hl7/cases.test.ts',
  'hl7-missing-msh10': 'tests/unit/hl7/cases.test.ts',
  'hl7-mllp-framing-in-file': 'tests/unit/hl7/cases.test.ts',
  'hl7-multiple-msh-no-envelope': 'tests/unit/hl7/cases.test.ts',
  'hl7-repetitions-subcomponents': 'tests/unit/hl7/cases.test.ts',
  'hl7-z-segments': 'tests/unit/hl7/cases.test.ts',
  's3-duplicate-delivery': 'tests/unit/s3-event.test.ts',
  's3-key-url-encoding': 'tests/unit/s3-event.test.ts',
  's3-test-event': 'tests/unit/s3-event.test.ts',
};

/** Cases checked in this file. */
const TESTED_HERE = new Set([
  'glue-concurrent-runs',
  'glue-crawler-running',
  's3-recursive-trigger',
  'sdk-client-mock-pitfalls',
  'sfn-execution-name-limits',
  'sfn-payload-256kb',
  'sfn-redrive-replay',
]);

function fixture(name: string, file: string): unknown {
  return JSON.parse(readFileSync(new URL(`${name}/${file}`, CASES), 'utf8'));
}

function repoText(path: string): string {
  return readFileSync(new URL(path, REPO), 'utf8');
}

interface AslState {
  Type: string;
  Next?: string;
  Default?: string;
  Retry?: {
    ErrorEquals: string[];
    BackoffRate?: number;
    JitterStrategy?: string;
    MaxAttempts?: number;
  }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Choices?: { Next: string }[];
}

const ASL = JSON.parse(repoText('state-machines/drop-pipeline.asl.json')) as {
  States: Record<string, AslState>;
};

function state(name: string): AslState {
  const found = ASL.States[name];
  assert.ok(found, `state ${name}`);
  return found;
}

function catchTarget(name: string, error: string): string | undefined {
  return state(name).Catch?.find((c) => c.ErrorEquals.includes(error))?.Next;
}

describe('every case under shared/cases', () => {
  for (const name of folders) {
    it(`${name} is tested here or by the file that pins it`, () => {
      const elsewhere = TESTED_ELSEWHERE[name];

      if (elsewhere) assert.match(repoText(elsewhere), new RegExp(name));
      else assert.ok(TESTED_HERE.has(name), `no test for case ${name}`);
    });
  }
});

describe('case glue-concurrent-runs', () => {
  it('waits for Glue capacity on the error the fixture carries, then retries the job', () => {
    const error = fixture(
      'glue-concurrent-runs',
      'start_job_run_error.json',
    ) as { __type: string };

    const target = catchTarget('RunGlueJob', `Glue.${error.__type}`);

    assert.equal(target, 'WaitForGlueCapacity');
    assert.equal(state('WaitForGlueCapacity').Type, 'Wait');
    assert.equal(state('WaitForGlueCapacity').Next, 'CheckCuration');
  });

  it('retries Glue throttling with jittered backoff and alerts only from the catch-all', () => {
    const retry = state('RunGlueJob').Retry?.find((r) =>
      r.ErrorEquals.includes('Glue.ThrottlingException'),
    );

    assert.ok(retry && (retry.BackoffRate ?? 1) > 1);
    assert.equal(retry.JitterStrategy, 'FULL');
    assert.equal(catchTarget('RunGlueJob', 'States.ALL'), 'NoteGlueJobFailure');
  });
});

describe('case glue-crawler-running', () => {
  it('joins a running crawl: waits and polls GetCrawler until READY', () => {
    const error = fixture(
      'glue-crawler-running',
      'start_crawler_error.json',
    ) as { __type: string };

    assert.equal(
      catchTarget('StartCrawler', `Glue.${error.__type}`),
      'WaitForCrawler',
    );
    assert.equal(state('WaitForCrawler').Next, 'GetCrawler');
    assert.equal(state('IsCrawlerDone').Default, 'WaitForCrawler');
  });

  it('moves on only when the fixture sequence reaches READY', () => {
    const sequence = fixture(
      'glue-crawler-running',
      'get_crawler_sequence.json',
    ) as {
      Crawler: { State: string };
    }[];

    const ready = sequence.findIndex((step) => step.Crawler.State === 'READY');

    assert.ok(ready > 0, 'the crawler is busy first, then READY');
    assert.ok(
      state('IsCrawlerDone').Choices?.some((c) => c.Next === 'CheckCuration'),
    );
  });
});

describe('case s3-recursive-trigger', () => {
  // The landing bucket holds only drops: quarantine, staged, curated and the
  // archive are buckets of their own, and the notification is scoped to the
  // inbound/ prefix (serverless.yml landingPrefix). The handler also skips
  // keys outside that prefix and copies made by the pipeline's own roles.
  it('starts 0 executions for the three self-caused events', async () => {
    const files = [
      'event_inplace_storage_class_change.json',
      'event_quarantine_write_same_bucket.json',
      'event_self_metadata_copy.json',
    ];
    const calls: string[] = [];
    const recorder = new Proxy(
      {},
      { get: (_target, name) => () => calls.push(String(name)) },
    );
    const handle = createHandler({
      config: {
        ...TEST_CONFIG,
        landingPrefixes: ['inbound/'],
        pipelinePrincipals: ['ingest-validator', 'tier-raw-to-glacier'],
      },
      store: recorder as never,
      workflow: recorder as never,
      logger: silentLogger(),
    });

    const results = [];
    for (const file of files) {
      results.push(...(await handle(fixture('s3-recursive-trigger', file))));
    }

    assert.deepEqual(results, []);
    assert.deepEqual(calls, []);
  });

  it('scopes the notification to the inbound/ prefix', () => {
    assert.match(repoText('serverless.yml'), /landingPrefix: inbound\//);
  });
});

describe('case sdk-client-mock-pitfalls', () => {
  const mocking = [
    'tests/unit/validate-drop-handler.test.ts',
    'tests/unit/quality.test.ts',
  ];

  it('mocks clients by class and fails on any unexpected command', () => {
    for (const file of mocking) {
      const text = repoText(file);

      assert.match(text, /mockClient\([A-Z][A-Za-z]*Client\)/);
      assert.match(text, /\.reset\(\)/);
    }
  });

  it('defaults the handler mocks to reject any command not declared', () => {
    const text = repoText('tests/unit/validate-drop-handler.test.ts');

    assert.match(text, /s3\.onAnyCommand\(\)\.rejects/);
    assert.match(text, /sfn\.onAnyCommand\(\)\.rejects/);
  });

  it('installs one @smithy/types, and one version range of the @aws-sdk clients', () => {
    const lock = repoText('package-lock.json');
    const pkg = JSON.parse(repoText('package.json')) as {
      dependencies: Record<string, string>;
    };

    const smithy = lock.match(/"node_modules\/(?:.*\/)?@smithy\/types"/g) ?? [];
    const ranges = Object.entries(pkg.dependencies)
      .filter(([name]) => name.startsWith('@aws-sdk/'))
      .map(([, range]) => range);

    assert.equal(smithy.length, 1);
    assert.equal(new Set(ranges).size, 1);
  });
});

describe('case sfn-execution-name-limits', () => {
  const event = fixture(
    'sfn-execution-name-limits',
    'event_long_unicode_key.json',
  );

  it('names the execution within the Step Functions limits, deterministically', () => {
    const parsed = parseS3Event(event);
    assert.equal(parsed.kind, 'objects');
    const [object] = parsed.kind === 'objects' ? parsed.objects : [];
    assert.ok(object);

    const name = executionNameFor(object.key, dropIdFor(object));
    const again = executionNameFor(object.key, dropIdFor({ ...object }));
    // Drops are identified by content (ETag): new bytes, new name.
    const other = executionNameFor(
      object.key,
      dropIdFor({ ...object, eTag: 'another-etag' }),
    );

    assert.match(name, /^[A-Za-z0-9_-]{1,80}$/);
    assert.equal(again, name);
    assert.notEqual(other, name);
  });
});

describe('case sfn-payload-256kb', () => {
  it('accepts the 5000-message batch and keeps the execution input small', async () => {
    const batch = bigBatch(5000);
    const outcome = await validateStream(
      once(batch),
      { fileName: 'big_batch.hl7', map: false },
      () => {},
    );
    const input = executionInput(manifestFor(outcome.records.accepted), {
      Patient: 5000,
      Observation: 5000,
    });

    assert.deepEqual(outcome.records, {
      in: 5000,
      accepted: 5000,
      rejected: 0,
    });
    assert.equal(outcome.rejectAll, false);
    assert.ok(Buffer.byteLength(JSON.stringify(input)) < 32 * 1024);
  });
});

describe('case sfn-redrive-replay', () => {
  it('gives a replayed event the same drop id, so intake sees a duplicate', () => {
    const object = {
      bucket: 'landing',
      key: 'inbound/hl7/adt.hl7',
      size: 10,
      eTag: 'e',
      versionId: 'v1',
      eventTime: '2024-01-05T10:00:00.000Z',
    };

    const later = { ...object, eventTime: '2024-01-19T10:00:00.000Z' };

    assert.equal(dropIdFor(later), dropIdFor(object));
  });

  it('runs as a standard workflow, so a failed execution can be redriven', () => {
    assert.match(repoText('tests/infra/workflow.test.ts'), /can be redriven/);
  });
});

async function* once(bytes: Uint8Array) {
  yield bytes;
}

/** The case's generator, in TypeScript: a batch of N small ORU^R01. */
function bigBatch(count: number): Uint8Array {
  const segments = [
    'FHS|^~\\&|LABSYS|LABFAC|RECVAPP|RECVFAC|20240105090000||||FILE-BIG-0001',
    'BHS|^~\\&|LABSYS|LABFAC|RECVAPP|RECVFAC|20240105090000||||BATCH-BIG-0001',
  ];
  for (let i = 1; i <= count; i++) {
    const id = String(i).padStart(6, '0');
    segments.push(
      `MSH|^~\\&|LABSYS|LABFAC|RECVAPP|RECVFAC|20240105090000||ORU^R01^ORU_R01|CTRL-BIG-${id}|P|2.5.1`,
      `PID|1||9${String(i).padStart(5, '0')}^^^HOSP^MR||DOE^JANE||19800101|F`,
      `OBR|1|ORD-${i}||2345-7^Glucose^LN|||20240105070000`,
      `OBX|1|NM|2345-7^Glucose^LN||${70 + (i % 100)}|mg/dL|70-99||||F`,
    );
  }
  segments.push(`BTS|${count}`, 'FTS|1');
  return Buffer.from(`${segments.join('\r')}\r`);
}

function manifestFor(messages: number): Manifest {
  return {
    schemaVersion: 1,
    dropId: 'd'.repeat(40),
    source: {
      bucket: 'landing',
      key: 'inbound/hl7/big_batch.hl7',
      versionId: 'vBig1',
      eTag: 'e',
      size: messages,
      sha256: '0'.repeat(64),
    },
    receivedAt: '2024-01-05T10:00:00.000Z',
    ingestDate: '2024-01-05',
    format: 'hl7v2',
    status: 'curating',
    timings: {},
    updatedAt: '2024-01-05T10:00:00.000Z',
  };
}
