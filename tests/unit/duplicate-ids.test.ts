import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateDrop } from '../../shared/validation/validate-drop.ts';

describe('a drop that repeats a resource id', () => {
  it('stages the last of each and says how many were collapsed', () => {
    const ndjson = [
      { resourceType: 'Patient', id: 'a', gender: 'male' },
      { resourceType: 'Patient', id: 'a', gender: 'female' },
      { resourceType: 'Patient', id: 'b', gender: 'other' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');

    const decision = validateDrop(Buffer.from(`${ndjson}\n`), {
      fileName: 'p.ndjson',
    });

    assert.deepEqual(
      decision.resources.get('Patient')?.map((p) => [p.id, p.gender]),
      [
        ['a', 'female'],
        ['b', 'other'],
      ],
    );
    const warning = decision.validation.fileIssues.find(
      (i) => i.rule === 'duplicate_resource_id',
    );
    assert.equal(warning?.severity, 'warning');
    assert.match(warning?.message ?? '', /^1 Patient resource/);
    assert.doesNotMatch(warning?.message ?? '', /female|male/);
  });
});
