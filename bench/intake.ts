/**
 * `npm run bench` (or `npm run bench:intake`): the validate-drop intake,
 * `takeInDrop`, on a ~1 GB FHIR NDJSON drop and a ~1 GB HL7 v2 drop built
 * from the corpus, through the local blob store. Each drop is taken in by a
 * child process, with validate-drop's heap limit, so that its peak RSS is
 * the intake's own as the Lambda would see it; the figures are
 * MB/s end to end (read, hash, validate, map HL7 to FHIR, write staged and
 * quarantined output) and peak RSS.
 *
 * Copies of the corpus get fresh ids (UUIDs shifted per copy, every
 * `MSH-10` made unique), so that the drop stages every copy rather than
 * collapsing repeated ids. Everything is written to a temp dir and deleted afterwards;
 * BENCH_INTAKE_MB changes the size (0 skips it).
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localConfig } from '../local/config.ts';
import type { PipelineConfig } from '../shared/config.ts';
import { hl7Corpus, ndjsonCorpus } from './corpus.ts';

const SELF = fileURLToPath(import.meta.url);
/**
 * validate-drop's V8 heap limit (serverless.yml). Without it V8 sizes the
 * heap from this machine's memory (4 GB old space on 24 GB) and lets
 * garbage pile up far longer than a 1,024 MB Lambda would.
 */
const LAMBDA_HEAP = ['--max-old-space-size=256'];
const UUID_HEAD = /\b([0-9a-f]{8})(?=-[0-9a-f]{4}-)/g;
/** MSH-10, the message control id, which seeds every mapped resource id. */
const CONTROL_ID = /(^|\r)(MSH\|(?:[^|\r]*\|){8})([^|\r]*)/g;

/** Local mode's buckets, and no size cap: the bench sets its own size. */
const CONFIG: PipelineConfig = {
  ...localConfig(),
  maxDropBytes: Number.MAX_SAFE_INTEGER,
};

function ndjsonCopy(text: string, copy: number): string {
  return text.replace(UUID_HEAD, (head) =>
    ((Number.parseInt(head, 16) + copy) >>> 0).toString(16).padStart(8, '0'),
  );
}

function hl7Copy(text: string, copy: number): string {
  let message = 0;
  return text.replace(
    CONTROL_ID,
    (_, start, head, id) => `${start}${head}${id}-${copy}.${message++}`,
  );
}

/** Appends fresh-id copies of `one` until the file holds `bytes`. */
function writeCopies(
  path: string,
  one: string,
  encoding: BufferEncoding,
  copyOf: (text: string, copy: number) => string,
  bytes: number,
): void {
  mkdirSync(dirname(path), { recursive: true });
  let written = 0;
  for (let copy = 0; written < bytes; copy++) {
    const chunk = Buffer.from(copyOf(one, copy), encoding);
    appendFileSync(path, chunk);
    written += chunk.length;
  }
}

/** Child mode: one drop through takeInDrop; prints JSON. */
async function child(root: string, key: string): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const { LocalBlobStore } = await import(
    '../shared/adapters/local-blob-store.ts'
  );
  const { takeInDrop } = await import('../shared/drop/intake.ts');
  const { loadManifest } = await import('../shared/drop/manifest.ts');
  const { createLogger } = await import('../shared/logger.ts');
  const store = new LocalBlobStore(root);
  const size = statSync(join(root, CONFIG.buckets.landing, key)).size;
  const deps = {
    config: CONFIG,
    store,
    workflow: { start: async () => ({ status: 'started' as const }) },
    logger: createLogger('bench-intake'),
  };
  const started = performance.now();
  const result = await takeInDrop(deps, {
    bucket: CONFIG.buckets.landing,
    key,
    size,
    eTag: 'bench',
    eventTime: new Date().toISOString(),
  });
  const seconds = (performance.now() - started) / 1000;
  const manifest = await loadManifest(
    store,
    CONFIG.buckets.manifests,
    result.dropId,
  );
  console.log(
    JSON.stringify({
      mb: size / 1e6,
      mbPerSecond: size / 1e6 / seconds,
      peakMb: process.resourceUsage().maxRSS / 1024,
      outcome: result.outcome,
      records: manifest?.validation?.records,
      types: Object.keys(manifest?.staged?.resources ?? {}).length,
    }),
  );
}

function intake(): void {
  const megabytes = Number(process.env.BENCH_INTAKE_MB ?? 1024);
  if (megabytes <= 0) return;
  console.log(
    `\n### Intake (takeInDrop, local blob store) of ~${megabytes} MB drops\n`,
  );
  console.log(
    '| drop | MB | MB/s | peak RSS MB | records in / staged / quarantined | staged types |',
  );
  console.log('| --- | ---: | ---: | ---: | --- | ---: |');
  const drops = [
    ['bench/drop.ndjson', ndjsonCorpus().toString('utf8'), 'utf8', ndjsonCopy],
    ['bench/drop.hl7', hl7Corpus().toString('latin1'), 'latin1', hl7Copy],
  ] as const;
  for (const [key, one, encoding, copyOf] of drops) {
    const root = mkdtempSync(join(tmpdir(), 'bench-intake-'));
    try {
      const path = join(root, CONFIG.buckets.landing, key);
      writeCopies(path, one, encoding, copyOf, megabytes * 1e6);
      const line = execFileSync(
        process.execPath,
        [...LAMBDA_HEAP, SELF, root, key],
        {
          env: { ...process.env, BENCH_INTAKE_CHILD: '1' },
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      );
      const out = JSON.parse(line.trim().split('\n').pop() ?? '{}');
      const { records } = out;
      console.log(
        `| ${key.split('/').pop()} | ${out.mb.toFixed(0)} | ${out.mbPerSecond.toFixed(0)} | ${out.peakMb.toFixed(0)} | ${records.in} / ${records.staged} / ${records.quarantined} | ${out.types} |`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

if (process.env.BENCH_INTAKE_CHILD) {
  const [root, key] = process.argv.slice(2);
  if (root && key) await child(root, key);
} else {
  intake();
}
