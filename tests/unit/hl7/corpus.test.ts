/**
 * Every real message of `shared/corpus/hl7v2` validates. The rejections
 * below are pinned, each a real defect of the sample, not of the validator:
 *
 * - OBX-3 (observation identifier) is required in every HL7 v2 version. The
 *   FHIR-Converter samples carry a document OBX written `OBX||ED|||...` with
 *   no identifier; an observation of nothing cannot be staged as a FHIR
 *   Observation (code is 1..1), and dropping it silently would lose a
 *   clinical document, so the message is quarantined for the feed to fix.
 * - OML_O21 requires ORC at the head of every ORDER group; the MDHHS sample
 *   opens its order with OBR alone, so the order cannot be tied to a placer.
 *
 * The test prints nothing: failures name files, rules and positions only.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { validateHl7 } from '../../../shared/hl7/index.ts';
import type { FhirResource } from '../../../shared/validation/types.ts';
import { SHARED } from './helpers.ts';

const CORPUS = new URL('corpus/hl7v2/', SHARED);
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** Elements FHIR R4 requires (min 1) on each resource type we produce. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Patient: [],
  RelatedPerson: ['patient'],
  Encounter: ['status', 'class'],
  Observation: ['status', 'code'],
  DocumentReference: ['status', 'content'],
  Condition: ['subject'],
  AllergyIntolerance: ['patient'],
  ServiceRequest: ['status', 'intent', 'subject'],
  DiagnosticReport: ['status', 'code'],
  Procedure: ['status', 'subject'],
  Immunization: ['status', 'vaccineCode', 'patient', 'occurrenceDateTime'],
  Coverage: ['status', 'beneficiary', 'payor'],
  Appointment: ['status', 'participant'],
  MessageHeader: ['eventCoding', 'source'],
  Provenance: ['target', 'recorded', 'agent'],
};

const PINNED_REJECTIONS: Readonly<Record<string, readonly string[]>> = {
  'MDHHS-OML-O21-1.hl7': ['required_segment_missing@ORC'],
  'ORU-R01-01.hl7': ['required_field_missing@OBX[2]-3'],
  'OUL-R22-01.hl7': ['required_field_missing@OBX[3]-3'],
  'OUL-R22-02.hl7': [
    'required_field_missing@OBX[3]-3',
    'required_field_missing@OBX[6]-3',
  ],
  'OUL-R23-01.hl7': ['required_field_missing@OBX[3]-3'],
  'OUL-R23-02.hl7': [
    'required_field_missing@OBX[3]-3',
    'required_field_missing@OBX[6]-3',
  ],
  'OUL-R24-01.hl7': ['required_field_missing@OBX[2]-3'],
  'OUL-R24-02.hl7': ['required_field_missing@OBX[2]-3'],
};

const files = readdirSync(CORPUS).filter((name) => name.endsWith('.hl7'));

describe('HL7 v2 corpus', () => {
  it('holds the 102 sample files', () => {
    assert.equal(files.length, 102);
  });

  for (const file of files) {
    it(`validates ${file} as one message with only pinned errors`, () => {
      const bytes = readFileSync(new URL(file, CORPUS));

      const result = validateHl7(bytes);

      assert.equal(result.records.length, 1);
      assert.ok(
        result.fileIssues.every((issue) => issue.severity === 'warning'),
      );
      const [record] = result.records;
      assert.ok(record);
      const errors = record.issues
        .filter((issue) => issue.severity === 'error')
        .map((issue) => `${issue.rule}@${issue.location}`);
      assert.deepEqual(errors, PINNED_REJECTIONS[file] ?? []);
      assert.equal(record.accepted, errors.length === 0);
      assertResourcesSound(record.resources, record.accepted);
    });
  }
});

function assertResourcesSound(
  resources: readonly FhirResource[],
  accepted: boolean,
): void {
  if (!accepted) {
    assert.equal(resources.length, 0);
    return;
  }
  assert.ok(resources.some((r) => r.resourceType === 'Patient'));
  const known = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
  assert.equal(known.size, resources.length);
  for (const resource of resources) {
    assert.match(resource.id ?? '', FHIR_ID);
    const required = REQUIRED[resource.resourceType];
    assert.ok(required, `unexpected ${resource.resourceType}`);
    for (const element of required) {
      assert.ok(resource[element], `${resource.resourceType}.${element}`);
    }
  }
  const json = JSON.stringify(resources);
  for (const [, target] of json.matchAll(/"reference":"([^"]+)"/g)) {
    assert.ok(known.has(target ?? ''), 'a reference does not resolve');
  }
}
