import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateResource } from '../../../shared/fhir/index.ts';
import { validateHl7 } from '../../../shared/hl7/index.ts';
import {
  adt,
  EVN,
  firstOf,
  hl7,
  MSH,
  onlyRecord,
  PV1,
  resourcesOf,
} from './helpers.ts';

const V2 = 'http://terminology.hl7.org/CodeSystem/';
const PATIENT = 'PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F';

/** An MSH of the given message type (MSH-9). */
function header(type: string): string {
  return `MSH|^~\\&|SND|FAC|RCV|FAC|20240105083000||${type}|CTRL-1|P|2.5.1`;
}

function mapped(bytes: Uint8Array) {
  const record = onlyRecord(validateHl7(bytes));
  assert.equal(record.accepted, true, JSON.stringify(record.issues));
  return record;
}

describe('XPN, XTN and PID after the v2-to-FHIR data type maps', () => {
  const pid =
    'PID|1||000123^^^HOSP^MR||DOE^JANE^^^^^L^^^^^^^^JJ||19800101|F|||||' +
    '^PRN^PH^^1^555^1234567^89|^WPN^Internet^jane@example.org' +
    '||||||||||||||||N||||||||||^NET^X.400^jane@x400.example';
  const patient = firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient');

  it('adds XPN.15 "called by" as a second name of use nickname', () => {
    assert.deepEqual(patient.name, [
      { use: 'official', family: 'DOE', given: ['JANE'] },
      { use: 'nickname', given: ['JJ'] },
    ]);
  });

  it('assembles phone numbers as +country area local Xextension', () => {
    const telecom = patient.telecom as Record<string, unknown>[];

    assert.deepEqual(telecom[0], {
      system: 'phone',
      value: '+1 555 1234567 X89',
      use: 'home',
    });
  });

  it('takes XTN.4 for Internet and X.400 equipment, and maps PID-40', () => {
    const values = (patient.telecom as Record<string, unknown>[]).map(
      (point) => `${point.system}:${point.value}`,
    );

    assert.deepEqual(values.slice(1), [
      'email:jane@example.org',
      'email:jane@x400.example',
    ]);
  });

  it('keeps the use and system of an e-mail XTN whose number sits in XTN.1', () => {
    const pid =
      'PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F|||||89898989^WPN^Internet';
    const telecom = firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient')
      .telecom as Record<string, unknown>[];

    assert.deepEqual(telecom, [{ system: 'email', use: 'work' }]);
  });

  it('maps PID-30 N to deceasedBoolean false', () => {
    assert.equal(patient.deceasedBoolean, false);
  });

  it('reads PID-30 sent as a word (YES, no) as Y and N', () => {
    const deceased = ['YES', 'no', 'maybe'].map(
      (flag) =>
        firstOf(
          mapped(
            hl7(
              MSH,
              EVN,
              `PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F${'|'.repeat(22)}${flag}`,
              PV1,
            ),
          ),
          'Patient',
        ).deceasedBoolean,
    );

    assert.deepEqual(deceased, [true, false, undefined]);
  });
});

describe('CX.5 identifier type', () => {
  it('keeps text that is no table 0203 code as type.text', () => {
    const pid =
      'PID|1||A1^^^HOSP^GOOD HEALTH HOSPITAL~B2^^^HOSP^MR||DOE^JANE||19800101|F';
    const patient = firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient');
    const types = (patient.identifier as Record<string, unknown>[]).map(
      (identifier) => identifier.type,
    );

    assert.deepEqual(types, [
      { text: 'GOOD HEALTH HOSPITAL' },
      { coding: [{ system: `${V2}v2-0203`, code: 'MR' }] },
    ]);
  });
});

describe('NK1 to RelatedPerson and Patient.contact', () => {
  const person =
    'NK1|1|ROE^RICK^^^^^L^^^^^^^^RR|BRO^Brother^HL70063|1 Elm St^' +
    '^TOWN|^PRN^PH^^^555^1110000|^PRN^PH^^^555^2220000|C^Emergenc' +
    'y Contact^HL70131|20200101|20211231||||||M|19700202||||eng^E' +
    'nglish^HL70296|||||||||||||ID-7^^^HOSP^MR||||123-45-6789';
  const employer = 'NK1|2|ACME CORP|EMR^Employer^HL70063|9 Work Rd^^CITY';
  const record = mapped(adt(person, employer));
  const patient = firstOf(record, 'Patient');

  it('maps a person NK1 to one RelatedPerson with the NK1[RelatedPerson] fields', () => {
    const people = resourcesOf(record, 'RelatedPerson');
    const related = firstOf(record, 'RelatedPerson');

    assert.equal(people.length, 1);
    assert.deepEqual(related.relationship, [
      { coding: [{ system: `${V2}v3-RoleCode`, code: 'BRO' }] },
      {
        coding: [
          {
            system: `${V2}v2-0131`,
            code: 'C',
            display: 'Emergency Contact',
          },
        ],
      },
    ]);
    assert.deepEqual(related.name, [
      { use: 'official', family: 'ROE', given: ['RICK'] },
      { use: 'nickname', given: ['RR'] },
    ]);
    assert.equal(related.gender, 'male');
    assert.equal(related.birthDate, '1970-02-02');
    assert.deepEqual(related.period, {
      start: '2020-01-01',
      end: '2021-12-31',
    });
    assert.deepEqual(
      (related.identifier as Record<string, unknown>[]).map((i) => i.value),
      ['ID-7', '123-45-6789'],
    );
    assert.match(JSON.stringify(related.communication), /"code":"en"/);
  });

  it('gives NK1-6 the use work whatever XTN.2 says', () => {
    const related = firstOf(record, 'RelatedPerson');

    assert.deepEqual(
      (related.telecom as Record<string, unknown>[]).map((t) => t.use),
      ['home', 'work'],
    );
  });

  it('adds every NK1 as a Patient.contact, the employer only there', () => {
    const contacts = patient.contact as Record<string, unknown>[];

    assert.equal(contacts.length, 2);
    assert.deepEqual(contacts[0]?.name, {
      use: 'official',
      family: 'ROE',
      given: ['RICK'],
    });
    assert.equal(contacts[0]?.gender, 'male');
    assert.deepEqual(contacts[1], {
      relationship: [
        {
          // The Relationship map sends EMR to the table 0131 contact role.
          coding: [{ system: `${V2}v2-0131`, code: 'E' }],
        },
      ],
      name: { family: 'ACME CORP' },
      address: { line: ['9 Work Rd'], city: 'CITY' },
    });
  });
});

describe('PV1 and DG1 to Encounter', () => {
  const pv1 =
    'PV1|1|P|WARD1^101^A||||||||||||||||V100^^^HOSP^AN' +
    '|||||||||||||||||||||||WARD2^202^B';
  const record = mapped(
    hl7(
      MSH,
      EVN,
      PATIENT,
      pv1,
      'DG1|1||I21.9^Acute MI^I10||20240101|A|||||||||2',
      'DG1|2||E11^Diabetes^I10||20240101|F',
    ),
  );
  const encounter = firstOf(record, 'Encounter');

  it('plans the assigned location of a pre-admission and reserves the pending one', () => {
    const statuses = (encounter.location as Record<string, unknown>[]).map(
      (location) => location.status,
    );

    assert.deepEqual(statuses, ['planned', 'reserved']);
  });

  it('types PV1-19 as the visit number whatever CX.5 says', () => {
    assert.deepEqual(encounter.identifier, [
      {
        type: { coding: [{ system: `${V2}v2-0203`, code: 'VN' }] },
        value: 'V100',
        assigner: { display: 'HOSP' },
      },
    ]);
  });

  it('lists each DG1 as a diagnosis with its role and rank', () => {
    const conditions = resourcesOf(record, 'Condition');

    assert.deepEqual(encounter.diagnosis, [
      {
        condition: { reference: `Condition/${conditions[0]?.id}` },
        use: { coding: [{ system: `${V2}diagnosis-role`, code: 'AD' }] },
        rank: 2,
      },
      {
        condition: { reference: `Condition/${conditions[1]?.id}` },
        use: { coding: [{ system: `${V2}v2-0052`, code: 'F' }] },
      },
    ]);
  });
});

describe('OBX to Observation after the OBX maps', () => {
  function observation(obx: string) {
    const msh = header('ORU^R01^ORU_R01');
    const obr = 'OBR|1|ORD1||GLU^Glucose^L|||20240105080000-0500';
    return firstOf(mapped(hl7(msh, PATIENT, obr, obx)), 'Observation');
  }

  it('maps each repetition of a repeated OBX-5 to a component coded by OBX-3', () => {
    const result = observation(
      'OBX|1|NM|8867-4^Heart rate^LN||60~120|/min^^UCUM|50-100|||F',
    );
    const code = {
      coding: [
        { system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' },
      ],
    };
    const quantity = (value: number) => ({
      value,
      unit: '/min',
      system: 'http://unitsofmeasure.org',
      code: '/min',
    });

    assert.equal(result.valueQuantity, undefined);
    assert.deepEqual(result.component, [
      {
        code,
        valueQuantity: quantity(60),
        referenceRange: [{ text: '50-100' }],
      },
      {
        code,
        valueQuantity: quantity(120),
        referenceRange: [{ text: '50-100' }],
      },
    ]);
  });

  it('maps OBX-17 method, OBX-20 body site and OBX-21 instance identifier', () => {
    const result = observation(
      'OBX|1|ST|X^Y^L||text||||||F||||||AMP^Amperometry^L|||LA^Left arm^L' +
        '|OBS-77^LAB^2.16.840.1.113883.19^ISO',
    );

    assert.deepEqual(result.method, {
      coding: [{ code: 'AMP', display: 'Amperometry' }],
    });
    assert.deepEqual(result.bodySite, {
      coding: [{ code: 'LA', display: 'Left arm' }],
    });
    assert.deepEqual(result.identifier, [
      {
        type: { coding: [{ system: `${V2}v2-0203`, code: 'FILL' }] },
        system: 'urn:oid:2.16.840.1.113883.19',
        value: 'OBS-77',
      },
    ]);
  });
});

describe('SIU resources to ServiceRequest and Appointment.participant', () => {
  const msh = header('SIU^S12^SIU_S12');
  const record = mapped(
    hl7(
      msh,
      'SCH|A1|F1|||||ROUTINE^Routine^HL70276|Normal^Normal^HL70277|30|Min|||||||||||||||Booked',
      'TQ1|||||||20240110090000+0000|20240110093000+0000',
      PATIENT,
      'RGS|1',
      'AIS|1||58410-2^CBC panel^LN|20240110090000+0000|||||Booked',
      'AIG|1||55^Analyser^L|012^Lab device^L',
      'AIL|1||LAB^Room 1^^Main',
      'AIP|1||410^RAY^Lee|020^Technician^L||20240110090000+0000||||||Booked',
    ),
  );
  const appointment = firstOf(record, 'Appointment');
  const request = firstOf(record, 'ServiceRequest');

  it('maps AIS to an active ServiceRequest the Appointment is based on', () => {
    assert.equal(request.status, 'active');
    assert.equal(request.intent, 'order');
    assert.deepEqual(request.code, {
      coding: [
        { system: 'http://loinc.org', code: '58410-2', display: 'CBC panel' },
      ],
    });
    assert.deepEqual(appointment.basedOn, [
      { reference: `ServiceRequest/${request.id}` },
    ]);
    assert.deepEqual(appointment.serviceType, [request.code]);
  });

  it('takes the service request status from SCH-25 alone', () => {
    const statuses = [
      ['SIU^S15^SIU_S12', 'Cancelled'],
      ['SIU^S17^SIU_S12', 'Deleted'],
      ['SIU^S26^SIU_S12', 'Noshow'],
      ['SIU^S16^SIU_S12', 'Dc'],
      ['SIU^S14^SIU_S12', 'Complete'],
      ['SIU^S14^SIU_S12', 'Pending'],
      // Row 0: SCH-25 empty is active, whatever the trigger event says.
      ['SIU^S15^SIU_S12', ''],
      // Table 0278 codes in another case are the same codes.
      ['SIU^S14^SIU_S12', 'CANCELLED'],
    ].map(([type = '', filler]) => {
      const sent = mapped(
        hl7(
          header(type),
          `SCH|A1|F1${'|'.repeat(23)}${filler}`,
          PATIENT,
          'RGS|1',
          'AIS|1||58410-2^CBC panel^LN',
        ),
      );
      return firstOf(sent, 'ServiceRequest').status;
    });

    assert.deepEqual(statuses, [
      'revoked',
      'entered-in-error',
      'revoked',
      'revoked',
      'completed',
      'active',
      'active',
      'revoked',
    ]);
  });

  it('adds AIG, AIL and AIP as participants with their type and status', () => {
    const participants = appointment.participant as Record<string, unknown>[];

    assert.deepEqual(
      participants.map((p) => [
        (p.actor as Record<string, unknown> | undefined)?.type,
        p.status,
      ]),
      [
        [undefined, 'accepted'],
        ['Device', 'tentative'],
        ['Location', 'tentative'],
        ['Practitioner', 'accepted'],
      ],
    );
    assert.deepEqual(participants[3]?.period, {
      start: '2024-01-10T09:00:00+00:00',
    });
    assert.deepEqual(participants[3]?.type, [
      { coding: [{ code: '020', display: 'Technician' }] },
    ]);
  });

  it('gives AIL-4 (location type) no target and reads Dc as declined', () => {
    const sent = mapped(
      hl7(
        header('SIU^S16^SIU_S12'),
        `SCH|A1|F1${'|'.repeat(23)}Dc`,
        PATIENT,
        'RGS|1',
        'AIL|1||LAB^Room 1^^Main|C^Clinic^HL70305||||||||Dc',
      ),
    );
    const [, location] = firstOf(sent, 'Appointment').participant as Record<
      string,
      unknown
    >[];

    assert.equal(location?.type, undefined);
    assert.equal(location?.status, 'declined');
    // Not mapped, so counted: nothing is dropped silently.
    assert.match(
      JSON.stringify(firstOf(sent, 'Provenance')),
      /no mapping: [^"]*AIL-4/,
    );
  });
});

describe('PR1 to Procedure after the PR1 map', () => {
  const pr1 =
    'PR1|1||44950^Appendectomy^C4||202401011030+0100|D^Diagnostic^HL70230|90' +
    '|11^GAS^NORA|||22^CUT^SAM||||K35^Appendicitis^I10||||PR-2||||||PR-1';
  const procedure = firstOf(mapped(adt(pr1)), 'Procedure');

  it('ends the performed period PR1-7 minutes after PR1-5', () => {
    assert.deepEqual(procedure.performedPeriod, {
      start: '2024-01-01T10:30:00+01:00',
      end: '2024-01-01T12:00:00+01:00',
    });
  });

  it('maps performers with their SNOMED function, category and reason', () => {
    assert.deepEqual(procedure.performer, [
      {
        function: {
          coding: [{ system: 'http://snomed.info/sct', code: '88189002' }],
        },
        actor: {
          type: 'Practitioner',
          identifier: { value: '11' },
          display: 'NORA GAS',
        },
      },
      {
        function: {
          coding: [{ system: 'http://snomed.info/sct', code: '304292004' }],
        },
        actor: {
          type: 'Practitioner',
          identifier: { value: '22' },
          display: 'SAM CUT',
        },
      },
    ]);
    assert.match(JSON.stringify(procedure.category), /v2-0230.*"D"/);
    assert.match(JSON.stringify(procedure.reasonCode), /K35/);
  });

  it('maps PR1-19 to identifier and PR1-25 to a logical partOf', () => {
    assert.deepEqual(procedure.identifier, [{ value: 'PR-2' }]);
    assert.deepEqual(procedure.partOf, [
      { type: 'Procedure', identifier: { value: 'PR-1' } },
    ]);
  });
});

describe('SFT to MessageHeader.source', () => {
  it('takes software and version from the first SFT only', () => {
    const record = mapped(
      hl7(
        MSH,
        'SFT|Vendor|9.1.0|Engine|9.1.0.7',
        'SFT|Other|8|Relay|8.1',
        EVN,
        PATIENT,
        PV1,
      ),
    );
    const header = firstOf(record, 'MessageHeader');

    assert.equal((header.source as Record<string, unknown>).software, 'Engine');
    assert.equal((header.source as Record<string, unknown>).version, '9.1.0');
  });
});

describe('AL1 and DG1 details', () => {
  it('types a table 0127 allergy as allergy, but not a contraindication', () => {
    const record = mapped(
      adt('AL1|1|DA|70618^Penicillin^RXNORM', 'AL1|2|MC|X1^Thing^L'),
    );
    const [drug, other] = resourcesOf(record, 'AllergyIntolerance');

    assert.equal(drug?.type, 'allergy');
    assert.equal(other?.type, undefined);
  });

  it('maps DG1-20 to the Condition identifier', () => {
    const dg1 = `DG1|1||I21^MI^I10||20240101|A${'|'.repeat(14)}DX-9^^2.16.840.1^ISO`;
    const condition = firstOf(mapped(adt(dg1)), 'Condition');

    assert.deepEqual(condition.identifier, [
      { system: 'urn:oid:2.16.840.1', value: 'DX-9' },
    ]);
  });

  it('names the DG1-22 parent diagnosis by identifier in condition-dueTo', () => {
    const dg1 = `DG1|1||I21^MI^I10||20240101|A${'|'.repeat(16)}DX-1`;
    const condition = firstOf(mapped(adt(dg1)), 'Condition');

    assert.deepEqual(condition.extension, [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/condition-dueTo',
        valueReference: { type: 'Condition', identifier: { value: 'DX-1' } },
      },
    ]);
  });

  it('makes a DG1 in an order group the reason of the order, not a visit diagnosis', () => {
    const msh = header('ORM^O01^ORM_O01');
    const record = mapped(
      hl7(
        msh,
        PATIENT,
        PV1,
        'ORC|NW|P1',
        'OBR|1|P1||30746-2^XR Chest^LN',
        'DG1|1||S52.5^Wrist fracture^I10|||F',
      ),
    );
    const request = firstOf(record, 'ServiceRequest');
    const condition = firstOf(record, 'Condition');

    assert.deepEqual(request.reasonReference, [
      { reference: `Condition/${condition.id}` },
    ]);
    assert.equal(firstOf(record, 'Encounter').diagnosis, undefined);
  });
});

describe('TQ1 to ServiceRequest timing', () => {
  const msh = header('OML^O21^OML_O21');
  const tq1 =
    'TQ1|1|2^mg&milligram&UCUM|Q&Every&HL70335^^^^8^hr&hour&ANS+^^AC^1^hr' +
    '|0800~1600|||||R||Fasting||15^min&minute&ANS+|3';
  const record = mapped(
    hl7(msh, PATIENT, 'ORC|NW|P1', tq1, 'OBR|1|P1||2345-7^Glucose^LN'),
  );
  const request = firstOf(record, 'ServiceRequest');

  it('maps quantity, priority and the text instruction of the TQ1 before its OBR', () => {
    assert.deepEqual(request.quantityQuantity, {
      value: 2,
      unit: 'milligram',
      system: 'http://unitsofmeasure.org',
      code: 'mg',
    });
    assert.equal(request.priority, 'routine');
    assert.deepEqual(request.note, [{ text: 'Fasting' }]);
  });

  it('maps the repeat pattern, times of day, duration and count to Timing', () => {
    assert.deepEqual(request.occurrenceTiming, {
      code: { coding: [{ system: `${V2}v2-0335`, code: 'Q' }] },
      repeat: {
        period: 8,
        periodUnit: 'h',
        when: ['AC'],
        offset: 60,
        timeOfDay: ['08:00:00', '16:00:00'],
        duration: 15,
        durationUnit: 'min',
        countMax: 3,
      },
    });
  });
});

describe('ORC-7 and OBR-27 TQ to ServiceRequest timing', () => {
  const msh = header('ORM^O01^ORM_O01');

  it('maps TQ quantity, interval, bounds, priority, text and count (ORC-7)', () => {
    const orc =
      'ORC|NW|P1|||||3&mL^BID&0800,2000^S30^202401051000+0100' +
      '^202401121000+0100^S^^Before meals^^^^6';
    const request = firstOf(
      mapped(hl7(msh, PATIENT, orc, 'OBR|1|P1||2345-7^Glucose^LN')),
      'ServiceRequest',
    );

    assert.deepEqual(request.quantityQuantity, { value: 3, unit: 'mL' });
    // RI.1 is a table 0335 code: BID goes to v3-GTSAbbreviation.
    assert.deepEqual(request.occurrenceTiming, {
      code: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
            code: 'BID',
          },
        ],
      },
      repeat: {
        boundsPeriod: {
          start: '2024-01-05T10:00:00+01:00',
          end: '2024-01-12T10:00:00+01:00',
        },
        timeOfDay: ['08:00:00', '20:00:00'],
        count: 6,
      },
    });
    assert.equal(request.priority, 'stat');
    assert.deepEqual(request.note, [{ text: 'Before meals' }]);
  });

  it('reads OBR-27 when ORC-7 is empty; its Timing replaces OBR-6', () => {
    const obr =
      `OBR|1|P1||2345-7^Glucose^LN||202401050900+0100${'|'.repeat(21)}` +
      '^^D2';
    const request = firstOf(
      mapped(hl7(msh, PATIENT, 'ORC|NW|P1', obr)),
      'ServiceRequest',
    );

    assert.deepEqual(request.quantityQuantity, { value: 1 });
    assert.deepEqual(request.occurrenceTiming, {
      repeat: {
        boundsDuration: {
          value: 2,
          unit: 'd',
          system: 'http://unitsofmeasure.org',
          code: 'd',
        },
      },
    });
    assert.equal(request.occurrenceDateTime, undefined);
  });

  it('keeps OBR-6 when the TQ carries a quantity only', () => {
    const obr = `OBR|1|P1||2345-7^Glucose^LN||202401050900+0100${'|'.repeat(21)}2`;
    const request = firstOf(
      mapped(hl7(msh, PATIENT, 'ORC|NW|P1', obr)),
      'ServiceRequest',
    );

    assert.deepEqual(request.quantityQuantity, { value: 2 });
    assert.equal(request.occurrenceDateTime, '2024-01-05T09:00:00+01:00');
  });

  it('lets the first TQ1 replace the TQ and OBR-5, but not with a default quantity', () => {
    const orc = 'ORC|NW|P1|||||4^^^202401051000+0100';
    const obr = 'OBR|1|P1||2345-7^Glucose^LN|R';
    const record = mapped(
      hl7(msh, PATIENT, orc, 'TQ1|1||||||202401061000+0100||A', obr),
    );
    const request = firstOf(record, 'ServiceRequest');

    // TQ1-2 is empty: the TQ's explicit 4 stands rather than the default 1.
    assert.deepEqual(request.quantityQuantity, { value: 4 });
    assert.equal(request.priority, 'asap');
    assert.deepEqual(request.occurrenceTiming, {
      repeat: { boundsPeriod: { start: '2024-01-06T10:00:00+01:00' } },
    });
  });
});

describe('OBR-29 parent result to ServiceRequest.basedOn', () => {
  const msh = header('ORM^O01^ORM_O01');
  const parent = (eip: string, obr50 = '') =>
    firstOf(
      mapped(
        hl7(
          msh,
          PATIENT,
          'ORC|NW|P1',
          `OBR|1|P1||2345-7^Glucose^LN${'|'.repeat(25)}${eip}` +
            `${'|'.repeat(21)}${obr50}`,
        ),
      ),
      'ServiceRequest',
    ).basedOn;
  const typed = (code: string, value: string) => [
    {
      type: 'ServiceRequest',
      identifier: {
        type: { coding: [{ system: `${V2}v2-0203`, code }] },
        value,
      },
    },
  ];

  it('names the placer’s number, else the filler’s, as a logical reference', () => {
    assert.deepEqual(parent('PX-1^FX-1'), typed('PLAC', 'PX-1'));
    assert.deepEqual(parent('^FX-1'), typed('FILL', 'FX-1'));
  });

  it('adds OBR-53 alternate placer numbers, else ORC-33, typed PLAC', () => {
    const placer = (orc: string, obr53: string) =>
      (
        firstOf(
          mapped(
            hl7(
              msh,
              PATIENT,
              orc,
              `OBR|1|P1||2345-7^Glucose^LN${'|'.repeat(49)}${obr53}`,
            ),
          ),
          'ServiceRequest',
        ).identifier as Record<string, unknown>[]
      ).slice(1);
    const plac = { coding: [{ system: `${V2}v2-0203`, code: 'PLAC' }] };

    assert.deepEqual(placer('ORC|NW|P1', 'ALT-1^^^HOSP^MR'), [
      { type: plac, value: 'ALT-1', assigner: { display: 'HOSP' } },
    ]);
    assert.deepEqual(placer(`ORC|NW|P1${'|'.repeat(31)}ALT-2`, ''), [
      { type: plac, value: 'ALT-2' },
    ]);
  });

  it('maps nothing while OBR-50 is valued', () => {
    assert.equal(parent('PX-1', '88304^Parent^C4'), undefined);
  });
});

describe('ORC, RXA and RXR to Immunization', () => {
  const msh = header('VXU^V04^VXU_V04');
  const record = mapped(
    hl7(
      msh,
      PATIENT,
      'ORC|RE|P-1^EHR|F-1^IIS|||||||||32^Fenn^Otto',
      'RXA|0|1|20240105||08^HepB^CVX|0.5|mL^mL^UCUM||01^Historical^NIP001' +
        '|31^Marsh^Ida|||||LOT1|20251231|||||A',
      'RXR|C28161^Intramuscular^NCIT|RD^Right Deltoid^HL70163',
      'OBX|1|CE|30963-3^Funding source^LN|1|VXF1^Funded^L||||||F',
    ),
  );
  const immunization = firstOf(record, 'Immunization');

  it('types ORC-2/3 as PLAC and FILL identifiers', () => {
    assert.deepEqual(
      (immunization.identifier as Record<string, unknown>[]).map((id) => [
        JSON.stringify(id.type).match(/PLAC|FILL/)?.[0],
        id.value,
      ]),
      [
        ['PLAC', 'P-1'],
        ['FILL', 'F-1'],
      ],
    );
  });

  it('maps ordering (OP) and administering (AP) providers as performers', () => {
    const functions = (immunization.performer as Record<string, unknown>[]).map(
      (p) => JSON.stringify(p.function).match(/"code":"(\w+)"/)?.[1],
    );

    assert.deepEqual(functions, ['OP', 'AP']);
  });

  it('reads RXA-9 01 as a report from another source, RXA-16 and RXR', () => {
    assert.equal(immunization.primarySource, false);
    assert.match(JSON.stringify(immunization.reportOrigin), /"code":"01"/);
    assert.equal(immunization.expirationDate, '2025-12-31');
    assert.match(JSON.stringify(immunization.route), /C28161/);
    assert.match(JSON.stringify(immunization.site), /v2-0163.*RD/);
  });

  it('makes the OBX of the order group part of the immunization', () => {
    assert.deepEqual(firstOf(record, 'Observation').partOf, [
      { reference: `Immunization/${immunization.id}` },
    ]);
  });
});

describe('ORC and OBR to ServiceRequest after their maps', () => {
  function request(orc: string, obr: string, ...more: string[]) {
    const msh = header('ORM^O01^ORM_O01');
    const record = mapped(hl7(msh, PATIENT, orc, ...more, obr));
    return firstOf(record, 'ServiceRequest');
  }
  const orc =
    'ORC|NW|P1||G1|||||20240105083000+0000|||12^Who^Doctor' +
    '|||||||||||||||||O';
  const obr =
    'OBR|1|P1||30746-2^XR Chest^LN|S|20240106090000+0000|||||G' +
    '||||||||||||||||||||780.6^Fever^I9|||||||||||||||7001^Contrast^L';

  it('gives ORC-4 sent as an EI with an OID no requisition system', () => {
    const result = request(orc.replace('||G1|', '||G1^^1.2.3^ISO|'), obr);

    assert.deepEqual(result.requisition, {
      type: { coding: [{ system: `${V2}v2-0203`, code: 'PGN' }] },
      value: 'G1',
    });
  });

  it('maps ORC-4 requisition, ORC-9 authoredOn of a new order, ORC-12 and ORC-29', () => {
    const result = request(orc, obr);

    assert.deepEqual(result.requisition, {
      type: { coding: [{ system: `${V2}v2-0203`, code: 'PGN' }] },
      value: 'G1',
    });
    assert.equal(result.authoredOn, '2024-01-05T08:30:00+00:00');
    assert.deepEqual(result.requester, {
      type: 'Practitioner',
      identifier: { value: '12' },
      display: 'Doctor Who',
    });
    assert.deepEqual(result.locationCode, [
      { coding: [{ system: `${V2}v3-RoleCode`, code: 'OF' }] },
    ]);
  });

  it('maps OBR-5 priority, OBR-6 occurrence, OBR-11 G, OBR-31 and OBR-46', () => {
    const result = request(orc, obr);

    assert.equal(result.priority, 'stat');
    assert.equal(result.occurrenceDateTime, '2024-01-06T09:00:00+00:00');
    assert.equal(result.intent, 'reflex-order');
    assert.match(JSON.stringify(result.reasonCode), /780\.6/);
    assert.match(JSON.stringify(result.orderDetail), /7001/);
  });

  it('keeps an order a cancel request leaves active, and authoredOn for NW only', () => {
    const result = request('ORC|CA|P1|||||||20240105083000+0000', obr);

    assert.equal(result.status, 'active');
    assert.equal(result.authoredOn, undefined);
  });

  it('lets a TQ1 timing replace OBR-6, occurrence[x] being a choice', () => {
    const result = request(orc, obr, 'TQ1|1||TID');

    assert.equal(result.occurrenceDateTime, undefined);
    // TID without a system is a table 0335 code (RPT.1's binding), which
    // the RepeatPattern map sends to v3-GTSAbbreviation.
    assert.deepEqual(result.occurrenceTiming, {
      code: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
            code: 'TID',
          },
        ],
      },
    });
  });
});

describe('status and use vocabularies after the concept maps', () => {
  function result(obx: string, obr25 = '') {
    const msh = header('ORU^R01^ORU_R01');
    const pid =
      'PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F|||1 Elm St^^TOWN^^^^BI';
    const obr = `OBR|1|ORD1||GLU^Glucose^L${'|'.repeat(21)}${obr25}`;
    return mapped(hl7(msh, pid, obr, obx));
  }

  it('gives an OBX-11 the map leaves without a target (S) status unknown', () => {
    const record = result('OBX|1|NM|X^Y^L||1||||||S');

    assert.equal(firstOf(record, 'Observation').status, 'unknown');
  });

  it('gives an OBR-25 of A (some results) status unknown, R partial', () => {
    assert.equal(
      firstOf(result('OBX|1|NM|X^Y^L||1||||||F', 'A'), 'DiagnosticReport')
        .status,
      'unknown',
    );
    assert.equal(
      firstOf(result('OBX|1|NM|X^Y^L||1||||||F', 'R'), 'DiagnosticReport')
        .status,
      'partial',
    );
  });

  it('maps XAD.7 BI to address use billing', () => {
    const patient = firstOf(result('OBX|1|NM|X^Y^L||1||||||F'), 'Patient');

    assert.equal(
      (patient.address as Record<string, unknown>[])[0]?.use,
      'billing',
    );
  });
});

describe('IN1 to Coverage', () => {
  it('keeps the time of an IN1-12/13 sent as DTM (period is dateTime)', () => {
    const in1 = `IN1|1|PLAN1^Plan|PAYER1|Payer Co${'|'.repeat(8)}20240101|202412312359+0100`;
    const coverage = firstOf(mapped(adt(in1)), 'Coverage');

    assert.deepEqual(coverage.period, {
      start: '2024-01-01',
      end: '2024-12-31T23:59:00+01:00',
    });
  });
});

describe('IN2 numbers of the patient', () => {
  it('keeps a Medicare number sent in two IN2 once', () => {
    const in2 = `IN2||||||MC-1`;
    const record = mapped(adt('IN1|1|PLAN1', in2, 'IN1|2|PLAN2', in2));
    const medicare = (
      firstOf(record, 'Patient').identifier as Record<string, unknown>[]
    ).filter((id) => id.value === 'MC-1');

    assert.equal(medicare.length, 1);
  });
});

describe('IN2 to the insured RelatedPerson', () => {
  it('reads the preferred primary language from IN2-34, not the publicity code in IN2-36', () => {
    const in1 =
      'IN1|1|PLAN1^Plan|PAYER1|Payer Co||||||||||||DOE^JOHN|SPO^Spouse';
    const in2 = `IN2|${'|'.repeat(33)}spa^Spanish^HL70296||F^Family only`;
    const record = mapped(adt(in1, in2));
    const insured = resourcesOf(record, 'RelatedPerson').find((person) =>
      String(person.id).endsWith('INSURED'),
    );

    assert.deepEqual(insured?.communication, [
      {
        language: {
          coding: [
            { system: 'urn:ietf:bcp:47', code: 'es', display: 'Spanish' },
          ],
        },
        preferred: true,
      },
    ]);
  });
});

describe('NTE to Annotation', () => {
  it('maps NTE-5 to authorReference and NTE-6 to time', () => {
    const msh = header('ORU^R01^ORU_R01');
    const record = mapped(
      hl7(
        msh,
        PATIENT,
        'OBR|1|ORD1||GLU^Glucose^L',
        'OBX|1|NM|X^Y^L||1||||||F',
        'NTE|1||Checked twice||77^LEE^ANN|202403031200+0100',
      ),
    );

    assert.deepEqual(firstOf(record, 'Observation').note, [
      {
        authorReference: {
          type: 'Practitioner',
          identifier: { value: '77' },
          display: 'ANN LEE',
        },
        time: '2024-03-03T12:00:00+01:00',
        text: 'Checked twice',
      },
    ]);
  });
});

describe('Encounter status by the event and patient-class maps', () => {
  function status(type: string, pv1: string) {
    const msh = MSH.replace('ADT^A01^ADT_A01', type);
    const pid = 'PID|1||1^^^H^MR';
    return firstOf(mapped(hl7(msh, EVN, pid, pv1)), 'Encounter').status;
  }

  it('follows the event map: A01 in progress even for a pre-admit class', () => {
    assert.equal(status('ADT^A01', 'PV1|1|P'), 'in-progress');
    assert.equal(status('ADT^A04', 'PV1|1|O'), 'planned');
    assert.equal(status('ADT^A08', 'PV1|1|I'), 'unknown');
  });

  it('falls back to the patient-class map for events it does not list', () => {
    assert.equal(status('ADT^A31', 'PV1|1|I'), 'in-progress');
    assert.equal(status('ADT^A31', 'PV1|1|P'), 'planned');
    assert.equal(status('ADT^A31', 'PV1|1|U'), 'unknown');
  });
});

describe('TQ1 of an order group without OBR', () => {
  it('does not carry over to the next order', () => {
    const msh = header('OML^O21^OML_O21');
    const record = mapped(
      hl7(
        msh,
        PATIENT,
        'ORC|NW|P1',
        'TQ1|1||TID',
        'ORC|NW|P2',
        'OBR|1|P2||2345-7^Glucose^LN',
      ),
    );

    assert.equal(firstOf(record, 'ServiceRequest').occurrenceTiming, undefined);
  });
});

describe('DG1 after an OBR outside order messages', () => {
  it('stays a diagnosis of the visit in a DFT', () => {
    const msh = header('DFT^P03^DFT_P03');
    const record = mapped(
      hl7(
        msh,
        EVN.replace('A01', 'P03'),
        PATIENT,
        PV1,
        'ORC|NW|P1',
        'OBR|1|P1||30746-2^XR Chest^LN',
        'DG1|1||J18.9^Pneumonia^I10|||F',
        'FT1|1|||20240105||CG|99213^Visit^C4',
      ),
    );

    assert.equal(firstOf(record, 'ServiceRequest').reasonReference, undefined);
    assert.equal(
      (firstOf(record, 'Encounter').diagnosis as unknown[]).length,
      1,
    );
  });
});

describe('OBX in an order message', () => {
  it('is supporting information of the order, not a result based on it', () => {
    const msh = header('OML^O21^OML_O21');
    const record = mapped(
      hl7(
        msh,
        PATIENT,
        'ORC|NW|P1',
        'OBR|1|P1||2345-7^Glucose^LN',
        'OBX|1|NM|29463-7^Weight^LN||70|kg^kg^UCUM|||||F',
      ),
    );
    const observation = firstOf(record, 'Observation');

    assert.deepEqual(firstOf(record, 'ServiceRequest').supportingInfo, [
      { reference: `Observation/${observation.id}` },
    ]);
    assert.equal(observation.basedOn, undefined);
  });
});

describe('DG1 before its PV1', () => {
  it('still becomes a diagnosis of the visit', () => {
    const msh = header('REF^I12^REF_I12');
    const record = mapped(
      hl7(
        msh,
        'RF1|P^Pending^HL70283',
        'PRD|RP|LEE^ANN',
        PATIENT,
        'DG1|1||J18.9^Pneumonia^I10|||A',
        PV1,
      ),
    );
    const condition = firstOf(record, 'Condition');

    assert.deepEqual(
      (firstOf(record, 'Encounter').diagnosis as Record<string, unknown>[])[0]
        ?.condition,
      { reference: `Condition/${condition.id}` },
    );
  });
});

describe('XPN.7 name type by the NameType map', () => {
  it('maps R to official and leaves alias A without a use', () => {
    const pid =
      'PID|1||000123^^^HOSP^MR||DOE^JANE^^^^^R~ROE^JAY^^^^^A~DOE^J^^^^^MSK||19800101|F';
    const patient = firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient');

    assert.deepEqual(
      (patient.name as Record<string, unknown>[]).map((name) => name.use),
      ['official', undefined, 'anonymous'],
    );
  });
});

describe('XTN.2 use by the TelecommunicationUseCode map', () => {
  it('gives the field default only when XTN.2 is empty', () => {
    const pid =
      'PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F|||||' +
      '^EMR^PH^^^555^1110000~^^PH^^^555^2220000~^PRS^CP^^^555^3330000';
    const patient = firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient');

    assert.deepEqual(
      (patient.telecom as Record<string, unknown>[]).map((t) => t.use),
      [undefined, 'home', 'mobile'],
    );
  });
});

describe('PID-12 county', () => {
  it('becomes the district of the only address', () => {
    const pid =
      'PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F|||1 Elm St^^TOWN^ST^11111|C01';
    const patient = firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient');

    assert.equal(
      (patient.address as Record<string, unknown>[])[0]?.district,
      'C01',
    );
  });
});

describe('XAD.9 county through CWE[string]', () => {
  it('takes the original text, else the text, else the code', () => {
    const pid =
      'PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F|||' +
      '1 Elm St^^TOWN^ST^11111^^H^^C01&County One~' +
      '2 Oak St^^TOWN^ST^11111^^H^^C02&County Two&&&&&&&Second County~' +
      '3 Ash St^^TOWN^ST^11111^^H^^C03';
    const patient = firstOf(mapped(hl7(MSH, EVN, pid, PV1)), 'Patient');

    assert.deepEqual(
      (patient.address as Record<string, unknown>[]).map((a) => a.district),
      ['County One', 'Second County', 'C03'],
    );
  });
});

describe('TXA-13 parent document to relatesTo', () => {
  const mdm = (trigger: string) =>
    hl7(
      header(`MDM^${trigger}^MDM_T02`),
      `EVN|${trigger}|20240105083000`,
      PATIENT,
      PV1,
      'TXA|1|DI|TX|20240105080000+0000||20240105083000+0000||||||DOC-2|DOC-1||||AU',
      'OBX|1|TX|NOTE^Note^L||text||||||F',
    );
  const document = (trigger: string) =>
    firstOf(mapped(mdm(trigger)), 'DocumentReference');

  it('appends to the parent in an addendum (T05, T06) and replaces it in a replacement (T09, T10)', () => {
    for (const [trigger, code] of [
      ['T05', 'appends'],
      ['T06', 'appends'],
      ['T09', 'replaces'],
      ['T10', 'replaces'],
    ] as const) {
      assert.deepEqual(document(trigger).relatesTo, [
        {
          code,
          target: { type: 'DocumentReference', identifier: { value: 'DOC-1' } },
        },
      ]);
    }
  });

  it('names no relation for an event that does not say what it is', () => {
    assert.equal(document('T02').relatesTo, undefined);
  });
});

/** A TXA from field positions. */
function txa(fields: Record<number, string>): string {
  const values = Array.from({ length: 25 }, (_, i) => fields[i + 1] ?? '');
  return ['TXA', '1', ...values.slice(1)].join('|');
}

describe('MDM OBX to the content of the TXA document', () => {
  const mdm = hl7(
    header('MDM^T02^MDM_T02'),
    'EVN|T02|20240105083000',
    PATIENT,
    PV1,
    'ORC|NW|ORD-1',
    'OBR|1|ORD-1||NOTE^Progress note^L',
    txa({
      2: 'PN',
      3: 'TX',
      4: '20240105080000+0000',
      6: '20240105083000+0000',
      12: 'DOC-2',
      17: 'AU',
      18: 'R',
      25: 'Progress note',
    }),
    'OBX|1|TX|NOTE^Note^L||First line||||||F',
    'OBX|2|TX|NOTE^Note^L||Second line~Third line||||||F',
    'OBX|3|ED|IMG^Image^L||^IM^JPEG^Base64^aGVsbG8=||||||F',
  );
  const record = mapped(mdm);
  const document = firstOf(record, 'DocumentReference');

  it('makes no Observation from the document body', () => {
    assert.equal(resourcesOf(record, 'Observation').length, 0);
    assert.equal(resourcesOf(record, 'DocumentReference').length, 1);
  });

  it('joins the text lines into one text/plain attachment with size and hash', () => {
    const [text, image] = document.content as {
      attachment: Record<string, unknown>;
    }[];
    const body = 'First line\nSecond line\nThird line';

    assert.equal(text?.attachment.contentType, 'text/plain');
    assert.equal(
      Buffer.from(String(text?.attachment.data), 'base64').toString('utf8'),
      body,
    );
    assert.equal(text?.attachment.size, Buffer.byteLength(body));
    assert.deepEqual(image?.attachment, {
      contentType: 'image/jpeg',
      data: 'aGVsbG8=',
      size: 5,
      hash: 'qvTGHdzF6KLavt4PO0gs2a6pQ00=',
    });
  });

  it('leaves a body over the inline limit in the archived message, saying where', () => {
    const line = 'x'.repeat(1000);
    const long = hl7(
      header('MDM^T02^MDM_T02'),
      'EVN|T02|20240105083000',
      PATIENT,
      PV1,
      txa({ 2: 'PN', 3: 'TX', 12: 'DOC-3', 17: 'AU' }),
      ...Array.from(
        { length: 20 },
        (_, i) => `OBX|${i + 1}|TX|NOTE^Note^L||${line}||||||F`,
      ),
    );
    const [text] = firstOf(mapped(long), 'DocumentReference').content as {
      attachment: Record<string, unknown>;
    }[];

    assert.equal(text?.attachment.data, undefined);
    assert.equal(text?.attachment.size, 20 * 1000 + 19);
    assert.match(String(text?.attachment.title), /from OBX\[1\] on/);
  });

  it('maps TXA-18 confidentiality, TXA-25 title and the related order', () => {
    assert.deepEqual(document.securityLabel, [
      { coding: [{ system: `${V2}v2-0272`, code: 'R' }] },
    ]);
    assert.equal(document.description, 'Progress note');
    const related = (document.context as Record<string, unknown>).related;
    const order = firstOf(record, 'ServiceRequest');
    assert.deepEqual(related, [{ reference: `ServiceRequest/${order.id}` }]);
  });
});

describe('NK1-3 by the Relationship concept map', () => {
  const relationshipOf = (nk1: string) =>
    firstOf(mapped(hl7(MSH, EVN, PATIENT, nk1, PV1)), 'RelatedPerson')
      .relationship;

  it('reads an emergency contact as the 0131 role and a child as v3 CHILD', () => {
    assert.deepEqual(relationshipOf('NK1|1|ROE^RICHARD|EMC^^^CHD'), [
      {
        coding: [
          { system: `${V2}v2-0131`, code: 'C' },
          { system: `${V2}v3-RoleCode`, code: 'CHILD' },
        ],
      },
    ]);
  });

  it('leaves a code the sender placed in a local system as it is', () => {
    assert.deepEqual(relationshipOf('NK1|1|ROE^RICHARD|SEL^Self^L'), [
      { coding: [{ code: 'SEL', display: 'Self' }] },
    ]);
  });

  it('keeps table 0063 codes the map sends nowhere else in table 0063', () => {
    assert.deepEqual(relationshipOf('NK1|1|ROE^RICHARD|GRD'), [
      { coding: [{ system: `${V2}v2-0063`, code: 'GRD' }] },
    ]);
  });
});

describe('ORC-4 on the DiagnosticReport', () => {
  it('adds the placer group number, typed PGN, to the report identifiers', () => {
    const record = mapped(
      hl7(
        header('ORU^R01^ORU_R01'),
        PATIENT,
        'ORC|RE|P-1|F-1|GROUP-9',
        'OBR|1|P-1|F-1|GLU^Glucose^L|||20240105080000-0500||||||||||||||||F',
        'OBX|1|NM|GLU^Glucose^L||5.4|mmol/L|||||F',
      ),
    );
    const report = firstOf(record, 'DiagnosticReport');
    const typed = (report.identifier as Record<string, unknown>[]).map(
      (identifier) => {
        const { coding } = identifier.type as { coding: { code: string }[] };
        return `${coding[0]?.code}:${identifier.value}`;
      },
    );

    assert.deepEqual(typed, ['PLAC:P-1', 'FILL:F-1', 'PGN:GROUP-9']);
  });
});

describe('codes that are names of Object properties', () => {
  it('map like any unknown code instead of failing the file', () => {
    const result = validateHl7(
      hl7(
        MSH,
        EVN,
        'PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|constructor|||||||toString|__proto__',
        'PV1|1|constructor|WARD1^101^A',
        'NK1|1|ROE^RICHARD|constructor||||hasOwnProperty',
        'AL1|1|constructor|X^Y|valueOf',
      ),
    );

    assert.deepEqual(
      result.fileIssues.map((issue) => issue.rule),
      [],
    );
    const resources = result.records.flatMap((record) => record.resources);
    assert.ok(resources.length > 0);
    const errors = resources.flatMap((resource) =>
      validateResource(resource, resource.resourceType)
        .filter((issue) => issue.severity === 'error')
        .map((issue) => `${issue.rule}@${issue.location}`),
    );
    assert.deepEqual(errors, []);
  });
});

describe('MDM bodies with blank lines, other value types, notes and two documents', () => {
  const decoded = (attachment: Record<string, unknown> | undefined) =>
    Buffer.from(String(attachment?.data), 'base64').toString('utf8');
  const record = mapped(
    hl7(
      header('MDM^T02^MDM_T02'),
      'EVN|T02|20240105083000',
      PATIENT,
      PV1,
      txa({ 2: 'PN', 3: 'TX', 12: 'DOC-1', 17: 'AU' }),
      'OBX|1|TX|NOTE^Note^L||First^part||||||F',
      'OBX|2|TX|NOTE^Note^L||||||||F',
      'OBX|3|TX|NOTE^Note^L||After the blank line||||||F',
      'NTE|1||Reviewed by the attending',
      'OBX|4|HD|UID^Study UID^L||1.2.840.1||||||F',
      txa({ 2: 'DS', 3: 'TX', 12: 'DOC-2', 17: 'AU' }),
      'OBX|5|TX|NOTE^Note^L||Second document||||||F',
    ),
  );
  const [first, second] = resourcesOf(record, 'DocumentReference').map(
    (document) => document.content as { attachment: Record<string, unknown> }[],
  );

  it('keeps blank lines and whole TX values, and closes each document', () => {
    const [body] = first ?? [];
    assert.equal(
      decoded(body?.attachment),
      'First^part\n\nAfter the blank line',
    );
    const [other] = second ?? [];
    assert.equal(decoded(other?.attachment), 'Second document');
  });

  it('keeps an OBX of another value type as an Observation', () => {
    const observations = resourcesOf(record, 'Observation');
    assert.deepEqual(
      observations.map((o) => JSON.stringify(o.code)),
      [JSON.stringify({ coding: [{ code: 'UID', display: 'Study UID' }] })],
    );
  });

  it('adds an NTE after the document body as a comment attachment', () => {
    const [, comment] = first ?? [];
    assert.equal(comment?.attachment.title, 'comment');
    assert.equal(decoded(comment?.attachment), 'Reviewed by the attending');
  });
});
