/** DG1 -> Condition, AL1 and IAM -> AllergyIntolerance. */
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
  type Json,
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
const VERIFICATION_STATUS =
  'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

/**
 * What AL1 and IAM share, fields 2 to 5 (AL1[AllergyIntolerance] and
 * IAM[AllergyIntolerance] rows 2 to 5): allergen type -> type and
 * category, allergen -> code, severity -> criticality, reactions.
 */
function allergyCore(segment: Segment, context: MappingContext): Json {
  const d = context.delimiters;
  const allergenType = valueAt(segment, d, 2).trim();
  const category = ALLERGY_CATEGORY[allergenType];
  const reactions = repetitions(rawField(segment, 5), d)
    .map((rep) => rep.trim())
    .filter((rep) => rep !== '')
    .map((rep) => ({ manifestation: [{ text: rep }] }));

  return {
    type: ALLERGY_TYPES.has(allergenType) ? 'allergy' : undefined,
    category: category ? [category] : undefined,
    criticality: CRITICALITY[valueAt(segment, d, 4, 1).trim()],
    code: toCodeableConcept(firstRepetition(segment, d, 3), d),
    reaction: reactions,
  };
}

/** A status CodeableConcept; none for no code. Fresh on every call. */
function status(system: string, code?: string): Json | undefined {
  return code === undefined ? undefined : { coding: [{ system, code }] };
}

/** AL1 lists current allergies, hence clinicalStatus active (rule ait-1). */
export function mapAllergy(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;

  return {
    resourceType: 'AllergyIntolerance',
    id: resourceId(context, segment),
    patient: { reference: context.patient },
    clinicalStatus: status(CLINICAL_STATUS, 'active'),
    ...compact({
      ...allergyCore(segment, context),
      onsetDateTime: toDateTime(valueAt(segment, d, 6)),
    }),
  };
}

/**
 * IAM-17 (table 0438) -> clinical and verification status. Row 17 sends
 * IAM-17 to clinicalStatus as it is, but that element is bound (required)
 * to active/inactive/resolved and most 0438 codes say how sure the
 * allergy is: we read them by meaning (a choice). Erroneous takes no
 * clinical status (rule ait-1).
 */
interface AllergyStatus {
  clinical?: string;
  verification?: string;
}

const ALLERGY_STATUS = codeTable<AllergyStatus>({
  C: { clinical: 'active', verification: 'confirmed' },
  I: { clinical: 'inactive', verification: 'confirmed' },
  E: { verification: 'entered-in-error' },
  D: { clinical: 'active', verification: 'unconfirmed' },
  P: { clinical: 'active', verification: 'unconfirmed' },
  S: { clinical: 'active', verification: 'unconfirmed' },
  U: { clinical: 'active', verification: 'unconfirmed' },
});

/**
 * IAM (ADT_A60) -> AllergyIntolerance, by IAM[AllergyIntolerance]: AL1's
 * fields 2 to 5, IAM-7 identifier, IAM-11 onset (IAM-12 as text when no
 * date), IAM-13 recorded, IAM-17 status (row 0: active when empty).
 * IAM-6 action has no row; an allergy the sender deletes (D) is no
 * allergy of the patient's, so we record it as entered in error rather
 * than as active (a choice).
 */
export function mapAdverseReaction(
  segment: Segment,
  context: MappingContext,
): FhirResource | undefined {
  if (context.patient === undefined) return undefined;
  const d = context.delimiters;
  const deleted = valueAt(segment, d, 6, 1).trim().toUpperCase() === 'D';
  const onset = toDateTime(valueAt(segment, d, 11));
  const read: AllergyStatus = deleted
    ? { verification: 'entered-in-error' }
    : (ALLERGY_STATUS[valueAt(segment, d, 17, 1).trim().toUpperCase()] ?? {
        clinical: 'active',
      });
  const core = allergyCore(segment, context);
  // IAM-27, the clinician's code, adds its codings to IAM-3's (row 27).
  const clinician = toCodeableConcept(firstRepetition(segment, d, 27), d);
  const codings = [core.code, clinician].flatMap(
    (concept) => ((concept as Json | undefined)?.coding as Json[]) ?? [],
  );

  return {
    resourceType: 'AllergyIntolerance',
    id: resourceId(context, segment),
    patient: { reference: context.patient },
    ...compact({
      clinicalStatus: status(CLINICAL_STATUS, read.clinical),
      verificationStatus: status(VERIFICATION_STATUS, read.verification),
      identifier: present([
        toEntityIdentifier(firstRepetition(segment, d, 7), d),
      ]),
      ...core,
      code:
        clinician === undefined
          ? core.code
          : compact({ ...(core.code as Json), coding: codings }),
      onsetDateTime: onset,
      onsetString: onset ? undefined : valueAt(segment, d, 12),
      recordedDate: toDateTime(valueAt(segment, d, 13)),
    }),
  };
}
