import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type DeliveryResult,
  type Fault,
  type FaultStage,
  LocalPipeline,
} from './pipeline.ts';

/**
 * `npm run soak -- --drops 1000 --duplicates 0.1 --failures 0.05`
 *
 * A bad night in one command: a burst of generated drops lands at once, a
 * share of them delivered twice, a share failing permanently at a stage
 * picked at random, a few malformed. When the burst has settled the faults
 * are cleared and every failed drop is replayed, as on-call would the next
 * morning. Prints what an HIE is asked about such a night: nothing lost,
 * nothing doubled, how few crawler and job runs the burst needed, how many
 * alerts went out.
 */
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    drops: { type: 'string', default: '1000' },
    duplicates: { type: 'string', default: '0.1' },
    failures: { type: 'string', default: '0.05' },
    invalid: { type: 'string', default: '0.02' },
    seed: { type: 'string', default: '42' },
    concurrency: { type: 'string', default: '250' },
    keep: { type: 'boolean', default: false },
  },
});

const DROPS = Number(values.drops);
const random = seeded(Number(values.seed));
const FAULT_STAGES: FaultStage[] = [
  'StartCrawler',
  'CurateDrop',
  'RunQualityQuery',
  'EvaluateQuality',
  'TierRawFile',
];

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
const root = await mkdtemp(join(tmpdir(), 'soak-'));
const failing = new Map<string, FaultStage>();
const pipeline = await LocalPipeline.open({
  root,
  concurrency: Number(values.concurrency),
  printAlerts: false,
});
const drops = Array.from({ length: DROPS }, (_, i) => generateDrop(i));
for (const drop of drops) {
  if (drop.fails)
    failing.set(
      drop.key,
      FAULT_STAGES[Math.floor(random() * FAULT_STAGES.length)] as FaultStage,
    );
}
pipeline.faults = (stage, drop) => faultFor(stage, drop.dropId);

const started = Date.now();
const results: DeliveryResult[] = [];
const keyOfDrop = new Map<string, string>();
let delivered = 0;
// S3 invokes the validate function for many objects at once, up to its
// reserved concurrency (10 when deployed); land the burst the same way.
const LAMBDA_CONCURRENCY = 10;
const landOne = async (drop: GeneratedDrop) => {
  const [result] = await pipeline.land(drop.key, drop.bytes);
  if (result) {
    results.push(result);
    keyOfDrop.set(result.dropId, drop.key);
  }
  delivered++;
  if (random() < Number(values.duplicates)) {
    await pipeline.land(drop.key, drop.bytes);
    delivered++;
  }
  if (delivered % 100 === 0)
    process.stderr.write(`  landed ${delivered} events\r`);
};
for (let i = 0; i < drops.length; i += LAMBDA_CONCURRENCY) {
  await Promise.all(drops.slice(i, i + LAMBDA_CONCURRENCY).map(landOne));
}
await pipeline.drain();
const burstMs = Date.now() - started;

const afterBurst = await statuses();
const failed = [...afterBurst]
  .filter(([, status]) => status === 'failed')
  .map(([id]) => id);
pipeline.faults = undefined;
for (const dropId of failed) await pipeline.replay(dropId);
const final = await statuses();
const wallMs = Date.now() - started;

const count = (map: Map<string, string>, status: string) =>
  [...map.values()].filter((s) => s === status).length;
const duplicatedRows = await duplicateRows();
const lost = DROPS - count(final, 'curated') - count(final, 'quarantined');

console.log(`
Soak: ${DROPS} drops, ${values.duplicates} duplicated, ${values.failures} failing, ${values.invalid} malformed (seed ${values.seed})
  events delivered            ${delivered}
  drops in                    ${new Set(results.map((r) => r.dropId)).size}
  curated                     ${count(final, 'curated')}
  quarantined                 ${count(final, 'quarantined')}
  failed, then replayed       ${failed.length} (still failed after replay: ${count(final, 'failed')})
  lost                        ${lost}
  duplicated curated rows     ${duplicatedRows}
  crawler runs                ${pipeline.counters.crawlerRuns}
  Glue job runs               ${pipeline.counters.jobRuns}
  executions                  ${pipeline.executions.size}
  alerts sent                 ${pipeline.alerts.sent.length} (${pipeline.alerts.sent.filter((a) => a.subject.includes('(summary)')).length} of them digests)
  burst wall time             ${(burstMs / 1000).toFixed(1)} s
  total wall time             ${(wallMs / 1000).toFixed(1)} s (with replays)
  peak RSS                    ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB
`);
pipeline.close();
if (!values.keep) await rm(root, { recursive: true, force: true });
else console.log(`kept ${root}`);
process.exitCode = lost === 0 && duplicatedRows === 0 ? 0 : 1;

function faultFor(stage: FaultStage, dropId: string): Fault | undefined {
  const key = keyOfDrop.get(dropId);
  return key !== undefined && failing.get(key) === stage
    ? { mode: 'permanent' }
    : undefined;
}

async function statuses(): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const { dropId } of results) {
    map.set(dropId, (await pipeline.manifest(dropId))?.status ?? 'missing');
  }
  return map;
}

/** Rows beyond the first for any (table, resource id): must be zero. */
async function duplicateRows(): Promise<number> {
  const tables = ['patient', 'observation'];
  let total = 0;
  for (const table of tables) {
    const rows = await pipeline.query(
      `select count(*) - count(distinct id) as extra from ${table}`,
    );
    total += Number(rows[0]?.extra ?? 0);
  }
  return total;
}

interface GeneratedDrop {
  key: string;
  bytes: Buffer;
  fails: boolean;
}

/** One synthetic NDJSON drop: a patient and three observations, unique ids. */
function generateDrop(i: number): GeneratedDrop {
  const key = `inbound/soak/batch-${String(Math.floor(i / 100)).padStart(3, '0')}/drop ${i}.ndjson`;
  if (random() < Number(values.invalid)) {
    return {
      key,
      bytes: Buffer.from(`{"resourceType":"Patient","id":"p${i}"\n{broken\n`),
      fails: false,
    };
  }
  const patient = {
    resourceType: 'Patient',
    id: `soak-p${i}`,
    gender: ['female', 'male', 'other', 'unknown'][i % 4],
    birthDate: `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 9}`,
    name: [{ family: `Soak${i}`, given: ['Synthetic'] }],
  };
  const observations = [0, 1, 2].map((j) => ({
    resourceType: 'Observation',
    id: `soak-o${i}-${j}`,
    status: 'final',
    code: {
      coding: [
        {
          system: 'http://loinc.org',
          code: ['8867-4', '8310-5', '29463-7'][j],
        },
      ],
    },
    subject: { reference: `Patient/soak-p${i}` },
    effectiveDateTime: '2026-12-01T08:00:00Z',
    valueQuantity: {
      value: 60 + ((i * 7 + j) % 40),
      unit: '1',
      system: 'http://unitsofmeasure.org',
      code: '1',
    },
  }));
  const text = [patient, ...observations]
    .map((r) => JSON.stringify(r))
    .join('\n');
  return {
    key,
    bytes: Buffer.from(`${text}\n`),
    fails: random() < Number(values.failures),
  };
}

/** Deterministic, so a soak run can be repeated exactly. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
