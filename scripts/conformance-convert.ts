/**
 * `npm run conformance:convert`: converts every message of
 * ../shared/corpus/hl7v2 and compares the FHIR resources, on content not
 * ids, with the reference converter's Bundles in ../shared/corpus/
 * hl7v2-expected. Prints a match percentage per message and overall, then
 * every difference (`-` only in the reference, `+` only in ours) with the
 * class of known difference that explains it (`scripts/conformance/
 * explained.ts`) or `UNEXPLAINED`.
 *
 * A message validation quarantines maps to nothing in the pipeline; it is
 * still mapped here, for comparison only, so the mapper is measured on
 * every message. The overall figures are given both ways.
 *
 * Corpus files are test data, so differences may quote their values; this
 * script never runs on production input.
 *
 * Options: `--quiet` prints percentages and the summary only; `--file NAME`
 * one message; `--show-values` prints compared values, not only their
 * paths; `--unexplained` prints only the differences no class explains.
 */
import {
  type Attributed,
  compareCorpus,
  type MessageResult,
} from './conformance/compare.ts';
import type { Explanation } from './conformance/explain.ts';
import { EXPLANATIONS } from './conformance/explained.ts';

const percent = (part: number, whole: number) =>
  whole === 0 ? '100.0' : ((100 * part) / whole).toFixed(1);

const total = (
  differences: readonly Attributed[],
  pick = (_: Attributed) => true,
) => differences.filter(pick).reduce((sum, d) => sum + d.count, 0);

/** Reference elements we differ on because the guidance says otherwise. */
const keptMissing = (r: MessageResult) =>
  total(
    r.differences,
    (d) => d.side === '-' && d.explanation?.kind === 'guidance',
  );

/**
 * A difference is printed as its element path; the compared value, which is
 * sample patient data, only with --show-values (the corpus is to be treated
 * as PHI, so it stays out of logs by default).
 */
function shown(d: Attributed, values: boolean): string {
  const fact = values ? d.fact : (d.fact.split('=')[0] ?? d.fact);
  const times = d.count > 1 ? ` (x${d.count})` : '';
  const why = d.explanation
    ? `[${d.explanation.kind}: ${d.explanation.id}]`
    : 'UNEXPLAINED';
  return `${d.side} ${fact}${times}  ${why}`;
}

interface Flags {
  quiet: boolean;
  values: boolean;
  unexplainedOnly: boolean;
}

function report(results: readonly MessageResult[], flags: Flags): void {
  for (const r of results) {
    const flag = r.accepted
      ? ''
      : ' (quarantined by validation; mapped for comparison)';
    const unexplained = total(
      r.differences,
      (d) => d.explanation === undefined,
    );
    console.log(
      `${percent(r.matched, r.expected).padStart(5)}%  ${r.file}  ${r.matched}/${r.expected} matched, ${keptMissing(r)} kept by the guidance, ${unexplained} differences unexplained${flag}`,
    );
    if (flags.quiet) continue;
    for (const d of r.differences) {
      if (flags.unexplainedOnly && d.explanation !== undefined) continue;
      console.log(`        ${shown(d, flags.values)}`);
    }
  }
}

function byClass(results: readonly MessageResult[]): void {
  const counts = new Map<Explanation, { missing: number; extra: number }>();
  for (const d of results.flatMap((r) => r.differences)) {
    if (d.explanation === undefined) continue;
    const entry = counts.get(d.explanation) ?? { missing: 0, extra: 0 };
    if (d.side === '-') entry.missing += d.count;
    else entry.extra += d.count;
    counts.set(d.explanation, entry);
  }
  console.log('');
  console.log(
    'known differences (elements only in the reference / only in ours), by class:',
  );
  for (const e of EXPLANATIONS) {
    const c = counts.get(e) ?? { missing: 0, extra: 0 };
    console.log(
      `  ${e.kind.padEnd(8)} ${e.id.padEnd(30)} ${String(c.missing).padStart(5)} / ${String(c.extra).padEnd(5)} ${e.row}`,
    );
  }
}

function summary(results: readonly MessageResult[]): void {
  const sum = (
    list: readonly MessageResult[],
    pick: (r: MessageResult) => number,
  ) => list.reduce((t, r) => t + pick(r), 0);
  const accepted = results.filter((r) => r.accepted);
  const all = results.flatMap((r) => r.differences);
  const expected = sum(results, (r) => r.expected);
  const matched = sum(results, (r) => r.matched);
  const kept = sum(results, keptMissing);
  // As staged: a quarantined message contributes no resources.
  const staged = sum(accepted, (r) => r.matched);
  const count = (side: string, kind: string | undefined) =>
    total(all, (d) => d.side === side && d.explanation?.kind === kind);
  console.log('');
  console.log(
    `messages compared: ${results.length} (${results.length - accepted.length} quarantined by validation)`,
  );
  console.log(
    `as staged (quarantined messages map to nothing): ${percent(staged, expected)}% of ${expected} reference elements matched`,
  );
  console.log(
    `mapper, every message: ${percent(matched, expected)}% matched (${matched}); ${percent(matched + kept, expected)}% matched or kept by a guidance row`,
  );
  console.log(
    `accepted messages only (${accepted.length}): ${percent(
      sum(accepted, (r) => r.matched),
      sum(accepted, (r) => r.expected),
    )}% matched`,
  );
  console.log(
    `our own choices: ${count('-', 'choice')} elements only in the reference, ${count('+', 'choice')} only in ours`,
  );
  console.log(
    `known gaps: ${count('-', 'gap')} elements only in the reference, ${count('+', 'gap')} only in ours`,
  );
  console.log(
    `unexplained: ${count('-', undefined)} elements only in the reference, ${count('+', undefined)} only in ours`,
  );
  console.log(
    `not compared: ${sum(results, (r) => r.notCompared)} reference resources of types outside the compared set`,
  );
}

const args = process.argv.slice(2);
const only = args.includes('--file') ? args[args.indexOf('--file') + 1] : '';
const results = compareCorpus(only);
report(results, {
  quiet: args.includes('--quiet'),
  values: args.includes('--show-values'),
  unexplainedOnly: args.includes('--unexplained'),
});
byClass(results);
summary(results);
