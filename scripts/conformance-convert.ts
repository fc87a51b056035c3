/**
 * `npm run conformance:convert`: converts every message of
 * ../shared/corpus/hl7v2 and compares the FHIR resources, on content not
 * ids, with the reference converter's Bundles in ../shared/corpus/
 * hl7v2-expected. Prints a match percentage per message and overall, then
 * every difference (`-` only in the reference, `+` only in ours).
 * Corpus files are test data, so differences quote their values; this
 * script never runs on production input.
 *
 * Options: `--quiet` prints percentages only; `--file NAME` one message;
 * `--show-values` prints compared values, not only their paths.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { validateHl7 } from '../shared/hl7/index.ts';
import {
  COMPARED_TYPES,
  type Comparison,
  compareFacts,
  type Json,
  resourceFacts,
} from './conformance/facts.ts';

const SHARED = new URL('../../shared/corpus/', import.meta.url);
const INPUT = new URL('hl7v2/', SHARED);
const EXPECTED = new URL('hl7v2-expected/', SHARED);

interface MessageResult extends Comparison {
  file: string;
  accepted: boolean;
  notCompared: number;
}

function expectedResources(file: string): Json[] | undefined {
  const path = new URL(file.replace(/\.hl7$/, '-expected.json'), EXPECTED);
  if (!existsSync(path)) return undefined;
  const bundle = JSON.parse(readFileSync(path, 'utf8')) as {
    entry?: { resource: Json }[];
  };
  return (bundle.entry ?? []).map((entry) => entry.resource);
}

function facts(resources: readonly Json[]): string[] {
  return resources
    .filter((resource) => COMPARED_TYPES.has(String(resource.resourceType)))
    .flatMap(resourceFacts);
}

function compareMessage(file: string): MessageResult | undefined {
  const reference = expectedResources(file);
  if (reference === undefined) return undefined;
  const result = validateHl7(readFileSync(new URL(file, INPUT)));
  const records = result.records;
  const ours = records.flatMap((record) => record.resources) as Json[];
  const notCompared = reference.filter(
    (resource) => !COMPARED_TYPES.has(String(resource.resourceType)),
  ).length;

  return {
    file,
    accepted: records.every((record) => record.accepted),
    notCompared,
    ...compareFacts(facts(reference), facts(ours)),
  };
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '100.0' : ((100 * part) / whole).toFixed(1);

/**
 * A difference is printed as its element path; the compared value, which is
 * sample patient data, only with --show-values (the corpus is to be treated
 * as PHI, so it stays out of logs by default).
 */
function shown(fact: string, values: boolean): string {
  if (values) return fact;
  const [path, rest = ''] = fact.split('=');
  const times = /\(x\d+\)$/.exec(rest)?.[0];
  return times ? `${path} ${times}` : (path ?? fact);
}

function report(
  results: readonly MessageResult[],
  quiet: boolean,
  values: boolean,
): void {
  for (const r of results) {
    const flag = r.accepted ? '' : ' (quarantined by validation)';
    console.log(
      `${percent(r.matched, r.expected).padStart(5)}%  ${r.file}  ${r.matched}/${r.expected} matched, ${r.extra.length} extra kinds${flag}`,
    );
    if (quiet) continue;
    for (const fact of r.missing)
      console.log(`        - ${shown(fact, values)}`);
    for (const fact of r.extra) console.log(`        + ${shown(fact, values)}`);
  }
}

function summary(results: readonly MessageResult[]): void {
  const sum = (pick: (r: MessageResult) => number) =>
    results.reduce((total, r) => total + pick(r), 0);
  const accepted = results.filter((r) => r.accepted);
  const matched = sum((r) => r.matched);
  const expected = sum((r) => r.expected);
  const ours = sum((r) => r.ours);
  const acceptedMatched = accepted.reduce((t, r) => t + r.matched, 0);
  const acceptedExpected = accepted.reduce((t, r) => t + r.expected, 0);
  console.log('');
  console.log(`messages compared: ${results.length}`);
  console.log(
    `overall: ${percent(matched, expected)}% of ${expected} reference elements matched (${matched}); ${ours - matched} elements only in ours`,
  );
  console.log(
    `overall, accepted messages only (${accepted.length}): ${percent(acceptedMatched, acceptedExpected)}%`,
  );
  console.log(
    `not compared: ${sum((r) => r.notCompared)} reference resources of types outside the compared set`,
  );
}

const args = process.argv.slice(2);
const only = args.includes('--file') ? args[args.indexOf('--file') + 1] : '';
const files = readdirSync(INPUT)
  .filter((name) => name.endsWith('.hl7'))
  .filter((name) => !only || name === only)
  .sort();
const results = files
  .map(compareMessage)
  .filter((r): r is MessageResult => r !== undefined);
report(results, args.includes('--quiet'), args.includes('--show-values'));
summary(results);
