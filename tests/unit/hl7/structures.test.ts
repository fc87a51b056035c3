/**
 * Our required-segment table against the standard's own message definitions
 * as `hl7-dictionary` carries them for v2.3 to v2.7.1: for every structure we
 * check, the segments required outside optional groups, in order, must equal
 * the dictionary's, in every version that defines the structure. Our coded
 * value tables are unions over versions, so they must hold every code of the
 * dictionary's table (they may hold more, from other versions).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  ADMINISTRATIVE_SEX,
  PROCESSING_ID,
  RESULT_STATUS,
  VALUE_TYPE,
} from '../../../shared/hl7/datatypes.ts';
import { REQUIRED_SEGMENTS } from '../../../shared/hl7/structures.ts';

interface DictNode {
  name: string;
  min: number;
  children?: DictNode[];
}

interface Dictionary {
  tables: Record<string, { values: Record<string, string> }>;
  definitions: Record<
    string,
    { messages: Record<string, { segments: { segments: DictNode[] } }> }
  >;
}

const dictionary = createRequire(import.meta.url)(
  'hl7-dictionary',
) as Dictionary;

const VERSIONS = ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1'];

/**
 * Segments the dictionary requires only in some versions; our table is one
 * for all versions, so they are not required here:
 * - TQ1 (timing) exists from v2.5 on; earlier versions carry timing in
 *   ORC-7 and RXE-1, so requiring it would reject valid v2.3/v2.4 orders.
 */
const VERSION_SPECIFIC = new Set(['TQ1']);

/**
 * Definitions where the dictionary's v2.6 data marks optional groups as
 * required (OMG_O19's prior-result OBX/SPM/SAC groups) while v2.5.1 and v2.7
 * of the same structure, and the standard's text, leave them optional.
 */
const DICTIONARY_DEFECTS = new Set(['OMG_O19@2.6']);

function required(nodes: DictNode[]): string[] {
  return nodes.flatMap((node) => {
    if (node.min < 1) return [];
    return node.children ? required(node.children) : [node.name];
  });
}

describe('required segments against the standard definitions', () => {
  for (const [structure, ours] of Object.entries(REQUIRED_SEGMENTS)) {
    it(`${structure} requires what hl7-dictionary requires`, () => {
      const versions = VERSIONS.filter(
        (v) =>
          dictionary.definitions[v]?.messages[structure] &&
          !DICTIONARY_DEFECTS.has(`${structure}@${v}`),
      );

      assert.ok(versions.length > 0, 'the dictionary defines it');
      for (const version of versions) {
        const definition = dictionary.definitions[version]?.messages[structure];
        const theirs = required(definition?.segments.segments ?? []).filter(
          (name) => !VERSION_SPECIFIC.has(name),
        );
        assert.deepEqual([...ours], theirs, `v${version}`);
      }
    });
  }
});

describe('coded-value tables against the standard definitions', () => {
  const TABLES: [string, string, ReadonlySet<string>][] = [
    ['0001', '1', ADMINISTRATIVE_SEX],
    ['0103', '103', PROCESSING_ID],
    ['0085', '85', RESULT_STATUS],
    ['0125', '125', VALUE_TYPE],
  ];

  for (const [table, key, ours] of TABLES) {
    it(`table ${table} holds every code hl7-dictionary lists`, () => {
      const codes = Object.keys(dictionary.tables[key]?.values ?? {});

      assert.ok(codes.length > 0);
      assert.deepEqual(
        codes.filter((code) => !ours.has(code)),
        [],
      );
    });
  }
});
