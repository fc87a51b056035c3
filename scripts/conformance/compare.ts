/**
 * The comparison behind `npm run conformance:convert`: every message of
 * ../shared/corpus/hl7v2 converted and compared on content facts with the
 * reference converter's Bundle, each difference attributed to a class of
 * `explained.ts` or left unexplained.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { frameMessages } from '../../shared/hl7/framing.ts';
import { validateHl7 } from '../../shared/hl7/index.ts';
import { mapMessage } from '../../shared/hl7/map/message.ts';
import { decodeMessage } from '../../shared/hl7/message.ts';
import {
  type Explanation,
  explain,
  type MessageText,
  messageText,
} from './explain.ts';
import { EXPLANATIONS } from './explained.ts';
import {
  COMPARED_TYPES,
  type Comparison,
  compareFacts,
  type Difference,
  type Json,
  resourceFacts,
} from './facts.ts';

const SHARED = new URL('../../../shared/corpus/', import.meta.url);
const INPUT = new URL('hl7v2/', SHARED);
const EXPECTED = new URL('hl7v2-expected/', SHARED);

export interface Attributed extends Difference {
  side: '-' | '+';
  explanation: Explanation | undefined;
}

export interface MessageResult extends Comparison {
  file: string;
  accepted: boolean;
  notCompared: number;
  differences: Attributed[];
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

/** Maps every message of the file whether or not validation accepts it. */
function mapAnyway(bytes: Buffer): Json[] {
  const framing = frameMessages(bytes);
  return framing.units.flatMap((unit, index) => {
    const decoded = decodeMessage(bytes, unit, framing.crTerminated, index);
    return decoded.parsed === undefined
      ? []
      : (mapMessage(decoded.parsed).resources as Json[]);
  });
}

function attribute(comparison: Comparison, message: MessageText): Attributed[] {
  const sided = (side: '-' | '+') => (difference: Difference) => ({
    ...difference,
    side,
    explanation: explain(
      difference.fact,
      side,
      message,
      EXPLANATIONS,
      difference.shared > 0,
      difference.count,
    ),
  });

  return [
    ...comparison.missing.map(sided('-')),
    ...comparison.extra.map(sided('+')),
  ];
}

function compareMessage(file: string): MessageResult | undefined {
  const reference = expectedResources(file);
  if (reference === undefined) return undefined;
  const bytes = readFileSync(new URL(file, INPUT));
  const records = validateHl7(bytes).records;
  const accepted = records.every((record) => record.accepted);
  const ours = accepted
    ? (records.flatMap((record) => record.resources) as Json[])
    : mapAnyway(bytes);
  const notCompared = reference.filter(
    (resource) => !COMPARED_TYPES.has(String(resource.resourceType)),
  ).length;
  const comparison = compareFacts(facts(reference), facts(ours));

  return {
    file,
    accepted,
    notCompared,
    ...comparison,
    differences: attribute(comparison, messageText(bytes.toString('latin1'))),
  };
}

/** The corpus messages that have a reference Bundle, compared in name order. */
export function compareCorpus(only = ''): MessageResult[] {
  return readdirSync(INPUT)
    .filter((name) => name.endsWith('.hl7'))
    .filter((name) => !only || name === only)
    .sort()
    .map(compareMessage)
    .filter((r): r is MessageResult => r !== undefined);
}
