import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { validateFhir } from '../../../shared/fhir/index.ts';
import { errorRules, jsonBytes, stagedIds, textBytes } from './helpers.ts';

const PATIENT = { resourceType: 'Patient', id: 'p1', gender: 'female' };
const BAD_PATIENT = { resourceType: 'Patient', id: 'p2', gender: 'F' };

function ndjson(...lines: unknown[]): Uint8Array {
  return textBytes(`${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
}

describe('validateFhir on hostile input', () => {
  const inputs: [string, Uint8Array][] = [
    ['empty bytes', new Uint8Array()],
    ['whitespace', textBytes(' \n\t ')],
    ['binary junk', new Uint8Array(randomBytes(4096))],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 0x0a, 0x7b])],
    ['a JSON array', textBytes('[1,2]')],
    ['a JSON string', textBytes('"Patient"')],
    ['deep nesting', textBytes(`${'['.repeat(200000)}${']'.repeat(200000)}`)],
    [
      'deep objects',
      textBytes(
        `{"resourceType":"Patient","contained":[${'{"contained":['.repeat(30000)}]}`,
      ),
    ],
    ['null', textBytes('null')],
  ];
  for (const [name, bytes] of inputs) {
    it(`returns a rejecting verdict instead of throwing for ${name}`, () => {
      const drop = validateFhir(bytes, { fileName: 'x.json' });

      assert.ok(errorRules(drop).length > 0, JSON.stringify(drop));
      assert.ok(drop.records.every((record) => !record.accepted));
    });
  }

  it('reports a JSON syntax error without quoting the text', () => {
    const bytes = textBytes('{"resourceType":"Patient","name":SECRET}');

    const drop = validateFhir(bytes, { fileName: 'p.json' });

    assert.deepEqual(errorRules(drop), ['invalid_json']);
    assert.doesNotMatch(drop.fileIssues[0]?.message ?? '', /SECRET/);
  });

  it('reports where a truncated file ends', () => {
    const bytes = textBytes('{"resourceType":\n"Patient", "id": "x"');

    const drop = validateFhir(bytes, { fileName: 'p.json' });

    assert.match(drop.fileIssues[0]?.message ?? '', /line 2 column \d+/);
  });

  it('refuses UTF-16 without a byte-order mark', () => {
    const bytes = new Uint8Array(
      Buffer.from('{"resourceType":"Patient"}', 'utf16le'),
    );

    const drop = validateFhir(bytes, {});

    assert.deepEqual(errorRules(drop), ['unsupported_encoding']);
  });
});

describe('validateFhir on NDJSON', () => {
  it('stages valid lines and quarantines invalid ones under the record policy', () => {
    const bytes = ndjson(PATIENT, BAD_PATIENT);

    const drop = validateFhir(bytes, { fileName: 'Patient.ndjson' });

    assert.deepEqual(
      drop.records.map((record) => record.accepted),
      [true, false],
    );
    assert.equal(
      drop.records[1]?.issues[0]?.location,
      'line 2: Patient.gender',
    );
    assert.equal(drop.records[1]?.issues[0]?.record, 1);
  });

  it('rejects every line under the drop policy when one line is invalid', () => {
    const bytes = ndjson(PATIENT, BAD_PATIENT);

    const drop = validateFhir(bytes, {
      fileName: 'Patient.ndjson',
      policy: 'drop',
    });

    assert.deepEqual(stagedIds(drop), []);
  });

  it('gives each record the byte span of its line in the input', () => {
    const bytes = ndjson(PATIENT, PATIENT);

    const drop = validateFhir(bytes, { fileName: 'Patient.ndjson' });

    const span = drop.records[1]?.span ?? { start: 0, end: 0 };
    const line = new TextDecoder().decode(bytes.subarray(span.start, span.end));
    assert.deepEqual(JSON.parse(line), PATIENT);
  });

  it('recognises NDJSON without a file name', () => {
    const drop = validateFhir(ndjson(PATIENT, PATIENT), {});

    assert.equal(drop.format, 'fhir-ndjson');
    assert.equal(stagedIds(drop).length, 2);
  });
});

describe('validateFhir on Bundles', () => {
  function transaction(entries: unknown[]): Uint8Array {
    return jsonBytes({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: entries,
    });
  }
  const uuid = 'urn:uuid:3b2e8c9a-0000-4000-8000-00000000a001';

  it('rejects a urn:uuid reference that matches no fullUrl', () => {
    const observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      subject: { reference: uuid },
    };
    const bytes = transaction([
      {
        resource: observation,
        request: { method: 'POST', url: 'Observation' },
      },
    ]);

    const drop = validateFhir(bytes, {});

    assert.deepEqual(errorRules(drop), ['unresolved_reference']);
    assert.equal(
      drop.records[0]?.issues[0]?.location,
      'Bundle.entry[0].resource.subject.reference',
    );
  });

  it('rejects duplicate fullUrls', () => {
    const entry = {
      fullUrl: uuid,
      resource: PATIENT,
      request: { method: 'PUT', url: 'Patient/p1' },
    };

    const drop = validateFhir(transaction([entry, entry]), {});

    assert.deepEqual(errorRules(drop), ['bundle_fullurl_duplicate']);
  });

  it('locates entry resource issues under the entry', () => {
    const entry = {
      resource: BAD_PATIENT,
      request: { method: 'POST', url: 'Patient' },
    };

    const drop = validateFhir(transaction([entry]), {});

    assert.equal(
      drop.records[0]?.issues[0]?.location,
      'Bundle.entry[0].resource.gender',
    );
  });
});

describe('characters FHIR strings forbid', () => {
  const located = (drop: ReturnType<typeof validateFhir>) =>
    drop.records.flatMap((record) =>
      record.issues.map((item) => `${item.rule}@${item.location}`),
    );

  it('rejects a lone surrogate, naming the path and not the value', () => {
    const bytes = textBytes(
      '{"resourceType":"Patient","id":"d2","name":[{"family":"X\\ud800"}]}',
    );

    const drop = validateFhir(bytes, { fileName: 'p.json' });

    assert.deepEqual(located(drop), [
      'invalid_string_character@Patient.name[0].family',
    ]);
    assert.equal(drop.records[0]?.accepted, false);
    assert.doesNotMatch(JSON.stringify(drop.records[0]?.issues), /X/);
  });

  it('rejects control characters on their NDJSON line and keeps the others', () => {
    const bytes = textBytes(
      [
        '{"resourceType":"Patient","id":"a","name":[{"given":["A\\u0000"]}]}',
        '{"resourceType":"Patient","id":"b","name":[{"text":"B\\u0001"}]}',
        '{"resourceType":"Patient","id":"c","name":[{"text":"C\\tD\\r\\n\\u00e9\\ud83d\\ude00"}]}',
      ].join('\n'),
    );

    const drop = validateFhir(bytes, { fileName: 'Patient.ndjson' });

    assert.deepEqual(located(drop), [
      'invalid_string_character@line 1: Patient.name[0].given[0]',
      'invalid_string_character@line 2: Patient.name[0].text',
    ]);
    assert.deepEqual(stagedIds(drop), ['Patient/c']);
  });

  it('finds them inside Bundle entries and extensions', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Patient',
            extension: [{ url: 'http://x.example/e', valueString: 'x\u0002' }],
          },
        },
      ],
    };

    const drop = validateFhir(jsonBytes(bundle), { fileName: 'b.json' });

    assert.deepEqual(located(drop), [
      'invalid_string_character@Bundle.entry[0].resource.extension[0].valueString',
    ]);
  });
});

describe('sender-controlled keys in locations', () => {
  const locations = (value: unknown) =>
    validateFhir(jsonBytes(value), { fileName: 'p.json' }).records.flatMap(
      (record) => record.issues.map((item) => `${item.rule}@${item.location}`),
    );

  it('locates an unknown element by position, without its name', () => {
    const patient = { resourceType: 'Patient', id: 'p', MKUNKNOWNELEM115: 1 };

    assert.deepEqual(locations(patient), [
      'unknown_element@Patient.<unknown key 3 of 3>',
    ]);
  });

  it('never lets a key forge a line of a text report', () => {
    const patient = { resourceType: 'Patient', 'x\nerror forged': 1 };

    const [location] = locations(patient);

    assert.doesNotMatch(location ?? '', /\n|forged/);
  });

  it('keeps a key that is an R4 element name elsewhere readable', () => {
    const patient = { resourceType: 'Patient', valueString: 'x' };

    assert.deepEqual(locations(patient), [
      'unknown_element@Patient.valueString',
    ]);
  });

  it('hides unknown keys under extension, _birthDate, meta, contained and Bundle entries', () => {
    const patient = {
      resourceType: 'Patient',
      id: 'p',
      meta: { SECRETA: 1 },
      _birthDate: { SECRETB: 1 },
      _SECRETC: {},
      extension: [{ url: 'http://x.example/e', SECRETD: 1 }],
      contained: [{ resourceType: 'Basic', code: { text: 'c' }, SECRETE: 1 }],
      birthDate: '2000-01-01',
    };
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: patient, SECRETF: 1 }],
    };

    const found = locations(bundle);

    assert.equal(found.length, 6, found.join('\n'));
    assert.doesNotMatch(found.join('\n'), /SECRET/);
    assert.ok(
      found.includes(
        'unknown_element@Bundle.entry[0].resource.meta.<unknown key 1 of 1>',
      ),
    );
    assert.ok(
      found.includes(
        'unknown_element@Bundle.entry[0].resource.<unknown key 5 of 8>',
      ),
    );
  });

  it('names the value set a code is not in', () => {
    const patient = { resourceType: 'Patient', gender: 'F' };

    const drop = validateFhir(jsonBytes(patient), { fileName: 'p.json' });

    assert.match(
      drop.records[0]?.issues[0]?.message ?? '',
      /http:\/\/hl7\.org\/fhir\/ValueSet\/administrative-gender/,
    );
  });
});
