/**
 * TQ1 -> ServiceRequest quantity, timing, priority and note, after the
 * TQ1[ServiceRequest] map with RPT[Timing] and CQ[Quantity] for its parts.
 */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import {
  type Delimiters,
  firstRepetition,
  leaf,
  rawField,
  repetitions,
  type Segment,
  valueAt,
} from '../parse.ts';
import {
  codeSystemUri,
  compact,
  type Json,
  present,
  toDateTime,
  toDecimal,
  toPositiveInt,
} from './datatypes.ts';

const UCUM = 'http://unitsofmeasure.org';

/** Unit codes (ISO+/ANS+/UCUM spellings) -> FHIR UnitsOfTime. */
const TIME_UNITS = codeTable<string>({
  s: 's',
  sec: 's',
  min: 'min',
  h: 'h',
  hr: 'h',
  d: 'd',
  day: 'd',
  wk: 'wk',
  mo: 'mo',
  a: 'a',
  ann: 'a',
  yr: 'a',
});

/** CQ.2 unit (CWE, here subcomponents) -> its code, lower-cased. */
function unitCode(cq: string, d: Delimiters): string {
  return leaf(cq, d, 2, 1) || leaf(cq, d, 2, 2);
}

function timeUnit(cq: string, d: Delimiters): string | undefined {
  return TIME_UNITS[unitCode(cq, d).toLowerCase()];
}

/**
 * CQ -> Quantity (CQ[Quantity]): CQ.1 value, CQ.2 unit; a unit of time
 * takes the UCUM code, another unit keeps its text without a system.
 */
export function toQuantity(cq: string, d: Delimiters): Json | undefined {
  const value = toDecimal(leaf(cq, d, 1));
  if (value === undefined) return undefined;
  const time = timeUnit(cq, d);
  const system = codeSystemUri(leaf(cq, d, 2, 3));
  const unit = leaf(cq, d, 2, 2) || unitCode(cq, d);
  if (time) return compact({ value, unit, system: UCUM, code: time });

  return compact({
    value,
    unit,
    system,
    code: system ? unitCode(cq, d) : undefined,
  });
}

/** CQ with a time unit -> [number, UnitsOfTime], for duration-like pairs. */
function amountOfTime(cq: string, d: Delimiters): [number, string] | undefined {
  const amount = Number(leaf(cq, d, 1));
  const unit = timeUnit(cq, d);
  if (!Number.isFinite(amount) || leaf(cq, d, 1) === '' || !unit) {
    return undefined;
  }
  return [amount, unit];
}

const MINUTES = codeTable<number>({
  s: 1 / 60,
  min: 1,
  h: 60,
  d: 1440,
});

const V2_0335 = 'http://terminology.hl7.org/CodeSystem/v2-0335';
const GTS_ABBREVIATION =
  'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';

/** The RepeatPattern map's table 0335 codes with a GTSAbbreviation target. */
const GTS_CODES = codeTable<string>({
  BID: 'BID',
  TID: 'TID',
  QID: 'QID',
  QOD: 'QOD',
  Q1H: 'Q1H',
  Q2H: 'Q2H',
  Q3H: 'Q3H',
  Q4H: 'Q4H',
  Q6H: 'Q6H',
  Q8H: 'Q8H',
  Q1D: 'QD',
  Q1W: 'WK',
  Q1L: 'MO',
});

/**
 * RPT.1 is bound to table 0335, so a code sent without a system, with
 * HL70335 or with a template's placeholder name (`HL7`, `HL7xxx`) is a table
 * 0335 code, which the RepeatPattern map sends to v3-GTSAbbreviation where
 * it has a target and keeps in v2-0335 otherwise. A code of another named
 * system stays as sent.
 */
function patternCoding(code: string, name: string): Json {
  const known = codeSystemUri(name);
  const table0335 = name === '' || known === V2_0335 || /^HL7x*$/i.test(name);
  if (!table0335) return compact({ system: known, code }) ?? { code };
  const gts = GTS_CODES[code.toUpperCase()];

  return gts === undefined
    ? { system: V2_0335, code }
    : { system: GTS_ABBREVIATION, code: gts };
}

/**
 * RPT -> Timing (RPT[Timing]): RPT.1 pattern as code, RPT.5/6 period,
 * RPT.8 event as `when`, RPT.9/10 offset in whole minutes.
 */
function repeatPattern(rpt: string, d: Delimiters): Json {
  const code = leaf(rpt, d, 1, 1);
  const period = Number(leaf(rpt, d, 5));
  const periodUnit = TIME_UNITS[(leaf(rpt, d, 6, 1) || '').toLowerCase()];
  const offsetUnit = TIME_UNITS[(leaf(rpt, d, 10, 1) || '').toLowerCase()];
  const offset = Number(leaf(rpt, d, 9)) * (MINUTES[offsetUnit ?? ''] ?? NaN);
  const hasPeriod = leaf(rpt, d, 5) !== '' && Number.isFinite(period);

  return {
    code:
      code === ''
        ? undefined
        : {
            coding: [patternCoding(code, leaf(rpt, d, 1, 3))],
          },
    repeat: compact({
      period: hasPeriod && periodUnit ? period : undefined,
      periodUnit: hasPeriod ? periodUnit : undefined,
      when: leaf(rpt, d, 8) === '' ? undefined : [leaf(rpt, d, 8)],
      offset: Number.isInteger(offset) && offset >= 0 ? offset : undefined,
    }),
  };
}

/** An explicit time (HHMM[SS] or HH:MM[:SS]) -> a FHIR time. */
function timeOfDay(text: string): string | undefined {
  const match = /^(\d{2}):?(\d{2})(?::?(\d{2}))?$/.exec(text.trim());
  return match ? `${match[1]}:${match[2]}:${match[3] ?? '00'}` : undefined;
}

/** TQ1-4 explicit times -> time values. */
function timesOfDay(segment: Segment, d: Delimiters): string[] {
  return repetitions(rawField(segment, 4), d).flatMap((rep) =>
    present([timeOfDay(leaf(rep, d, 1))]),
  );
}

/** Table 0485 priority -> request-priority (ExtendedPriorityCodes map). */
export const PRIORITY = codeTable<string>({
  S: 'stat',
  A: 'asap',
  R: 'routine',
});

function occurrenceTiming(tq1: Segment, d: Delimiters): Json | undefined {
  const pattern = repeatPattern(firstRepetition(tq1, d, 3), d);
  const duration = amountOfTime(firstRepetition(tq1, d, 13), d);
  const start = toDateTime(valueAt(tq1, d, 7));
  const end = toDateTime(valueAt(tq1, d, 8));
  const service = firstRepetition(tq1, d, 6);
  const bounds =
    start || end
      ? { boundsPeriod: compact({ start, end }) }
      : compact({ boundsDuration: toQuantity(service, d) });
  const repeat = compact({
    ...bounds,
    ...(pattern.repeat as Json | undefined),
    timeOfDay: timesOfDay(tq1, d),
    duration: duration?.[0],
    durationUnit: duration?.[1],
    countMax: toPositiveInt(valueAt(tq1, d, 14)),
  });

  return compact({ code: pattern.code, repeat });
}

/**
 * TQ-1 (TQ1-2) quantity, which the standard defaults to 1 when it is not
 * valued: the order is for one service at each occurrence.
 */
function quantityOrOne(cq: string, d: Delimiters): Json {
  return toQuantity(cq, d) ?? { value: 1 };
}

/** TQ.3 duration prefixes (v2.5.1 TQ.3: S, M, H, D, W, L) -> UCUM. */
const TQ_DURATION_UNITS = codeTable<string>({
  S: 's',
  M: 'min',
  H: 'h',
  D: 'd',
  W: 'wk',
  L: 'mo',
});

/** TQ.3 as `<unit letter><integer>` -> Duration; INDEF, X and T are not. */
function tqDuration(text: string): Json | undefined {
  const match = /^([A-Z])(\d+)$/.exec(text.trim());
  const code = match ? TQ_DURATION_UNITS[match[1] ?? ''] : undefined;
  if (match === null || code === undefined) return undefined;

  return { value: Number(match[2]), unit: code, system: UCUM, code };
}

/**
 * TQ (ORC-7, or OBR-27 when ORC-6 and ORC-7 are empty) -> ServiceRequest,
 * the TQ[ServiceRequest] map: TQ.1 quantity (CQ, here subcomponents),
 * TQ.2 interval (RI[Timing]: RI.1 pattern as code, RI.2 times of day),
 * TQ.3 duration as boundsDuration (row 3) unless TQ.4/TQ.5 give
 * boundsPeriod (bounds[x] holds one), TQ.6 priority, TQ.8 note, TQ.12
 * count. RI.1 is a table 0335 code (IS) and goes through the
 * RepeatPattern map as RPT.1 does.
 */
export function legacyTiming(tq: string, d: Delimiters): Json | undefined {
  if (tq.trim() === '') return undefined;
  const cq = `${leaf(tq, d, 1, 1)}${d.component}${leaf(tq, d, 1, 2)}`;
  const start = toDateTime(leaf(tq, d, 4, 1));
  const end = toDateTime(leaf(tq, d, 5, 1));
  const pattern = leaf(tq, d, 2, 1);
  const times = leaf(tq, d, 2, 2)
    .split(',')
    .flatMap((time) => present([timeOfDay(time)]));
  const text = leaf(tq, d, 8);
  const repeat = compact({
    ...(start || end
      ? { boundsPeriod: compact({ start, end }) }
      : compact({ boundsDuration: tqDuration(leaf(tq, d, 3)) })),
    timeOfDay: times,
    count: toPositiveInt(leaf(tq, d, 12)),
  });

  return compact({
    quantityQuantity: quantityOrOne(cq, d),
    occurrenceTiming: compact({
      code:
        pattern === '' ? undefined : { coding: [patternCoding(pattern, '')] },
      repeat,
    }),
    priority: PRIORITY[leaf(tq, d, 6).trim()],
    note: text === '' ? undefined : [{ text }],
  });
}

/** Requests a TQ1 has timed already (see `addTiming`). */
const TIMED = new WeakSet<FhirResource>();

/**
 * Adds what TQ1 says to the ServiceRequest of its order. From v2.5 TQ1
 * replaces OBR-5 priority and the ORC-7/OBR-27 TQ, which the standard
 * keeps for backward compatibility only: the order's first TQ1 replaces
 * what they set, a later TQ1 only fills what is still empty.
 */
export function addTiming(
  request: FhirResource,
  tq1: Segment,
  d: Delimiters,
): void {
  const instruction = valueAt(tq1, d, 11);
  const timing = compact({
    // An empty TQ1-2 defaults to 1 only when the ORC-7 TQ gave no quantity.
    quantityQuantity:
      toQuantity(firstRepetition(tq1, d, 2), d) ??
      (request.quantityQuantity === undefined ? { value: 1 } : undefined),
    occurrenceTiming: occurrenceTiming(tq1, d),
    priority: PRIORITY[valueAt(tq1, d, 9)],
    note: present([instruction === '' ? undefined : { text: instruction }]),
  });
  mergeTiming(request, timing, !TIMED.has(request));
  TIMED.add(request);
}

/**
 * Adds a TQ's or TQ1's timing to a ServiceRequest: notes add up; anything
 * else replaces what is there when `replace`, else fills only what is
 * empty. A Timing also replaces OBR-6 (occurrence[x] is a choice, and the
 * Timing says more than the requested time alone).
 */
export function mergeTiming(
  request: FhirResource,
  timing: Json | undefined,
  replace = false,
): void {
  if (timing?.occurrenceTiming) delete request.occurrenceDateTime;
  for (const [key, value] of Object.entries(timing ?? {})) {
    if (key === 'note') {
      request.note = [
        ...((request.note as Json[]) ?? []),
        ...(value as Json[]),
      ];
    } else if (replace) {
      request[key] = value;
    } else {
      request[key] ??= value;
    }
  }
}
