import { codeTable } from './code-table.ts';
/**
 * Required segments, in order, per message structure. These are the segments
 * the HL7 v2 abstract message syntax marks required outside optional groups.
 * The table is checked against the standard's definitions as carried by
 * `hl7-dictionary` (v2.3 to v2.7.1) in tests/unit/hl7/structures.test.ts;
 * the only differences allowed there are listed and explained in that test
 * (TQ1, required from v2.5 only, is not required here because the table is
 * the same for every version). Optional and repeating groups are not modelled: a message passes
 * when its required segments occur as an ordered subsequence. `hl7-dictionary`
 * was considered and left out: its repository ships definitions up to v2.7.1
 * only (most feeds here are 2.8)
 * and a full group grammar would reject the many real messages that carry
 * extra segments in unusual places, without protecting anything we map.
 */

/**
 * Segments the standard requires but real senders often leave out of
 * patient-level events (an A08 without a visit): their absence is a warning,
 * because only the Encounter (PV1) or nothing at all (EVN) is lost.
 */
export const SOFT_REQUIRED: ReadonlySet<string> = new Set(['EVN', 'PV1']);

const ADT_VISIT = ['MSH', 'EVN', 'PID', 'PV1'] as const;
const ADT_MERGE = ['MSH', 'EVN', 'PID', 'MRG'] as const;

export const REQUIRED_SEGMENTS = codeTable<readonly string[]>({
  ADT_A01: ADT_VISIT,
  ADT_A02: ADT_VISIT,
  ADT_A03: ADT_VISIT,
  ADT_A05: ADT_VISIT,
  ADT_A06: ADT_VISIT,
  ADT_A09: ADT_VISIT,
  ADT_A12: ADT_VISIT,
  ADT_A15: ADT_VISIT,
  ADT_A16: ADT_VISIT,
  ADT_A21: ADT_VISIT,
  ADT_A30: ADT_MERGE,
  ADT_A39: ADT_MERGE,
  ADT_A43: ADT_MERGE,
  ADT_A45: ['MSH', 'EVN', 'PID', 'MRG', 'PV1'],
  ADT_A50: ['MSH', 'EVN', 'PID', 'MRG', 'PV1'],
  ADT_A60: ['MSH', 'EVN', 'PID'],
  BAR_P01: ['MSH', 'EVN', 'PID'],
  BAR_P12: ['MSH', 'EVN', 'PID', 'PV1'],
  DFT_P03: ['MSH', 'EVN', 'PID', 'FT1'],
  DFT_P11: ['MSH', 'EVN', 'PID', 'FT1'],
  MDM_T01: ['MSH', 'EVN', 'PID', 'PV1', 'TXA'],
  MDM_T02: ['MSH', 'EVN', 'PID', 'PV1', 'TXA', 'OBX'],
  OMG_O19: ['MSH', 'ORC', 'OBR'],
  OML_O21: ['MSH', 'ORC'],
  ORM_O01: ['MSH', 'ORC'],
  ORU_R01: ['MSH', 'OBR'],
  PPR_PC1: ['MSH', 'PID', 'PRB'],
  RDE_O11: ['MSH', 'ORC', 'RXE', 'RXR'],
  RDS_O13: ['MSH', 'ORC', 'RXD', 'RXR'],
  REF_I12: ['MSH', 'PRD', 'PID'],
  SIU_S12: ['MSH', 'SCH', 'RGS'],
  VXU_V04: ['MSH', 'PID'],
});

/** Structures whose message shares another's layout (v2.3 has no MSH-9.3). */
const EVENT_STRUCTURE = codeTable<string>({
  ADT_A04: 'ADT_A01',
  ADT_A08: 'ADT_A01',
  ADT_A13: 'ADT_A01',
  ADT_A14: 'ADT_A05',
  ADT_A28: 'ADT_A05',
  ADT_A31: 'ADT_A05',
  ADT_A07: 'ADT_A06',
  ADT_A10: 'ADT_A09',
  ADT_A11: 'ADT_A09',
  ADT_A40: 'ADT_A39',
  ADT_A41: 'ADT_A39',
  ADT_A42: 'ADT_A39',
  ADT_A47: 'ADT_A30',
  ADT_A25: 'ADT_A21',
  ADT_A26: 'ADT_A21',
  ADT_A27: 'ADT_A21',
  MDM_T03: 'MDM_T01',
  MDM_T05: 'MDM_T01',
  MDM_T07: 'MDM_T01',
  MDM_T09: 'MDM_T01',
  MDM_T11: 'MDM_T01',
  MDM_T04: 'MDM_T02',
  MDM_T06: 'MDM_T02',
  MDM_T08: 'MDM_T02',
  MDM_T10: 'MDM_T02',
  PPR_PC2: 'PPR_PC1',
  PPR_PC3: 'PPR_PC1',
  RDE_O25: 'RDE_O11',
  REF_I13: 'REF_I12',
  REF_I14: 'REF_I12',
  REF_I15: 'REF_I12',
  SIU_S13: 'SIU_S12',
  SIU_S14: 'SIU_S12',
  SIU_S15: 'SIU_S12',
  SIU_S16: 'SIU_S12',
  SIU_S17: 'SIU_S12',
  SIU_S26: 'SIU_S12',
});

/** The structure to check: MSH-9.3 when given, else derived from the event. */
export function resolveStructure(
  type: string,
  trigger: string,
  declared: string,
): string {
  const name = declared !== '' ? declared : `${type}_${trigger}`;

  return EVENT_STRUCTURE[name] ?? name;
}

export type SegmentOrderFinding =
  | { kind: 'missing'; segment: string }
  | { kind: 'out_of_order'; segment: string };

/** Checks the required segments occur, in order, among `names`. */
export function checkRequiredSegments(
  required: readonly string[],
  names: readonly string[],
): SegmentOrderFinding[] {
  const findings: SegmentOrderFinding[] = [];
  let cursor = 0;
  for (const segment of required) {
    const next = names.indexOf(segment, cursor);
    if (next !== -1) {
      cursor = next + 1;
    } else if (names.includes(segment)) {
      findings.push({ kind: 'out_of_order', segment });
    } else {
      findings.push({ kind: 'missing', segment });
    }
  }

  return findings;
}
