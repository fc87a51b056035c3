/**
 * Conversion throughput: MB/s of HL7 v2 input through validation, mapping
 * to FHIR R4 and serialisation to NDJSON lines, as the staging step does.
 * The corpus is fed one copy (~600 KB, a realistic drop) per call.
 * Run: node bench/convert.ts (from the repo root; the corpus sits in ../shared).
 */
import { validateHl7 } from '../shared/hl7/index.ts';
import { hl7CorpusAsShipped } from './corpus.ts';

const TARGET_BYTES = 50 * 1024 * 1024;
const RUNS = 5;

/** One drop: validate, map and serialise every resource; returns counts. */
function convert(drop: Buffer): { resources: number; ndjsonBytes: number } {
  let resources = 0;
  let ndjsonBytes = 0;
  for (const record of validateHl7(drop).records) {
    for (const resource of record.resources) {
      resources += 1;
      ndjsonBytes += JSON.stringify(resource).length + 1;
    }
  }
  return { resources, ndjsonBytes };
}

const one = hl7CorpusAsShipped();
const copies = Math.ceil(TARGET_BYTES / one.length);
const totalMb = (one.length * copies) / 1024 / 1024;
console.log(`input: ${totalMb.toFixed(1)} MB (${copies} drops)`);

/** Median of several runs over every drop: the machine is shared. */
function measure(label: string, perDrop: (drop: Buffer) => number): void {
  const runOnce = () => {
    let count = 0;
    for (let i = 0; i < copies; i += 1) count += perDrop(one);
    return count;
  };
  const count = runOnce(); // warm-up
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = process.hrtime.bigint();
    runOnce();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(totalMb / seconds);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(RUNS / 2)] ?? 0;
  const best = rates[RUNS - 1] ?? 0;
  console.log(
    `${label.padEnd(34)} median ${median.toFixed(0).padStart(5)} MB/s, best ${best.toFixed(0).padStart(5)} MB/s (${count} resources)`,
  );
}

measure('convert (validate+map)', (drop) =>
  validateHl7(drop).records.reduce((n, r) => n + r.resources.length, 0),
);
measure('convert (validate+map+NDJSON)', (drop) => convert(drop).resources);
