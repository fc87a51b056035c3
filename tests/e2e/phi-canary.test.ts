import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FaultStage } from '../../local/pipeline.ts';
import { filesUnder } from '../../shared/adapters/local-blob-store.ts';
import { INDIVIDUAL_ALERTS_PER_WINDOW } from '../../shared/drop/alert-storm.ts';
import { dropIdFor } from '../../shared/drop/identity.ts';
import { openPipeline } from '../helpers/local.ts';

/**
 * Drops carrying marker values in every PHI field go down every path the
 * pipeline has (curated, quarantined whole, quarantined in part, failed at
 * each stage), and nothing an operator can see may contain a marker: log
 * lines, alerts, manifests, quarantine reports, quality results, execution
 * records (their input) and the catalog.
 */
const MARK = 'QQCANARY';
const hl7 = (n: number) =>
  [
    `MSH|^~\\&|APP|FAC|HIE|HIE|20261203081500||ADT^A01^ADT_A01|CTRL${n}|P|2.5.1`,
    'EVN|A01|20261203081500',
    `PID|1||${MARK}MRN${n}^^^FAC^MR||${MARK}FAMILY${n}^${MARK}GIVEN||19111111|F|||1 ${MARK} St^^${MARK}CITY^IL^6${n}||^PRN^PH^^1^217^${n}5550101`,
    `PV1|1|I|${MARK}WARD^1^A`,
    `DG1|1||J18.9^${MARK}DIAGNOSIS^I10`,
    `OBX|1|ST|8302-2^Height^LN||${MARK}VALUE${n}||||||F`,
  ].join('\r');
const patient = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    resourceType: 'Patient',
    id,
    name: [{ family: `${MARK}FAMILY`, given: [`${MARK}GIVEN`] }],
    birthDate: '1911-11-11',
    address: [{ line: [`1 ${MARK} Road`], city: `${MARK}CITY` }],
    ...extra,
  });

const STAGES: FaultStage[] = [
  'QueueForCuration',
  'StartCrawler',
  'CheckCuration',
  // A whole Glue job run failing is the local-pipeline test's; here the
  // job's failure is one drop's (CurateDrop), since runs are shared.
  'CurateDrop',
  'BuildQualityQuery',
  'RunQualityQuery',
  'EvaluateQuality',
  'TierRawFile',
];

describe('PHI canary', () => {
  const captured: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  let pipeline: Awaited<ReturnType<typeof openPipeline>>;
  const failAt = new Map<string, FaultStage>();

  before(async () => {
    const previous = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    const capture = (chunk: unknown) => {
      captured.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
      pipeline = await openPipeline({ printAlerts: true });
      pipeline.faults = (stage, drop) =>
        failAt.get(drop.dropId) === stage ? { mode: 'permanent' } : undefined;
      await pipeline.land('canary/ok.hl7', Buffer.from(hl7(0)));
      await pipeline.land(
        'canary/bad-gender.json',
        Buffer.from(patient('c1', { gender: `${MARK}GENDER` })),
      );
      await pipeline.land(
        'canary/mixed.ndjson',
        Buffer.from(
          `${patient('c2')}\n${patient('c3', { birthDate: `${MARK}DATE` })}\n`,
        ),
      );
      for (const [i, stage] of STAGES.entries()) {
        const key = `canary/fail-${stage}.hl7`;
        const bytes = Buffer.from(hl7(i + 1));
        const eTag = createHash('md5').update(bytes).digest('hex');
        failAt.set(dropIdFor({ bucket: 'landing', key, eTag }), stage);
        await pipeline.land(key, bytes);
      }
      await pipeline.drain();
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
      process.env.POWERTOOLS_LOG_LEVEL = previous;
    }
  });
  after(() => pipeline.dispose());

  it('took every path: curated, quarantined and failed at each stage', async () => {
    const statuses = await Promise.all(
      [...pipeline.executions.values()].map(
        async (e) => (await pipeline.manifest(e.input.dropId))?.status,
      ),
    );

    const byStage = await Promise.all(
      [...failAt].map(
        async ([id, stage]) =>
          `${stage}:${(await pipeline.manifest(id))?.status}`,
      ),
    );
    assert.deepEqual(
      byStage,
      STAGES.map((stage) => `${stage}:failed`),
    );
    const landing = await pipeline.store.list('landing', 'canary/fail-');
    assert.equal(
      landing.length,
      STAGES.length,
      'a failed drop keeps its raw file in landing',
    );
    assert.ok(statuses.includes('curated'));
    assert.equal(statuses.filter((s) => s === 'failed').length, STAGES.length);
    // The first five failures are alerted one by one, the rest in one digest.
    const [individual, digests] = [
      pipeline.alerts.sent.filter((a) => !a.subject.includes('(summary)')),
      pipeline.alerts.sent.filter((a) => a.subject.includes('(summary)')),
    ];
    assert.equal(individual.length, INDIVIDUAL_ALERTS_PER_WINDOW);
    assert.equal(digests.length, 1);
    assert.match(
      digests[0]?.subject ?? '',
      new RegExp(
        `${STAGES.length - INDIVIDUAL_ALERTS_PER_WINDOW} more drops failed`,
      ),
    );
    assert.ok(
      captured.join('').includes('"level":"DEBUG"') ||
        captured.join('').includes('"level":"INFO"'),
    );
  });

  it('keeps every marker out of logs and alerts', () => {
    const text = captured.join('');

    assert.ok(text.length > 1000, 'logs were captured');
    assert.equal(
      text.includes(MARK),
      false,
      'a marker reached a log line or an alert',
    );
  });

  it('keeps every marker out of manifests, reports, quality results, executions and the catalog', async () => {
    const folders = ['manifests', 'quarantine', 'dq', 'executions', 'catalog'];
    const leaks: string[] = [];
    for (const folder of folders) {
      for (const file of await filesUnder(join(pipeline.root, folder))) {
        if (file.includes('/raw/') || file.includes('/rejected/')) continue;
        if ((await readFile(file, 'utf8')).includes(MARK)) leaks.push(file);
      }
    }
    const alerts = await readFile(pipeline.alerts.path, 'utf8');

    assert.deepEqual(leaks, []);
    assert.equal(alerts.includes(MARK), false);
  });

  it('still keeps the quarantined bytes themselves, where only PHI roles can read them', async () => {
    const raw = (await filesUnder(join(pipeline.root, 'quarantine'))).filter(
      (f) => f.includes('/raw/'),
    );

    assert.ok(raw.length >= 1);
    assert.ok((await readFile(raw[0] as string, 'utf8')).includes(MARK));
  });
});
