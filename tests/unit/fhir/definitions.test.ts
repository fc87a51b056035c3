import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PRIMITIVES,
  RESOURCE_TYPES,
  TYPES,
  VALUE_SETS,
} from '../../../shared/fhir/definitions.ts';

describe('generated R4 element index', () => {
  it('lists the concrete resource types of the definitions and no abstract one', () => {
    assert.ok(RESOURCE_TYPES.has('Patient'));
    assert.ok(RESOURCE_TYPES.has('Bundle'));
    assert.ok(!RESOURCE_TYPES.has('DomainResource'));
    assert.ok(!RESOURCE_TYPES.has('Patinet'));
    assert.equal(RESOURCE_TYPES.size, 147);
  });

  it('resolves every element type to a primitive, a type or Resource', () => {
    const missing: string[] = [];
    for (const [owner, info] of TYPES) {
      for (const [name, entry] of info.elements) {
        const known =
          PRIMITIVES.has(entry.type) ||
          TYPES.has(entry.type) ||
          entry.type === 'Resource';
        if (!known) missing.push(`${owner}.${name}: ${entry.type}`);
      }
    }

    assert.deepEqual(missing, []);
  });

  it('knows the required elements of the core clinical resources', () => {
    const required = (type: string) =>
      TYPES.get(type)?.required.map((item) => item.name);

    assert.deepEqual(required('Observation'), ['status', 'code']);
    assert.deepEqual(required('Encounter'), ['status', 'class']);
    assert.deepEqual(required('Condition'), ['subject']);
    assert.deepEqual(required('Patient'), []);
  });

  it('expands the required bindings of gender and statuses', () => {
    const gender = VALUE_SETS.get(
      'http://hl7.org/fhir/ValueSet/administrative-gender',
    );

    assert.deepEqual([...(gender ?? [])].sort(), [
      'female',
      'male',
      'other',
      'unknown',
    ]);
    assert.ok(
      VALUE_SETS.get('http://hl7.org/fhir/ValueSet/observation-status')?.has(
        'final',
      ),
    );
    assert.ok(
      VALUE_SETS.get('http://hl7.org/fhir/ValueSet/encounter-status')?.has(
        'finished',
      ),
    );
  });
});
