import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateResource } from '../../../shared/fhir/index.ts';

/** Valid resources the mutation table starts from, one per core type. */
function patient(): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: 'pat-1',
    identifier: [{ system: 'urn:oid:1.2.3', value: '000123' }],
    name: [{ family: 'Doe', given: ['Jane', 'Q'] }],
    gender: 'female',
    birthDate: '1980-01-01',
    deceasedBoolean: false,
    address: [{ line: ['1 Main St'], postalCode: '12345' }],
    managingOrganization: { reference: 'Organization/org-1' },
    contained: [{ resourceType: 'Organization', id: 'o1', name: 'Clinic' }],
    generalPractitioner: [{ reference: '#o1' }],
  };
}

function observation(): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id: 'obs-1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: 'Patient/pat-1' },
    effectiveDateTime: '2024-01-02T10:00:00Z',
    issued: '2024-01-02T10:05:00.000Z',
    valueQuantity: { value: 72, unit: '/min' },
  };
}

function encounter(): Record<string, unknown> {
  return {
    resourceType: 'Encounter',
    id: 'enc-1',
    status: 'finished',
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'AMB',
    },
    subject: { reference: 'Patient/pat-1' },
    period: { start: '2024-01-02', end: '2024-01-02' },
  };
}

function condition(): Record<string, unknown> {
  return {
    resourceType: 'Condition',
    id: 'cond-1',
    subject: { reference: 'Patient/pat-1' },
    code: { text: 'Hypertension' },
    clinicalStatus: {
      coding: [
        { system: 'http://snomed.info/sct', code: '55561003' },
        { system: CONDITION_CLINICAL, code: 'active' },
      ],
    },
    onsetDateTime: '2020',
  };
}

const CONDITION_CLINICAL =
  'http://terminology.hl7.org/CodeSystem/condition-clinical';

type Resource = Record<string, unknown>;
type Mutation = [string, () => Resource, (r: Resource) => void, string, string];

const set =
  (key: string, value: unknown) =>
  (resource: Resource): void => {
    resource[key] = value;
  };
const remove =
  (key: string) =>
  (resource: Resource): void => {
    delete resource[key];
  };

const MUTATIONS: Mutation[] = [
  [
    'removes Observation.status',
    observation,
    remove('status'),
    'cardinality_min',
    'Observation.status',
  ],
  [
    'removes Observation.code',
    observation,
    remove('code'),
    'cardinality_min',
    'Observation.code',
  ],
  [
    'removes Encounter.status',
    encounter,
    remove('status'),
    'cardinality_min',
    'Encounter.status',
  ],
  [
    'removes Encounter.class',
    encounter,
    remove('class'),
    'cardinality_min',
    'Encounter.class',
  ],
  [
    'removes Condition.subject',
    condition,
    remove('subject'),
    'cardinality_min',
    'Condition.subject',
  ],
  [
    'gives Patient.birthDate a number',
    patient,
    set('birthDate', 19800101),
    'wrong_type',
    'Patient.birthDate',
  ],
  [
    'gives Patient.birthDate an impossible month',
    patient,
    set('birthDate', '1980-13-01'),
    'invalid_primitive',
    'Patient.birthDate',
  ],
  [
    'gives Patient.gender a code outside its value set',
    patient,
    set('gender', 'F'),
    'code_not_in_required_valueset',
    'Patient.gender',
  ],
  [
    'gives Observation.status a code outside its value set',
    observation,
    set('status', 'done'),
    'code_not_in_required_valueset',
    'Observation.status',
  ],
  [
    'gives Encounter.status a code outside its value set',
    encounter,
    set('status', 'closed'),
    'code_not_in_required_valueset',
    'Encounter.status',
  ],
  [
    'gives Condition.clinicalStatus a code outside its value set',
    condition,
    set('clinicalStatus', {
      coding: [{ system: CONDITION_CLINICAL, code: 'cured' }],
    }),
    'code_not_in_required_valueset',
    'Condition.clinicalStatus',
  ],
  [
    'gives Condition.clinicalStatus only a coding of another system',
    condition,
    set('clinicalStatus', {
      coding: [{ system: 'http://snomed.info/sct', code: '55561003' }],
    }),
    'code_not_in_required_valueset',
    'Condition.clinicalStatus',
  ],
  [
    'gives Condition.clinicalStatus text alone',
    condition,
    set('clinicalStatus', { text: 'active' }),
    'code_not_in_required_valueset',
    'Condition.clinicalStatus',
  ],
  [
    'wraps Patient.gender in an array',
    patient,
    set('gender', ['female']),
    'cardinality_max',
    'Patient.gender',
  ],
  [
    'gives Patient.name a single object',
    patient,
    set('name', { family: 'Doe' }),
    'array_expected',
    'Patient.name',
  ],
  [
    'adds an unknown element',
    patient,
    set('favouriteColour', 'blue'),
    'unknown_element',
    'Patient.<unknown key 12 of 12>',
  ],
  [
    'gives Patient.id a character ids forbid',
    patient,
    set('id', 'pat_1'),
    'invalid_primitive',
    'Patient.id',
  ],
  [
    'breaks a reference',
    patient,
    set('managingOrganization', { reference: 'Organisation/ 1' }),
    'invalid_reference',
    'Patient.managingOrganization.reference',
  ],
  [
    'points a local reference at nothing',
    patient,
    set('generalPractitioner', [{ reference: '#nope' }]),
    'unresolved_reference',
    'Patient.generalPractitioner[0].reference',
  ],
  [
    'gives Patient.active a string',
    patient,
    set('active', 'true'),
    'wrong_type',
    'Patient.active',
  ],
  [
    'gives Observation.issued a date without time',
    observation,
    set('issued', '2024-01-02'),
    'invalid_primitive',
    'Observation.issued',
  ],
  [
    'gives Observation.effectiveDateTime a bad timezone',
    observation,
    set('effectiveDateTime', '2024-01-02T10:00:00+25:00'),
    'invalid_primitive',
    'Observation.effectiveDateTime',
  ],
  [
    'adds a second value[x] type',
    observation,
    set('valueString', 'x'),
    'choice_multiple',
    'Observation.value[x]',
  ],
  [
    'gives a Quantity value a string',
    observation,
    set('valueQuantity', { value: '72' }),
    'wrong_type',
    'Observation.valueQuantity.value',
  ],
  [
    'gives CodeableConcept.coding an unknown element',
    observation,
    set('code', { coding: [{ code: 'x', colour: 1 }] }),
    'unknown_element',
    'Observation.code.coding[0].<unknown key 2 of 2>',
  ],
  [
    'gives HumanName.given a null without extension',
    patient,
    set('name', [{ given: ['A', null] }]),
    'null_not_allowed',
    'Patient.name[0].given[1]',
  ],
  [
    'gives a Period an invalid start',
    encounter,
    set('period', { start: '02/01/2024' }),
    'invalid_primitive',
    'Encounter.period.start',
  ],
  [
    'gives Patient.multipleBirthInteger a fraction',
    patient,
    set('multipleBirthInteger', 1.5),
    'invalid_primitive',
    'Patient.multipleBirthInteger',
  ],
  [
    'gives a contained resource no resourceType',
    patient,
    set('contained', [{ id: 'o1' }]),
    'missing_resource_type',
    'Patient.contained[0].resourceType',
  ],
  [
    'gives _birthDate a string',
    patient,
    set('_birthDate', 'x'),
    'wrong_type',
    'Patient._birthDate',
  ],
  [
    'extends a non-primitive element',
    patient,
    set('_name', [{}]),
    'unknown_element',
    'Patient._name',
  ],
  [
    'gives Patient.name an empty array',
    patient,
    set('name', []),
    'empty_array',
    'Patient.name',
  ],
  [
    'gives an attachment data that is not base64',
    patient,
    set('photo', [{ data: 'abc' }]),
    'invalid_primitive',
    'Patient.photo[0].data',
  ],
  [
    'gives an Extension no url',
    patient,
    set('extension', [{ valueString: 'x' }]),
    'cardinality_min',
    'Patient.extension[0].url',
  ],
];

describe('validateResource mutation table', () => {
  for (const build of [patient, observation, encounter, condition]) {
    it(`accepts the unmutated ${build.name}`, () => {
      const resource = build();

      const issues = validateResource(
        resource,
        resource.resourceType as string,
      );

      assert.deepEqual(issues, []);
    });
  }

  for (const [name, build, mutate, rule, location] of MUTATIONS) {
    it(`reports ${rule} at ${location} when it ${name}`, () => {
      const resource = build();
      mutate(resource);

      const issues = validateResource(
        resource,
        resource.resourceType as string,
      );

      const found = issues.map((item) => `${item.rule} ${item.location}`);
      assert.ok(found.includes(`${rule} ${location}`), found.join('; '));
    });
  }

  it('never puts the offending value in a message', () => {
    const resource = patient();
    resource.birthDate = '1980-13-01';
    resource.gender = 'SECRETVALUE';

    const issues = validateResource(resource, 'Patient');

    assert.equal(issues.length, 2);
    for (const item of issues) {
      assert.ok(!item.message.includes('1980'), item.message);
      assert.ok(!item.message.includes('SECRETVALUE'), item.message);
    }
  });

  it('accepts primitive extensions aligned with nulls and a value-less primitive', () => {
    const resource = patient();
    resource.name = [{ given: ['A', null], _given: [null, { id: 'g2' }] }];
    resource._gender = {
      extension: [{ url: 'http://x', valueCode: 'unknown' }],
    };
    delete resource.gender;

    const issues = validateResource(resource, 'Patient');

    assert.deepEqual(issues, []);
  });

  it('locates issues under the path it is given', () => {
    const resource = observation();
    delete resource.status;

    const issues = validateResource(resource, 'Bundle.entry[3].resource');

    assert.equal(issues[0]?.location, 'Bundle.entry[3].resource.status');
  });
});
