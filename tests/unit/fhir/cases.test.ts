import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateFhir } from '../../../shared/fhir/index.ts';
import type { DropValidation } from '../../../shared/validation/types.ts';
import { errorRules, readShared, stagedIds } from './helpers.ts';

function validateCase(caseName: string, file: string): DropValidation {
  const bytes = readShared(`cases/${caseName}/${file}`);

  return validateFhir(bytes, { fileName: file });
}

function issuesAt(drop: DropValidation): string[] {
  return drop.records.flatMap((record) =>
    record.issues.map((item) => `${item.rule} ${item.location}`),
  );
}

describe('cases/fhir-bad-resourcetype-or-xml', () => {
  const kase = 'fhir-bad-resourcetype-or-xml';
  const expected: [string, string][] = [
    ['empty_resourcetype.json', 'empty_resource_type Resource.resourceType'],
    [
      'missing_resourcetype.json',
      'missing_resource_type Resource.resourceType',
    ],
    [
      'misspelled_resourcetype.json',
      'unknown_resource_type Resource.resourceType',
    ],
    [
      'contained_bad_resourcetype.json',
      'missing_resource_type MedicationRequest.contained[0].resourceType',
    ],
  ];
  for (const [file, reason] of expected) {
    it(`quarantines ${file} with ${reason}`, () => {
      const drop = validateCase(kase, file);

      assert.equal(drop.records[0]?.accepted, false);
      assert.deepEqual(issuesAt(drop), [reason]);
    });
  }

  it('quarantines XML in a .json file as XML, not as a JSON syntax error', () => {
    const drop = validateCase(kase, 'patient_xml_in_json_file.json');

    assert.deepEqual(errorRules(drop), ['not_json']);
    assert.match(drop.fileIssues[0]?.message ?? '', /XML; expected FHIR JSON/);
  });
});

describe('cases/fhir-bundle-types', () => {
  const kase = 'fhir-bundle-types';

  it('accepts a transaction, stages POSTs and links urn:uuid references', () => {
    const drop = validateCase(
      kase,
      'transaction_with_urn_uuid_and_delete.json',
    );

    const [patient, observation] = drop.records[0]?.resources ?? [];
    assert.equal(drop.format, 'fhir-bundle');
    assert.equal(drop.records[0]?.accepted, true);
    assert.deepEqual(
      drop.records[0]?.resources.map((r) => r.resourceType),
      ['Patient', 'Observation'],
    );
    assert.deepEqual(observation?.subject, {
      reference: `Patient/${patient?.id}`,
    });
    const identifiers = patient?.identifier as { value: string }[] | undefined;
    assert.equal(identifiers?.[0]?.value, '000123');
  });

  it('records the DELETE entry as an unstaged instruction, not an error', () => {
    const drop = validateCase(
      kase,
      'transaction_with_urn_uuid_and_delete.json',
    );

    assert.deepEqual(issuesAt(drop), [
      'bundle_instruction_not_staged Bundle.entry[2].request',
    ]);
    assert.equal(drop.records[0]?.issues[0]?.severity, 'warning');
  });

  it('stages searchset match and include entries but not the outcome', () => {
    const drop = validateCase(kase, 'searchset_match_include_outcome.json');

    assert.equal(drop.records[0]?.accepted, true);
    assert.deepEqual(stagedIds(drop), [
      'Patient/pat-000123',
      'Organization/org-1',
    ]);
    assert.deepEqual(issuesAt(drop), [
      'bundle_outcome_not_staged Bundle.entry[2].search.mode',
    ]);
  });

  it('quarantines a transaction entry without request (bdl-3)', () => {
    const drop = validateCase(kase, 'transaction_missing_entry_request.json');

    assert.equal(drop.records[0]?.accepted, false);
    assert.deepEqual(issuesAt(drop), [
      'bundle_request_missing Bundle.entry[0]',
    ]);
    assert.match(drop.records[0]?.issues[0]?.message ?? '', /bdl-3/);
  });
});

describe('cases/fhir-ndjson-blank-lines', () => {
  const kase = 'fhir-ndjson-blank-lines';

  it('skips blank lines, parses the CRLF line and numbers lines from 1', () => {
    const drop = validateCase(kase, 'mixed_export.ndjson');

    assert.equal(drop.format, 'fhir-ndjson');
    assert.deepEqual(
      drop.records.map((record) => [record.location, record.accepted]),
      [
        ['line 2', true],
        ['line 3', true],
        ['line 5', true],
        ['line 6', true],
      ],
    );
    assert.deepEqual(stagedIds(drop), [
      'Patient/pat-000123',
      'Observation/obs-0001',
      'Observation/obs-0002',
      'Encounter/enc-0001',
    ]);
  });

  it('accepts a line whose type differs from the file name, with a warning', () => {
    const drop = validateCase(kase, 'Observation.ndjson');

    assert.deepEqual(errorRules(drop), []);
    assert.equal(stagedIds(drop).length, 3);
    assert.deepEqual(issuesAt(drop), [
      'resource_type_differs_from_file_name line 3: resourceType',
    ]);
  });

  it('quarantines the whole file when a resource is split over two lines', () => {
    const drop = validateCase(kase, 'truncated_line.ndjson');

    assert.deepEqual(issuesAt(drop), [
      'invalid_json line 2',
      'invalid_json line 3',
    ]);
    assert.deepEqual(errorRules(drop).slice(0, 1), ['ndjson_broken_lines']);
    assert.ok(drop.records.every((record) => !record.accepted));
    assert.deepEqual(stagedIds(drop), []);
  });
});

describe('cases/fhir-primitive-extensions', () => {
  const kase = 'fhir-primitive-extensions';

  it('accepts aligned primitive extensions and keeps them in the staged resource', () => {
    const drop = validateCase(kase, 'patient_primitive_extensions_valid.json');

    const patient = drop.records[0]?.resources[0];
    assert.equal(drop.records[0]?.accepted, true);
    assert.deepEqual(drop.records[0]?.issues, []);
    assert.equal(patient?.id, 'pat-000123');
    assert.equal(patient?.birthDate, '1980-01-01');
    assert.ok(patient?._birthDate);
    assert.ok(patient?._gender);
    assert.equal(patient?.gender, undefined);
  });

  it('quarantines misaligned _given and a null postalCode', () => {
    const drop = validateCase(
      kase,
      'patient_primitive_extensions_invalid.json',
    );

    assert.equal(drop.records[0]?.accepted, false);
    assert.deepEqual(issuesAt(drop), [
      'primitive_extension_misaligned Patient.name[0].given/_given',
      'null_not_allowed Patient.address[0].postalCode',
    ]);
  });
});

describe('cases/fhir-utf8-bom', () => {
  const kase = 'fhir-utf8-bom';

  it('strips a UTF-8 BOM from a Bundle with a warning', () => {
    const drop = validateCase(kase, 'bundle_utf8_bom.json');

    assert.deepEqual(
      drop.fileIssues.map((item) => [item.rule, item.severity]),
      [['byte_order_mark', 'warning']],
    );
    assert.deepEqual(stagedIds(drop), [
      'Patient/pat-000123',
      'Observation/obs-0001',
    ]);
  });

  it('accepts line 1 of NDJSON behind a BOM', () => {
    const drop = validateCase(kase, 'patients_utf8_bom.ndjson');

    assert.deepEqual(errorRules(drop), []);
    assert.deepEqual(stagedIds(drop), [
      'Patient/pat-000123',
      'Patient/pat-000124',
    ]);
    assert.equal(drop.records[0]?.span?.start, 3);
  });

  it('refuses UTF-16LE as an unsupported encoding, not as invalid JSON', () => {
    const drop = validateCase(kase, 'bundle_utf16le_bom.json');

    assert.deepEqual(errorRules(drop), ['unsupported_encoding']);
    assert.match(drop.fileIssues[0]?.message ?? '', /UTF-16LE/);
    assert.deepEqual(drop.records, []);
  });
});
