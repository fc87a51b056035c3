/**
 * OBX -> Observation. The value follows OBX-2; an ED value becomes a
 * DocumentReference because R4 Observation has no valueAttachment, and its
 * base64 is inlined only when small, so one scanned PDF cannot blow up the
 * staged record or the Step Functions state.
 */
import { createHash } from 'node:crypto';
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import { isNumeric } from '../datatypes.ts';
import { fieldLocation } from '../message.ts';
import {
  type Delimiters,
  firstRepetition,
  leaf,
  rawField,
  repetitions,
  type Segment,
  valueAt,
} from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  codeSystemUri,
  compact,
  type Json,
  present,
  toCodeableConcept,
  toDateTime,
  toDecimal,
  toEntityIdentifier,
} from './datatypes.ts';

/** Base64 longer than this stays in the archived message, not the resource. */
export const INLINE_ATTACHMENT_LIMIT = 16 * 1024;

/**
 * HL7 table 0085 -> ObservationStatus, per the v2-to-FHIR
 * ObservationResultStatusCodesInterpretation map. Codes it leaves without
 * a target (B, I, N, O, R, S, U, V) give unknown: status is required.
 */
const RESULT_STATUS = codeTable<string>({
  A: 'amended',
  C: 'corrected',
  D: 'entered-in-error',
  F: 'final',
  P: 'preliminary',
  W: 'entered-in-error',
  X: 'cancelled',
});

export interface ObservationInput {
  segment: Segment;
  context: MappingContext;
  /** OBR-7 of the order the OBX belongs to, when OBX-14 is empty. */
  orderTime?: string;
}

export function mapObservation(input: ObservationInput): FhirResource[] {
  const { segment, context } = input;
  const d = context.delimiters;
  const valueType = valueAt(segment, d, 2).trim();
  const id = resourceId(context, segment);
  const attachment =
    valueType === 'ED' ? mapAttachment(segment, context) : undefined;
  const observationComponents = components(segment, valueType, d);
  const observation: FhirResource = {
    resourceType: 'Observation',
    id,
    status: RESULT_STATUS[valueAt(segment, d, 11).trim()] ?? 'unknown',
    code: toCodeableConcept(firstRepetition(segment, d, 3), d) ?? {
      text: 'unknown',
    },
    ...compact({
      subject: reference(context.patient),
      encounter: reference(context.encounter),
      effectiveDateTime: toDateTime(
        valueAt(segment, d, 14) || (input.orderTime ?? ''),
      ),
      ...(observationComponents
        ? { component: observationComponents }
        : observationValue(segment, valueType, d)),
      interpretation: repetitions(rawField(segment, 8), d).flatMap((flag) =>
        present([interpretation(flag, d)]),
      ),
      referenceRange: observationComponents
        ? undefined
        : present([compact({ text: valueAt(segment, d, 7) })]),
      identifier: present([
        toEntityIdentifier(firstRepetition(segment, d, 21), d, 'FILL'),
      ]),
      method: toCodeableConcept(firstRepetition(segment, d, 17), d),
      bodySite: toCodeableConcept(firstRepetition(segment, d, 20), d),
      derivedFrom: attachment
        ? [{ reference: `DocumentReference/${attachment.id}` }]
        : undefined,
    }),
  };

  return attachment ? [observation, attachment] : [observation];
}

const INTERPRETATION =
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** OBX-8 codes from table 0078 are the v3 ObservationInterpretation codes. */
function interpretation(flag: string, d: Delimiters): Json | undefined {
  const code = leaf(flag, d, 1);
  const system = leaf(flag, d, 3);
  if (code === '') return undefined;
  if (system !== '' && !/^HL7/i.test(system)) return toCodeableConcept(flag, d);

  return { coding: [{ system: INTERPRETATION, code }] };
}

function reference(target: string | undefined): Json | undefined {
  return target === undefined ? undefined : { reference: target };
}

/** Maps one repetition of OBX-5 to value[x]; the segment gives OBX-6. */
type ValueMapper = (
  value: string,
  segment: Segment,
  d: Delimiters,
) => Json | undefined;

const VALUE_MAPPERS = codeTable<ValueMapper>({
  NM: quantityValue,
  CWE: codedValue,
  CE: codedValue,
  CNE: codedValue,
  SN: structuredNumericValue,
  DT: dateTimeValue,
  DTM: dateTimeValue,
  TS: dateTimeValue,
  TM: (value, _segment, d) => {
    const time = /^(\d{2})(\d{2})?(\d{2})?/.exec(leaf(value, d, 1));
    if (time === null) return undefined;
    return { valueTime: `${time[1]}:${time[2] ?? '00'}:${time[3] ?? '00'}` };
  },
  // The value lives in the DocumentReference that derivedFrom points to.
  ED: () => ({}),
});

/** Value types whose repetitions stay one value (OBX[Observation] map). */
const SINGLE_VALUE_TYPES = new Set(['NA', 'ED', 'RP', '']);

/**
 * OBX-5 with several repetitions -> one component per repetition, each
 * coded by OBX-3 (OBX[Observation-Component] map, used by the message
 * maps when OBX-5 repeats and OBX-2 is not NA).
 */
function components(
  segment: Segment,
  valueType: string,
  d: Delimiters,
): Json[] | undefined {
  const values = repetitions(rawField(segment, 5), d);
  if (values.length < 2 || SINGLE_VALUE_TYPES.has(valueType)) return undefined;
  const code = toCodeableConcept(firstRepetition(segment, d, 3), d);
  const range = present([compact({ text: valueAt(segment, d, 7) })]);

  return values.map((value) =>
    compact({
      code: code ?? { text: 'unknown' },
      ...oneValue(value, segment, valueType, d),
      referenceRange: range,
    }),
  ) as Json[];
}

function observationValue(
  segment: Segment,
  valueType: string,
  d: Delimiters,
): Json | undefined {
  const raw = rawField(segment, 5);
  if (raw === '') return undefined;
  if (VALUE_MAPPERS[valueType] === undefined) return stringValue(segment, d);

  return oneValue(firstRepetition(segment, d, 5), segment, valueType, d);
}

function oneValue(
  value: string,
  segment: Segment,
  valueType: string,
  d: Delimiters,
): Json {
  const mapper = VALUE_MAPPERS[valueType] ?? textValue;

  return mapper(value, segment, d) ?? { dataAbsentReason: absent('error') };
}

function absent(code: string): Json {
  return {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
        code,
      },
    ],
  };
}

/** ST, TX, FT and anything unmodelled: repetitions are lines of text. */
function stringValue(segment: Segment, d: Delimiters): Json | undefined {
  const lines = repetitions(rawField(segment, 5), d).map((rep) =>
    componentText(rep, d),
  );
  const text = lines.join('\n');

  return text === '' ? undefined : { valueString: text };
}

function textValue(value: string, _segment: Segment, d: Delimiters) {
  const text = componentText(value, d);
  return text === '' ? undefined : { valueString: text };
}

/** Text of one repetition: its components joined back with spaces. */
function componentText(repetition: string, d: Delimiters): string {
  const count = repetition.split(d.component).length;
  const parts = Array.from({ length: count }, (_, i) =>
    leaf(repetition, d, i + 1),
  );

  return parts.filter((part) => part !== '').join(' ');
}

/** OBX-6 units -> Quantity unit/system/code (UCUM when so declared). */
function units(segment: Segment, d: Delimiters): Json {
  const unitField = firstRepetition(segment, d, 6);
  const code = leaf(unitField, d, 1);
  const system = codeSystemUri(leaf(unitField, d, 3));

  return (
    compact({
      unit: leaf(unitField, d, 2) || code,
      system,
      code: system ? code : undefined,
    }) ?? {}
  );
}

function quantityValue(value: string, segment: Segment, d: Delimiters) {
  const number = toDecimal(leaf(value, d, 1));
  if (number === undefined) return undefined;

  return { valueQuantity: { value: number, ...units(segment, d) } };
}

function codedValue(value: string, _segment: Segment, d: Delimiters) {
  const concept = toCodeableConcept(value, d);
  return concept ? { valueCodeableConcept: concept } : undefined;
}

function dateTimeValue(value: string, _segment: Segment, d: Delimiters) {
  const dateTime = toDateTime(leaf(value, d, 1));
  return dateTime ? { valueDateTime: dateTime } : undefined;
}

const COMPARATORS = new Set(['<', '>', '<=', '>=']);

/** SN: comparator^num1^separator^num2 -> Quantity, Range or Ratio. */
function structuredNumericValue(
  sn: string,
  segment: Segment,
  d: Delimiters,
): Json | undefined {
  const [comparator, first, separator, second] = [1, 2, 3, 4].map((n) =>
    leaf(sn, d, n).trim(),
  );
  const unit = units(segment, d);
  const low =
    first && isNumeric(first)
      ? { value: toDecimal(first), ...unit }
      : undefined;
  const high =
    second && isNumeric(second)
      ? { value: toDecimal(second), ...unit }
      : undefined;
  if (separator === '-' && low && high) return { valueRange: { low, high } };
  if ((separator === ':' || separator === '/') && low && high) {
    return { valueRatio: { numerator: low, denominator: high } };
  }
  if (separator !== '' || low === undefined) return undefined;
  if (comparator === '' || comparator === '=') return { valueQuantity: low };

  return COMPARATORS.has(comparator ?? '')
    ? { valueQuantity: { ...low, comparator } }
    : undefined;
}

const MIME = codeTable<string>({
  PDF: 'application/pdf',
  JPEG: 'image/jpeg',
  JPG: 'image/jpeg',
  PNG: 'image/png',
  TIFF: 'image/tiff',
  RTF: 'application/rtf',
  HTML: 'text/html',
  XML: 'application/xml',
});

/** Attachment.size and .hash (SHA-1, base64, as FHIR defines it). */
export function contentDigest(bytes: Uint8Array): {
  size: number;
  hash: string;
} {
  return {
    size: bytes.length,
    hash: createHash('sha1').update(bytes).digest('base64'),
  };
}

/**
 * OBX-5 ED (^type^subtype^encoding^data) -> Attachment with size and SHA-1
 * (ED[Attachment]). Base64 over the inline limit is left in the archived
 * message: `inline` says whether `data` was kept.
 */
export function edAttachment(
  segment: Segment,
  d: Delimiters,
): { attachment: Json; inline: boolean } | undefined {
  const ed = firstRepetition(segment, d, 5);
  const subtype = leaf(ed, d, 3);
  const encoding = leaf(ed, d, 4).toUpperCase();
  const data = leaf(ed, d, 5);
  if (data === '') return undefined;
  const bytes =
    encoding === 'BASE64'
      ? Buffer.from(data, 'base64')
      : Buffer.from(data, 'latin1');
  const inline =
    encoding === 'BASE64' && data.length <= INLINE_ATTACHMENT_LIMIT;
  const attachment = compact({
    contentType:
      MIME[subtype.toUpperCase()] ??
      (subtype.includes('/') ? subtype : undefined),
    data: inline ? data : undefined,
    ...contentDigest(bytes),
  }) ?? { size: bytes.length };

  return { attachment, inline };
}

/** Where content left out of a resource is read in the archived message. */
export function notInlined(segment: Segment, component = ''): string {
  return `Content not inlined: read ${fieldLocation('OBX', segment.repetition, 5)}${component} of the archived message.`;
}

/** OBX ED outside a document message -> its own DocumentReference. */
function mapAttachment(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  const ed = edAttachment(segment, context.delimiters);
  if (ed === undefined || context.patient === undefined) return undefined;

  return {
    resourceType: 'DocumentReference',
    id: resourceId(context, segment, 'ED'),
    status: 'current',
    subject: { reference: context.patient },
    content: [{ attachment: ed.attachment }],
    ...(ed.inline ? {} : { description: notInlined(segment, '.5') }),
  };
}
