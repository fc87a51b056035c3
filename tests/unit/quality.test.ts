import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AthenaClient, GetQueryResultsCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { Engine } from '../../local/engines/duckdb.ts';
import { LocalBlobStore } from '../../shared/adapters/local-blob-store.ts';
import { AthenaResultsReader } from '../../shared/adapters/query-results.ts';
import { saveManifest } from '../../shared/drop/manifest.ts';
import { evaluateQuality } from '../../shared/quality/evaluate.ts';
import { qualityQuery } from '../../shared/quality/sql.ts';
import { silentLogger, TEST_CONFIG } from '../helpers/aws.ts';

const DROP = 'a'.repeat(32);
const scope = {
  dropId: DROP,
  ingestDate: '2026-12-04',
  stagedCounts: { Patient: 3, Observation: 2 },
};

/** Curated tables as plain DuckDB tables holding one drop's rows. */
async function tables(engine: Engine, patients: string, observations: string) {
  await engine.rows(
    `CREATE OR REPLACE TABLE patient AS SELECT * FROM (VALUES ${patients}) t(id, gender, link_type, drop_id, ingest_date)`,
  );
  await engine.rows(
    `CREATE OR REPLACE TABLE observation AS SELECT * FROM (VALUES ${observations}) t(id, patient_id, status, code, drop_id, ingest_date)`,
  );
}

const row = (...values: Array<string | null>) =>
  `(${values.map((v) => (v === null ? 'NULL' : `'${v}'`)).join(', ')})`;
const pat = (
  id: string | null,
  gender: string | null,
  linkType: string | null = null,
) => row(id, gender, linkType, DROP, '2026-12-04');
const obs = (id: string, patient: string, status: string | null) =>
  row(id, patient, status, '1234-5', DROP, '2026-12-04');

function failures(rows: Array<Record<string, unknown>>) {
  return rows
    .filter((r) => Number(r.failed) > 0)
    .map(
      (r) =>
        `${r.rule_id}:${r.table_name}${r.column_name ? `.${r.column_name}` : ''}`,
    )
    .sort();
}

describe('quality query', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.open();
  });
  after(() => engine.close());

  it('passes a drop whose rows reconcile, are unique, complete and linked', async () => {
    await tables(
      engine,
      [
        pat('p1', 'female'),
        pat('p2', 'male', 'replaces'),
        pat('p3', 'unknown'),
      ].join(','),
      [obs('o1', 'p1', 'final'), obs('o2', 'p2', 'final')].join(','),
    );

    const rows = await engine.rows(qualityQuery(scope));

    assert.deepEqual(failures(rows), []);
    assert.ok(rows.length >= 8);
  });

  it('names each broken rule: count, duplicates, nulls, bad codes and orphans', async () => {
    await tables(
      engine,
      [pat('p1', 'female'), pat('p1', 'F', 'merged'), pat(null, 'male')].join(
        ',',
      ),
      [obs('o1', 'p9', null)].join(','),
    );

    const rows = await engine.rows(qualityQuery(scope));

    assert.deepEqual(failures(rows), [
      'gender_allowed:patient.gender',
      'id_unique:patient.id',
      'observation_patient_exists:observation.patient_id',
      'patient_link_type_allowed:patient.link_type',
      'required_not_null:observation.status',
      'required_not_null:patient.id',
      'row_count_matches_staged:observation',
    ]);
  });

  it('checks only the tables this drop fed', () => {
    const sql = qualityQuery({ ...scope, stagedCounts: { Condition: 1 } });

    assert.match(sql, /"condition"/);
    assert.doesNotMatch(sql, /FROM "patient" t/);
  });
});

describe('evaluateQuality', () => {
  const athena = mockClient(AthenaClient);
  let root: string;
  let store: LocalBlobStore;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dq-'));
    store = new LocalBlobStore(root);
  });
  after(() => rm(root, { recursive: true, force: true }));

  const header = {
    Data: [
      'rule_id',
      'table_name',
      'column_name',
      'severity',
      'failed',
      'observed',
      'expected',
    ].map((v) => ({ VarCharValue: v })),
  };
  const result = (rule: string, failed: number, severity = 'error') => ({
    Data: [rule, 'patient', 'id', severity, String(failed), '3', undefined].map(
      (v) => ({ VarCharValue: v }),
    ),
  });

  async function evaluate() {
    await saveManifest(store, TEST_CONFIG.buckets.manifests, {
      schemaVersion: 1,
      dropId: DROP,
      source: { bucket: 'b', key: 'k', eTag: 'e', size: 1 },
      receivedAt: '',
      ingestDate: '2026-12-04',
      status: 'curating',
      timings: {},
      updatedAt: '',
    });
    return evaluateQuality(
      {
        config: TEST_CONFIG,
        store,
        queryResults: new AthenaResultsReader(
          new AthenaClient({ region: 'us-east-1' }),
        ),
        logger: silentLogger(),
      },
      { dropId: DROP, ingestDate: '2026-12-04', queryExecutionId: 'q-1' },
    );
  }

  it('reads every result page, not just the first', async () => {
    athena.reset();
    athena.on(GetQueryResultsCommand, { NextToken: undefined }).resolves({
      ResultSet: { Rows: [header, result('r1', 0)] },
      NextToken: 't2',
    });
    athena
      .on(GetQueryResultsCommand, { NextToken: 't2' })
      .resolves({ ResultSet: { Rows: [result('r2', 1)] } });

    await assert.rejects(evaluate(), {
      name: 'QualityCheckFailed',
      message: /r2\(patient\.id\)/,
    });
    assert.equal(athena.commandCalls(GetQueryResultsCommand).length, 2);
  });

  it('lets a drop through when only warnings fail, and records them', async () => {
    athena.reset();
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        Rows: [header, result('r1', 0), result('orphans', 4, 'warning')],
      },
    });

    const outcome = await evaluate();
    const dq = JSON.parse(
      await (await import('node:fs/promises')).readFile(
        store.pathOf(
          TEST_CONFIG.buckets.dq,
          `results/ingest_date=2026-12-04/${DROP}.json`,
        ),
        'utf8',
      ),
    );

    assert.deepEqual(outcome, { passed: true, rules: 2, failedRules: 1 });
    assert.equal(dq.rules[1].failed, 4);
  });
});
