import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateHl7 } from '../../../shared/hl7/index.ts';
import { caseFile, firstOf, onlyRecord, rulesOf } from './helpers.ts';

const CASE = 'hl7-charset-latin1';

function patientOf(file: string) {
  const record = onlyRecord(validateHl7(caseFile(CASE, file)));
  return { record, patient: firstOf(record, 'Patient') };
}

const EXPECTED_NAME = [{ family: 'DÖE', given: ['JÄNE'] }];

describe('character sets', () => {
  it('decodes ISO-8859-1 declared in MSH-18', () => {
    const { record, patient } = patientOf('adt_8859-1_declared.hl7');

    assert.equal(record.accepted, true);
    assert.deepEqual(patient.name, EXPECTED_NAME);
    assert.match(JSON.stringify(patient.address), /ÜBERSTADT/);
  });

  it('decodes UTF-8 declared as UNICODE UTF-8', () => {
    const { record, patient } = patientOf('adt_utf8_declared.hl7');

    assert.equal(record.accepted, true);
    assert.deepEqual(patient.name, EXPECTED_NAME);
  });

  it('infers windows-1252 for undeclared non-UTF-8 bytes, with a warning', () => {
    const { record, patient } = patientOf('adt_latin1_undeclared.hl7');

    assert.equal(record.accepted, true);
    assert.ok(rulesOf(record).includes('charset_inferred@MSH-18'));
    assert.deepEqual(patient.name, EXPECTED_NAME);
    assert.doesNotMatch(JSON.stringify(patient), /\uFFFD/);
  });

  it('rejects UTF-8 bytes declared as 8859/1 instead of writing mojibake', () => {
    const record = onlyRecord(
      validateHl7(caseFile(CASE, 'adt_utf8_bytes_but_declared_8859-1.hl7')),
    );

    assert.equal(record.accepted, false);
    assert.deepEqual(rulesOf(record), ['charset_mismatch@MSH-18']);
    assert.deepEqual(record.resources, []);
  });

  it('rejects bytes that are not UTF-8 under a UTF-8 declaration', () => {
    const msh =
      'MSH|^~\\&|A|F|B|F|20240105||ADT^A08^ADT_A01|C1|P|2.5.1||||||UNICODE UTF-8';
    const bytes = Buffer.concat([
      Buffer.from(`${msh}\rEVN|A08\rPID|1||1^^^H^MR||D`, 'latin1'),
      Buffer.from([0xd6]),
      Buffer.from('E\rPV1|1|I\r', 'latin1'),
    ]);

    const record = onlyRecord(validateHl7(bytes));

    assert.deepEqual(rulesOf(record), ['charset_mismatch@MSH-18']);
  });

  it('decodes other ISO-8859 parts through the runtime ICU', () => {
    const msh =
      'MSH|^~\\&|A|F|B|F|20240105||ADT^A08^ADT_A01|C1|P|2.5.1||||||8859/2';
    const bytes = Buffer.concat([
      Buffer.from(`${msh}\rEVN|A08\rPID|1||1^^^H^MR||`, 'latin1'),
      Buffer.from([0xa3]), // Ł in ISO-8859-2
      Buffer.from('ODZ\rPV1|1|I\r', 'latin1'),
    ]);

    const record = onlyRecord(validateHl7(bytes));

    assert.equal(record.accepted, true);
    assert.deepEqual(firstOf(record, 'Patient').name, [{ family: 'ŁODZ' }]);
  });

  it('rejects a character set it cannot decode', () => {
    const msh =
      'MSH|^~\\&|A|F|B|F|20240105||ADT^A08^ADT_A01|C1|P|2.5.1||||||ISO IR87';
    const bytes = Buffer.concat([
      Buffer.from(`${msh}\rPID|1||1^^^H^MR||`, 'latin1'),
      Buffer.from([0x1b, 0x24, 0x42, 0xb0]),
      Buffer.from('\r', 'latin1'),
    ]);

    const record = onlyRecord(validateHl7(bytes));

    assert.deepEqual(rulesOf(record), ['charset_unsupported@MSH-18']);
  });
});

/** One ADT message with MSH-18 as given and PID-5 family name as bytes. */
function named(charset: string, family: Buffer) {
  const msh = `MSH|^~\\&|A|F|B|F|20240105||ADT^A08^ADT_A01|C1|P|2.5.1||||||${charset}`;
  const bytes = Buffer.concat([
    Buffer.from(`${msh}\rEVN|A08\rPID|1||1^^^H^MR||`, 'latin1'),
    family,
    Buffer.from('\rPV1|1|I\r', 'latin1'),
  ]);
  const record = onlyRecord(validateHl7(bytes));
  const name = record.accepted
    ? (firstOf(record, 'Patient').name as { family?: string }[])[0]?.family
    : undefined;

  return { record, family: name };
}

describe('character sets of 8-bit senders and of escapes', () => {
  it('reads undeclared 0x80-0x9F as windows-1252, not as C1 controls', () => {
    const { record, family } = named('', Buffer.from([0x4f, 0x92, 0x4e]));

    assert.equal(family, 'O\u2019N');
    assert.deepEqual(rulesOf(record), ['charset_inferred@MSH-18']);
    assert.match(record.issues[0]?.message ?? '', /windows-1252/);
  });

  it('gives ASCII declared over 8-bit bytes its own warning', () => {
    const { record, family } = named('ASCII', Buffer.from([0x4f, 0x92, 0x4e]));

    assert.equal(family, 'O\u2019N');
    assert.deepEqual(rulesOf(record), ['charset_not_ascii@MSH-18']);
  });

  it('decodes \\X..\\ escapes as bytes of the declared character set', () => {
    const utf8 = named('UNICODE UTF-8', Buffer.from('D\\XC396\\E'));
    const latin1 = named('8859/1', Buffer.from('D\\XD6\\E'));
    const latinBytes = named('8859/1', Buffer.from('D\\XC396\\E'));

    assert.equal(utf8.family, 'DÖE');
    assert.equal(latin1.family, 'DÖE');
    assert.equal(latinBytes.family, 'D\u00c3\u0096E');
  });

  it('rejects escaped bytes that are not UTF-8 in a UTF-8 message', () => {
    const { record } = named('UNICODE UTF-8', Buffer.from('D\\XFF\\E'));

    assert.equal(record.accepted, false);
    assert.deepEqual(rulesOf(record), ['charset_mismatch@PID[1]-5']);
  });
});
