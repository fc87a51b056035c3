/**
 * The known differences between our conversion and the reference
 * converter's, each with the row of the HL7 v2-to-FHIR mapping guidance
 * (https://build.fhir.org/ig/HL7/v2-to-fhir/) that decides for our output.
 *
 * `npm run conformance:convert` attributes every difference it finds to the
 * first class here that matches it and lists what no class explains, so a
 * new difference (a regression or a new sample) shows up as unexplained
 * instead of hiding in a percentage. A class is as narrow as the evidence
 * allows: an element path and, where the path alone would also cover real
 * mistakes, the value, the message types, or the segments the value must
 * come from.
 */
import { SUBSCRIBER } from '../../shared/hl7/map/coverage.ts';
import { RELATIONSHIP_MAP } from '../../shared/hl7/map/insured.ts';
import type { Explanation, MessageText } from './explain.ts';
import { normaliseValue } from './facts.ts';

/** `text` as a literal piece of a regular expression. */
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The codes the Relationship concept map reads and writes. */
const RELATIONSHIP_CODES = new Set(
  Object.entries(RELATIONSHIP_MAP).flatMap(([code, [, target]]) => [
    code,
    target,
  ]),
);

/** Order, financial, referral and document messages: OBR is an order. */
const ORDER_MESSAGES = /^(OML|OMG|ORM|DFT|BAR|REF|RRI|MDM|SIU|RDE|RDS)\^/;

/** The XAD fields we map to addresses (PID, NK1, GT1 and IN1 insured). */
const ADDRESS_FIELDS = ['PID-11', 'NK1-4', 'NK1-32', 'GT1-5', 'IN1-19'];

/** A message with an OBX whose value is a reference pointer or a document. */
const RP_OR_ED_OBX = /^OBX\|[^|\r\n]*\|(RP|ED)\|/m;
const RP_OR_ED = /^OBX\|[^|]*\|(RP|ED)\|/;

/** The OBX of the message whose value is a reference pointer or document. */
function rpOrEdObx(message: MessageText): string[] {
  return (message.segments.get('OBX') ?? []).filter((obx) =>
    RP_OR_ED.test(obx),
  );
}

/**
 * A value sent verbatim must stand in an RP or ED OBX (a normalised one, a
 * code system URI or a date, cannot be traced and is bounded by `most`).
 */
function inRpOrEdObx(value: string, message: MessageText): boolean {
  if (value.length < 3 || !message.raw.includes(value)) return true;
  return rpOrEdObx(message).some((obx) => obx.includes(value));
}

/**
 * The reference makes a DiagnosticReport of every RP or ED OBX (its code
 * the OBX-3 code, its identifier OBX-21); we keep each OBX an Observation
 * in the report of its OBR. Two classes per message family: the report the
 * reference invents (values from the OBX, never from OBR-4), and the
 * Observation we make instead.
 */
function obxAsObservation(
  id: string,
  kind: Explanation['kind'],
  messages: RegExp,
  row: string,
  why: string,
): Explanation[] {
  return [
    {
      id: `${id}-report`,
      kind,
      side: '-',
      fact: /^(#DiagnosticReport|DiagnosticReport\.(status=unknown|subject->Patient|basedOn->ServiceRequest|code\.coding\.(code|system)=|effectiveDateTime=|identifier\.(value=|system=|type\.coding\.code=FILL$)))/,
      messages,
      messageHas: RP_OR_ED_OBX,
      from: ['OBX'],
      notFrom: ['OBR-4'],
      holds: inRpOrEdObx,
      most: (message) => rpOrEdObx(message).length,
      row,
      why,
    },
    {
      id: `${id}-observation`,
      kind,
      side: '+',
      fact: /^(#Observation|Observation\.(code\.coding\.(code|system)=|valueString=|identifier\.(value=|type\.coding\.code=FILL$)|basedOn->ServiceRequest$)|DiagnosticReport\.result->Observation$)/,
      messages,
      messageHas: RP_OR_ED_OBX,
      holds: inRpOrEdObx,
      most: (message) => rpOrEdObx(message).length,
      row,
      why,
    },
  ];
}

/** Component `c` (1-based) of field `n` of every segment of a type. */
/**
 * ORC-7 and OBR-27 both valued, and an OBR-27 TQ component `c` (4 start,
 * 5 end) that no ORC-7 has.
 */
function tqDiffers(message: MessageText, c: number): boolean {
  const fromOrc = new Set(componentsOf(message, 'ORC', 7, c));
  fromOrc.delete('');
  return (
    fromOrc.size > 0 &&
    componentsOf(message, 'OBR', 27, c).some(
      (value) => value !== '' && !fromOrc.has(value),
    )
  );
}

/**
 * XTN repetitions anywhere in the message with an equipment type (XTN.3)
 * but no number (XTN.1, XTN.6/7) and no address (XTN.4).
 */
function xtnWithoutNumber(message: MessageText): number {
  let count = 0;
  for (const segments of message.segments.values()) {
    for (const segment of segments) {
      for (const field of segment.split('|').slice(1)) {
        for (const xtn of field.split('~')) {
          const c = xtn.split('^');
          const empty = (n: number) => (c[n - 1] ?? '') === '';
          if (c.length >= 3 && !empty(3) && [1, 4, 6, 7].every(empty)) {
            count += 1;
          }
        }
      }
    }
  }
  return count;
}

/** Table 0201 (use) and 0202 (equipment) codes: the maps translate them. */
const XTN_TABLE_CODES = new Set([
  'ASN',
  'BPN',
  'EMR',
  'NET',
  'ORN',
  'PRN',
  'PRS',
  'VHN',
  'WPN',
  'BP',
  'CP',
  'FX',
  'Internet',
  'MD',
  'PH',
  'SAT',
  'TDD',
  'TTY',
  'X.400',
]);

/** How many `type` segments the message has. */
function segmentCount(message: MessageText, type: string): number {
  return message.segments.get(type)?.length ?? 0;
}

/** How many OBR come without an ORC of their own (at least). */
function ordersWithoutOrc(message: MessageText): number {
  return Math.max(
    0,
    segmentCount(message, 'OBR') - segmentCount(message, 'ORC'),
  );
}

/** How many `type` segments have field `n` valued. */
function valued(message: MessageText, type: string, n: number): number {
  return componentsOf(message, type, n, 1).filter((code) => code !== '').length;
}

function componentsOf(
  message: MessageText,
  type: string,
  n: number,
  c: number,
): string[] {
  return (message.segments.get(type) ?? []).map(
    (text) => (text.split('|')[n] ?? '').split('~')[0]?.split('^')[c - 1] ?? '',
  );
}

/**
 * A value that is not a URI or a fixed code (unknown, order, a category)
 * stands verbatim in a segment of the type, not just anywhere in the
 * message.
 */
function inSegmentUnlessFixed(
  value: string,
  message: MessageText,
  type: string,
): boolean {
  if (
    value === '' ||
    /^(https?:\/\/|urn:)|^(unknown|order|encounter-diagnosis|PLAC|FILL)$/.test(
      value,
    )
  )
    return true;
  return (message.segments.get(type) ?? []).some((text) =>
    text.includes(value),
  );
}

/** The ORC of the message that are new orders (NW) without ORC-5. */
function newOrdersWithoutStatus(message: MessageText): number {
  const status = componentsOf(message, 'ORC', 5, 1);
  return componentsOf(message, 'ORC', 1, 1).filter(
    (control, i) => control === 'NW' && status[i] === '',
  ).length;
}

/** LOINC codes of the CDC immunization guide's funding OBX. */
const FUNDING_OBX = /^OBX\|[^|]*\|[^|]*\|(30963-3|64994-7)\^/;

/** The OBX of the message that send a vaccine funding source or eligibility. */
function fundingObx(message: MessageText): string[] {
  return (message.segments.get('OBX') ?? []).filter((obx) =>
    FUNDING_OBX.test(obx),
  );
}

/** RXA of the message whose field `n` has `code` as its first component. */
function rxaWith(message: MessageText, n: number, code: string): number {
  return componentsOf(message, 'RXA', n, 1).filter((c) => c === code).length;
}

/** Whether PV1 field `n` (admit or discharge time) is that instant. */
function pv1Holds(message: MessageText, n: number, value: string): boolean {
  return (message.segments.get('PV1') ?? []).some(
    (pv1) => dtmInstant(pv1.split('|')[n] ?? '') === value,
  );
}

/**
 * The AL1 of the message that follow an ORC: in OMG_O19 only the prior
 * result group (PATIENT_PRIOR, PATIENT_VISIT_PRIOR, AL1) places one there.
 */
function priorResultAl1(message: MessageText): string[] {
  return afterFirstOrder(message, 'AL1');
}

/** How many NTE directly follow a `type` segment (or its NTE). */
function notesAfter(message: MessageText, type: string): number {
  let count = 0;
  let after = false;
  for (const line of segmentLines(message)) {
    if (line.startsWith('NTE|')) {
      if (after) count += 1;
    } else after = line.startsWith(`${type}|`);
  }
  return count;
}

/** The message's segments in order, a leading BOM or MLLP byte removed. */
function segmentLines(message: MessageText): string[] {
  return message.raw
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/^[^A-Z]+/, ''));
}

/**
 * The segments of an order message's PRIOR_RESULT groups, found as the
 * mapper finds them (shared/hl7/map/message.ts): from a PID, PD1, PV1, PV2
 * or AL1 after the first ORC or OBR to FT1, CTI, BLG, SPM, SAC or an ORC
 * other than RE after a prior OBR or OBX.
 */
function priorResultLines(message: MessageText): string[] {
  const lines = segmentLines(message);
  const prior: string[] = [];
  let ordered = false;
  let inPrior = false;
  let seen = false;
  for (const line of lines) {
    const type = line.slice(0, 3);
    if (inPrior) {
      const orcEnds =
        type === 'ORC' && seen && (line.split('|')[1] ?? '').trim() !== 'RE';
      if (['FT1', 'CTI', 'BLG', 'SPM', 'SAC'].includes(type) || orcEnds) {
        inPrior = false;
      }
    }
    if (
      !inPrior &&
      ordered &&
      ['PID', 'PD1', 'PV1', 'PV2', 'AL1'].includes(type)
    ) {
      inPrior = true;
      seen = false;
    }
    if (inPrior) {
      if (type === 'OBR' || type === 'OBX') seen = true;
      prior.push(line);
    } else if (type === 'ORC' || type === 'OBR') {
      ordered = true;
    }
  }
  return prior;
}

/** The `type` segments after the message's first ORC (in order messages). */
function afterFirstOrder(message: MessageText, type: string): string[] {
  const lines = segmentLines(message);
  const firstOrc = lines.findIndex((line) => line.startsWith('ORC|'));
  if (firstOrc < 0) return [];
  return lines.slice(firstOrc).filter((line) => line.startsWith(`${type}|`));
}

/**
 * The reference's Encounter.period bound taken from PV2-8 or PV2-9 (the
 * expected admit or discharge time), when the actual time in PV1-44 or
 * PV1-45 is another.
 */
function plannedTime(
  bound: 'start' | 'end',
  pv2Field: number,
  pv1Field: number,
  event: string,
): Explanation {
  const extension = bound === 'start' ? 'plannedStartDate' : 'plannedEndDate';
  return {
    id: `pv2-${pv2Field}-planned-${bound}`,
    kind: 'guidance',
    side: '-',
    fact: new RegExp(`^Encounter\\.period\\.${bound}=`),
    holds: (value, message) =>
      (message.segments.get('PV2') ?? []).some(
        (pv2) => dtmInstant(pv2.split('|')[pv2Field] ?? '') === value,
      ) && !pv1Holds(message, pv1Field, value),
    row: `PV2[Encounter] row ${pv2Field} (extension ${extension}, not period)`,
    why: `the expected ${event} time is a plan, not the ${bound} of the visit`,
  };
}

/** The NTE of the message that directly follow a TXA. */
function nteAfterTxa(message: MessageText): string[] {
  const lines = segmentLines(message);
  const notes: string[] = [];
  let afterTxa = false;
  for (const line of lines) {
    if (line.startsWith('TXA|')) afterTxa = true;
    else if (line.startsWith('NTE|') && afterTxa) notes.push(line);
    else afterTxa = false;
  }
  return notes;
}

/** The IN1 of the message that name no insured (IN1-16 without a name). */
function in1WithoutInsured(message: MessageText): number {
  return (message.segments.get('IN1') ?? []).filter((in1) => {
    const xpn = (in1.split('|')[16] ?? '').split('~')[0] ?? '';
    return xpn.split('^').every((part) => part.trim() === '');
  }).length;
}

/** The XTN components `c` (2 use, 3 equipment) of PID-13/14 and NK1-5/6. */
function xtnComponents(message: MessageText, c: number): string[] {
  return [
    ['PID', 13],
    ['PID', 14],
    ['NK1', 5],
    ['NK1', 6],
  ].flatMap(([type, n]) =>
    (message.segments.get(String(type)) ?? []).flatMap((segment) =>
      (segment.split('|')[Number(n)] ?? '')
        .split('~')
        .map((xtn) => xtn.split('^')[c - 1] ?? ''),
    ),
  );
}

/** ORC of the message that no OBR follows before the next ORC. */
function orcWithoutObr(message: MessageText): string[] {
  const lines = segmentLines(message);
  const alone: string[] = [];
  let open: string | undefined;
  for (const line of lines) {
    if (line.startsWith('ORC|')) {
      if (open !== undefined) alone.push(open);
      open = line;
    } else if (line.startsWith('OBR|')) open = undefined;
  }
  if (open !== undefined) alone.push(open);
  return alone;
}

/** DG1-3 codes of the message that repeat the code of an earlier DG1. */
function repeatedDiagnoses(message: MessageText): string[] {
  const seen = new Set<string>();
  return componentsOf(message, 'DG1', 3, 1).filter((code) => {
    if (code === '') return false;
    if (seen.has(code)) return true;
    seen.add(code);
    return false;
  });
}

/** An HL7 DTM to the minute or second with a zone, as facts compare it. */
function dtmInstant(dtm: string): string | undefined {
  const m =
    /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?([+-]\d{2})(\d{2})$/.exec(dtm);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s = '00', zh, zm] = m;
  return normaliseValue(`${y}-${mo}-${d}T${h}:${mi}:${s}${zh}:${zm}`);
}

export const EXPLANATIONS: readonly Explanation[] = [
  {
    id: 'ssn-type',
    kind: 'guidance',
    side: 'both',
    fact: /^Patient\.identifier\.type\.coding\.code=(SB|SS)$/,
    row: 'PID[Patient] row 19',
    why: 'PID-19 is typed SS in the US realm (SB outside it); the corpus is US',
  },
  {
    id: 'xtn-internet-without-address',
    kind: 'guidance',
    side: '-',
    fact: /^(Patient|RelatedPerson|Patient\.contact)\.telecom\.value=/,
    // The value is XTN.1 of an XTN with equipment Internet or X.400.
    holds: (value, message) =>
      new RegExp(
        `(^|[|~])${escaped(value)}\\^[^|~^]*\\^(Internet|X\\.400)(\\^|[|~\\r\\n]|$)`,
        'm',
      ).test(message.raw),
    row: 'XTN[ContactPoint] rows 1 and 4',
    why: 'with equipment type Internet or X.400 the address is XTN.4; a number in XTN.1 is not an e-mail address',
  },
  {
    id: 'gt1-in2-db1-into-patient',
    kind: 'guidance',
    side: '-',
    fact: /^Patient\.(name|address|telecom|identifier|contact)\./,
    from: ['GT1', 'IN2', 'DB1'],
    notFrom: ['PID', 'NK1'],
    // Each GT1, IN2 or DB1 can put at most a handful of such values (a
    // name, an address, phones, identifiers) into the reference's Patient.
    most: (message) =>
      8 *
      ['GT1', 'IN2', 'DB1'].reduce(
        (sum, type) => sum + segmentCount(message, type),
        0,
      ),
    row: 'ADT_A01 rows 28 (GT1), 29.2 (IN2), 21 (DB1): no target',
    why: 'guarantor, insured and disability values are not the patient’s (that a guarantor who is not the patient becomes a RelatedPerson is our choice)',
  },
  {
    id: 'coverage-numbers',
    kind: 'guidance',
    side: '-',
    fact: /^Coverage\.(identifier\.(type\.|system=|period\.|value=)|network=|costToBeneficiary\.|type\.coding\.system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v3-ActCode)/,
    from: ['IN1', 'IN2'],
    row: 'IN1[Coverage]: IN1-35/37/46 and IN2[Coverage] have no rows',
    why: 'Medicare and Medicaid numbers, the plan as network and co-pays are not mapped to Coverage by the guidance',
  },
  {
    id: 'pv1-location-status',
    kind: 'guidance',
    side: 'both',
    fact: /^Encounter\.location\.status=(planned|active|reserved|completed)$/,
    row: 'PV1[Encounter] rows 3, 6, 11 and 42',
    why: 'PV1-3 is active (planned for a pre-admission), PV1-6 completed, PV1-11 active, PV1-42 reserved',
  },
  {
    id: 'ucum-uri',
    kind: 'guidance',
    side: 'both',
    fact: /^Encounter\.length\.(system=http:\/\/unitsofmeasure\.org\/?|code=d)$/,
    row: 'PV2[Encounter] row 11 (length)',
    why: 'the UCUM URI has no trailing slash; ours also carries the UCUM code',
  },
  {
    id: 'order-message-reports',
    kind: 'guidance',
    side: '-',
    fact: /^(#DiagnosticReport|DiagnosticReport\.)/,
    messages: ORDER_MESSAGES,
    row: 'OML_O21 row 6.4.1, ORM_O01, DFT_P03, MDM_T02',
    why: 'in order, financial, referral and document messages OBR is the order (ServiceRequest); its OBX are supporting information, not a report',
  },
  {
    id: 'pda-acc-db1',
    kind: 'guidance',
    side: '-',
    fact: /^(#Procedure|Procedure\.|#Observation|Observation\.|#Condition|Condition\.)/,
    messages: /^(ADT|BAR|DFT)\^/,
    from: ['PDA', 'ACC', 'DB1'],
    notFrom: ['PR1', 'OBX', 'DG1'],
    row: 'ADT_A01 rows 21 (DB1), 30 (ACC), 33 (PDA): no target',
    why: 'the guidance gives these segments and fields no resource',
  },
  {
    id: 'acc-components',
    kind: 'guidance',
    side: '-',
    // The reference's fixed names for ACC-6, ACC-9 and ACC-10 (ADI also
    // occurs inside other words, so it cannot be traced to ACC by value).
    fact: /^Observation\.component\.(code\.coding\.code=(AJRI|ADI|PNI)|valueCodeableConcept\.coding\.(code=[YN]|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-0136))$/,
    messages: /^(ADT|BAR|DFT)\^/,
    messageHas: /^ACC\|/m,
    row: 'ADT_A01 row 30 (ACC): no target',
    why: 'the accident’s job-related, death and police-notified indicators have no target in the guidance',
  },
  {
    id: 'acc-referral',
    kind: 'choice',
    side: '-',
    fact: /^(#Observation|Observation\.(identifier\.value=|status=final$|code\.coding\.code=injury-incident$|valueString=|effectiveDateTime=|subject->Patient$|component\.valueCodeableConcept\.coding\.code=))/,
    messages: /^REF\^/,
    messageHas: /^ACC\|/m,
    from: ['ACC'],
    notFrom: ['OBX'],
    // One accident Observation per ACC, and no more of each of its facts.
    most: (message) => segmentCount(message, 'ACC'),
    row: 'no REF_I12 message sheet and no ACC segment map; ADT_A01 row 30 gives ACC no target',
    why: 'the guidance maps ACC nowhere; we read REF as ADT and make no accident Observation',
  },
  {
    id: 'acc-components-referral',
    kind: 'choice',
    side: '-',
    fact: /^Observation\.component\.(code\.coding\.code=(AJRI|ADI|PNI)|valueCodeableConcept\.coding\.(code=[YN]|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-0136))$/,
    messages: /^REF\^/,
    messageHas: /^ACC\|/m,
    row: 'no REF_I12 message sheet and no ACC segment map; ADT_A01 row 30 gives ACC no target',
    why: 'the guidance maps ACC nowhere; we read REF as ADT and make no accident Observation',
  },
  {
    id: 'order-intent',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.intent=(filler-order|order|reflex-order)$/,
    row: 'ORC[ServiceRequest] row 1, OBR[ServiceRequest] row 0',
    why: 'an ORC/OBR order has intent order (reflex-order when OBR-11 is G); the reference says filler-order',
  },
  {
    id: 'order-status',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.status=/,
    // An order whose control code (RE, SC, XO) the map gives no target.
    messageHas: /^ORC\|(RE|SC|XO)\|/m,
    row: 'OrderControlCode[ServiceRequest.status] and OrderStatus maps',
    why: 'RE, SC, XO and other control codes without a target give unknown; ORC-5 is read through the OrderStatus map',
  },
  {
    id: 'order-control-without-status',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.status=(active|unknown)$/,
    messages: /^MDM\^/,
    // A new order (ORC-1 NW) without an order status (ORC-5).
    holds: (_value, message) => newOrdersWithoutStatus(message) > 0,
    row: 'ORC[ServiceRequest] row 1 (IF ORC-5 NOT VALUED); OrderControlCode[ServiceRequest.status] row NW',
    why: 'with ORC-5 empty the status comes from ORC-1, and NW (new order) is active',
  },
  {
    id: 'order-without-orc-status',
    kind: 'choice',
    side: 'both',
    fact: /^ServiceRequest\.status=(active|unknown)$/,
    messages: /^(ORU|REF)\^/,
    // An OBR without an ORC of its own.
    holds: (_value, message) => ordersWithoutOrc(message) > 0,
    most: ordersWithoutOrc,
    row: 'ORU_R01 row 4.2.2 (OBR[ServiceRequest] only IF ORC VALUED); ORC[ServiceRequest] rows 1 and 5',
    why: 'the status comes from ORC-5 or ORC-1; an OBR without an ORC has neither, and we say unknown rather than guess active',
  },
  {
    id: 'referral-status',
    kind: 'choice',
    side: 'both',
    fact: /^ServiceRequest\.status=(on-hold|entered-in-error|unknown)$/,
    messages: /^REF\^/,
    // RF1-1 pending (P) or a code outside table 0283 (A, P, R, E).
    holds: (_value, message) =>
      componentsOf(message, 'RF1', 1, 1).some(
        (code) => code !== '' && !['A', 'R', 'E'].includes(code),
      ),
    row: 'no RF1[ServiceRequest] sheet; table 0283 read against request-status',
    why: 'a pending referral awaits the receiver, so it is on hold, and a code outside table 0283 is unknown; the reference says entered-in-error, which claims the referral was a mistake',
  },
  {
    id: 'sch-request-status',
    kind: 'choice',
    side: 'both',
    fact: /^ServiceRequest\.status=(revoked|draft)$/,
    messages: /^SIU\^/,
    // A cancelled appointment whose AIS give no filler status (AIS-10).
    holds: (_value, message) =>
      componentsOf(message, 'SCH', 25, 1).some((code) =>
        /^(Cancelled|Noshow|Deleted)$/i.test(code),
      ) && componentsOf(message, 'AIS', 10, 1).every((code) => code === ''),
    row: 'SCH[ServiceRequest] row 25 (FillerStatusCodes); AIS[ServiceRequest] row 10 (no target)',
    why: 'the request takes the appointment’s filler status (SCH-25), translated (the FillerStatusCodes map gives Appointment codes, which a request cannot take: cancelled and missed become revoked); AIS-10 has no target, so an AIS without it does not make the request a draft',
  },
  {
    id: 'requisition',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.(identifier|requisition)\.(type\.coding\.(code=PGN|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-0203)|value=)/,
    from: ['ORC-4'],
    notFrom: ['ORC-2', 'ORC-3', 'OBR-2', 'OBR-3'],
    // ORC-4 is an EIP: a placer and a filler assigned number, each one
    // identifier in the reference, per ORC with ORC-4 valued.
    holds: (_value, message) => valued(message, 'ORC', 4) > 0,
    most: (message) => 2 * valued(message, 'ORC', 4),
    row: 'ORC[ServiceRequest] row 4',
    why: 'ORC-4 placer group number is `requisition`, not an identifier',
  },
  {
    id: 'vxu-order',
    kind: 'guidance',
    side: '-',
    fact: /^(#ServiceRequest|ServiceRequest\.)/,
    messages: /^VXU\^/,
    row: 'VXU_V04 row 12.1',
    why: 'the order becomes a ServiceRequest only when the receiver wants it; we make the Immunization',
  },
  {
    id: 'vxu-obx-part-of',
    kind: 'guidance',
    side: '+',
    fact: /^Observation\.partOf->Immunization$/,
    messages: /^VXU\^/,
    messageHas: /^RXA\|/m,
    most: (message) => segmentCount(message, 'OBX'),
    row: 'VXU_V04 row 12.6.1 (Observation.partOf = the Immunization)',
    why: 'an OBX of the order group is part of the immunization',
  },
  {
    id: 'vxu-obx-not-based-on',
    kind: 'guidance',
    side: '-',
    fact: /^Observation\.basedOn->ServiceRequest$/,
    messages: /^VXU\^/,
    messageHas: /^RXA\|/m,
    most: (message) => segmentCount(message, 'OBX'),
    row: 'VXU_V04 row 12.6.1 (Observation.partOf = the Immunization); row 12.1 (the ServiceRequest only when the receiver wants it)',
    why: 'an OBX of the order group is part of the immunization; there is no ServiceRequest for it to be based on',
  },
  {
    id: 'order-dg1-reason',
    kind: 'guidance',
    side: '-',
    fact: /^Encounter\.diagnosis\.condition->Condition$/,
    messages: /^(ORM|OML)\^/,
    // A DG1 after an OBR: inside the order group.
    messageHas: /^OBR\|[\s\S]*^DG1\|/m,
    row: 'ORM_O01 row 4.2.4, OML_O21 row 6.4.6 (DG1 → ServiceRequest.reasonReference)',
    why: 'a DG1 of the order group is the reason for the order; the rows do not make it a diagnosis of the visit',
  },
  {
    id: 'order-dg1-reason-omg',
    kind: 'choice',
    side: '-',
    fact: /^Encounter\.diagnosis\.condition->Condition$/,
    messages: /^OMG\^/,
    messageHas: /^OBR\|[\s\S]*^DG1\|/m,
    row: 'no OMG_O19 message sheet; read as ORM_O01 row 4.2.4 and OML_O21 row 6.4.6',
    why: 'OMG has the order group of OML; its DG1 is the reason for the order, not a diagnosis of the visit',
  },
  {
    id: 'tq1-count',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.occurrenceTiming\.repeat\.(count|countMax)=/,
    from: ['TQ1'],
    row: 'TQ1[ServiceRequest] row 14',
    why: 'TQ1-14 total occurrences is `countMax`',
  },
  {
    id: 'procedure-status',
    kind: 'guidance',
    side: 'both',
    fact: /^Procedure\.status=(unknown|completed)$/,
    row: 'PR1[Procedure] row 0',
    why: 'unknown when the message does not say whether the procedure was done',
  },
  {
    id: 'procedure-functions',
    kind: 'guidance',
    side: 'both',
    fact: /^Procedure\.performer\.function\.coding\.(code=(anesthesiologist|surgeon|procedure-practitioner|88189002|304292004)|system=http:\/\/snomed\.info\/sct)$/,
    row: 'PR1[Procedure] rows 8 and 11',
    why: 'anesthesiologist and surgeon are SNOMED 88189002 and 304292004',
  },
  {
    id: 'procedure-period',
    kind: 'guidance',
    side: 'both',
    fact: /^Procedure\.(performedDateTime|performedPeriod\.(start|end))=/,
    row: 'PR1[Procedure] rows 5 and 7',
    why: 'with PR1-7 minutes valued the procedure has a `performedPeriod`',
  },
  {
    id: 'iso-units',
    kind: 'guidance',
    side: 'both',
    fact: /^Observation\.(component\.)?valueQuantity\.(system=urn:iso:std:iso:3986|code=|unit=)/,
    row: 'CWE[Quantity]',
    why: 'no known system is named ISO; a code without a system breaks FHIR qty-3, so the unit text stays as `unit`',
  },
  {
    id: 'observation-status',
    kind: 'guidance',
    side: 'both',
    fact: /^Observation\.status=(final|unknown)$/,
    // An OBX whose result status (OBX-11) the map gives no target.
    messageHas: /^OBX(\|[^|\r\n]*){10}\|(S|I|R|B|N|O|U|V)(\||\r|\n|$)/m,
    row: 'ObservationResultStatusCodesInterpretation map',
    why: 'OBX-11 S, I and R have no target: unknown',
  },
  {
    id: 'allergy-onset',
    kind: 'guidance',
    side: 'both',
    fact: /^AllergyIntolerance\.(reaction\.onset|onsetDateTime)=/,
    row: 'AL1[AllergyIntolerance] row 6',
    why: 'AL1-6 identification date is `onsetDateTime`',
  },
  {
    id: 'sch-type',
    kind: 'guidance',
    side: 'both',
    fact: /^Appointment\.(appointmentType\.coding\.|reasonCode\.coding\.|priority=)/,
    row: 'SCH[Appointment] rows 7, 8 and 11',
    why: 'SCH-7 (table 0276) is `reasonCode`, SCH-8 (0277) the type; TQ[Appointment] row 6 gives TQ.6 priority no target, so there is no Appointment.priority',
  },
  {
    id: 'sch9-minutes-only',
    kind: 'guidance',
    side: '-',
    fact: /^Appointment\.minutesDuration=/,
    messages: /^SIU\^/,
    // SCH-10 names a unit other than minutes.
    holds: (_value, message) =>
      componentsOf(message, 'SCH', 10, 1).some(
        (unit) => unit !== '' && !/^min$/i.test(unit),
      ),
    row: 'SCH[Appointment] row 9 (If SCH-10 indicates units of minutes)',
    why: 'SCH-9 is minutesDuration only when SCH-10 is minutes; a duration in seconds is not converted',
  },
  {
    id: 'diagnosis-use',
    kind: 'guidance',
    side: 'both',
    fact: /^Encounter\.diagnosis\.use\.coding\.(code=(DD|F|W)|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/(diagnosis-role|v2-0052))$/,
    row: 'DiagnosisType[Encounter.diagnosis.use] map',
    why: 'F and W have no target; the table 0052 code is kept',
  },
  {
    id: 'encounter-status',
    kind: 'guidance',
    side: 'both',
    fact: /^Encounter\.status=(in-progress|planned|finished|unknown)$/,
    row: 'Event[EncounterStatus] (MSH[Encounter] row 9), PV1 rows 2 and 45',
    why: 'A04/A05 are planned, A08 unknown; a discharge time means finished',
  },
  {
    id: 'nk1-use',
    kind: 'guidance',
    side: 'both',
    fact: /^(RelatedPerson|Patient\.contact)\.telecom\.use=(home|work)$/,
    row: 'NK1[RelatedPerson] row 6; XTN[ContactPoint] row 2',
    why: 'NK1-6 is work whatever XTN.2 says; elsewhere the use comes from XTN.2',
  },
  {
    id: 'txa18-confidentiality',
    kind: 'guidance',
    side: 'both',
    fact: /^DocumentReference\.securityLabel\.coding\.system=http:\/\/terminology\.hl7\.org\/CodeSystem\/(v3-Confidentiality|v2-0272)$/,
    // A TXA with TXA-18 (confidentiality status) valued.
    messageHas: /^TXA(\|[^|\r\n]*){17}\|[^|\r\n]+/m,
    from: ['TXA'],
    row: 'TXA[DocumentReference] row 18; DocumentConfidentialityStatus map (V, R, U)',
    why: 'the map keeps V, R and U in table 0272 (http://terminology.hl7.org/CodeSystem/v2-0272); the reference puts them in v3-Confidentiality',
  },
  {
    id: 'repeat-pattern-map',
    kind: 'guidance',
    side: 'both',
    // Ours v3-GTSAbbreviation, the reference's v2-0335, for a TQ1-3 code
    // the map sends to GTSAbbreviation.
    fact: /^ServiceRequest\.occurrenceTiming\.code\.coding\.system=http:\/\/terminology\.hl7\.org\/CodeSystem\/(v2-0335|v3-GTSAbbreviation)$/,
    // TQ1-3 RPT.1, or the RI.1 of an ORC-7/OBR-27 TQ (its 2nd component).
    holds: (_value, message) =>
      ['TQ1-3', 'ORC-7', 'OBR-27'].some((place) => {
        const [type = '', field = ''] = place.split('-');
        return (message.segments.get(type) ?? []).some((segment) => {
          const value = segment.split('|')[Number(field)] ?? '';
          const pattern = type === 'TQ1' ? value : (value.split('^')[1] ?? '');
          return /^(BID|TID|QID|QOD|Q[12346]H|Q8H|Q1[DWL])$/i.test(
            pattern.split(/[~^&]/)[0] ?? '',
          );
        });
      }),
    row: 'RPT[Timing] row 1 and RI[Timing] row 1: the RepeatPattern map (BID, TID, QID, QOD, Q1H to Q8H, Q1D, Q1W, Q1L → v3-GTSAbbreviation)',
    why: 'the map gives these table 0335 codes a v3-GTSAbbreviation target; the reference keeps v2-0335',
  },
  {
    id: 'hl7-table-systems',
    kind: 'choice',
    side: '+',
    fact: /\.coding\.system=http:\/\/terminology\.hl7\.org\/CodeSystem\/(v2-\d{4}|v3-[A-Za-z]+|condition-category)$/,
    row: 'CWE[CodeableConcept] row 3; IS/ID[CodeableConcept]',
    why: 'a code from the HL7 table a field is bound to carries that table’s URI even when CWE.3 is empty; the guidance gives the system only from CWE.3 or a vocabulary map, and some rows (PV1-14) name none',
  },
  {
    id: 'context-references',
    kind: 'guidance',
    side: '+',
    fact: /^(Observation|Condition|Procedure|DocumentReference|ServiceRequest|DiagnosticReport|Immunization|RelatedPerson)\.(encounter|subject|patient|context\.encounter)->(Encounter|Patient)$/,
    row: 'message maps (ADT_A01, ORU_R01, MDM_T02, ...): subject from PID, encounter from PV1',
    why: 'every resource of the message points at the message’s Patient and Encounter; the reference leaves some unlinked',
  },
  {
    id: 'ed-document',
    kind: 'guidance',
    side: 'both',
    fact: /^(#DocumentReference|DocumentReference\.(status|content\.|subject->)|Observation\.derivedFrom->DocumentReference|DiagnosticReport\.presentedForm\.)/,
    // Document messages keep their own class (mdm-obx-document).
    messages: /^(?!MDM\^)/,
    messageHas: /^OBX\|[^|\r\n]*\|ED\|/m,
    row: 'OBX[DocumentReference] (OBX-2 ED)',
    why: 'an encapsulated document becomes a DocumentReference the Observation derives from; R4 Observation has no attachment value',
  },
  {
    id: 'order-supporting-info',
    kind: 'guidance',
    side: 'both',
    fact: /^(ServiceRequest\.supportingInfo->Observation|Observation\.basedOn->ServiceRequest)$/,
    messages: ORDER_MESSAGES,
    row: 'OML_O21 row 6.4.7.1',
    why: 'an OBX of an order is the order’s supporting information, not a result based on it',
  },
  {
    id: 'observation-effective-from-obr',
    kind: 'choice',
    side: '+',
    fact: /^Observation\.effectiveDateTime=/,
    row: 'OBX[Observation] row 14 (no row passes OBR-7 down)',
    why: 'an OBX without OBX-14 takes the observation time of its OBR (OBR-7), so every result has a clinically relevant time',
  },
  {
    id: 'xpn-called-by',
    kind: 'guidance',
    side: 'both',
    fact: /^(Patient|RelatedPerson)\.name\.(use=nickname|given=)/,
    from: ['PID-5', 'PID-9', 'NK1-2', 'IN1-16', 'GT1-3'],
    row: 'XPN[HumanName] row 15',
    why: 'XPN.15 called-by is a second name of use nickname (where the element allows several names), not another given name of the first',
  },
  {
    id: 'condition-category',
    kind: 'choice',
    side: '+',
    fact: /^Condition\.category\.coding\.code=encounter-diagnosis$/,
    row: 'DG1[Condition] has no category row',
    why: 'a DG1 of a visit is an encounter diagnosis; US Core requires a category',
  },
  {
    id: 'ft1-not-mapped',
    kind: 'gap',
    side: '-',
    fact: /^(#Procedure|Procedure\.)/,
    from: ['FT1'],
    notFrom: ['PR1'],
    row: 'FT1[Procedure] (FT1-25/26)',
    why: 'FT1 is not mapped yet: its procedure codes give no Procedure',
  },
  {
    id: 'contact-system-required',
    kind: 'choice',
    side: '+',
    fact: /^(Patient|RelatedPerson|Patient\.contact)\.telecom\.system=phone$/,
    row: 'XTN[ContactPoint] row 3',
    why: 'with XTN.3 and XTN.4 empty the guidance gives `system` a data-absent-reason; the value comes from the telephone-number components (XTN.1, XTN.5 to 7, XTN.12), so we say phone',
  },
  {
    id: 'xtn-number-parts',
    kind: 'guidance',
    side: '+',
    fact: /^(Patient|RelatedPerson|Patient\.contact)\.telecom\.value=\+?\d+( \d+)+( X\d+)?$/,
    row: 'XTN[ContactPoint] row 7',
    why: 'a number sent in its parts (XTN.5 to XTN.8) is assembled as `+country area local Xext`',
  },
  {
    id: 'merge-patient',
    kind: 'choice',
    side: '+',
    fact: /^(#Patient|Patient\.|[A-Za-z]+\.(subject|patient)->Patient$)/,
    messages: /^ADT\^A(40|41|45|47)\^/,
    row: 'no message map for ADT_A39/A40 (merges), A45 or A47; PID[Patient] as in every ADT map (ADT_A01 row 6); MRG-1 → Patient.link replaces (FHIR R4 Patient.link; the guidance maps MRG only to Account)',
    why: 'the reference makes no Patient from merge and move messages, only a Linkage (a type outside the compared set); we make the surviving patient from the PID and, for a merge, link it to the record merged away',
  },
  {
    id: 'merge-visit-and-mother',
    kind: 'choice',
    side: '+',
    fact: /^(#Encounter|Encounter\.|#RelatedPerson|RelatedPerson\.(identifier\.|relationship\.coding\.code=MTH$))/,
    messages: /^ADT\^A(39|40|41|42)\^/,
    messageHas: /^MRG\|/m,
    from: ['PV1', 'PID-21'],
    row: 'no ADT_A39 message sheet; read as ADT_A01 (PV1[Encounter]) and PID[Patient] row 21 (CX[RelatedPerson-Mother])',
    why: 'a merge message still carries the visit (PV1) and the mother’s identifier (PID-21); we map them as in any ADT message, where the reference maps nothing of a merge but the link',
  },
  {
    id: 'icdo-without-uri',
    kind: 'choice',
    side: '-',
    fact: /^[A-Za-z]+(\.[A-Za-z]+)*\.coding\.system=http:\/\/terminology\.hl7\.org\/CodeSystem\/icd-o$/,
    messageHas: /\^ICDO([|^~\r\n]|$)/m,
    row: 'CWE[CodeableConcept] row 3 (the system URI comes from the vocabulary table)',
    why: 'HL7 Terminology defines ICD-O only as edition 3 (icd-o-3, sent as ICDO3); the unversioned ICDO of table 0396 has no URI there, so the coding keeps no system rather than one the terminology does not define',
  },
  {
    id: 'cx5-not-a-code',
    kind: 'choice',
    side: '-',
    fact: /^[A-Za-z]+\.identifier\.type\.coding\.code=\S*\s/,
    row: 'CX[Identifier] row 5 (table 0203)',
    why: 'the row codes CX.5 through the IdentifierType map; a CX.5 holding a name (with spaces) is no table 0203 code, so we keep it as type.text',
  },
  {
    id: 'in1-2-identifier',
    kind: 'guidance',
    side: '+',
    fact: /^Coverage\.identifier\.(value|system)=/,
    from: ['IN1-2'],
    row: 'IN1[Coverage] row 2',
    why: 'the health plan id is a Coverage identifier; the reference makes it a class only',
  },
  {
    id: 'message-endpoint',
    kind: 'choice',
    side: '+',
    fact: /^MessageHeader\.(source|destination)\.endpoint=urn:hl7v2:hd:/,
    row: 'HD[MessageHeader.source] and HD[MessageHeader.destination]',
    why: 'R4 requires source.endpoint (and destination.endpoint); an HD with a namespace but no OID becomes urn:hl7v2:hd:<namespace> rather than nothing',
  },
  {
    id: 'ei4-not-a-type',
    kind: 'guidance',
    side: '-',
    fact: /^Condition\.identifier\.type\.coding\.(code=[A-Za-z0-9]+|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-0301)$/,
    from: ['DG1-20'],
    row: 'EI[Condition] row 4',
    why: 'EI.4 universal id type types the assigner’s identifier, not the Condition identifier',
  },
  {
    id: 'mdm-obx-document',
    kind: 'guidance',
    side: '-',
    fact: /^(#Observation|Observation\.)/,
    messages: /^MDM\^/,
    from: ['OBX'],
    row: 'MDM_T02 row 10.1, OBX[DocumentReference]',
    why: 'the OBX of a document message are the document’s content, not Observations',
  },
  {
    id: 'txa17-doc-status',
    kind: 'choice',
    side: 'both',
    fact: /^DocumentReference\.docStatus=(preliminary|final)$/,
    from: ['TXA'],
    row: 'TXA[DocumentReference] row 17',
    why: 'the row copies the table 0271 code, but docStatus is bound (required) to composition-status; authenticated (AU) and legally authenticated (LA) documents are read as final',
  },
  {
    id: 'pr1-25-parent-stub',
    kind: 'guidance',
    side: '-',
    fact: /^(#Procedure|Procedure\.(identifier\.value=|status=unknown|subject->Patient))/,
    // A PR1 with PR1-25 (parent procedure id) valued.
    messageHas: /^PR1(\|[^|\r\n]*){24}\|[^|\r\n]+/m,
    from: ['PR1-25'],
    row: 'PR1[Procedure] row 25',
    why: 'the parent procedure is named by identifier in `partOf`; the reference invents a Procedure for it',
  },
  {
    id: 'relationship-map',
    kind: 'guidance',
    side: 'both',
    fact: /^(Patient\.contact|RelatedPerson)\.relationship\.coding\.(code|system)=/,
    from: ['NK1', 'IN1', 'GT1'],
    // Only the map's own codes and systems: local codes are not its work.
    holds: (value) =>
      RELATIONSHIP_CODES.has(value) ||
      /\/(v3-RoleCode|v2-0131|v2-0063)$/.test(value),
    row: 'NK1[Patient] and NK1[RelatedPerson] row 3: the Relationship map',
    why: 'table 0063 codes go through the Relationship map wherever they stand; the reference maps them for RelatedPerson but not for Patient.contact',
  },
  {
    id: 'guarantor-insured-person',
    kind: 'choice',
    side: '+',
    fact: /^(#RelatedPerson|RelatedPerson\.)/,
    from: ['GT1', 'IN1', 'IN2'],
    notFrom: ['NK1'],
    row: 'ADT_A01 rows 28 (GT1) and 29.2 (IN2): no target',
    why: 'a guarantor or insured who is not the patient is kept as a RelatedPerson (the Coverage subscriber), so who pays is not lost',
  },
  {
    id: 'ais-service-type',
    kind: 'guidance',
    side: '+',
    fact: /^Appointment\.serviceType\.coding\.(code|system)=/,
    from: ['AIS-3'],
    row: 'AIS[Appointment] row 3',
    why: 'AIS-3 universal service identifier is the Appointment’s serviceType',
  },
  {
    id: 'order-observations',
    kind: 'guidance',
    side: '+',
    fact: /^(#Observation|Observation\.)/,
    messages: /^(OML|OMG|ORM|OMI)\^/,
    from: ['OBX', 'OBR', 'ORC'],
    row: 'OML_O21 row 6.4.7, ORM_O01: OBX[Observation]',
    why: 'an OBX of an order becomes an Observation the order refers to; the reference leaves it out or folds it into a report',
  },
  {
    id: 'orc-8-parent',
    kind: 'guidance',
    side: '-',
    fact: /^(#ServiceRequest|ServiceRequest\.(identifier\.(value|type\.coding\.(code|system))=|subject->Patient))/,
    // An ORC with ORC-8 (parent order) valued.
    messageHas: /^ORC(\|[^|\r\n]*){7}\|[^|\r\n]+/m,
    from: ['ORC-8'],
    row: 'ORC[ServiceRequest] row 8',
    why: 'the parent order is named by identifier in `basedOn`; the reference invents a ServiceRequest for it',
  },
  {
    id: 'ei-universal-id',
    kind: 'guidance',
    side: '-',
    fact: /^ServiceRequest\.identifier\.system=urn:oid:/,
    // The OID is EI.3 (EI.4 ISO) of a placer or filler order number.
    holds: (value, message) =>
      ['ORC', 'OBR'].some((type) =>
        [2, 3].some((n) =>
          componentsOf(message, type, n, 3).some(
            (oid, i) =>
              `urn:oid:${oid}` === value &&
              componentsOf(message, type, n, 4)[i] === 'ISO',
          ),
        ),
      ),
    row: 'OBR[ServiceRequest] rows 2 and 3, ORC[ServiceRequest] rows 2 and 3; EI[Identifier-Extension] rows 3 and 4',
    why: 'an order number’s universal ID (EI.3/EI.4) goes to an assigning-authority extension, not to Identifier.system',
  },
  {
    id: 'orc-31-parent-service',
    kind: 'guidance',
    side: '-',
    fact: /^ServiceRequest\.identifier\.type\.coding\.code=/,
    from: ['ORC-31'],
    notFrom: ['ORC-2', 'ORC-3', 'OBR-2', 'OBR-3', 'OBR-53', 'ORC-33'],
    // The code must be ORC-31's own (a PLAC or FILL type is not).
    holds: (value, message) =>
      componentsOf(message, 'ORC', 31, 1).includes(value),
    most: (message) => valued(message, 'ORC', 31),
    row: 'ORC[ServiceRequest] row 31 (an extension on basedOn, no R4 element)',
    why: 'the parent’s universal service identifier names a service, not an identifier type',
  },
  {
    id: 'obr-24-no-target',
    kind: 'guidance',
    side: '-',
    fact: /^ServiceRequest\.locationCode\.coding\.(code=|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-0074$)/,
    // An OBR with OBR-24 (diagnostic service section) valued.
    messageHas: /^OBR(\|[^|\r\n]*){23}\|[^|\r\n]+/m,
    from: ['OBR-24'],
    // A code must be OBR-24's own (not an ORC-29 order type).
    holds: (value, message) =>
      value.startsWith('http') ||
      componentsOf(message, 'OBR', 24, 1).includes(value),
    most: (message) => valued(message, 'OBR', 24),
    row: 'OBR[ServiceRequest] row 24 (no target)',
    why: 'the diagnostic service section is not where the service is done; ORC-29 order type is the locationCode',
  },
  {
    id: 'obr-18-21-author',
    kind: 'choice',
    side: '-',
    fact: /^ServiceRequest\.note\.authorString=(Placer|Filler) Field [12]$/,
    // An OBR with one of OBR-18 to OBR-21 valued.
    messageHas: /^OBR(\|[^|\r\n]*){17}(\|[^|\r\n]*){0,3}\|[^|\r\n]+/m,
    row: 'OBR[ServiceRequest] rows 18 to 21 (an implementation decision; note for text that needs no context)',
    why: 'the placer and filler fields are kept as note text; the field’s name is not the note’s author',
  },
  {
    id: 'referral-category',
    kind: 'choice',
    side: '-',
    fact: /^ServiceRequest\.category\.coding\.code=patient-referral-request$/,
    messageHas: /^RF1\|/m,
    row: 'no RF1[ServiceRequest] sheet',
    why: 'a referral is told by its RF1 content (type, category, reason); we add no category code of our own',
  },
  {
    id: 'obr-29-parent',
    kind: 'guidance',
    side: '-',
    fact: /^(#ServiceRequest|ServiceRequest\.(identifier\.(value|type\.coding\.(code|system))=|subject->Patient$|status=active$|basedOn->ServiceRequest$))/,
    // An OBR with OBR-29 (parent result) valued.
    messageHas: /^OBR(\|[^|\r\n]*){28}\|[^|\r\n]+/m,
    from: ['OBR-29', 'OBR-50'],
    // One invented parent per OBR that names one; its placer, filler and
    // OBR-50 typed identifiers share one system.
    most: (message, fact) =>
      valued(message, 'OBR', 29) * (fact.includes('.system=') ? 3 : 1),
    row: 'OBR[ServiceRequest] row 29',
    why: 'the parent is named by identifier in `basedOn`; the reference also invents a ServiceRequest for it (its type the OBR-50 code) and points at that',
  },
  {
    id: 'ais-11-12-identifier',
    kind: 'gap',
    side: '-',
    fact: /^ServiceRequest\.orderDetail\.coding\.(code|system)=/,
    messages: /^SIU\^/,
    from: ['AIS-11', 'AIS-12'],
    row: 'AIS[ServiceRequest] rows 11 and 12 (identifier[2] and [3], CWE[Identifier])',
    why: 'the guidance makes the supplemental service information identifiers, which we do not build yet; the reference’s orderDetail is not the rows’ target either',
  },
  {
    id: 'ctd-not-mapped',
    kind: 'gap',
    side: '-',
    fact: /^Patient\.contact\./,
    from: ['CTD'],
    notFrom: ['NK1'],
    row: 'CTD[Patient] (contact data)',
    why: 'CTD is not mapped yet: its contact person gives no Patient.contact',
  },
  {
    id: 'mdm-related-order',
    kind: 'guidance',
    side: 'both',
    fact: /^(ServiceRequest\.reasonReference->DocumentReference|DocumentReference\.context\.related->ServiceRequest)$/,
    messages: /^MDM\^/,
    row: 'MDM_T02 row 8',
    why: 'the document points at its order (context.related); the order does not name the document as its reason',
  },
  {
    id: 'tq-orc7-before-obr27',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.occurrenceTiming\.repeat\.boundsPeriod\.start=/,
    // ORC-7 and OBR-27 both valued, with a different TQ.4 start.
    holds: (_value, message) => tqDiffers(message, 4),
    row: 'OBR[ServiceRequest] row 27 (IF ORC-7 NOT VALUED AND ORC-6 NOT VALUED); ORC[ServiceRequest] row 7',
    why: 'the order’s TQ is ORC-7; OBR-27 counts only when ORC-7 is empty, and the reference takes OBR-27 where both differ',
  },
  {
    id: 'tq-duration-bounds',
    kind: 'guidance',
    side: '-',
    fact: /^ServiceRequest\.occurrenceTiming\.repeat\.(duration|durationUnit)=/,
    // A TQ.3 duration next to a TQ.4/TQ.5 period, and no TQ1 (TQ1-13 is
    // repeat.duration).
    holds: (_value, message) =>
      !message.segments.has('TQ1') &&
      ['ORC-7', 'OBR-27'].some((place) => {
        const [type = '', field] = place.split('-');
        const n = Number(field);
        const duration = componentsOf(message, type, n, 3);
        const start = componentsOf(message, type, n, 4);
        const end = componentsOf(message, type, n, 5);
        return duration.some(
          (text, i) =>
            /^[SMHDWL]\d+$/.test(text) && `${start[i]}${end[i]}` !== '',
        );
      }),
    row: 'TQ[ServiceRequest] row 3 (TQ.3 → repeat.boundsDuration); rows 4-5 (TQ.4/TQ.5 → repeat.boundsPeriod)',
    why: 'TQ.3 is how long the service goes on, a bound, not the length of one occurrence (repeat.duration); with TQ.4/TQ.5 valued the bound is their period and bounds[x] holds one',
  },
  {
    id: 'tq1-time-of-day',
    kind: 'guidance',
    side: '+',
    fact: /^ServiceRequest\.occurrenceTiming\.repeat\.timeOfDay=/,
    from: ['TQ1-4'],
    row: 'TQ1[ServiceRequest] row 4',
    why: 'TQ1-4 explicit times are the timing’s timeOfDay',
  },
  {
    id: 'txa3-content-type',
    kind: 'choice',
    side: '+',
    fact: /^DocumentReference\.content\.attachment\.contentType=text\/plain$/,
    from: ['TXA'],
    row: 'TXA[DocumentReference] row 3; OBX[DocumentReference] row 5',
    why: 'the rows copy TX (or assign application/text); contentType is a MIME type, and TX content is text/plain',
  },
  {
    id: 'con-consenter-not-patient',
    kind: 'guidance',
    side: '-',
    fact: /^Patient\.name\./,
    from: ['CON'],
    notFrom: ['PID'],
    row: 'MDM_T02 row 9: CON has no target',
    why: 'the consenter named in CON is not the patient; the reference adds the name to Patient',
  },
  {
    id: 'ssn-type-related',
    kind: 'choice',
    side: 'both',
    fact: /^RelatedPerson\.identifier\.type\.coding\.code=(SB|SS)$/,
    from: ['GT1', 'IN2', 'NK1'],
    row: 'PID[Patient] row 19, applied to GT1-12, IN2-2 and NK1-37',
    why: 'the guarantor’s, insured’s or contact’s SSN is typed SS as the patient’s is; the guidance gives these fields no row',
  },
  {
    id: 'pd1-16-no-target',
    kind: 'guidance',
    side: '-',
    fact: /^Patient\.active=true$/,
    // A PD1 with PD1-16 (immunization registry status) valued.
    messageHas: /^PD1(\|[^|\r\n]*){15}\|[^|\r\n]+/m,
    row: 'PD1[Patient] row 16',
    why: 'the immunization registry status has no target; it does not say whether the patient record is active',
  },
  ...obxAsObservation(
    'oru-obx-observation',
    'guidance',
    /^ORU\^/,
    'ORU_R01 rows 4.1.7.1 and 4.2.4.3.1: OBX → Observation (DiagnosticReport.result); rows 4.2.1.1 and 4.2.2: one DiagnosticReport per ORC/OBR',
    'an OBX of any value type is an Observation (in its OBR’s report); the reference makes a DiagnosticReport of each RP or ED OBX',
  ),
  ...obxAsObservation(
    'oul-obx-observation',
    'choice',
    /^OUL\^/,
    'no OUL message sheet; read as ORU_R01 rows 4.2.2 and 4.2.4.3.1',
    'OUL_R22 to R24 result groups are OBR with its OBX as in ORU_R01: each OBX an Observation in the report of its OBR, not a report of its own',
  ),
  {
    id: 'txa13-no-target',
    kind: 'guidance',
    side: '-',
    fact: /^DocumentReference\.relatesTo\.(code=|target->DocumentReference$)/,
    // Document messages keep their own choice (T05/T06 append, T09/T10 replace).
    messages: /^(?!MDM\^)/,
    // A TXA with TXA-13 (parent document number) valued.
    messageHas: /^TXA(\|[^|\r\n]*){12}\|[^|\r\n]+/m,
    row: 'TXA[DocumentReference] row 13',
    why: 'the parent document number has no target; outside a document message nothing says how the documents relate',
  },
  {
    id: 'txa24-no-target',
    kind: 'guidance',
    side: '-',
    fact: /^DocumentReference\.category\.coding\.code=/,
    from: ['TXA-24'],
    row: 'TXA[DocumentReference] row 24',
    why: 'the folder assignment has no target; it is not a document category',
  },
  {
    id: 'txa16-untyped',
    kind: 'guidance',
    side: '-',
    fact: /^DocumentReference\.identifier\.type\.coding\.code=DOCI$/,
    // A TXA with TXA-16 (unique document file name) valued.
    messageHas: /^TXA(\|[^|\r\n]*){15}\|[^|\r\n]+/m,
    row: 'TXA[DocumentReference] row 16; ST[Identifier] row 1',
    why: 'the file name is identifier[1] through ST[Identifier], which gives a value and no type',
  },
  {
    id: 'eip1-subcomponents',
    kind: 'choice',
    side: 'both',
    fact: /^DiagnosticReport\.identifier\.value=/,
    // The value is ORC-4's EIP.1 whole (with its & subcomponents, the
    // reference) or its first subcomponent (ours).
    holds: (value, message) =>
      (message.segments.get('ORC') ?? []).some((orc) => {
        const eip1 = (orc.split('|')[4] ?? '').split(/[~^]/)[0] ?? '';
        return (
          eip1.includes('&') && (value === eip1 || value === eip1.split('&')[0])
        );
      }),
    row: 'ORC[DiagnosticReport] row 4 (EIP[Identifier-PlacerAssignedIdentifier] and EIP[Identifier-FillerAssignedIdentifier]), where EIP.1 is typed ST',
    why: 'the row reads EIP.1 as a plain string; sent as an EI (number&namespace) we keep its entity identifier, the first subcomponent, and the reference keeps the subcomponent separators in the value',
  },
  {
    id: 'order-document-link',
    kind: 'choice',
    side: 'both',
    fact: /^(ServiceRequest\.reasonReference->DocumentReference|DocumentReference\.context\.related->ServiceRequest)$/,
    messages: /^(ORU|OUL)\^/,
    messageHas: /^TXA\|/m,
    most: (message) => segmentCount(message, 'TXA'),
    row: 'ORU_R01 row 4.2.1.3 (ORDER_DOCUMENT: no R4 target); MDM_T02 row 8',
    why: 'the guidance leaves an order’s document to R5; as in MDM_T02 row 8 the document names its order (context.related), and the order does not name the document as its reason',
  },
  {
    id: 'county-code-only',
    kind: 'choice',
    side: '+',
    fact: /^(Patient|Patient\.contact|RelatedPerson)\.address\.district=/,
    // The value is the code of an address field's XAD.9 with no text (no
    // CWE.2, no CWE.9): a county sent as a code only.
    holds: (value, message) =>
      ADDRESS_FIELDS.some((place) => {
        const [type = '', field] = place.split('-');
        return (message.segments.get(type) ?? []).some((segment) =>
          (segment.split('|')[Number(field)] ?? '').split('~').some((xad) => {
            const county = (xad.split('^')[8] ?? '').split('&');
            return county[0] === value && !county[1] && !county[8];
          }),
        );
      }),
    row: 'XAD[Address] row 9; CWE[string] rows 2 and 9',
    why: 'CWE[string] takes the county’s text (CWE.9, else CWE.2); a county sent as a code alone has no text, and we keep the code as the district rather than lose it',
  },
  {
    id: 'dg1-22-parent-stub',
    kind: 'guidance',
    side: '-',
    fact: /^(#Condition|Condition\.(identifier\.value=|subject->Patient$))/,
    // A DG1 with DG1-22 (parent diagnosis) valued.
    messageHas: /^DG1(\|[^|\r\n]*){21}\|[^|\r\n]+/m,
    from: ['DG1-22'],
    notFrom: ['DG1-20'],
    // An identifier value is DG1-22's EI.1 itself.
    holds: (value, message) =>
      value === '' || componentsOf(message, 'DG1', 22, 1).includes(value),
    most: (message) =>
      componentsOf(message, 'DG1', 22, 1).filter((_, i) =>
        [1, 2, 3].some((c) => componentsOf(message, 'DG1', 22, c)[i] !== ''),
      ).length,
    row: 'DG1[Condition] row 22 (condition-dueTo, EI[Condition]: the parent named by identifier)',
    why: 'the parent diagnosis is a reference in the condition-dueTo extension, by identifier when EI.1 is sent; the reference invents a Condition for it',
  },
  {
    id: 'dg1-ei3-not-a-system',
    kind: 'guidance',
    side: '-',
    fact: /^Condition\.identifier\.system=urn:oid:/,
    // The OID is EI.3 of DG1-20 or DG1-22 whose EI.4 does not say ISO.
    holds: (value, message) =>
      [20, 22].some((n) =>
        componentsOf(message, 'DG1', n, 3).some(
          (oid, i) =>
            oid !== '' &&
            `urn:oid:${oid}` === value &&
            componentsOf(message, 'DG1', n, 4)[i] !== 'ISO',
        ),
      ),
    row: 'DG1[Condition] rows 20 and 22; EI[Identifier-Extension] rows 3 and 4, EI[Condition] rows 3 and 4',
    why: 'EI.3 and EI.4 name the assigning authority (an extension, or the assigner), not Identifier.system; with EI.4 other than ISO the universal id is not even an OID',
  },
  {
    id: 'ref-dg1-diagnosis-twice',
    kind: 'guidance',
    side: '-',
    fact: /^Encounter\.diagnosis\.condition->Condition$/,
    messages: /^REF\^/,
    messageHas: /^DG1\|/m,
    most: (message) => segmentCount(message, 'DG1'),
    row: 'DG1[Encounter] rows 3 to 6 (one diagnosis per DG1)',
    why: 'each DG1 is one diagnosis of the visit; the reference lists the same Condition twice, once without its use',
  },
  {
    id: 'oml-obr-without-orc',
    kind: 'choice',
    side: '+',
    fact: /^(#ServiceRequest|ServiceRequest\.(status=unknown$|intent=order$|subject->Patient$|identifier\.(value=|type\.coding\.(code=(PLAC|FILL)|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-0203)$)|code\.coding\.(code|system)=|reasonCode\.coding\.(code|system)=|supportingInfo->Observation$|reasonReference->Condition$))/,
    messages: /^OML\^/,
    from: ['OBR'],
    // A code or number stands in an OBR (a system or fixed code need not).
    holds: (value, message) => inSegmentUnlessFixed(value, message, 'OBR'),
    // One ServiceRequest per OBR that has no ORC of its own.
    most: ordersWithoutOrc,
    row: 'OML_O21 rows 6.1 (ORC → ServiceRequest) and 6.4.1 (OBR incorporated into the ServiceRequest of its ORC)',
    why: 'an OBR sent without an ORC of its own still orders a test; we make it a ServiceRequest (status unknown) where the reference folds it into the ORC’s order or drops it',
  },
  {
    id: 'oml-dg1-without-orc',
    kind: 'choice',
    side: '+',
    fact: /^(#Condition|Condition\.(code\.coding\.(code|system)=|subject->Patient$|category\.coding\.))/,
    messages: /^OML\^/,
    from: ['DG1'],
    // The order group has no ORC at all, so the reference makes no order;
    // a code stands in a DG1.
    holds: (value, message) =>
      message.segments.has('OBR') &&
      !message.segments.has('ORC') &&
      inSegmentUnlessFixed(value, message, 'DG1'),
    most: (message) => segmentCount(message, 'DG1'),
    row: 'OML_O21 row 6.4.6 (DG1 → Condition, the reason of the ORC’s ServiceRequest)',
    why: 'a DG1 of an order sent without ORC is still the reason for the order we make from its OBR; the reference, making no order, drops it',
  },
  {
    id: 'order-control-without-status-oml',
    kind: 'guidance',
    side: '+',
    fact: /^ServiceRequest\.status=active$/,
    messages: /^OML\^/,
    // A new order (ORC-1 NW) without an order status (ORC-5).
    holds: (_value, message) => newOrdersWithoutStatus(message) > 0,
    most: newOrdersWithoutStatus,
    row: 'ORC[ServiceRequest] row 1 (IF ORC-5 NOT VALUED); OrderControlCode[ServiceRequest.status] row NW',
    why: 'with ORC-5 empty the status comes from ORC-1, and NW (new order) is active; the reference says unknown',
  },
  {
    id: 'orc-15-no-target',
    kind: 'guidance',
    side: '-',
    fact: /^ServiceRequest\.occurrenceDateTime=/,
    // The time is ORC-15 (order effective date/time) itself.
    holds: (value, message) =>
      (message.segments.get('ORC') ?? []).some(
        (orc) => dtmInstant(orc.split('|')[15] ?? '') === value,
      ),
    row: 'ORC[ServiceRequest] row 15 (no target: the guidance asks how ORC-15 is used)',
    why: 'the order effective date/time has no target; it is not when the service is to occur',
  },
  {
    id: 'subscriber-relationship',
    kind: 'choice',
    side: '+',
    fact: /^Coverage\.relationship\.coding\.(code=[a-z]+|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/subscriber-relationship)$/,
    // The code is the translation of an IN1-17 table 0063 code.
    holds: (value, message) =>
      componentsOf(message, 'IN1', 17, 1).some((code) => {
        const target = SUBSCRIBER[code];
        return (
          target !== undefined && (target === value || value.includes('/'))
        );
      }),
    most: (message) =>
      componentsOf(message, 'IN1', 17, 1).filter(
        (code) => SUBSCRIBER[code] !== undefined,
      ).length,
    row: 'IN1[Coverage] row 17 (Relationship map, whose targets are v3 RoleCode)',
    why: 'Coverage.relationship is bound to subscriber-relationship, which the map does not target; we translate the table 0063 code to it (CHD child, PAR parent), where the reference translates only some',
  },
  {
    id: 'oml-nk1-contact',
    kind: 'choice',
    side: '+',
    fact: /^Patient\.contact\.(name|address|telecom)\./,
    messages: /^OML\^/,
    messageHas: /^NK1\|/m,
    from: ['NK1'],
    row: 'OML_O21 row 5.6 (NK1 → RelatedPerson[2] by NK1[RelatedPerson] and Patient[1] by NK1[Patient]; the comment allows either or both)',
    why: 'as in the ADT messages, a next of kin is both a RelatedPerson and a Patient.contact; the reference makes only the RelatedPerson in an order message',
  },
  {
    id: 'destination-unknown',
    kind: 'guidance',
    side: '-',
    fact: /^MessageHeader\.destination\.endpoint=unknown$/,
    // MSH-5 (receiving application) is valued.
    holds: (_value, message) =>
      componentsOf(message, 'MSH', 4, 1).some((name) => name !== ''),
    row: 'MSH[MessageHeader] rows 5 and 25 (the data-absent-reason extension "unknown" only IF MSH-25 NOT VALUED AND MSH-5 NOT VALUED)',
    why: 'with MSH-5 valued the endpoint comes from it; "unknown" is a data-absent-reason code for an empty MSH-5, and never the endpoint value itself',
  },
  {
    id: 'rxa9-new-record',
    kind: 'choice',
    side: '-',
    fact: /^Immunization\.reportOrigin\.coding\.code=00$/,
    messages: /^VXU\^/,
    most: (message) => rxaWith(message, 9, '00'),
    row: 'RXA[Immunization] row 9 (no target: left to implementation guides such as the US CDC immunization guide)',
    why: 'as the CDC guide reads RXA-9, 00 (new immunization record) says the record comes from its source: primarySource true, not a report origin',
  },
  {
    id: 'rxa6-unknown-amount',
    kind: 'choice',
    side: '-',
    fact: /^Immunization\.doseQuantity\.value=999$/,
    messages: /^VXU\^/,
    most: (message) => rxaWith(message, 6, '999'),
    row: 'RXA[Immunization] row 6 (RXA-6 → doseQuantity.value)',
    why: '999 is the CDC immunization guide’s “amount unknown”; a dose of 999 would state a false amount, so there is no doseQuantity',
  },
  {
    id: 'vxu-funding-into-immunization',
    kind: 'choice',
    side: '-',
    fact: /^Immunization\.(fundingSource|programEligibility)\.coding\.code=/,
    messages: /^VXU\^/,
    // The code is OBX-5 of a funding source (30963-3) or eligibility
    // (64994-7) OBX.
    holds: (value, message) =>
      fundingObx(message).some(
        (obx) => (obx.split('|')[5] ?? '').split('^')[0] === value,
      ),
    most: (message) => fundingObx(message).length,
    row: 'VXU_V04 row 12.6.1 (OBX → Observation[2] partOf the Immunization; its comment leaves funding source and eligibility in Immunization to a future guide)',
    why: 'an OBX of the order group is an Observation of the immunization; the row gives no Immunization element for it',
  },
  {
    id: 'vxu-funding-observation',
    kind: 'choice',
    side: '+',
    fact: /^(#Observation|Observation\.(code\.coding\.(code=(30963-3|64994-7)$|system=http:\/\/loinc\.org$)|valueCodeableConcept\.coding\.code=|method\.coding\.code=))/,
    messages: /^VXU\^/,
    // A code stands in one of the funding OBX.
    holds: (value, message) =>
      value === '' ||
      value.startsWith('http') ||
      fundingObx(message).some((obx) => obx.includes(value)),
    most: (message) => fundingObx(message).length,
    row: 'VXU_V04 row 12.6.1 (OBX → Observation[2] partOf the Immunization)',
    why: 'the funding source and eligibility OBX are Observations of the immunization; the reference folds some of them into the Immunization instead',
  },
  {
    id: 'cvx-uri',
    kind: 'guidance',
    side: '+',
    fact: /^(Immunization\.vaccineCode|Observation\.valueCodeableConcept)\.coding\.system=http:\/\/hl7\.org\/fhir\/sid\/cvx$/,
    // A CWE whose coding system (CWE.3 or CWE.6) is CVX.
    messageHas: /\^CVX([|^~\r\n]|$)/m,
    most: (message) => message.raw.match(/\^CVX(?=[|^~\r\n]|$)/gm)?.length ?? 0,
    row: 'CWE[CodeableConcept] row 3 (the system URI of the CWE.3 name from the vocabulary table: CVX is http://hl7.org/fhir/sid/cvx)',
    why: 'CVX has a published URI; the reference writes an example.com placeholder, which the comparison skips',
  },
  {
    id: 'obx-date-value',
    kind: 'guidance',
    side: '+',
    fact: /^Observation\.valueDateTime=\d{4}-\d{2}-\d{2}/,
    // The date of an OBX typed DT, DTM or TS whose OBX-5 it is.
    holds: (value, message) =>
      (message.segments.get('OBX') ?? []).some((obx) => {
        const f = obx.split('|');
        return (
          /^(DT|DTM|TS)$/.test(f[2] ?? '') &&
          (f[5] ?? '').slice(0, 8) === value.slice(0, 10).replace(/-/g, '')
        );
      }),
    row: 'OBX[Observation] row 5 (IF OBX-2 IN ("DTM", "DT") → valueDateTime; TS is DTM before v2.6)',
    why: 'a date or time result is the valueDateTime; the reference drops it',
  },
  {
    id: 'pda-death-cause-code',
    kind: 'guidance',
    side: '-',
    fact: /^Condition\.code\.coding\.code=/,
    messages: /^(ADT|BAR|DFT)\^/,
    // The code is PDA-1 (death cause) itself.
    // A DG1 sending the same code is mapped to a Condition and must not
    // be excused here.
    holds: (value, message) =>
      componentsOf(message, 'PDA', 1, 1).includes(value) &&
      !componentsOf(message, 'DG1', 3, 1).includes(value),
    most: (message) =>
      componentsOf(message, 'PDA', 1, 1).filter((code) => code !== '').length,
    row: 'ADT_A01 row 33 (PDA): no target',
    why: 'the death cause of PDA-1 is not a Condition of the visit; the reference makes one (its code also occurs elsewhere in the message, so the PDA class cannot trace it)',
  },
  plannedTime('start', 8, 44, 'admit'),
  plannedTime('end', 9, 45, 'discharge'),
  {
    id: 'pv1-44-start-over-pv2-8',
    kind: 'guidance',
    side: '+',
    fact: /^Encounter\.period\.start=/,
    // The time is PV1-44, where a PV2-8 with another time was also sent.
    holds: (value, message) =>
      pv1Holds(message, 44, value) &&
      (message.segments.get('PV2') ?? []).some((pv2) => {
        const planned = dtmInstant(pv2.split('|')[8] ?? '');
        return planned !== undefined && planned !== value;
      }),
    row: 'PV1[Encounter] row 44 (admit date/time → period.start); PV2[Encounter] row 8 (a plan only)',
    why: 'the visit starts at the admit time; the reference takes the expected admit time instead',
  },
  {
    id: 'prior-result-visit',
    kind: 'guidance',
    side: '-',
    fact: /^(#Encounter|Encounter\.)/,
    messages: /^(OMG|OML)\^/,
    // A value sent verbatim stands in a PV1 or PV2 after the first ORC,
    // that is in a PRIOR_RESULT group (the order's own visit comes first).
    holds: (value, message) =>
      value.length < 3 ||
      !message.raw.includes(value) ||
      ['PV1', 'PV2'].some((type) =>
        afterFirstOrder(message, type).some((pv) => pv.includes(value)),
      ),
    // One visit per prior PV1, and one participant fact per doctor it names
    // (PV1-7, 8, 9, 17 and 52 repeat).
    most: (message) =>
      afterFirstOrder(message, 'PV1').reduce((sum, pv1) => {
        const fields = pv1.split('|');
        const doctors = [7, 8, 9, 17, 52].flatMap((n) =>
          (fields[n] ?? '').split('~').filter((xcn) => xcn !== ''),
        );
        return sum + 1 + doctors.length;
      }, 0),
    row: 'OML_O21 rows 6.4.10.2 (RESULT_VISIT_PRIOR: PV1, PV2 of a prior result, no target); no OMG_O19 sheet, read the same way',
    why: 'a prior result’s visit is not the order’s; the guidance maps nothing of PRIOR_RESULT, and we map none of it',
  },
  {
    id: 'omg-prior-result-links',
    kind: 'choice',
    side: '-',
    fact: /^ServiceRequest\.supportingInfo->(ServiceRequest|DiagnosticReport)$/,
    messages: /^OMG\^/,
    // One link per prior result group (told by its AL1 after an ORC).
    most: (message) => priorResultAl1(message).length,
    row: 'no OMG_O19 message sheet; OML_O21 rows 6.4.10 (PRIOR_RESULT with ORDER_PRIOR: ORC, OBR, OBX of a prior result, no target)',
    why: 'the prior result group gives no resource, so the order has no prior order or report to point at',
  },
  {
    id: 'dg1-no-stage',
    kind: 'guidance',
    side: '-',
    fact: /^Condition\.stage\.assessment->DiagnosticReport$/,
    messages: /^OMG\^/,
    most: (message) => segmentCount(message, 'DG1'),
    row: 'DG1[Condition] (no row has a stage target)',
    why: 'a DG1 says nothing of a stage or its assessment; the reference points the Condition at the order’s report',
  },
  {
    id: 'oul-nte-after-txa',
    kind: 'choice',
    side: '-',
    fact: /^ServiceRequest\.note\.time=/,
    messages: /^OUL\^/,
    // The time is NTE-6 of an NTE that follows a TXA.
    holds: (value, message) =>
      nteAfterTxa(message).some(
        (nte) => dtmInstant(nte.split('|')[6] ?? '') === value,
      ),
    most: (message) => nteAfterTxa(message).length,
    row: 'no OUL message sheet; NTE[DocumentReference] row 3 (an NTE of a document is its content)',
    why: 'an NTE after the TXA is a comment on the document, so it becomes part of the DocumentReference; the reference makes it a note of the order',
  },
  {
    id: 'sct-lower-case',
    kind: 'choice',
    side: '+',
    fact: /\.coding\.system=http:\/\/snomed\.info\/sct$/,
    // A CWE whose coding system is sent as lower-case sct.
    messageHas: /\^sct([|^~&\r\n]|$)/m,
    most: (message) =>
      message.raw.match(/\^sct(?=[|^~&\r\n]|$)/gm)?.length ?? 0,
    row: 'CWE[CodeableConcept] row 3 (CWE.3 through the table 0396 names, where SCT is SNOMED CT)',
    why: 'we read a coding system name without regard to case, so sct is SNOMED CT (http://snomed.info/sct); the reference keeps it a local placeholder, which the comparison skips',
  },
  {
    id: 'in1-2-untyped',
    kind: 'guidance',
    side: '-',
    fact: /^Coverage\.identifier\.type\.coding\.code=PLN$/,
    // An IN1 with IN1-2 (health plan id) valued.
    most: (message) =>
      componentsOf(message, 'IN1', 2, 1).filter((plan) => plan !== '').length,
    row: 'IN1[Coverage] row 2 (CWE[Identifier]: value and system, no type)',
    why: 'the health plan id becomes an identifier without a type; the reference types it PLN',
  },
  {
    id: 'siu-request-no-encounter',
    kind: 'guidance',
    side: '-',
    fact: /^ServiceRequest\.encounter->Encounter$/,
    messages: /^SIU\^/,
    messageHas: /^PV1\|/m,
    most: (message) =>
      Math.max(1, segmentCount(message, 'AIS')) * segmentCount(message, 'SCH'),
    row: 'SIU_S12 rows 2 and 5.2.1 (SCH and AIS → ServiceRequest; only subject = Patient[1])',
    why: 'the scheduled request names the patient only; the rows give it no encounter',
  },
  {
    id: 'allergy-no-encounter',
    kind: 'guidance',
    side: '-',
    fact: /^AllergyIntolerance\.encounter->Encounter$/,
    messageHas: /^PV1\|/m,
    most: (message) => segmentCount(message, 'AL1'),
    row: 'AL1[AllergyIntolerance] (no row gives encounter); ADT_A01: AllergyIntolerance.patient only',
    why: 'an allergy is the patient’s, not the visit’s; the reference links it to the visit in one message',
  },
  {
    id: 'iam-reported-by',
    kind: 'gap',
    side: '-',
    fact: /^(#RelatedPerson|RelatedPerson\.|AllergyIntolerance\.asserter->RelatedPerson$)/,
    messages: /^ADT\^A6[012]\^/,
    // An IAM naming who reported the allergy (IAM-14 or IAM-15).
    holds: (value, message) =>
      (valued(message, 'IAM', 14) > 0 || valued(message, 'IAM', 15) > 0) &&
      (value.length < 3 ||
        !message.raw.includes(value) ||
        (message.segments.get('IAM') ?? []).some((iam) => iam.includes(value))),
    // One reporting person per IAM.
    most: (message) => segmentCount(message, 'IAM'),
    row: 'IAM[AllergyIntolerance] rows 14 and 15 (reported by → recorder; the reference makes it the asserter)',
    why: 'we do not build the person who reported an IAM allergy yet',
  },
  {
    id: 'iam-7-universal-id-type',
    kind: 'guidance',
    side: '-',
    fact: /^AllergyIntolerance\.identifier\.type\.coding\.(code=ISO|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-0301)$/,
    holds: (_value, message) =>
      componentsOf(message, 'IAM', 7, 4).includes('ISO'),
    most: (message) => segmentCount(message, 'IAM'),
    row: 'IAM[AllergyIntolerance] row 7; EI[Identifier-Extension] row 4 (EI.4 universal ID type → an extension, not Identifier.type)',
    why: 'ISO names what kind of id EI.3 is (table 0301), not what the identifier is (table 0203)',
  },
  {
    id: 'iam-13-recorded',
    kind: 'guidance',
    side: 'both',
    fact: /^AllergyIntolerance\.recordedDate=/,
    // Ours is IAM-13 (its date when no zone is sent); the reference's is
    // IAM-24, the initially recorded time, which has no row.
    holds: (value, message) =>
      componentsOf(message, 'IAM', 13, 1).some((dtm) =>
        dtm.replace(/\D/g, '').startsWith(value.replace(/\D/g, '')),
      ) ||
      componentsOf(message, 'IAM', 24, 1).some(
        (dtm) => dtmInstant(dtm) === value,
      ),
    most: (message) => segmentCount(message, 'IAM'),
    row: 'IAM[AllergyIntolerance] row 13 (reported date/time → recordedDate); row 24 has no target',
    why: 'recordedDate is when the allergy was reported (IAM-13); the reference takes IAM-24, the first recording',
  },
  {
    id: 'in1-no-insured-named',
    kind: 'guidance',
    side: '-',
    fact: /^(#RelatedPerson|RelatedPerson\.patient->Patient|Coverage\.subscriber->RelatedPerson)$/,
    most: in1WithoutInsured,
    row: 'IN1[Coverage] row 16 (subscriber(RelatedPerson) from IN1-16 name of insured, IF IN1-17 IS NOT patient)',
    why: 'an IN1 that names no insured gives no subscriber to make; the reference makes an empty RelatedPerson for it',
  },
  {
    id: 'in1-policy-holder-organization',
    kind: 'guidance',
    side: '-',
    fact: /^Coverage\.policyHolder->RelatedPerson$/,
    most: (message) => segmentCount(message, 'IN1'),
    row: 'IN1[Coverage] rows 10 and 11 (policyHolder is the insured’s group employer, an Organization)',
    why: 'no row makes the policy holder a person; the reference points every Coverage at a RelatedPerson',
  },
  {
    id: 'xtn-text-not-a-code',
    kind: 'guidance',
    side: '-',
    fact: /^(Patient|Patient\.contact|RelatedPerson)\.telecom\.(use|system)=/,
    // The value is XTN.2 or XTN.3 as sent, and no FHIR code.
    holds: (value, message) =>
      !/^(home|work|temp|old|mobile|phone|fax|email|pager|url|sms|other)$/.test(
        value,
      ) &&
      !XTN_TABLE_CODES.has(value) &&
      (xtnComponents(message, 2).includes(value) ||
        xtnComponents(message, 3).includes(value)),
    row: 'XTN[ContactPoint] rows 2 and 3 (the TelecommunicationUseCode and TelecommunicationEquipmentType maps)',
    why: 'text such as HOME or a local equipment code is no table 0201 or 0202 code; the maps give it no use or system, and the reference copies it into a required-bound code',
  },
  {
    id: 'nk1-local-relationship',
    kind: 'choice',
    side: '+',
    fact: /^Patient\.contact\.relationship\.coding\.code=/,
    // NK1-3 as sent, a code the Relationship map does not list.
    holds: (value, message) =>
      !RELATIONSHIP_CODES.has(value) &&
      componentsOf(message, 'NK1', 3, 1).includes(value),
    most: (message) => segmentCount(message, 'NK1'),
    row: 'NK1[Patient] row 3 (CWE[CodeableConcept] through the Relationship map)',
    why: 'a relationship the map does not list keeps its code as sent; the reference leaves it out of Patient.contact',
  },
  {
    id: 'blank-identifier',
    kind: 'guidance',
    side: '-',
    fact: /^Encounter\.identifier\.value=$/,
    // PV1-19 or PV1-50 sent as blanks.
    holds: (_value, message) =>
      (message.segments.get('PV1') ?? []).some((pv1) => {
        const f = pv1.split('|');
        return [f[19], f[50]].some(
          (cx) => cx !== undefined && cx !== '' && cx.trim() === '',
        );
      }),
    most: (message) => segmentCount(message, 'PV1'),
    row: 'PV1[Encounter] rows 19 and 50 (CX[Identifier] row 1: CX.1 is the value)',
    why: 'a CX of blanks has no value; the reference keeps an identifier whose value is a space',
  },
  {
    id: 'bar-p12-obx',
    kind: 'choice',
    side: '+',
    fact: /^(#Observation|Observation\.)/,
    messages: /^BAR\^P12\^/,
    from: ['OBX'],
    most: (message) => segmentCount(message, 'OBX'),
    row: 'no BAR_P12 message sheet; read as ADT_A01 row 22.1 (OBX → Observation)',
    why: 'an OBX sent with the visit is an Observation, as in the ADT messages; the reference drops it from BAR_P12',
  },
  {
    id: 'dft-orc-without-obr',
    kind: 'gap',
    side: '-',
    fact: /^(#ServiceRequest|ServiceRequest\.(identifier\.(value=|type\.coding\.(code=(PLAC|FILL)|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-0203)$)|subject->Patient$|encounter->Encounter$))/,
    messages: /^DFT\^/,
    // An order number stands in such an ORC.
    holds: (value, message) =>
      value === '' ||
      value === 'PLAC' ||
      value === 'FILL' ||
      value.startsWith('http') ||
      orcWithoutObr(message).some((orc) => orc.includes(value)),
    // One order per such ORC; its placer and filler numbers share a system.
    most: (message, fact) =>
      orcWithoutObr(message).length * (fact.includes('.system=') ? 2 : 1),
    row: 'ORC[ServiceRequest] rows 1 to 3; OML_O21 row 6.1 (each ORC makes a ServiceRequest)',
    why: 'we make an order from an ORC with its OBR only; an ORC alone in a financial message gives no ServiceRequest yet',
  },
  {
    id: 'dg1-repeated',
    kind: 'choice',
    side: '+',
    fact: /^(#Condition|Condition\.(code\.coding\.(code|system)=|subject->Patient$|encounter->Encounter$|category\.coding\.)|Encounter\.diagnosis\.(condition->Condition$|use\.coding\.))/,
    // A code is one another DG1 of the message sent before.
    holds: (value, message) =>
      !/^[A-Za-z0-9.]+$/.test(value) ||
      !message.raw.includes(value) ||
      repeatedDiagnoses(message).includes(value),
    most: (message) => repeatedDiagnoses(message).length,
    row: 'DG1[Condition] and DG1[Encounter] (each DG1 a Condition and a diagnosis of the visit)',
    why: 'a diagnosis sent again (in a later financial transaction group, say) is mapped again; the reference, naming resources by content, merges the two',
  },
  {
    id: 'mdm-obx-text-content',
    kind: 'guidance',
    side: '+',
    fact: /^DocumentReference\.content\.attachment\.(data|size|hash)=/,
    messages: /^MDM\^/,
    messageHas: /^OBX\|[^|\r\n]*\|(TX|ST|FT)\|/m,
    // The data is the text OBX joined: it starts with the first one's
    // OBX-5 (size and hash, which cannot be traced, are one per TXA).
    holds: (value, message) => {
      const first = (message.segments.get('OBX') ?? [])
        .map((obx) => obx.split('|'))
        .find((f) => /^(TX|ST|FT)$/.test(f[2] ?? ''))?.[5];
      // A SHA-1 (20 bytes) is the hash, not the data.
      const bytes = Buffer.from(value, 'base64');
      return (
        !/^[A-Za-z0-9+/]{16,}={0,2}$/.test(value) ||
        bytes.length === 20 ||
        (first !== undefined &&
          bytes
            .toString('utf8')
            .startsWith(first.split('~')[0]?.slice(0, 16) ?? ''))
      );
    },
    most: (message) => segmentCount(message, 'TXA'),
    row: 'MDM_T02 row 10.1 (OBX → the DocumentReference content); OBX[DocumentReference] row 5',
    why: 'the text OBX of a document message are the document, so they become its attachment data (with size and hash); the reference keeps them as Observations',
  },
  {
    id: 'pv1-8-empty-referrer',
    kind: 'guidance',
    side: '-',
    fact: /^Encounter\.participant\.type\.coding\.(code=REF|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v3-ParticipationType)$/,
    // PV1-8 (referring doctor) sent as separators only, and no PV2-13
    // (referral source), which is typed REF too.
    holds: (_value, message) =>
      (message.segments.get('PV1') ?? []).some((pv1) =>
        /^[\^&~]+$/.test(pv1.split('|')[8] ?? ''),
      ) && componentsOf(message, 'PV2', 13, 1).every((code) => code === ''),
    most: (message) => segmentCount(message, 'PV1'),
    row: 'PV1[Encounter] row 8 (participant.individual from the XCN, typed REF)',
    why: 'an XCN of separators names nobody, so there is no referrer to type; the reference keeps a participant with a type and no one',
  },
  {
    id: 'xtn-without-number',
    kind: 'choice',
    side: '-',
    fact: /^(Patient|RelatedPerson|Patient\.contact)\.telecom\.(system|use)=/,
    holds: (_value, message) => xtnWithoutNumber(message) > 0,
    most: xtnWithoutNumber,
    row: 'XTN[ContactPoint] rows 2 and 3 (use and system of a ContactPoint)',
    why: 'an XTN with an equipment type but no number or address reaches no one; we make no ContactPoint of it, the reference makes one with a system and no value',
  },
  {
    id: 'prior-result-order',
    kind: 'guidance',
    side: '-',
    fact: /^(#ServiceRequest|ServiceRequest\.|#Observation|Observation\.)/,
    messages: /^(OMG|OML)\^/,
    // A value sent verbatim stands in the PRIOR_RESULT group.
    holds: (value, message) => {
      const prior = priorResultLines(message);
      return (
        prior.length > 0 &&
        (value.length < 3 ||
          !message.raw.includes(value) ||
          prior.some((line) => line.includes(value)))
      );
    },
    // One order per prior OBR, one result per prior OBX; a few facts of
    // each field per resource (codings, timing parts).
    most: (message, fact) => {
      const prior = priorResultLines(message);
      const type = fact.includes('Observation') ? 'OBX|' : 'OBR|';
      const count = prior.filter((line) => line.startsWith(type)).length;
      return count * (fact.startsWith('#') ? 1 : 3);
    },
    row: 'OML_O21 rows 6.4.10.4 (ORDER_PRIOR: ORC, OBR, OBX of a prior result, no target); no OMG_O19 sheet, read the same way',
    why: 'a prior result’s order and results are not this order’s; the guidance maps nothing of PRIOR_RESULT, and we map none of it',
  },
  {
    id: 'siu-service-notes',
    kind: 'guidance',
    side: 'both',
    fact: /^Appointment\.comment=/,
    messages: /^SIU\^/,
    // An NTE after an AIS: the service's notes join the Appointment's
    // comment, so the whole comment differs from the reference's.
    holds: (_value, message) => notesAfter(message, 'AIS') > 0,
    most: () => 1,
    row: 'SIU_S12 row 5.2.2 (SERVICE NTE → NTE[Appointment-Comment], concatenated); rows 5.3.2, 5.4.2, 5.5.2 (AIG/AIL/AIP NTE: no target)',
    why: 'the notes of a service are the appointment’s comment, joined to the SCH’s; the reference leaves them out of it',
  },
];
