/**
 * Each `shared/cases/hl7-*` case, checked against the behaviour its case.md
 * asks for. The charset case lives in charset.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readHl7Messages, validateHl7 } from '../../../shared/hl7/index.ts';
import { type ParsedMessage, valueAt } from '../../../shared/hl7/parse.ts';
import type { RecordVerdict } from '../../../shared/validation/types.ts';
import {
  caseFile,
  firstOf,
  onlyRecord,
  resourcesOf,
  rulesOf,
} from './helpers.ts';

function parse(bytes: Uint8Array): ParsedMessage[] {
  return readHl7Messages(bytes);
}

function header(
  message: ParsedMessage | undefined,
  field: number,
  component = 1,
) {
  const msh = message?.segments[0];
  assert.ok(message && msh);
  return valueAt(msh, message.delimiters, field, component);
}

function names(message: ParsedMessage | undefined): string[] {
  return message?.segments.map((segment) => segment.name) ?? [];
}

function patientIds(record: RecordVerdict): unknown[] {
  const patient = firstOf(record, 'Patient');
  return (patient.identifier as { value: string }[]).map((id) => id.value);
}

describe('case hl7-batch-fhs-bhs', () => {
  const CASE = 'hl7-batch-fhs-bhs';

  it('accepts both messages of a correct batch and maps their results', () => {
    const bytes = caseFile(CASE, 'lab_batch_ok.hl7');

    const result = validateHl7(bytes);

    assert.deepEqual(result.fileIssues, []);
    assert.deepEqual(
      result.records.map((r) => r.accepted),
      [true, true],
    );
    const messages = parse(bytes);
    assert.deepEqual(
      messages.map((m) => header(m, 10)),
      ['CTRL-B-0001', 'CTRL-B-0002'],
    );
    assert.deepEqual(
      messages.map((m) => header(m, 12)),
      ['2.3', '2.3'],
    );
    assert.ok(
      messages.every(
        (m) => !names(m).some((n) => /^(FHS|BHS|BTS|FTS)$/.test(n)),
      ),
    );
    const [first, second] = result.records;
    assert.ok(first && second);
    assert.deepEqual(patientIds(first), ['000123']);
    assert.deepEqual(patientIds(second), ['000124']);
    const glucose = firstOf(first, 'Observation');
    assert.deepEqual(glucose.valueQuantity, { value: 182, unit: 'mg/dL' });
    assert.match(JSON.stringify(glucose.interpretation), /"code":"H"/);
    assert.equal(
      (firstOf(second, 'Observation').valueQuantity as { value: number }).value,
      104,
    );
  });

  it('quarantines the batch whose BTS-1 claims three messages', () => {
    const result = validateHl7(caseFile(CASE, 'lab_batch_count_mismatch.hl7'));

    assert.deepEqual(
      result.fileIssues.map((i) => `${i.rule}@${i.location}`),
      ['batch_count_mismatch@BTS-1'],
    );
    assert.match(result.fileIssues[0]?.message ?? '', /2 counted/);
    assert.ok(
      result.records.every((r) => !r.accepted && r.resources.length === 0),
    );
  });

  it('accepts a batch envelope around a single message', () => {
    const bytes = caseFile(CASE, 'lab_batch_single_message.hl7');

    const record = onlyRecord(validateHl7(bytes));

    assert.equal(record.accepted, true);
    assert.equal(header(parse(bytes)[0], 10), 'CTRL-B-0003');
    assert.deepEqual(patientIds(record), ['000125']);
  });
});

describe('case hl7-embedded-lf-in-field', () => {
  const bytes = caseFile(
    'hl7-embedded-lf-in-field',
    'oru_r01_lf_inside_fields.hl7',
  );

  it('keeps raw line feeds inside NTE-3 and OBX-5 as text', () => {
    const record = onlyRecord(validateHl7(bytes));
    const [message] = parse(bytes);

    assert.equal(record.accepted, true);
    assert.deepEqual(names(message), [
      'MSH',
      'PID',
      'OBR',
      'OBX',
      'NTE',
      'OBX',
    ]);
    assert.equal(header(message, 10), 'CTRL-NTE-0001');
    const nte = message?.segments[4];
    assert.ok(message && nte);
    assert.equal(
      valueAt(nte, message.delimiters, 3),
      'Specimen slightly hemolyzed.\nRecollect if potassium remains elevated.',
    );
    assert.deepEqual(rulesOf(record), [
      'raw_newline_in_field@NTE[1]-3',
      'raw_newline_in_field@OBX[2]-5',
    ]);
    const texts = resourcesOf(record, 'Observation').map((o) => o.valueString);
    assert.ok(texts.some((text) => String(text).includes('\n')));
  });
});

describe('case hl7-large-obx-ed', () => {
  const bytes = caseFile('hl7-large-obx-ed', 'oru_r01_embedded_pdf_base64.hl7');

  it('accepts the 150 KB attachment and keeps it out of the mapped state', () => {
    const record = onlyRecord(validateHl7(bytes));
    const [message] = parse(bytes);
    const obx = message?.segments.find((s) => s.name === 'OBX');
    assert.ok(message && obx);
    const d = message.delimiters;

    assert.equal(record.accepted, true);
    assert.equal(header(message, 10), 'CTRL-BIG-0001');
    assert.equal(message.segments.length, 5);
    assert.equal(names(message).filter((n) => n === 'OBX').length, 2);
    assert.deepEqual(
      [2, 3, 4].map((c) => valueAt(obx, d, 5, c)),
      ['AP', 'PDF', 'Base64'],
    );
    const data = valueAt(obx, d, 5, 5);
    assert.equal(data.length, 149416);
    assert.equal(
      Buffer.from(data, 'base64').subarray(0, 8).toString(),
      '%PDF-1.4',
    );
    const document = firstOf(record, 'DocumentReference');
    assert.match(JSON.stringify(document.content), /"size":112062/);
    assert.ok(JSON.stringify(record).length < 5000);
  });
});

describe('case hl7-lf-terminators', () => {
  const CASE = 'hl7-lf-terminators';
  const files = {
    'adt_a01_lf.hl7': 'CTRL-LF-0001',
    'adt_a01_crlf_trailing.hl7': 'CTRL-CRLF-0001',
    'adt_a01_cr_reference.hl7': 'CTRL-CR-0001',
  };

  for (const [file, control] of Object.entries(files)) {
    it(`parses ${file} into exactly four segments`, () => {
      const bytes = caseFile(CASE, file);

      const result = validateHl7(bytes);
      const [message] = parse(bytes);

      assert.equal(onlyRecord(result).accepted, true);
      assert.deepEqual(names(message), ['MSH', 'EVN', 'PID', 'PV1']);
      assert.equal(header(message, 10), control);
      assert.equal(header(message, 12), '2.5.1');
      assert.equal(header(message, 9, 3), 'ADT_A01');
      assert.deepEqual(patientIds(onlyRecord(result)), ['000123']);
      const warned = result.fileIssues.map((i) => i.rule);
      const expected = file.includes('_cr_')
        ? []
        : ['non_standard_segment_terminator'];
      assert.deepEqual(warned, expected);
    });
  }
});

describe('case hl7-missing-msh10', () => {
  const CASE = 'hl7-missing-msh10';

  it('quarantines an empty or blank MSH-10', () => {
    for (const file of ['orm_o01_empty_msh10.hl7', 'orm_o01_blank_msh10.hl7']) {
      const record = onlyRecord(validateHl7(caseFile(CASE, file)));

      assert.equal(record.accepted, false);
      assert.deepEqual(rulesOf(record), ['required_field_missing@MSH-10']);
    }
  });

  it('quarantines a missing MSH-9 without throwing', () => {
    const record = onlyRecord(
      validateHl7(caseFile(CASE, 'orm_missing_msh9.hl7')),
    );

    assert.equal(record.accepted, false);
    assert.deepEqual(rulesOf(record), ['required_field_missing@MSH-9']);
  });
});

describe('case hl7-mllp-framing-in-file', () => {
  const CASE = 'hl7-mllp-framing-in-file';

  it('strips the envelope of a single framed message with a warning', () => {
    const bytes = caseFile(CASE, 'single_framed_message.hl7');

    const result = validateHl7(bytes);

    assert.deepEqual(
      result.fileIssues.map((i) => i.rule),
      ['mllp_envelope_stripped'],
    );
    assert.equal(onlyRecord(result).accepted, true);
    assert.equal(parse(bytes)[0]?.segments.length, 3);
    assert.equal(header(parse(bytes)[0], 10), 'CTRL-MLLP-0001');
  });

  it('reads a socket capture of two frames as two messages', () => {
    const bytes = caseFile(CASE, 'tcp_capture_two_frames.hl7');

    const result = validateHl7(bytes);

    assert.deepEqual(
      result.records.map((r) => r.accepted),
      [true, true],
    );
    assert.deepEqual(
      parse(bytes).map((m) => header(m, 10)),
      ['CTRL-MLLP-0002', 'CTRL-MLLP-0003'],
    );
    assert.deepEqual(result.records.map(patientIds), [['000124'], ['000125']]);
  });

  it('quarantines a stray 0x1C inside PID-5', () => {
    const record = onlyRecord(
      validateHl7(caseFile(CASE, 'stray_fs_inside_field.hl7')),
    );

    assert.equal(record.accepted, false);
    assert.deepEqual(rulesOf(record), [
      'control_character_in_segment@PID[1]-5',
    ]);
  });
});

describe('case hl7-multiple-msh-no-envelope', () => {
  it('splits three concatenated messages and keeps their order', () => {
    const bytes = caseFile(
      'hl7-multiple-msh-no-envelope',
      'three_adt_messages.hl7',
    );

    const result = validateHl7(bytes);
    const messages = parse(bytes);

    assert.deepEqual(
      result.records.map((r) => r.accepted),
      [true, true, true],
    );
    assert.deepEqual(
      messages.map((m) => header(m, 9, 2)),
      ['A04', 'A08', 'A03'],
    );
    assert.deepEqual(
      messages.map((m) => header(m, 10)),
      ['CTRL-M-0001', 'CTRL-M-0002', 'CTRL-M-0003'],
    );
    assert.ok(messages.every((m) => m.segments.length === 4));
    assert.deepEqual(result.records.map(patientIds), [
      ['000123'],
      ['000123'],
      ['000124'],
    ]);
  });
});

describe('case hl7-repetitions-subcomponents', () => {
  const record = onlyRecord(
    validateHl7(
      caseFile('hl7-repetitions-subcomponents', 'adt_a01_pid_repetitions.hl7'),
    ),
  );
  const patient = firstOf(record, 'Patient');

  it('drops the explicit-null identifier and keeps MR and MB by type', () => {
    assert.equal(record.accepted, true);
    assert.deepEqual(patient.identifier, [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
              code: 'MR',
            },
          ],
        },
        system: 'urn:oid:2.16.840.1.113883.19.5',
        value: '000123',
        assigner: { display: 'HOSP' },
      },
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
              code: 'MB',
            },
          ],
        },
        value: 'A99887',
        assigner: { display: 'PAYER' },
      },
    ]);
  });

  it('keeps both names and both addresses', () => {
    assert.deepEqual(patient.name, [
      { family: 'DOE', given: ['JANE', 'Q'] },
      { family: 'DOE', given: ['JAY'] },
    ]);
    const addresses = patient.address as {
      city: string;
      use?: string;
      type?: string;
    }[];
    assert.deepEqual(
      addresses.map((a) => a.city),
      ['ANYTOWN', 'ANYTOWN'],
    );
    assert.equal(addresses[0]?.use, 'home');
    assert.equal(addresses[1]?.type, 'postal');
  });
});

describe('case hl7-z-segments', () => {
  const bytes = caseFile('hl7-z-segments', 'orm_o01_with_z_segments.hl7');

  it('accepts Z-segments silently and keeps them with every field position', () => {
    const record = onlyRecord(validateHl7(bytes));
    const [message] = parse(bytes);
    const zds = message?.segments.find((s) => s.name === 'ZDS');
    const zzz = message?.segments.find((s) => s.name === 'ZZZ');
    assert.ok(message && zds && zzz);

    assert.equal(record.accepted, true);
    assert.deepEqual(record.issues, []);
    assert.equal(message.segments.length, 8);
    assert.deepEqual(
      names(message).filter((n) => n.startsWith('Z')),
      ['ZPI', 'ZDS', 'ZZZ'],
    );
    assert.equal(
      valueAt(zds, message.delimiters, 1),
      '1.2.3.4.5.6.7.8.9.000123',
    );
    assert.equal(zzz.fields.length - 1, 23);
    assert.deepEqual(patientIds(record), ['000123']);
  });
});
