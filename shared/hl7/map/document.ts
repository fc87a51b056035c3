/**
 * TXA -> DocumentReference (TXA[DocumentReference]) and, in a document
 * message (MDM), the OBX that follow as its content (MDM_T02 row 10.1,
 * OBX[DocumentReference]): text lines become one text/plain attachment, an
 * ED value an attachment of its own, an RP value a URL. They make no
 * Observations: a line of a discharge summary is not an observation.
 */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import { fieldLocation } from '../message.ts';
import {
  type Delimiters,
  decodeEscapes,
  firstRepetition,
  leaf,
  rawField,
  repetitions,
  type Segment,
  valueAt,
} from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  compact,
  type Json,
  tableConcept,
  toDateTime,
  toPractitionerReference,
} from './datatypes.ts';
import {
  contentDigest,
  edAttachment,
  INLINE_ATTACHMENT_LIMIT,
  notInlined,
} from './observation.ts';

/**
 * TXA-17 completion status (table 0271) -> DocumentReference.docStatus.
 * The TXA row copies the code, but docStatus is bound (required) to
 * composition-status, so table 0271 is read onto it: authenticated and
 * legally authenticated documents are final, the rest preliminary.
 */
const DOC_STATUS = codeTable<string>({
  DI: 'preliminary',
  DO: 'preliminary',
  IP: 'preliminary',
  IN: 'preliminary',
  PA: 'preliminary',
  AU: 'final',
  LA: 'final',
});

/** TXA-18 confidentiality (table 0272, DocumentConfidentialityStatus map). */
const CONFIDENTIALITY = new Set(['V', 'R', 'U']);

/** TXA-19 availability (table 0273): cancelled/obsolete -> superseded. */
function documentStatus(availability: string): string {
  return availability === 'CA' || availability === 'OB'
    ? 'superseded'
    : 'current';
}

/**
 * How a document relates to its parent (TXA-13), by the MDM event: T05/T06
 * add an addendum, T09/T10 replace the parent. The TXA sheet gives TXA-13
 * no row; the event says what the relation is, so it is kept. Other events
 * name no relation, so none is made.
 */
const PARENT_RELATION = codeTable<string>({
  T05: 'appends',
  T06: 'appends',
  T09: 'replaces',
  T10: 'replaces',
});

function relatesTo(parent: string, trigger: string): Json[] | undefined {
  const code = PARENT_RELATION[trigger];
  if (parent === '' || code === undefined) return undefined;
  return [
    {
      code,
      target: { type: 'DocumentReference', identifier: { value: parent } },
    },
  ];
}

/**
 * TXA -> DocumentReference; `order` is the ServiceRequest of the message's
 * order group, which the document is related to (MDM_T02 row 8).
 */
export function mapDocument(
  txa: Segment,
  context: MappingContext,
  order?: FhirResource,
): FhirResource {
  const d = context.delimiters;
  const f = (n: number, c = 1) => valueAt(txa, d, n, c);
  const created = toDateTime(f(6)) ?? toDateTime(f(4));
  const author = toPractitionerReference(firstRepetition(txa, d, 9), d);
  const authenticator = toPractitionerReference(firstRepetition(txa, d, 10), d);

  return {
    resourceType: 'DocumentReference',
    id: resourceId(context, txa),
    status: documentStatus(f(19)),
    content: [
      {
        attachment: compact({
          contentType: f(3) === 'TX' ? 'text/plain' : undefined,
          creation: created,
        }) ?? { title: 'document' },
      },
    ],
    ...compact({
      masterIdentifier: f(12) === '' ? undefined : { value: f(12) },
      identifier: f(16) === '' ? undefined : [{ value: f(16) }],
      type: tableConcept('0270', f(2)),
      docStatus: DOC_STATUS[f(17)],
      relatesTo: relatesTo(f(13), context.trigger),
      description: f(25),
      securityLabel: CONFIDENTIALITY.has(f(18))
        ? [tableConcept('0272', f(18))]
        : undefined,
      subject: context.patient ? { reference: context.patient } : undefined,
      author: author ? [author] : undefined,
      authenticator,
      context: compact({
        encounter: context.encounter
          ? [{ reference: context.encounter }]
          : undefined,
        period: compact({ start: toDateTime(f(4)) }),
        related: order
          ? [{ reference: `ServiceRequest/${order.id}` }]
          : undefined,
      }),
    }),
  };
}

/** A document message's DocumentReference and the text lines of its OBX. */
export interface DocumentBody {
  document: FhirResource;
  lines: string[];
  /** The first text OBX, where an archived body too long to inline starts. */
  first?: Segment;
}

/** OBX value types that are lines of the document's text. */
const TEXT_TYPES = new Set(['TX', 'FT', 'ST']);

/**
 * One OBX of a document message -> content of the message's document; false
 * when its value type is no document content (OBX[DocumentReference] row 5
 * names ED, FT, RP and TX; ST is read as text too).
 */
export function addDocumentContent(
  body: DocumentBody,
  obx: Segment,
  d: Delimiters,
): boolean {
  const type = valueAt(obx, d, 2).trim();
  const content = body.document.content as Json[];
  if (type === 'ED') {
    // One attachment per OBX: a repeated ED keeps its first repetition.
    const ed = edAttachment(obx, d);
    if (ed === undefined) return true;
    const title = ed.inline ? {} : { title: notInlined(obx, '.5') };
    content.push({ attachment: { ...ed.attachment, ...title } });
    return true;
  }
  if (type === 'RP') {
    for (const rp of repetitions(rawField(obx, 5), d)) {
      const url = leaf(rp, d, 1);
      if (url !== '') content.push({ attachment: { url } });
    }
    return true;
  }
  if (!TEXT_TYPES.has(type)) return false;
  body.first ??= obx;
  // Each repetition is a line, and an empty value a blank line. TX has no
  // components, so a stray component separator is kept as text.
  const lines = repetitions(rawField(obx, 5), d);
  for (const line of lines.length === 0 ? [''] : lines) {
    body.lines.push(decodeEscapes(line, d));
  }
  return true;
}

/** Where a document body too long to inline is read: it spans its OBX. */
function bodyNotInlined(first: Segment): string {
  const from = fieldLocation('OBX', first.repetition);
  return `Content not inlined: read OBX-5 of the text OBX from ${from} on, in the archived message.`;
}

/**
 * Ends a document message: its text lines, joined by line feeds, become the
 * data of the first attachment (text/plain unless TXA-3 said otherwise),
 * with size and SHA-1; a body over the inline limit stays in the archived
 * message and the attachment says where.
 */
export function closeDocument(body: DocumentBody): void {
  if (body.first === undefined) return;
  const bytes = Buffer.from(body.lines.join('\n'), 'utf8');
  // Only blank lines: FHIR allows no empty `data`, and there is no text.
  if (bytes.length === 0) return;
  const data = bytes.toString('base64');
  const [first] = body.document.content as { attachment: Json }[];
  if (first === undefined) return;
  const inline = data.length <= INLINE_ATTACHMENT_LIMIT;
  first.attachment = {
    contentType: 'text/plain',
    ...first.attachment,
    ...(inline ? { data } : { title: bodyNotInlined(body.first) }),
    ...contentDigest(bytes),
  };
}
