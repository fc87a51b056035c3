/**
 * What the mapping leaves behind, counted so that nothing is dropped
 * silently: segments with no mapper and, in mapped segments, fields with
 * content that no mapper reads. Only names and positions are kept, never
 * values, so the summary can go into an issue message.
 */
import { codeTable } from '../code-table.ts';
import type { Segment } from '../parse.ts';

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Fields each mapper reads, by segment. Set-id fields (SEG-1) count as
 * mapped: they order segments, which the ids already carry. MSH-1/2 are
 * the delimiters and MSH-12 the version: they shape parsing, not content.
 */
export const MAPPED_FIELDS = codeTable<readonly number[]>({
  MSH: [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 18, 19, 24, 25],
  EVN: [1],
  SFT: [2, 3],
  PID: [
    1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14, 15, 16, 19, 20, 21, 24, 25, 29, 30,
    40,
  ],
  PD1: [3, 4],
  MRG: [1],
  NK1: [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15, 16, 20, 30, 31, 32, 33, 37, 40, 41,
  ],
  PV1: [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 17, 19, 36, 38, 42, 43, 44, 45,
    50, 52,
  ],
  PV2: [3, 11, 13, 25],
  ORC: [1, 2, 3, 4, 5, 7, 8, 9, 12, 29, 33],
  OBR: [1, 2, 3, 4, 5, 6, 7, 11, 16, 22, 25, 27, 29, 31, 46, 47, 53],
  OBX: [1, 2, 3, 5, 6, 7, 8, 11, 14, 17, 20, 21],
  NTE: [1, 3, 5, 6],
  DG1: [1, 3, 4, 5, 6, 15, 20, 22],
  AL1: [1, 2, 3, 4, 5, 6],
  IAM: [1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 17, 27],
  PR1: [1, 3, 4, 5, 6, 7, 8, 11, 12, 15, 19, 25],
  RXA: [1, 3, 5, 6, 7, 9, 10, 15, 16, 18, 19, 20, 21, 22],
  RXR: [1, 2],
  IN1: [1, 2, 3, 4, 8, 9, 12, 13, 15, 16, 17, 18, 19, 36, 43, 49],
  IN2: [1, 2, 6, 8, 10, 34, 61, 63],
  RF1: [1, 2, 3, 5, 6, 7, 8, 9, 10, 11],
  GT1: [2, 3, 5, 6, 7, 8, 9, 11, 12, 19, 36],
  SCH: [1, 2, 7, 8, 9, 10, 25],
  TQ1: [1, 2, 3, 4, 6, 7, 8, 9, 11, 13, 14],
  AIS: [1, 3, 4],
  AIG: [1, 3, 4, 8, 14],
  AIL: [1, 3, 6, 12],
  AIP: [1, 3, 4, 6, 12],
  TXA: [1, 2, 3, 4, 6, 9, 10, 12, 13, 16, 17, 18, 19, 25],
  // Envelope and grouping segments carry no clinical content of their own.
  FHS: range(1, 12),
  BHS: range(1, 12),
  BTS: range(1, 3),
  FTS: range(1, 2),
  RGS: [1],
});

export interface UnmappedSummary {
  segments: Map<string, number>;
  fields: Map<string, number>;
}

/**
 * MAPPED_FIELDS as sets, and the `PID-27` key of each position, made once
 * per segment name: counting runs over every field of every message.
 */
interface SegmentFields {
  mapped: ReadonlySet<number>;
  keys: string[];
}
const FIELDS = new Map<string, SegmentFields>(
  Object.entries(MAPPED_FIELDS).map(([name, fields]) => [
    name,
    { mapped: new Set(fields), keys: [] },
  ]),
);

/**
 * `skipped`: segments the mapper left out with the group they sit in (an
 * order message's PRIOR_RESULT), counted whole as `PID in PRIOR_RESULT`.
 */
export function countUnmapped(
  segments: readonly Segment[],
  skipped: ReadonlyMap<Segment, string> = new Map(),
): UnmappedSummary {
  const summary: UnmappedSummary = { segments: new Map(), fields: new Map() };
  for (const segment of segments) {
    const group = skipped.get(segment);
    if (group !== undefined) {
      bump(summary.segments, `${segment.name} in ${group}`);
      continue;
    }
    const known = FIELDS.get(segment.name);
    if (known === undefined) {
      bump(summary.segments, segment.name);
      continue;
    }
    for (let n = 1; n < segment.fields.length; n += 1) {
      const value = segment.fields[n];
      if (value === undefined || value === '' || known.mapped.has(n)) continue;
      bump(summary.fields, fieldKey(known, segment.name, n));
    }
  }
  return summary;
}

function fieldKey(known: SegmentFields, name: string, n: number): string {
  let key = known.keys[n];
  if (key === undefined) {
    key = `${name}-${n}`;
    known.keys[n] = key;
  }
  return key;
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function total(counts: Map<string, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}

/** `3 segments and 12 fields have no mapping: ZPI(1), PID-27, ...` */
export function describeUnmapped(summary: UnmappedSummary): string | undefined {
  const segments = total(summary.segments);
  const fields = total(summary.fields);
  if (segments + fields === 0) return undefined;
  const names: string[] = [];
  for (const [name, n] of summary.segments) names.push(`${name}(${n})`);
  for (const key of summary.fields.keys()) names.push(key);

  return `${segments} segments and ${fields} fields have no mapping: ${names.join(', ')}`;
}
