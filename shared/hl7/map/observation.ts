/**
 * OBX -> Observation. The value follows OBX-2; an ED value becomes a
 * DocumentReference because R4 Observation has no valueAttachment, and its
 * base64 is inlined only when small, so one scanned PDF cannot blow up the
 * staged record or the Step Functions state.
 */
import { createHash } from 'node:crypto';
import type { FhirResource } from '../../validation/types.ts';
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
} from './datatypes.ts';

/** Base64 longer than this stays in the archived message, not the resource. */
export const INLINE_ATTACHMENT_LIMIT = 16 * 1024;

/** HL7 table 0085 -> ObservationStatus, per the v2-to-FHIR map. */
const RESULT_STATUS: Readonly<Record<string, string>> = {
  C: 'corrected',
  D: 'entered-in-error',
  F: 'final',
  I: 'registered',
  O: 'registered',
  P: 'preliminary',
  R: 'preliminary',
  S: 'preliminary',
  W: 'entered-in-error',
  X: 'cancelled',
  A: 'amended',
};

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
      ...observationValue(segment, valueType, d),
      interpretation: repetitions(rawField(segment, 8), d).flatMap((flag) =>
        present([interpretation(flag, d)]),
      ),
      referenceRange: present([compact({ text: valueAt(segment, d, 7) })]),
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

type ValueMapper = (segment: Segment, d: Delimiters) => Json | undefined;

const VALUE_MAPPERS: Readonly<Record<string, ValueMapper>> = {
  NM: quantityValue,
  CWE: codedValue,
  CE: codedValue,
  CNE: codedValue,
  SN: structuredNumericValue,
  DT: dateTimeValue,
  DTM: dateTimeValue,
  TS: dateTimeValue,
  TM: (segment, d) => {
    const time = /^(\d{2})(\d{2})?(\d{2})?/.exec(valueAt(segment, d, 5));
    if (time === null) return undefined;
    return { valueTime: `${time[1]}:${time[2] ?? '00'}:${time[3] ?? '00'}` };
  },
  // The value lives in the DocumentReference that derivedFrom points to.
  ED: () => ({}),
};

function observationValue(
  segment: Segment,
  valueType: string,
  d: Delimiters,
): Json | undefined {
  if (rawField(segment, 5) === '') return undefined;
  const mapper = VALUE_MAPPERS[valueType] ?? stringValue;

  return mapper(segment, d) ?? { dataAbsentReason: absent('error') };
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
    components(rep, d),
  );
  const text = lines.join('\n');

  return text === '' ? undefined : { valueString: text };
}

/** Text of one repetition: its components joined back with spaces. */
function components(repetition: string, d: Delimiters): string {
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

/** NM: one number; several repetitions cannot be one Quantity. */
function quantityValue(segment: Segment, d: Delimiters): Json | undefined {
  const values = repetitions(rawField(segment, 5), d);
  const value = values.length === 1 ? toDecimal(values[0] ?? '') : undefined;
  if (value === undefined) return undefined;

  return { valueQuantity: { value, ...units(segment, d) } };
}

function codedValue(segment: Segment, d: Delimiters): Json | undefined {
  const concept = toCodeableConcept(firstRepetition(segment, d, 5), d);
  return concept ? { valueCodeableConcept: concept } : undefined;
}

function dateTimeValue(segment: Segment, d: Delimiters): Json | undefined {
  const value = toDateTime(valueAt(segment, d, 5));
  return value ? { valueDateTime: value } : undefined;
}

const COMPARATORS = new Set(['<', '>', '<=', '>=']);

/** SN: comparator^num1^separator^num2 -> Quantity, Range or Ratio. */
function structuredNumericValue(
  segment: Segment,
  d: Delimiters,
): Json | undefined {
  const sn = firstRepetition(segment, d, 5);
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

const MIME: Readonly<Record<string, string>> = {
  PDF: 'application/pdf',
  JPEG: 'image/jpeg',
  JPG: 'image/jpeg',
  PNG: 'image/png',
  TIFF: 'image/tiff',
  RTF: 'application/rtf',
  HTML: 'text/html',
  XML: 'application/xml',
};

/** ED: ^type^subtype^encoding^data -> DocumentReference with size and hash. */
function mapAttachment(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  const d = context.delimiters;
  const ed = firstRepetition(segment, d, 5);
  const subtype = leaf(ed, d, 3);
  const encoding = leaf(ed, d, 4).toUpperCase();
  const data = leaf(ed, d, 5);
  if (data === '' || context.patient === undefined) return undefined;
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
    size: bytes.length,
    hash: createHash('sha1').update(bytes).digest('base64'),
  });

  return {
    resourceType: 'DocumentReference',
    id: resourceId(context, segment, 'ED'),
    status: 'current',
    subject: { reference: context.patient },
    content: [{ attachment }],
    ...(inline
      ? {}
      : {
          description: `Content not inlined: read ${fieldLocation('OBX', segment.repetition, 5)}.5 of the archived message.`,
        }),
  };
}
