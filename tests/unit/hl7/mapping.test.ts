import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateHl7 } from '../../../shared/hl7/index.ts';
import { INLINE_ATTACHMENT_LIMIT } from '../../../shared/hl7/map/observation.ts';
import type { FhirResource } from '../../../shared/validation/types.ts';
import {
  adt,
  EVN,
  firstOf,
  hl7,
  MSH,
  onlyRecord,
  oru,
  PID,
  PV1,
  resourcesOf,
} from './helpers.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function mapped(bytes: Uint8Array) {
  const record = onlyRecord(validateHl7(bytes));
  assert.equal(record.accepted, true, JSON.stringify(record.issues));
  return record;
}

function observation(obx: string): FhirResource {
  return firstOf(mapped(oru(obx)), 'Observation');
}

describe('PID to Patient', () => {
  const pid =
    'PID|1||""~000123^^^HOSP&2.16.840.1.113883.19.5&ISO^MR~A99^^^PAYER^MB||' +
    'DOE&van^JANE^Q^JR^DR^^L~DOE^JAY^^^^^A||198001|F|||' +
    '1 Main St&Main St&1^Apt 2^ANYTOWN^CA^90210^USA^H~PO Box 9^^ANYTOWN^CA^^^M||' +
    '^PRN^PH^^^555^1234567~^NET^Internet^jane@example.org|^WPN^PH^^^555^7654321^12||M^Married^HL70002';
  const record = mapped(hl7(MSH, EVN, pid, PV1));
  const patient = firstOf(record, 'Patient');

  it('maps PID-3 repetitions to identifiers, skipping explicit nulls', () => {
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
        value: 'A99',
        assigner: { display: 'PAYER' },
      },
    ]);
  });

  it('maps XPN names with their use', () => {
    assert.deepEqual(patient.name, [
      {
        use: 'official',
        family: 'DOE',
        given: ['JANE', 'Q'],
        prefix: ['DR'],
        suffix: ['JR'],
      },
      { family: 'DOE', given: ['JAY'] },
    ]);
  });

  it('keeps the precision of the birth date and maps gender', () => {
    assert.equal(patient.birthDate, '1980-01');
    assert.equal(patient.gender, 'female');
  });

  it('maps XAD street subcomponents to one line each, and address types', () => {
    assert.deepEqual(patient.address, [
      {
        use: 'home',
        line: ['1 Main St', 'Main St', '1', 'Apt 2'],
        city: 'ANYTOWN',
        state: 'CA',
        postalCode: '90210',
        country: 'USA',
      },
      { type: 'postal', line: ['PO Box 9'], city: 'ANYTOWN', state: 'CA' },
    ]);
  });

  it('maps XTN phone numbers and e-mail addresses, PID-13 home and PID-14 work', () => {
    assert.deepEqual(patient.telecom, [
      { system: 'phone', value: '555 1234567', use: 'home' },
      { system: 'email', value: 'jane@example.org' },
      { system: 'phone', value: '555 7654321 X12', use: 'work' },
    ]);
  });

  it('maps marital status from its named HL7 table through the MaritalStatus map', () => {
    assert.deepEqual(patient.maritalStatus, {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
          code: 'M',
          display: 'Married',
        },
      ],
    });
  });

  it('translates table 0002 codes the map renames and keeps others', () => {
    const status = (cwe: string) => {
      const pid = `PID|1||000123^^^HOSP^MR||DOE^JANE${'|'.repeat(11)}${cwe}`;
      return firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient').maritalStatus;
    };

    assert.deepEqual(status('A^Separated^HL70002'), {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
          code: 'L',
        },
      ],
    });
    assert.deepEqual(status('U'), {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
          code: 'UNK',
        },
      ],
    });
    assert.deepEqual(status('X^Other^L'), {
      coding: [{ code: 'X', display: 'Other' }],
    });
    // A local system's S is not table 0002's, even with a code the map has.
    assert.deepEqual(status('S^Single^L'), {
      coding: [{ code: 'S', display: 'Single' }],
    });
  });
});

describe('PID identifiers outside PID-3', () => {
  it('adds PID-2, PID-4, the SSN of PID-19 and the licence of PID-20', () => {
    const pid = `PID|1|OLD1|000123^^^HOSP^MR|ALT9^^^OTHER^PI${'|'.repeat(15)}123-45-6789|D123^CA`;
    const patient = firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient');
    const ids = patient.identifier as { value: string; system?: string }[];

    assert.deepEqual(
      ids.map((id) => id.value),
      ['000123', 'OLD1', 'ALT9', '123-45-6789', 'D123'],
    );
    assert.equal(ids[3]?.system, 'http://hl7.org/fhir/sid/us-ssn');
  });
});

describe('PV1 to Encounter', () => {
  const pv1 = `PV1|1|E|ER^1${'|'.repeat(16)}V123^^^HOSP^VN${'|'.repeat(25)}202401050830+0100|202401051200+0100`;

  it('maps class, period, visit number and subject', () => {
    const record = mapped(hl7(MSH, EVN, 'PID|1||1^^^H^MR', pv1));
    const encounter = firstOf(record, 'Encounter');
    const patient = firstOf(record, 'Patient');

    assert.deepEqual(encounter.class, {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'EMER',
      display: 'emergency',
    });
    assert.deepEqual(encounter.period, {
      start: '2024-01-05T08:30:00+01:00',
      end: '2024-01-05T12:00:00+01:00',
    });
    assert.equal(encounter.status, 'finished');
    assert.deepEqual(encounter.subject, { reference: `Patient/${patient.id}` });
    assert.equal(
      (encounter.identifier as { value: string }[])[0]?.value,
      'V123',
    );
  });

  it('takes the status from the trigger event', () => {
    const status = (event: string) => {
      const msh = MSH.replace('ADT^A01^ADT_A01', `ADT^${event}`);
      return firstOf(mapped(hl7(msh, EVN, 'PID|1||1^^^H^MR', PV1)), 'Encounter')
        .status;
    };

    assert.equal(status('A01'), 'in-progress');
    assert.equal(status('A03'), 'finished');
    assert.equal(status('A05'), 'planned');
    assert.equal(status('A11'), 'cancelled');
  });

  it('gives a cancelled discharge (A13, A25) no end and keeps the visit going', () => {
    const visit = (event: string) => {
      const msh = MSH.replace('ADT^A01^ADT_A01', `ADT^${event}`);
      const pv1 = `PV1|1|I${'|'.repeat(42)}202401050830+0100|202401051200+0100`;
      return firstOf(
        mapped(hl7(msh, EVN, 'PID|1||1^^^H^MR', pv1)),
        'Encounter',
      );
    };

    assert.deepEqual(visit('A13').period, {
      start: '2024-01-05T08:30:00+01:00',
    });
    assert.equal(visit('A13').status, 'in-progress');
    assert.deepEqual(visit('A25').period, {
      start: '2024-01-05T08:30:00+01:00',
    });
    assert.equal(visit('A03').status, 'finished');
  });

  it('uses the v3 null flavour when PV1-2 is empty', () => {
    const bytes = hl7(MSH, EVN, 'PID|1||1^^^H^MR', 'PV1|1|');
    const encounter = firstOf(mapped(bytes), 'Encounter');

    assert.deepEqual(encounter.class, {
      system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
      code: 'UNK',
    });
  });
});

describe('OBX to Observation', () => {
  it('maps status, LOINC code, subject and effective time', () => {
    const result = observation(
      'OBX|1|ST|2345-7^Glucose^LN||high||||||C|||20240105083000+0100',
    );

    assert.equal(result.status, 'corrected');
    assert.deepEqual(result.code, {
      coding: [
        { system: 'http://loinc.org', code: '2345-7', display: 'Glucose' },
      ],
    });
    assert.equal(result.effectiveDateTime, '2024-01-05T08:30:00+01:00');
    assert.match(
      String((result.subject as { reference: string }).reference),
      /^Patient\//,
    );
    assert.equal(result.valueString, 'high');
  });

  it('falls back to OBR-7 for the effective time', () => {
    const result = observation('OBX|1|ST|X^Y^L||v||||||F');

    assert.equal(result.effectiveDateTime, '2024-01-05T08:00:00-05:00');
  });

  it('keeps the decimal precision of an NM value with UCUM units', () => {
    const result = observation(
      'OBX|1|NM|2345-7^Glucose^LN||182.50|mg/dL^mg/dL^UCUM|||||F',
    );

    assert.equal(
      JSON.stringify(result.valueQuantity),
      '{"value":182.50,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}',
    );
  });

  it('maps a plain NM value to a JSON number', () => {
    const result = observation('OBX|1|NM|X^Y^LN||-4|%^percent|||||F');

    assert.deepEqual(result.valueQuantity, { value: -4, unit: 'percent' });
  });

  it('records a data-absent reason when an NM value is not a number', () => {
    const result = observation('OBX|1|NM|X^Y^LN||n/a||||||F');

    assert.equal(result.valueQuantity, undefined);
    assert.deepEqual(result.dataAbsentReason, {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
          code: 'error',
        },
      ],
    });
  });

  it('maps CWE values to a CodeableConcept with alternate coding and text', () => {
    const result = observation(
      'OBX|1|CWE|X^Y^LN||27268008^Salmonella^SCT^SAL^Salm^L^^^Salmonella sp.||||||F',
    );

    assert.deepEqual(result.valueCodeableConcept, {
      coding: [
        {
          system: 'http://snomed.info/sct',
          code: '27268008',
          display: 'Salmonella',
        },
        { code: 'SAL', display: 'Salm' },
      ],
      text: 'Salmonella sp.',
    });
  });

  it('keeps escaped line breaks of a TX value as lines of one string', () => {
    const result = observation('OBX|1|TX|X^Y^L||line two\\.br\\three||||||F');

    assert.equal(result.valueString, 'line two\nthree');
  });

  it('maps SN to Quantity with comparator, Range or Ratio', () => {
    assert.deepEqual(
      observation('OBX|1|SN|X^Y^L||>^100||||||F').valueQuantity,
      {
        value: 100,
        comparator: '>',
      },
    );
    assert.deepEqual(observation('OBX|1|SN|X^Y^L||^2^-^5||||||F').valueRange, {
      low: { value: 2 },
      high: { value: 5 },
    });
    assert.deepEqual(
      observation('OBX|1|SN|X^Y^L||^1^:^128||||||F').valueRatio,
      {
        numerator: { value: 1 },
        denominator: { value: 128 },
      },
    );
  });

  it('maps DT and DTM values to dateTime, keeping precision', () => {
    assert.equal(
      observation('OBX|1|DT|X^Y^L||202401||||||F').valueDateTime,
      '2024-01',
    );
    assert.equal(
      observation('OBX|1|DTM|X^Y^L||202401051230-0500||||||F').valueDateTime,
      '2024-01-05T12:30:00-05:00',
    );
  });

  it('keeps the date only when a time comes without a zone', () => {
    assert.equal(
      observation('OBX|1|DTM|X^Y^L||202401051230||||||F').valueDateTime,
      '2024-01-05',
    );
  });

  it('inlines a small ED value as a DocumentReference attachment', () => {
    const data = Buffer.from('%PDF-1.4 tiny').toString('base64');
    const record = mapped(oru(`OBX|1|ED|X^Y^L||^AP^PDF^Base64^${data}||||||F`));
    const result = firstOf(record, 'Observation');
    const document = firstOf(record, 'DocumentReference');

    assert.equal(result.valueString, undefined);
    assert.deepEqual(result.derivedFrom, [
      { reference: `DocumentReference/${document.id}` },
    ]);
    const [content] = document.content as {
      attachment: Record<string, unknown>;
    }[];
    assert.equal(content?.attachment.contentType, 'application/pdf');
    assert.equal(content?.attachment.data, data);
    assert.equal(content?.attachment.size, 13);
  });

  it('keeps a large ED value out of the resource, with size and hash', () => {
    const data = Buffer.alloc(INLINE_ATTACHMENT_LIMIT).toString('base64');
    const record = mapped(oru(`OBX|1|ED|X^Y^L||^AP^PDF^Base64^${data}||||||F`));
    const document = firstOf(record, 'DocumentReference');

    assert.ok(JSON.stringify(record.resources).length < 4000);
    const [content] = document.content as {
      attachment: Record<string, unknown>;
    }[];
    assert.equal(content?.attachment.data, undefined);
    assert.equal(content?.attachment.size, INLINE_ATTACHMENT_LIMIT);
    assert.match(String(document.description), /OBX\[1\]-5\.5/);
  });
});

describe('IAM to AllergyIntolerance', () => {
  const a60 = (...iam: string[]) =>
    resourcesOf(
      mapped(
        hl7(
          'MSH|^~\\&|ADT|FAC|EHR|FAC|20240105083000||ADT^A60^ADT_A60|C9|P|2.5.1',
          EVN,
          PID,
          ...iam,
        ),
      ),
      'AllergyIntolerance',
    );
  const iam = (action: string, status: string, rest = '') =>
    `IAM|1|FA^Food allergy^HL70127|12345^Peanut^L|SV|Hives|${action}|A1^LAB^1.2.3^ISO||||201805||202010051600-0500||||${status}${rest}`;

  it('maps the allergy with its code, identifier, onset and report time', () => {
    const [allergy] = a60(
      `${iam('A', 'C')}${'|'.repeat(10)}91935009^Peanut allergy^SCT`,
    );
    assert.ok(allergy);

    assert.equal(allergy?.type, 'allergy');
    assert.deepEqual(allergy?.category, ['food']);
    assert.equal(allergy?.criticality, 'high');
    assert.deepEqual(
      (allergy.code as { coding: { code: string }[] }).coding.map(
        (coding) => coding.code,
      ),
      ['12345', '91935009'],
    );
    assert.deepEqual(allergy?.identifier, [
      { system: 'urn:oid:1.2.3', value: 'A1' },
    ]);
    assert.equal(allergy?.onsetDateTime, '2018-05');
    assert.equal(allergy?.recordedDate, '2020-10-05T16:00:00-05:00');
    assert.deepEqual(allergy?.reaction, [
      { manifestation: [{ text: 'Hives' }] },
    ]);
  });

  it('reads IAM-17 and a delete action as clinical and verification status', () => {
    const statuses = a60(
      iam('A', 'C'),
      iam('A', 'I'),
      iam('A', 'U'),
      iam('A', ''),
      iam('D', 'C'),
    ).map((allergy) => [
      (allergy.clinicalStatus as { coding: { code: string }[] } | undefined)
        ?.coding[0]?.code,
      (allergy.verificationStatus as { coding: { code: string }[] } | undefined)
        ?.coding[0]?.code,
    ]);

    assert.deepEqual(statuses, [
      ['active', 'confirmed'],
      ['inactive', 'confirmed'],
      ['active', 'unconfirmed'],
      ['active', undefined],
      [undefined, 'entered-in-error'],
    ]);
  });
});

describe('DG1, AL1 and NK1', () => {
  const record = mapped(
    adt(
      'DG1|1||I21.9^Acute MI^I10|Heart attack|20240101|A',
      'AL1|1|DA|70618^Penicillin^RXNORM|SV|Hives~Rash|20200101',
      'NK1|1|DOE^JOHN|SPO^Spouse^HL70063|2 Oak St^^ANYTOWN|^PRN^PH^^^555^1112222',
    ),
  );
  const patient = firstOf(record, 'Patient');

  it('maps DG1 to an encounter-diagnosis Condition', () => {
    const condition = firstOf(record, 'Condition');

    assert.deepEqual(condition.subject, { reference: `Patient/${patient.id}` });
    assert.deepEqual(condition.code, {
      coding: [
        {
          system: 'http://hl7.org/fhir/sid/icd-10',
          code: 'I21.9',
          display: 'Acute MI',
        },
      ],
    });
    assert.equal(condition.onsetDateTime, '2024-01-01');
    assert.match(JSON.stringify(condition.category), /encounter-diagnosis/);
  });

  it('maps AL1 to an active AllergyIntolerance', () => {
    const allergy = firstOf(record, 'AllergyIntolerance');

    assert.deepEqual(allergy.patient, { reference: `Patient/${patient.id}` });
    assert.deepEqual(allergy.category, ['medication']);
    assert.equal(allergy.criticality, 'high');
    assert.deepEqual(allergy.reaction, [
      { manifestation: [{ text: 'Hives' }] },
      { manifestation: [{ text: 'Rash' }] },
    ]);
    assert.match(JSON.stringify(allergy.clinicalStatus), /"active"/);
  });

  it('maps NK1 to a RelatedPerson with NK1-3 translated to v3 RoleCode', () => {
    const person = firstOf(record, 'RelatedPerson');

    assert.deepEqual(person.patient, { reference: `Patient/${patient.id}` });
    assert.deepEqual(person.name, [{ family: 'DOE', given: ['JOHN'] }]);
    assert.deepEqual(person.relationship, [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
            code: 'SPS',
          },
        ],
      },
    ]);
  });
});

describe('identity and determinism', () => {
  it('gives identical output for the same bytes', () => {
    const bytes = adt('OBX|1|NM|X^Y^LN||1.0||||||F', 'DG1|1||X^Y^I10');

    assert.deepEqual(validateHl7(bytes), validateHl7(Buffer.from(bytes)));
    assert.equal(
      JSON.stringify(validateHl7(bytes)),
      JSON.stringify(validateHl7(bytes)),
    );
  });

  it('derives valid, distinct ids from the message key and segment position', () => {
    const record = mapped(
      adt('OBX|1|ST|X^Y^L||a||||||F', 'OBX|2|ST|X^Y^L||b||||||F'),
    );
    const ids = record.resources.map((resource) => resource.id ?? '');

    assert.ok(ids.every((id) => FHIR_ID.test(id)));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(!ids.some((id) => id.includes('000123')));
  });

  it('changes every id when MSH-10 changes', () => {
    const other = hl7(
      MSH.replace('CTRL-1', 'CTRL-9'),
      EVN,
      'PID|1||000123^^^HOSP^MR',
      PV1,
    );
    const first = mapped(adt()).resources.map((r) => r.id);
    const second = mapped(other).resources.map((r) => r.id);

    assert.ok(first.every((id) => !second.includes(id)));
  });

  it('resolves every reference to a resource of the same message', () => {
    const record = mapped(
      adt(
        'OBX|1|ED|X^Y^L||^AP^PDF^Base64^QUJD||||||F',
        'DG1|1||X^Y^I10',
        'AL1|1|DA|X^Y',
      ),
    );
    const known = new Set(
      record.resources.map((r) => `${r.resourceType}/${r.id}`),
    );
    const references =
      JSON.stringify(record.resources).match(/"reference":"[^"]+"/g) ?? [];

    assert.ok(references.length >= 6);
    for (const reference of references) {
      assert.ok(known.has(reference.slice(13, -1)), reference);
    }
  });

  it('produces only resources with the elements FHIR requires', () => {
    const record = mapped(
      adt('OBX|1|ED|X^Y^L||^AP^PDF^Base64^QUJD', 'DG1|1', 'AL1|1', 'NK1|1'),
    );
    const required: Record<string, string[]> = {
      Patient: [],
      Encounter: ['status', 'class'],
      Observation: ['status', 'code'],
      DocumentReference: ['status', 'content'],
      Condition: ['subject'],
      AllergyIntolerance: ['patient'],
      RelatedPerson: ['patient'],
      MessageHeader: ['eventCoding', 'source'],
      Provenance: ['target', 'recorded', 'agent'],
    };

    assert.deepEqual(
      [...new Set(record.resources.map((r) => r.resourceType))].sort(),
      Object.keys(required).sort(),
    );
    for (const resource of record.resources) {
      for (const element of required[resource.resourceType] ?? []) {
        assert.ok(resource[element], `${resource.resourceType}.${element}`);
      }
    }
  });
});
