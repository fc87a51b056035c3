/**
 * The classes of known difference in scripts/conformance/explained.ts stay
 * tied to what the corpus shows: a class that explains nothing any more
 * (the mapper changed, or its pattern drifted) is dead weight that would
 * hide a future regression, so it fails here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCorpus } from '../../scripts/conformance/compare.ts';
import { EXPLANATIONS } from '../../scripts/conformance/explained.ts';

describe('conformance classes over the corpus', () => {
  const results = compareCorpus();
  const used = new Set(
    results.flatMap((r) => r.differences.map((d) => d.explanation?.id)),
  );

  it('compares every message that has a reference Bundle', () => {
    assert.equal(results.length, 100);
  });

  it('uses every class to explain at least one difference', () => {
    const dead = EXPLANATIONS.map((e) => e.id).filter((id) => !used.has(id));
    assert.deepEqual(dead, []);
  });

  it('gives every class a distinct id, a row and a reason', () => {
    const ids = EXPLANATIONS.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const e of EXPLANATIONS) {
      assert.ok(e.row.length > 0 && e.why.length > 0, e.id);
    }
  });
});
