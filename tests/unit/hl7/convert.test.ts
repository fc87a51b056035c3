/**
 * HL7 v2 -> FHIR R4 conversion, segment by segment and data type by data
 * type (issue 6): MessageHeader and Provenance, PD1, PV2, IN1, SCH, TXA,
 * NTE, the v2.7 periods of CX/XPN/XAD/XTN, unmapped content, determinism
 * and the project's own FHIR validator over every resource.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { validateResource } from '../../../shared/fhir/index.ts';
import { validateHl7 } from '../../../shared/hl7/index.ts';
import { UNMAPPED_EXTENSION } from '../../../shared/hl7/map/header.ts';
import type {
  FhirResource,
  RecordVerdict,
} from '../../../shared/validation/types.ts';
import {
  adt,
  caseFile,
  EVN,
  firstOf,
  hl7,
  MSH,
  onlyRecord,
  PID,
  PV1,
  resourcesOf,
  SHARED,
} from './helpers.ts';

/** A segment from field positions, so tests name positions, not pipes. */
function segment(name: string, fields: Record<number, string>): string {
  const last = Math.max(...Object.keys(fields).map(Number));
  const values = Array.from({ length: last }, (_, i) => fields[i + 1] ?? '');
  return [name, ...values].join('|');
}

const mapped = (bytes: Uint8Array): RecordVerdict =>
  onlyRecord(validateHl7(bytes));

function validatorErrors(resources: readonly FhirResource[]): string[] {
  return resources.flatMap((resource) =>
    validateResource(resource, resource.resourceType)
      .filter((issue) => issue.severity === 'error')
      .map((issue) => `${issue.rule}@${issue.location}`),
  );
}

describe('MSH to MessageHeader and Provenance', () => {
  const record = mapped(adt());

  it('maps MSH-9.2 to eventCoding and MSH-3 to the source', () => {
    const header = firstOf(record, 'MessageHeader');

    assert.deepEqual(header.eventCoding, {
      system: 'http://terminology.hl7.org/CodeSystem/v2-0003',
      code: 'A01',
    });
    assert.equal((header.source as { name: string }).name, 'APP');
  });

  it('targets every other resource of the message from one Provenance', () => {
    const provenance = firstOf(record, 'Provenance');
    const others = record.resources.filter((r) => r !== provenance);

    assert.deepEqual(
      provenance.target,
      others.map((r) => ({ reference: `${r.resourceType}/${r.id}` })),
    );
    assert.equal(provenance, record.resources.at(-1));
  });

  it('names the source message by key hash, never by a field value', () => {
    const provenance = firstOf(record, 'Provenance');
    const text = JSON.stringify(provenance.entity);

    assert.match(text, /"value":"[0-9a-f]{40}"/);
    assert.ok(!text.includes('CTRL-1'));
  });

  it('records the unmapped segments and fields by name and position only', () => {
    const withZ = mapped(adt('ZPI|1|SECRET-VALUE'));
    const text = JSON.stringify(firstOf(withZ, 'Provenance').entity);

    assert.ok(text.includes(UNMAPPED_EXTENSION));
    assert.match(text, /ZPI\(1\)/);
    assert.ok(!text.includes('SECRET-VALUE'));
  });

  it('adds an unmapped_content warning only when asked', () => {
    const bytes = adt('ZPI|1|SECRET-VALUE');

    const quiet = onlyRecord(validateHl7(bytes));
    const loud = onlyRecord(validateHl7(bytes, { reportUnmapped: true }));

    assert.ok(!quiet.issues.some((i) => i.rule === 'unmapped_content'));
    const issue = loud.issues.find((i) => i.rule === 'unmapped_content');
    assert.equal(issue?.severity, 'warning');
    assert.match(issue?.message ?? '', /1 segments and \d+ fields/);
    assert.ok(!issue?.message.includes('SECRET-VALUE'));
  });
});

describe('PID, PD1 and NK1', () => {
  it('keeps CX.7/8, XPN.12/13 and XTN.13/14 as periods', () => {
    const record = mapped(
      hl7(
        MSH.replace('2.5.1', '2.8'),
        EVN,
        'PID|1||7^^^H^MR^^20200101^20201231||DOE^JANE^^^^^L^^^^^20190101^20191231||19800101|F|||||555^PRN^PH^^^^^^^^^^20210101^20211231',
        PV1,
      ),
    );
    const patient = firstOf(record, 'Patient');

    assert.deepEqual(
      (patient.identifier as { period?: unknown }[])[0]?.period,
      {
        start: '2020-01-01',
        end: '2020-12-31',
      },
    );
    assert.deepEqual((patient.name as { period?: unknown }[])[0]?.period, {
      start: '2019-01-01',
      end: '2019-12-31',
    });
    assert.deepEqual((patient.telecom as { period?: unknown }[])[0]?.period, {
      start: '2021-01-01',
      end: '2021-12-31',
    });
  });

  it('maps PID-15 to a BCP-47 communication and PID-25 to multipleBirthInteger', () => {
    const pid = `${PID}|||||||eng^English^ISO639|||||||||Y|2`;

    const patient = firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient');

    assert.equal(patient.multipleBirthInteger, 2);
    assert.deepEqual(patient.communication, [
      {
        language: {
          coding: [
            { code: 'en', display: 'English', system: 'urn:ietf:bcp:47' },
          ],
        },
        preferred: true,
      },
    ]);
  });

  it('makes PID-21 a mother RelatedPerson of the patient', () => {
    const pid = `${PID}|||||||||||||M77^^^H^MR`;

    const record = mapped(hl7(MSH, EVN, pid, PV1));
    const mother = firstOf(record, 'RelatedPerson');

    assert.equal(
      (mother.patient as { reference: string }).reference,
      `Patient/${firstOf(record, 'Patient').id}`,
    );
    assert.match(JSON.stringify(mother.relationship), /"code":"MTH"/);
  });

  it('maps PD1-3 and PD1-4 to logical generalPractitioner references', () => {
    const record = mapped(adt('PD1|||CLINIC^^C9|D1^HOUSE^GREG'));
    const patient = firstOf(record, 'Patient');

    assert.deepEqual(patient.generalPractitioner, [
      { type: 'Organization', display: 'CLINIC', identifier: { value: 'C9' } },
      {
        type: 'Practitioner',
        display: 'GREG HOUSE',
        identifier: { value: 'D1' },
      },
    ]);
  });
});

describe('PV1 and PV2 to Encounter', () => {
  it('maps admission type, attending doctor, location and visit number', () => {
    const pv1 = 'PV1|1|I|WARD1^101^A|E|||D1^HOUSE^GREG||||||||||||V55';

    const encounter = firstOf(mapped(hl7(MSH, EVN, PID, pv1)), 'Encounter');

    assert.match(JSON.stringify(encounter.type), /"code":"E"/);
    assert.match(JSON.stringify(encounter.participant), /"code":"ATND"/);
    assert.deepEqual(encounter.location, [
      {
        location: { type: 'Location', display: 'WARD1 101 A' },
        status: 'active',
      },
    ]);
    assert.match(JSON.stringify(encounter.identifier), /"code":"VN"/);
  });

  it('adds PV2-3 as reasonCode and PV2-25 as a v3 ActPriority', () => {
    const pv2 = `PV2|||R1^Chest pain^L${'|'.repeat(22)}2`;

    const encounter = firstOf(mapped(adt(pv2)), 'Encounter');

    assert.match(JSON.stringify(encounter.reasonCode), /"code":"R1"/);
    assert.match(
      JSON.stringify(encounter.priority),
      /ActPriority","code":"UR"/,
    );
  });

  it('maps PV1-5, PV1-13, PV1-38, PV2-11 and PV2-13 to hospitalization, length and a referrer', () => {
    const pv1 = segment('PV1', { 1: '1', 2: 'I', 5: 'PRE1', 13: 'R', 38: 'V' });
    const pv2 = segment('PV2', { 11: '4', 13: 'D9^REFER^RAY' });

    const encounter = firstOf(
      mapped(hl7(MSH, EVN, PID, pv1, pv2)),
      'Encounter',
    );
    const stay = encounter.hospitalization as Record<string, unknown>;

    assert.deepEqual(stay.preAdmissionIdentifier, { value: 'PRE1' });
    assert.match(JSON.stringify(stay.reAdmission), /v2-0092","code":"R"/);
    assert.match(JSON.stringify(stay.dietPreference), /"code":"V"/);
    assert.deepEqual(encounter.length, {
      value: 4,
      unit: 'd',
      system: 'http://unitsofmeasure.org',
      code: 'd',
    });
    assert.match(JSON.stringify(encounter.participant), /"code":"REF"/);
  });
});

describe('IN1 to Coverage', () => {
  it('maps plan, group, period, relationship and subscriber id', () => {
    const in1 = segment('IN1', {
      1: '1',
      2: 'PL1^Gold Plan',
      3: 'PAY1',
      4: 'Payer Inc',
      8: 'G7',
      9: 'Group Seven',
      12: '20240101',
      13: '20241231',
      15: 'HMO^HMO plan^HL70086',
      17: 'SEL',
    });

    const coverage = firstOf(mapped(adt(in1)), 'Coverage');

    assert.equal(coverage.status, 'active');
    assert.deepEqual(coverage.period, {
      start: '2024-01-01',
      end: '2024-12-31',
    });
    assert.match(JSON.stringify(coverage.class), /"value":"PL1".*"value":"G7"/);
    assert.match(JSON.stringify(coverage.relationship), /"code":"self"/);
    assert.deepEqual(coverage.payor, [
      {
        type: 'Organization',
        identifier: { value: 'PAY1' },
        display: 'Payer Inc',
      },
    ]);
  });

  it('identifies the coverage by IN1-2 plan id, then IN1-36 policy number', () => {
    const in1 = segment('IN1', {
      1: '1',
      2: 'PL1^Gold Plan^2.16.840.1.113883.3.1',
      3: 'PAY1',
      36: 'POL-9',
    });

    const coverage = firstOf(mapped(adt(in1)), 'Coverage');

    assert.deepEqual(coverage.identifier, [
      { system: 'urn:oid:2.16.840.1.113883.3.1', value: 'PL1' },
      { value: 'POL-9' },
    ]);
  });
});

describe('GT1, IN1 and IN2 to RelatedPerson', () => {
  const in1 = segment('IN1', {
    1: '1',
    3: 'PAY1',
    16: 'DOE^JANE',
    17: 'SPO',
    18: '19750228',
    43: 'F',
    49: 'SUB1^^^^NI',
  });

  it('makes the insured of IN1 a RelatedPerson and the Coverage subscriber', () => {
    const in2 = segment('IN2', { 1: 'E1^^^^EI', 2: '111-22-3333', 6: 'MC1' });

    const record = mapped(adt(in1, in2));
    const insured = firstOf(record, 'RelatedPerson');
    const coverage = firstOf(record, 'Coverage');
    const patient = firstOf(record, 'Patient');

    assert.deepEqual(coverage.subscriber, {
      reference: `RelatedPerson/${insured.id}`,
    });
    assert.match(JSON.stringify(insured.relationship), /"code":"SPS"/);
    assert.equal(insured.birthDate, '1975-02-28');
    assert.equal(insured.gender, 'female');
    assert.deepEqual(
      (insured.identifier as { value: string }[]).map((i) => i.value),
      ['SUB1', 'E1', '111-22-3333'],
    );
    assert.match(JSON.stringify(patient.identifier), /"code":"MC"/);
  });

  it('makes no insured RelatedPerson when the insured is the patient', () => {
    const self = in1.replace('|SPO|', '|SEL|');

    const record = mapped(adt(self));

    assert.equal(resourcesOf(record, 'RelatedPerson').length, 0);
  });

  it('makes a guarantor other than the patient a RelatedPerson', () => {
    const gt1 = segment('GT1', {
      1: '1',
      3: 'ROE^JIM',
      6: '5551234^^PH',
      8: '19700101',
      9: 'M',
      11: 'BRO',
      12: '123-45-6789',
      36: 'spa^Spanish^HL70296',
    });

    const guarantor = firstOf(mapped(adt(gt1)), 'RelatedPerson');

    assert.match(JSON.stringify(guarantor.relationship), /"code":"BRO"/);
    // GT1-12 is an SSN, typed SS as PID-19 is (US realm).
    assert.deepEqual(guarantor.identifier, [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
              code: 'SS',
            },
          ],
        },
        system: 'http://hl7.org/fhir/sid/us-ssn',
        value: '123-45-6789',
      },
    ]);
    assert.deepEqual(guarantor.telecom, [
      { system: 'phone', value: '5551234', use: 'home' },
    ]);
    assert.match(JSON.stringify(guarantor.communication), /"code":"es"/);
  });
});

describe('RF1 to ServiceRequest', () => {
  it('maps referral status, priority, ids, dates and reason', () => {
    const rf1 = segment('RF1', {
      1: 'P^Pending^HL70283',
      2: 'R^Routine^HL70280',
      3: 'Med^Medical^HL70281',
      6: 'R77^EPIC',
      7: '20220125',
      8: '20220210',
      9: '20220124',
      10: 'O^Provider Ordered^HL70336',
    });

    const request = firstOf(mapped(adt(rf1)), 'ServiceRequest');

    assert.equal(request.status, 'on-hold');
    assert.equal(request.intent, 'order');
    assert.equal(request.priority, 'routine');
    assert.deepEqual(request.identifier, [{ value: 'R77' }]);
    assert.deepEqual(request.occurrencePeriod, {
      start: '2022-01-25',
      end: '2022-02-10',
    });
    assert.equal(request.authoredOn, '2022-01-24');
    assert.match(JSON.stringify(request.reasonCode), /"code":"O"/);
  });
});

describe('SCH to Appointment, TXA to DocumentReference, NTE to notes', () => {
  const siuMsh = MSH.replace('ADT^A01^ADT_A01', 'SIU^S12^SIU_S12');

  it('maps SCH ids, type, duration and status with TQ1 start and end', () => {
    const sch = segment('SCH', {
      1: 'P1',
      2: 'F1',
      7: 'R^Routine',
      8: 'CHECKUP^Check-up^HL70276',
      9: '30',
      10: 'Min^^ISO+',
      25: 'Booked',
    });
    const tq1 = 'TQ1|1||||||202401050900+0100|202401050930+0100';

    const record = mapped(
      hl7(siuMsh, sch, tq1, 'NTE|1||Bring\\.br\\letter', PID, 'RGS|1'),
    );
    const appointment = firstOf(record, 'Appointment');

    assert.equal(appointment.status, 'booked');
    assert.equal(appointment.start, '2024-01-05T09:00:00+01:00');
    assert.equal(appointment.minutesDuration, 30);
    assert.equal(appointment.comment, 'Bring\nletter');
    assert.match(JSON.stringify(appointment.identifier), /PLAC.*FILL/);
  });

  it('maps TXA type, status and unique document number', () => {
    const mdm = MSH.replace('ADT^A01^ADT_A01', 'MDM^T02^MDM_T02');
    const txa = segment('TXA', {
      1: '1',
      2: 'DS',
      3: 'TX',
      4: '20240105',
      12: 'DOC-9',
      17: 'AU',
    });

    const record = mapped(
      hl7(mdm, EVN, PID, PV1, txa, 'OBX|1|TX|N^Note^L||text||||||F'),
    );
    const doc = firstOf(record, 'DocumentReference');

    assert.deepEqual(doc.masterIdentifier, { value: 'DOC-9' });
    assert.equal(doc.docStatus, 'final');
    assert.equal(doc.status, 'current');
  });

  it('attaches NTE to the Observation before it, keeping escapes decoded', () => {
    const record = mapped(
      adt('OBX|1|ST|X^Y^L||a||||||F', 'NTE|1||A \\T\\ B~second line'),
    );

    assert.deepEqual(firstOf(record, 'Observation').note, [
      { text: 'A & B\nsecond line' },
    ]);
  });
});

describe('edge cases of ../shared/cases', () => {
  it('maps every repetition and sub-component, skipping the explicit null', () => {
    const record = mapped(
      caseFile('hl7-repetitions-subcomponents', 'adt_a01_pid_repetitions.hl7'),
    );
    const patient = firstOf(record, 'Patient');
    const ids = (
      patient.identifier as { value: string; system?: string }[]
    ).map((id) => id.value);

    assert.deepEqual(ids.slice(0, 2), ['000123', 'A99887']);
    assert.equal(
      (patient.identifier as { system?: string }[])[0]?.system,
      'urn:oid:2.16.840.1.113883.19.5',
    );
    assert.equal((patient.name as unknown[]).length, 2);
    assert.equal((patient.address as unknown[]).length, 2);
  });

  it('decodes Latin-1 declared by MSH-18 into the mapped names', () => {
    const record = mapped(
      caseFile('hl7-charset-latin1', 'adt_8859-1_declared.hl7'),
    );
    const name = (firstOf(record, 'Patient').name as { family: string }[])[0];

    assert.equal(name?.family, 'D\u00d6E');
  });

  it('leaves empty fields out instead of producing empty elements', () => {
    const record = mapped(adt('IN1|1||||||||||||||||||||||'));

    assert.ok(!JSON.stringify(record.resources).includes('""'));
    assert.ok(!JSON.stringify(record.resources).includes('[]'));
  });

  it('gives an IN1 without payor fields a payor that names no type', () => {
    const record = mapped(adt('IN1|1|PLAN1'));
    const coverage = record.resources.find(
      (r) => r.resourceType === 'Coverage',
    );

    assert.deepEqual(coverage?.payor, [{ display: 'unknown payor' }]);
  });
});

describe('determinism and validity over the corpus', () => {
  const corpus = new URL('corpus/hl7v2/', SHARED);
  const files = readdirSync(corpus).filter((name) => name.endsWith('.hl7'));

  it('gives byte-identical resources when a message is converted again', () => {
    for (const file of files) {
      const bytes = readFileSync(new URL(file, corpus));
      const first = JSON.stringify(validateHl7(bytes).records);
      const again = JSON.stringify(validateHl7(Buffer.from(bytes)).records);
      assert.equal(first, again, file);
    }
  });

  it('produces only resources the project FHIR validator accepts', () => {
    for (const file of files) {
      const bytes = readFileSync(new URL(file, corpus));
      const resources = validateHl7(bytes).records.flatMap((r) => r.resources);
      assert.deepEqual(validatorErrors(resources), [], file);
    }
  });

  it('makes one MessageHeader and one Provenance per accepted message', () => {
    for (const file of files) {
      const [record] = validateHl7(readFileSync(new URL(file, corpus))).records;
      if (!record?.accepted) continue;
      assert.equal(resourcesOf(record, 'MessageHeader').length, 1, file);
      assert.equal(resourcesOf(record, 'Provenance').length, 1, file);
    }
  });
});
