/** The content comparison behind `npm run conformance:convert`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareFacts,
  normaliseValue,
  resourceFacts,
} from '../../scripts/conformance/facts.ts';

describe('conformance facts', () => {
  it('ignores ids, displays and example.com placeholder systems', () => {
    const facts = resourceFacts({
      resourceType: 'Patient',
      id: 'abc',
      identifier: [
        {
          system: 'http://example.com/v2-to-fhir-converter/Identifier/X',
          value: '1',
        },
      ],
      maritalStatus: { coding: [{ code: 'M', display: 'Married' }] },
    });

    assert.deepEqual(facts, [
      '#Patient',
      'Patient.identifier.value=1',
      'Patient.maritalStatus.coding.code=M',
    ]);
  });

  it('compares a resource with its own type and identifier field by field', () => {
    // Made up: AllergyIntolerance has a `type` and an `identifier`, which
    // inside a resource would make a logical reference.
    const facts = resourceFacts({
      resourceType: 'AllergyIntolerance',
      type: 'allergy',
      identifier: [{ value: 'A-1' }],
      category: ['food'],
    });

    assert.deepEqual(facts, [
      '#AllergyIntolerance',
      'AllergyIntolerance.type=allergy',
      'AllergyIntolerance.identifier.value=A-1',
      'AllergyIntolerance.category=food',
    ]);
  });

  it('compares references by target type, not by id', () => {
    const ours = resourceFacts({
      resourceType: 'Observation',
      subject: { reference: 'Patient/ours-1' },
    });
    const theirs = resourceFacts({
      resourceType: 'Observation',
      subject: { reference: 'Patient/theirs-9' },
    });

    assert.deepEqual(ours, theirs);
  });

  it('compares zoned date-times as instants', () => {
    assert.equal(
      normaliseValue('1989-08-18T11:26:00+02:15'),
      normaliseValue('1989-08-18T14:41:00+05:30'),
    );
  });

  it('counts each fact as often as both sides hold it', () => {
    const result = compareFacts(['a', 'a', 'b'], ['a', 'c']);

    assert.equal(result.matched, 1);
    assert.deepEqual(result.missing, [
      { fact: 'a', count: 1, shared: 1 },
      { fact: 'b', count: 1, shared: 0 },
    ]);
    assert.deepEqual(result.extra, [{ fact: 'c', count: 1, shared: 0 }]);
  });
});
