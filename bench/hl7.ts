/**
 * Throughput of validateHl7 over the real corpus, concatenated and repeated
 * to about 50 MB, next to a bare split of the same bytes as a floor.
 * Run: node bench/hl7.ts (from the repo root; the corpus sits in ../shared).
 */
import { frameMessages } from '../shared/hl7/framing.ts';
import { validateHl7 } from '../shared/hl7/index.ts';
import { hl7CorpusAsShipped } from './corpus.ts';

const TARGET_BYTES = 50 * 1024 * 1024;

const RUNS = 5;

/** Median of several runs: the machine is shared, single runs are noisy. */
function measure(label: string, bytes: Buffer, run: () => number): void {
  const count = run(); // warm-up, so the JIT has seen every path
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = process.hrtime.bigint();
    run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rates.push(bytes.length / 1024 / 1024 / seconds);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(RUNS / 2)] ?? 0;
  const best = rates[RUNS - 1] ?? 0;
  const unit = label.startsWith('baseline') ? 'lines' : 'messages';
  console.log(
    `${label.padEnd(34)} median ${median.toFixed(0).padStart(5)} MB/s, best ${best.toFixed(0).padStart(5)} MB/s (${count} ${unit})`,
  );
}

const one = hl7CorpusAsShipped();
const copies = Math.ceil(TARGET_BYTES / one.length);
const bytes = Buffer.concat(Array.from({ length: copies }, () => one));
console.log(`input: ${(bytes.length / 1024 / 1024).toFixed(1)} MB`);

measure(
  'baseline: toString + split(\\n)',
  bytes,
  () => bytes.toString('latin1').split('\n').length,
);
measure('framing only', bytes, () => frameMessages(bytes).units.length);
measure(
  'validateHl7 (parse+validate)',
  bytes,
  () => validateHl7(bytes, { map: false }).records.length,
);
measure(
  'validateHl7 (parse+validate+map)',
  bytes,
  () => validateHl7(bytes).records.length,
);
// The same bytes as one drop per corpus copy (~600 KB): the output of one
// call need not survive the whole run, as with real drop sizes.
measure('  same, one call per corpus copy', bytes, () => {
  let records = 0;
  for (let i = 0; i < copies; i += 1) {
    records += validateHl7(one).records.length;
  }
  return records;
});
