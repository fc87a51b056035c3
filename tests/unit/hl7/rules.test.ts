import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateHl7 } from '../../../shared/hl7/index.ts';
import {
  adt,
  EVN,
  hl7,
  MSH,
  onlyRecord,
  oru,
  PID,
  PV1,
  rulesOf,
} from './helpers.ts';

const mshWith = (field: number, value: string) => {
  const fields = MSH.split('|');
  fields[field - 1] = value;
  return fields.join('|');
};

function issuesFor(...segments: string[]): string[] {
  return rulesOf(onlyRecord(validateHl7(hl7(...segments))));
}

function verdict(...segments: string[]) {
  return onlyRecord(validateHl7(hl7(...segments)));
}

describe('MSH rules', () => {
  it('accepts a complete ADT^A01 without issues', () => {
    const record = onlyRecord(validateHl7(adt()));

    assert.equal(record.accepted, true);
    assert.deepEqual(record.issues, []);
  });

  it('rejects a message whose first segment is not MSH', () => {
    const record = onlyRecord(validateHl7(hl7(PID, PV1)));

    assert.equal(record.accepted, false);
    assert.deepEqual(rulesOf(record), ['msh_missing@segment 1']);
  });

  it('rejects delimiters that are not usable', () => {
    assert.deepEqual(issuesFor('MSH|^^\\&|A', PID), [
      'encoding_characters_invalid@MSH-2',
    ]);
  });

  it('requires type and trigger in MSH-9', () => {
    assert.deepEqual(issuesFor(mshWith(9, ''), EVN, PID, PV1), [
      'required_field_missing@MSH-9',
    ]);
    assert.deepEqual(issuesFor(mshWith(9, 'ADT'), EVN, PID, PV1), [
      'required_field_missing@MSH-9',
    ]);
  });

  it('rejects a malformed message type or structure', () => {
    assert.deepEqual(issuesFor(mshWith(9, 'ADT^A1'), EVN, PID, PV1), [
      'invalid_message_type@MSH-9.2',
      'structure_not_checked@MSH-9',
    ]);
    assert.deepEqual(issuesFor(mshWith(9, 'ADT^A01^ADTA01'), EVN, PID, PV1), [
      'invalid_message_type@MSH-9.3',
      'structure_not_checked@MSH-9',
    ]);
  });

  it('treats a blank MSH-10 as missing', () => {
    assert.deepEqual(issuesFor(mshWith(10, '   '), EVN, PID, PV1), [
      'required_field_missing@MSH-10',
    ]);
  });

  it('requires MSH-11 from table 0103', () => {
    assert.deepEqual(issuesFor(mshWith(11, ''), EVN, PID, PV1), [
      'required_field_missing@MSH-11',
    ]);
    assert.deepEqual(issuesFor(mshWith(11, 'Q'), EVN, PID, PV1), [
      'invalid_coded_value@MSH-11',
    ]);
  });

  it('accepts versions 2.1 to 2.8.2 and rejects others', () => {
    assert.deepEqual(issuesFor(mshWith(12, '2.3'), EVN, PID, PV1), []);
    assert.deepEqual(issuesFor(mshWith(12, '3.0'), EVN, PID, PV1), [
      'unsupported_version@MSH-12',
    ]);
    assert.deepEqual(issuesFor(mshWith(12, ''), EVN, PID, PV1), [
      'required_field_missing@MSH-12',
    ]);
  });

  it('warns about an invalid MSH-7 timestamp', () => {
    assert.deepEqual(issuesFor(mshWith(7, '20241305'), EVN, PID, PV1), [
      'invalid_timestamp@MSH-7',
    ]);
  });
});

describe('structure rules', () => {
  it('requires the core segments of the structure', () => {
    const msh = mshWith(9, 'ORU^R01^ORU_R01');

    assert.deepEqual(issuesFor(msh, PID, 'OBX|1|ST|X^Y^L||v||||||F'), [
      'required_segment_missing@OBR',
    ]);
  });

  it('derives the structure from the event when MSH-9.3 is empty', () => {
    const msh = mshWith(9, 'ADT^A40');

    assert.deepEqual(issuesFor(msh, EVN, PID), [
      'required_segment_missing@MRG',
    ]);
  });

  it('only warns when EVN or PV1 is missing', () => {
    const record = verdict(mshWith(9, 'ADT^A08^ADT_A01'), PID);

    assert.equal(record.accepted, true);
    assert.deepEqual(rulesOf(record), [
      'expected_segment_missing@EVN',
      'expected_segment_missing@PV1',
    ]);
  });

  it('rejects required segments in the wrong order', () => {
    const msh = mshWith(9, 'ADT^A40^ADT_A39');

    assert.deepEqual(issuesFor(msh, EVN, 'MRG|1', PID), [
      'segment_out_of_order@MRG',
    ]);
  });

  it('accepts an unknown structure with a warning', () => {
    const record = verdict(mshWith(9, 'ZZZ^Z01^ZZZ_Z01'), PID);

    assert.equal(record.accepted, true);
    assert.deepEqual(rulesOf(record), ['structure_not_checked@MSH-9']);
  });

  it('accepts Z-segments and rejects malformed segment names', () => {
    assert.deepEqual(issuesFor(MSH, EVN, PID, 'ZPI|1|x', PV1), []);
    assert.deepEqual(issuesFor(MSH, EVN, PID, PV1, 'pid|1'), [
      'invalid_segment_name@segment 5',
    ]);
  });
});

describe('field rules', () => {
  it('requires a non-null identifier in PID-3', () => {
    assert.deepEqual(issuesFor(MSH, EVN, 'PID|1||""', PV1), [
      'required_field_missing@PID[1]-3',
    ]);
  });

  it('warns about PID-7 and PID-8 values it cannot map', () => {
    const pid = 'PID|1||1^^^H^MR||DOE||19801301|Q';

    assert.deepEqual(issuesFor(MSH, EVN, pid, PV1), [
      'invalid_timestamp@PID[1]-7',
      'invalid_coded_value@PID[1]-8',
    ]);
  });

  it('warns about a missing PV1-2 and bad PV1-44', () => {
    const pv1 = `PV1|1|${'|'.repeat(41)}2024`;

    assert.deepEqual(issuesFor(MSH, EVN, PID, pv1), [
      'expected_field_missing@PV1[1]-2',
    ]);
    assert.deepEqual(
      issuesFor(MSH, EVN, PID, `PV1|1|I${'|'.repeat(42)}20241`),
      ['invalid_timestamp@PV1[1]-44'],
    );
  });

  it('checks OBX-2 against table 0125 and requires it with a value', () => {
    const record = onlyRecord(
      validateHl7(oru('OBX|1|XX|A^B^L||v||||||F', 'OBX|2||A^B^L||v||||||F')),
    );

    assert.deepEqual(rulesOf(record), [
      'invalid_coded_value@OBX[1]-2',
      'required_field_missing@OBX[2]-2',
    ]);
  });

  it('requires OBX-3', () => {
    const record = onlyRecord(validateHl7(oru('OBX|1|ST|||v||||||F')));

    assert.deepEqual(rulesOf(record), ['required_field_missing@OBX[1]-3']);
  });

  it('warns about a non-numeric NM value and a bad OBX-14', () => {
    const obx = 'OBX|1|NM|A^B^L||1,5||||||F|||2024-01-01';
    const record = onlyRecord(validateHl7(oru(obx)));

    assert.equal(record.accepted, true);
    assert.deepEqual(rulesOf(record), [
      'invalid_numeric@OBX[1]-5',
      'invalid_timestamp@OBX[1]-14',
    ]);
  });

  it('warns about an NM value too large for a number, and maps none', () => {
    const record = onlyRecord(
      validateHl7(oru(`OBX|1|NM|A^B^L||${'9'.repeat(400)}|mg|||||F`)),
    );
    const observation = record.resources?.find(
      (resource) => resource.resourceType === 'Observation',
    );

    assert.equal(record.accepted, true);
    assert.deepEqual(rulesOf(record), ['invalid_numeric@OBX[1]-5']);
    assert.equal(observation?.valueQuantity, undefined);
  });

  it('maps no number a FHIR integer or decimal cannot hold', () => {
    const huge = '9'.repeat(400);
    const adt = (pid25: string, pv2: string) =>
      onlyRecord(
        validateHl7(
          hl7(
            MSH,
            EVN,
            `PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F${'|'.repeat(16)}Y|${pid25}`,
            PV1,
            pv2,
          ),
        ),
      );
    const record = adt('1e20', `PV2${'|'.repeat(11)}${huge}`);
    const patient = record.resources?.find((r) => r.resourceType === 'Patient');
    const visit = record.resources?.find((r) => r.resourceType === 'Encounter');

    assert.equal(record.accepted, true);
    assert.equal(patient?.multipleBirthInteger, undefined);
    assert.equal(visit?.length, undefined);
  });

  it('warns about a missing or unknown OBX-11', () => {
    const record = onlyRecord(
      validateHl7(oru('OBX|1|ST|A^B^L||v', 'OBX|2|ST|A^B^L||v||||||Z')),
    );

    assert.deepEqual(rulesOf(record), [
      'expected_field_missing@OBX[1]-11',
      'invalid_coded_value@OBX[2]-11',
    ]);
  });
});

describe('quarantine policy', () => {
  const good = adt();
  const bad = hl7(mshWith(10, ''), EVN, PID, PV1);
  const both = Buffer.concat([good, bad]);

  it('judges each message on its own under the record policy', () => {
    const result = validateHl7(both, { policy: 'record' });

    assert.deepEqual(
      result.records.map((r) => r.accepted),
      [true, false],
    );
    assert.ok((result.records[0]?.resources.length ?? 0) > 0);
  });

  it('holds back every message under the drop policy', () => {
    const result = validateHl7(both, { policy: 'drop' });

    assert.deepEqual(
      result.records.map((r) => r.accepted),
      [false, false],
    );
    assert.deepEqual(rulesOf(result.records[0] ?? never()), [
      'drop_rejected@message 1',
    ]);
    assert.deepEqual(result.records[0]?.resources, []);
  });
});

describe('issue hygiene', () => {
  it('never quotes a field value in an issue', () => {
    const secret = 'SECRETVALUE';
    const pid = `PID|1||""||${secret}^X||${secret}|${secret}`;
    const obx = `OBX|1|NM|${secret}^B^L||${secret}||||||${secret}|||${secret}`;
    const msh = mshWith(12, secret);
    const inputs = [
      hl7(MSH, EVN, pid, PV1),
      oru(obx),
      hl7(msh, PID),
      hl7(mshWith(9, `${secret}^${secret}^${secret}`), PID),
      hl7(MSH, EVN, PID, PV1, `${secret}|1`),
    ];

    for (const input of inputs) {
      const result = validateHl7(input);
      const issues = [
        ...result.fileIssues,
        ...result.records.flatMap((r) => r.issues),
      ];
      for (const issue of issues) {
        assert.doesNotMatch(`${issue.location} ${issue.message}`, /SECRET/);
        assert.match(issue.rule, /^[a-z0-9_]+$/);
      }
    }
  });
});

function never(): never {
  throw new Error('missing record');
}
