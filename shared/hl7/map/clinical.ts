/** DG1 -> Condition and AL1 -> AllergyIntolerance. */
import type { FhirResource } from '../../validation/types.ts';
import { codeTable } from '../code-table.ts';
import {
  firstRepetition,
  rawField,
  repetitions,
  type Segment,
  valueAt,
} from '../parse.ts';
import { type MappingContext, resourceId } from './context.ts';
import {
  compact,
  present,
  toCodeableConcept,
  toDateTime,
  toEntityIdentifier,
} from './datatypes.ts';

const CONDITION_DUE_TO =
  'http://hl7.org/fhir/StructureDefinition/condition-dueTo';

const CONDITION_CATEGORY =
  'http://terminology.hl7.org/CodeSystem/condition-category';

/** A Condition needs a subject, so DG1 without a PID maps to nothing. */
export function mapCondition(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;
  const coded = firstRepetition(segment, d, 3);
  const description = valueAt(segment, d, 4);
  const parent = toEntityIdentifier(firstRepetition(segment, d, 22), d);

  return {
    resourceType: 'Condition',
    id: resourceId(context, segment),
    subject: { reference: context.patient },
    category: [
      { coding: [{ system: CONDITION_CATEGORY, code: 'encounter-diagnosis' }] },
    ],
    ...compact({
      code: toCodeableConcept(coded, d) ?? compact({ text: description }),
      encounter: context.encounter
        ? { reference: context.encounter }
        : undefined,
      onsetDateTime: toDateTime(valueAt(segment, d, 5)),
      identifier: present([
        toEntityIdentifier(firstRepetition(segment, d, 20), d),
      ]),
      // DG1-22 parent diagnosis: the condition-dueTo extension naming the
      // parent by identifier (DG1[Condition] row 22, EI[Condition] row 1).
      extension: parent && [
        {
          url: CONDITION_DUE_TO,
          valueReference: { type: 'Condition', identifier: parent },
        },
      ],
    }),
  };
}

/** HL7 table 0127 allergen type -> AllergyIntolerance.category. */
const ALLERGY_CATEGORY = codeTable<string>({
  DA: 'medication',
  FA: 'food',
  EA: 'environment',
  AA: 'environment',
  PA: 'environment',
  LA: 'environment',
});

/** Table 0127 codes the AllergyType map sends to type allergy (not MC). */
const ALLERGY_TYPES = new Set(['DA', 'FA', 'MA', 'EA', 'AA', 'PA', 'LA']);

/** HL7 table 0128 allergy severity -> criticality. */
const CRITICALITY = codeTable<string>({
  SV: 'high',
  MO: 'low',
  MI: 'low',
  U: 'unable-to-assess',
});

const CLINICAL_STATUS =
  'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';

/** AL1 lists current allergies, hence clinicalStatus active (rule ait-1). */
export function mapAllergy(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;
  const allergenType = valueAt(segment, d, 2).trim();
  const category = ALLERGY_CATEGORY[allergenType];
  const reactions = repetitions(rawField(segment, 5), d)
    .map((rep) => rep.trim())
    .filter((rep) => rep !== '')
    .map((rep) => ({ manifestation: [{ text: rep }] }));

  return {
    resourceType: 'AllergyIntolerance',
    id: resourceId(context, segment),
    patient: { reference: context.patient },
    clinicalStatus: { coding: [{ system: CLINICAL_STATUS, code: 'active' }] },
    ...compact({
      type: ALLERGY_TYPES.has(allergenType) ? 'allergy' : undefined,
      category: category ? [category] : undefined,
      criticality: CRITICALITY[valueAt(segment, d, 4, 1).trim()],
      code: toCodeableConcept(firstRepetition(segment, d, 3), d),
      reaction: reactions,
      onsetDateTime: toDateTime(valueAt(segment, d, 6)),
    }),
  };
}
