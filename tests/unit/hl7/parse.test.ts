import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Delimiters,
  decodeEscapes,
  leaf,
  parseSegments,
  readDelimiters,
  repetitions,
  valueAt,
} from '../../../shared/hl7/parse.ts';

const STANDARD: Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

describe('readDelimiters', () => {
  it('reads the delimiters from MSH-1 and MSH-2', () => {
    assert.deepEqual(readDelimiters('MSH|^~\\&|APP'), STANDARD);
  });

  it('accepts non-standard delimiters declared by the sender', () => {
    const delimiters = readDelimiters('MSH#*!%$#APP');

    assert.deepEqual(delimiters, {
      field: '#',
      component: '*',
      repetition: '!',
      escape: '%',
      subcomponent: '$',
    });
  });

  it('refuses letters, duplicates and a missing repetition separator', () => {
    assert.equal(readDelimiters('MSHA^~\\&'), undefined);
    assert.equal(readDelimiters('MSH|^^\\&|'), undefined);
    assert.equal(readDelimiters('MSH|^|'), undefined);
    assert.equal(readDelimiters('MSH'), undefined);
  });
});

describe('field access', () => {
  const [pid] = parseSegments(
    ['PID|1||""~000123^^^HOSP&2.16.840.1&ISO^MR~A99^^^PAYER^MB||DOE^JANE'],
    STANDARD,
  );

  it('splits repetitions, components and subcomponents', () => {
    assert.ok(pid);
    assert.equal(repetitions(pid.fields[3] ?? '', STANDARD).length, 3);
    assert.equal(valueAt(pid, STANDARD, 3, 1, 1, 1), '000123');
    assert.equal(valueAt(pid, STANDARD, 3, 4, 2, 1), '2.16.840.1');
    assert.equal(valueAt(pid, STANDARD, 3, 5, 1, 2), 'MB');
    assert.equal(valueAt(pid, STANDARD, 5, 2), 'JANE');
  });

  it('reads the explicit null "" and absent positions as empty', () => {
    assert.ok(pid);
    assert.equal(valueAt(pid, STANDARD, 3, 1, 1, 0), '');
    assert.equal(valueAt(pid, STANDARD, 3, 9), '');
    assert.equal(valueAt(pid, STANDARD, 40), '');
  });

  it('numbers repeated segments per name for locations', () => {
    const segments = parseSegments(['OBX|1', 'NTE|1', 'OBX|2'], STANDARD);

    assert.deepEqual(
      segments.map((s) => `${s.name}${s.repetition}`),
      ['OBX1', 'NTE1', 'OBX2'],
    );
  });

  it('places MSH-1 at index 1 so that fields[n] is MSH-n', () => {
    const [msh] = parseSegments(['MSH|^~\\&|APP|FAC'], STANDARD);

    assert.equal(msh?.fields[1], '|');
    assert.equal(msh?.fields[2], '^~\\&');
    assert.equal(msh?.fields[3], 'APP');
  });

  it('keeps every field position of a Z-segment', () => {
    const [zzz] = parseSegments([`ZZZ${'|x'.repeat(3)}|||`], STANDARD);

    assert.equal(zzz?.fields.length, 7);
  });
});

describe('decodeEscapes', () => {
  it('decodes delimiter escapes', () => {
    assert.equal(
      decodeEscapes('A\\F\\B\\S\\C\\T\\D\\R\\E\\E\\', STANDARD),
      'A|B^C&D~E\\',
    );
  });

  it('turns \\.br\\ into a line feed and hex escapes into text', () => {
    assert.equal(decodeEscapes('one\\.br\\two', STANDARD), 'one\ntwo');
    assert.equal(decodeEscapes('\\X41C3A9\\', STANDARD), 'Aé');
    assert.equal(decodeEscapes('\\XE9\\', STANDARD), 'é');
  });

  it('drops highlighting and keeps unknown or unterminated sequences', () => {
    assert.equal(decodeEscapes('\\H\\bold\\N\\', STANDARD), 'bold');
    assert.equal(decodeEscapes('\\Q\\', STANDARD), '\\Q\\');
    assert.equal(decodeEscapes('50\\', STANDARD), '50\\');
  });

  it('decodes escapes inside a component, after splitting', () => {
    assert.equal(leaf('A\\S\\B^C', STANDARD, 1), 'A^B');
    assert.equal(leaf('A\\S\\B^C', STANDARD, 2), 'C');
  });
});
