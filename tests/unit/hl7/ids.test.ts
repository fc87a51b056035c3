import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateHl7 } from '../../../shared/hl7/index.ts';

const message = (controlId: string, mrn: string, value: string) =>
  [
    `MSH|^~\\&|LAB|FAC|HIE|HIE|20240105||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||${mrn}^^^HOSP^MR||DOE^ANN||19700101|F`,
    'OBR|1|O1||GLU^Glucose^L',
    `OBX|1|NM|GLU^Glucose^L||${value}|mg/dL|||||F`,
  ].join('\r');

function ids(text: string): string[] {
  const drop = validateHl7(Buffer.from(`${text}\r`));
  return drop.records.flatMap((record) =>
    record.resources.map(
      (resource) => `${resource.resourceType}/${resource.id}`,
    ),
  );
}

describe('HL7 v2 resource ids', () => {
  it('gives the same message the same ids every time', () => {
    const text = message('C1', '000555', '111');

    assert.deepEqual(ids(text), ids(text));
  });

  it('keeps two different messages apart when a sender reuses a control id', () => {
    const both = ids(
      `${message('SAME', '000555', '111')}\r${message('SAME', '000556', '222')}`,
    );

    assert.ok(both.length > 0);
    assert.equal(new Set(both).size, both.length);
  });
});
