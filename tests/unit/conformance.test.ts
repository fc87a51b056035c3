import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runConformance } from '../../local/conformance.ts';
import { CORPUS } from '../helpers/paths.ts';

describe('npm run conformance', () => {
  it('accepts the corpus or explains every rejection as a sample defect', async () => {
    const rows = await runConformance(fileURLToPath(CORPUS));

    const unexplained = rows.filter((row) => !row.explained);
    assert.deepEqual(
      unexplained.map((row) => row.record),
      [],
    );
    assert.equal(rows.length, 7362);
    assert.equal(rows.filter((row) => !row.accepted).length, 15);
  });
});
