/**
 * Throughput of FHIR NDJSON validation against a bare line-split plus
 * JSON.parse baseline, on the Synthea bulk corpus repeated to ~50 MB.
 *
 * Run: `node bench/fhir.ts` (Node 22). Prints MB/s for both, best of 3.
 */
import { readdirSync, readFileSync } from 'node:fs';

const started = performance.now();
const { validateFhir } = await import('../shared/fhir/index.ts');
const loadMs = performance.now() - started;

const BULK = new URL('../../shared/corpus/fhir-bulk/', import.meta.url);
const TARGET_BYTES = 50e6;

function corpus(): Uint8Array {
  const files = readdirSync(BULK).filter(
    (name) => name.endsWith('.ndjson') && name !== 'log.ndjson',
  );
  const one = Buffer.concat(
    files.map((name) => readFileSync(new URL(name, BULK))),
  );
  const copies = Math.ceil(TARGET_BYTES / one.length);

  return new Uint8Array(Buffer.concat(Array(copies).fill(one)));
}

function baseline(bytes: Uint8Array): number {
  const text = new TextDecoder().decode(bytes);
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    JSON.parse(line);
    count++;
  }

  return count;
}

function validate(bytes: Uint8Array): number {
  const drop = validateFhir(bytes, { fileName: 'corpus.ndjson' });

  return drop.records.filter((record) => record.accepted).length;
}

function bestOf(
  runs: number,
  bytes: Uint8Array,
  work: (b: Uint8Array) => number,
) {
  let best = Number.POSITIVE_INFINITY;
  let records = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    records = work(bytes);
    best = Math.min(best, performance.now() - start);
  }

  return { mbPerSecond: bytes.length / 1e6 / (best / 1000), records };
}

const bytes = corpus();
const parse = bestOf(3, bytes, baseline);
const full = bestOf(3, bytes, validate);
console.log(`index load:          ${loadMs.toFixed(0)} ms`);
console.log(`input:               ${(bytes.length / 1e6).toFixed(1)} MB`);
console.log(
  `split + JSON.parse:  ${parse.mbPerSecond.toFixed(0)} MB/s (${parse.records} lines)`,
);
console.log(
  `validateFhir:        ${full.mbPerSecond.toFixed(0)} MB/s (${full.records} accepted)`,
);
