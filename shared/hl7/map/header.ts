/**
 * MSH -> MessageHeader, and one Provenance per message that ties every
 * resource made from it to the source message, so that any staged resource
 * leads back to the archived bytes (drop key + span) it came from.
 */
import type { FhirResource } from '../../validation/types.ts';
import { type Segment, valueAt } from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import { compact, type Json, toDateTime } from './datatypes.ts';

const V2_0003 = 'http://terminology.hl7.org/CodeSystem/v2-0003';
const V2_0103 = 'http://terminology.hl7.org/CodeSystem/v2-0103';

/**
 * HD -> endpoint: an ISO OID becomes `urn:oid:`, a URI stays; otherwise
 * the namespace id under a fixed `urn:hl7v2:hd:` prefix, because
 * MessageHeader.source.endpoint is required and v2 senders rarely have a URL.
 */
function endpoint(hd: (s: number) => string): string | undefined {
  const universal = hd(2);
  const type = hd(3).toUpperCase();
  if (universal !== '' && type === 'ISO') return `urn:oid:${universal}`;
  if (universal !== '' && type === 'URI') return universal;
  const namespace = hd(1);

  return namespace === ''
    ? undefined
    : `urn:hl7v2:hd:${encodeURIComponent(namespace)}`;
}

/** MSH-22/23 (v2.7+) name the organisations; MSH-3/5 the applications. */
function party(
  msh: Segment,
  context: MappingContext,
  organisationField: number,
  applicationField: number,
): Json | undefined {
  const d = context.delimiters;
  const org = (s: number) => valueAt(msh, d, organisationField, s);
  const app = (s: number) => valueAt(msh, d, applicationField, s);
  const from = org(1) !== '' ? org : app;

  return compact({ name: from(1), endpoint: endpoint(from) });
}

export function mapMessageHeader(
  msh: Segment,
  context: MappingContext,
): FhirResource {
  const d = context.delimiters;
  const source = party(msh, context, 24, 3) ?? {};
  const destination = party(msh, context, 25, 5);
  const processing = valueAt(msh, d, 11, 1);

  return {
    resourceType: 'MessageHeader',
    id: resourceId(context, msh),
    eventCoding: { system: V2_0003, code: context.trigger || 'unknown' },
    source: { endpoint: 'urn:hl7v2:unknown-sender', ...source },
    ...compact({
      meta: compact({
        tag: processing ? [{ system: V2_0103, code: processing }] : [],
      }),
      destination: destination?.endpoint ? [destination] : undefined,
      language: valueAt(msh, d, 19, 1),
    }),
  };
}

/**
 * The first SFT -> MessageHeader.source.software (SFT-3) and version
 * (SFT-2), after the SFT[MessageHeader] map; later SFT are other systems
 * the message passed through and source has room for one.
 */
export function addSoftware(
  header: FhirResource,
  sft: Segment,
  context: MappingContext,
): void {
  const source = header.source as Json;
  if (source.software !== undefined) return;
  const d = context.delimiters;
  Object.assign(
    source,
    compact({ software: valueAt(sft, d, 3), version: valueAt(sft, d, 2) }),
  );
}

/**
 * The Provenance of the conversion: target = every resource of the message;
 * entity = the source message by the hash of MSH-3, MSH-4 and MSH-10 (the
 * same key the ids carry), which the pipeline resolves to the drop and span.
 */
export function mapProvenance(
  msh: Segment,
  context: MappingContext,
  targets: readonly FhirResource[],
  unmapped?: string,
): FhirResource {
  const d = context.delimiters;
  const recorded = toDateTime(valueAt(msh, d, 7)) ?? '1970-01-01T00:00:00Z';

  return {
    resourceType: 'Provenance',
    id: resourceId(context, msh, 'PROV'),
    target: targets.map((t) => ({ reference: `${t.resourceType}/${t.id}` })),
    recorded: recorded.includes('T') ? recorded : `${recorded}T00:00:00Z`,
    activity: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
          code: 'CREATE',
        },
      ],
    },
    agent: [{ who: { display: 'hl7v2-to-fhir conversion' } }],
    entity: [
      {
        role: 'source',
        ...compact({ extension: unmappedExtension(unmapped) }),
        what: {
          identifier: {
            system: 'urn:hl7v2:message-key',
            value: context.messageKey,
          },
        },
      },
    ],
  };
}

/** Segment names and field positions only, never values (see unmapped.ts). */
export const UNMAPPED_EXTENSION = 'urn:hl7v2:unmapped-content';

function unmappedExtension(unmapped?: string): Json[] | undefined {
  return unmapped === undefined
    ? undefined
    : [{ url: UNMAPPED_EXTENSION, valueString: unmapped }];
}
