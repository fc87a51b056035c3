import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateHl7 } from '../../../shared/hl7/index.ts';
import { adt, firstOf, hl7, onlyRecord, PID, resourcesOf } from './helpers.ts';

const msh = (type: string) =>
  `MSH|^~\\&|LAB|FAC|EHR|FAC|20240105083000||${type}|CTRL-3|P|2.5.1`;

function mapped(bytes: Uint8Array) {
  const record = onlyRecord(validateHl7(bytes));
  assert.equal(record.accepted, true, JSON.stringify(record.issues));
  return record;
}

describe('ORC and OBR', () => {
  it('maps an order to a ServiceRequest with placer, filler and status', () => {
    const record = mapped(
      hl7(
        msh('ORM^O01^ORM_O01'),
        PID,
        'ORC|NW|P1|||||||20240105080000+0100',
        'OBR|1|P1|F1|XR^Chest X-ray^L',
      ),
    );
    const request = firstOf(record, 'ServiceRequest');

    assert.equal(request.status, 'active');
    assert.equal(request.intent, 'order');
    assert.equal(request.authoredOn, '2024-01-05T08:00:00+01:00');
    assert.deepEqual(
      (request.identifier as { value: string }[]).map((id) => id.value),
      ['P1', 'F1'],
    );
    assert.deepEqual(resourcesOf(record, 'DiagnosticReport'), []);
  });

  it('maps a result OBR to a DiagnosticReport listing its own OBX', () => {
    const record = mapped(
      hl7(
        msh('ORU^R01^ORU_R01'),
        PID,
        `OBR|1|P1|F1|CBC^Blood count^L|||20240105${'|'.repeat(15)}20240105120000+0000|||F`,
        'OBX|1|NM|A^a^LN||1||||||F',
        'OBX|2|NM|B^b^LN||2||||||F',
        'OBR|2|P2|F2|LIP^Lipids^L',
        'OBX|1|NM|C^c^LN||3||||||F',
      ),
    );
    const [first, second] = resourcesOf(record, 'DiagnosticReport');
    const observations = resourcesOf(record, 'Observation').map(
      (o) => `Observation/${o.id}`,
    );
    const request = resourcesOf(record, 'ServiceRequest')[0];

    assert.equal(first?.status, 'final');
    assert.equal(first?.issued, '2024-01-05T12:00:00+00:00');
    assert.deepEqual(first?.basedOn, [
      { reference: `ServiceRequest/${request?.id}` },
    ]);
    assert.deepEqual(
      first?.result,
      observations.slice(0, 2).map((reference) => ({ reference })),
    );
    assert.deepEqual(second?.result, [{ reference: observations[2] }]);
    assert.equal(second?.status, 'unknown');
  });
  it('pairs an OUL_R22 ORC with the OBR it follows, and its TQ1', () => {
    const record = mapped(
      hl7(
        msh('OUL^R22^OUL_R22'),
        PID,
        'SPM|1|SP1',
        'OBR|1|P1|F1|CBC^Blood count^L',
        'ORC|SC|||G1|CM',
        'TQ1|1||||||||A',
        'OBX|1|NM|A^a^LN||1||||||F',
        'OBR|2|P2|F2|LIP^Lipids^L',
        'ORC|SC|||G2|IP',
        'OBX|1|NM|C^c^LN||3||||||F',
      ),
    );
    const [first, second] = resourcesOf(record, 'ServiceRequest');
    const reports = resourcesOf(record, 'DiagnosticReport');

    assert.equal(first?.status, 'completed');
    assert.equal(first?.priority, 'asap');
    assert.deepEqual(
      (first?.requisition as { value: string } | undefined)?.value,
      'G1',
    );
    assert.equal(second?.status, 'active');
    assert.equal(second?.priority, undefined);
    assert.deepEqual(
      (second?.requisition as { value: string } | undefined)?.value,
      'G2',
    );
    assert.deepEqual(
      reports.map((report) => (report.result as unknown[]).length),
      [1, 1],
    );
    assert.deepEqual(
      reports.map((report) =>
        (report.identifier as { value: string }[]).map((id) => id.value),
      ),
      [
        ['P1', 'F1', 'G1'],
        ['P2', 'F2', 'G2'],
      ],
    );
  });
  it('pairs an OUL ORC only with the OBR right before it', () => {
    const record = mapped(
      hl7(
        msh('OUL^R22^OUL_R22'),
        PID,
        'SPM|1|SP1',
        'OBR|1|P1|F1|CBC^Blood count^L',
        'OBX|1|NM|A^a^LN||1||||||F',
        'SPM|2|SP2',
        'ORC|SC|||G2|CM',
        'OBR|2|P2|F2|LIP^Lipids^L',
        'OBX|1|NM|C^c^LN||3||||||F',
      ),
    );
    const [first, second] = resourcesOf(record, 'ServiceRequest');

    assert.equal(first?.requisition, undefined);
    assert.equal(first?.status, 'unknown');
    assert.equal(
      (second?.requisition as { value: string } | undefined)?.value,
      'G2',
    );
    assert.equal(second?.status, 'completed');
  });
  it('keeps what precedes an OBR in its order group off the previous order', () => {
    // v2.8.2 ORU_R01: ORC, ORDER_DOCUMENT (OBX, TXA), then the OBR.
    const record = mapped(
      hl7(
        msh('ORU^R01^ORU_R01'),
        PID,
        'ORC|RE|P1',
        'OBR|1|P1|F1|CBC^Blood count^L',
        'OBX|1|NM|A^a^LN||1||||||F',
        'ORC|RE|P2',
        'OBX|1|ST|NOTE^Note^L||text||||||F',
        'TXA|1|CN|TX|20240105',
        'OBR|2|P2|F2|LIP^Lipids^L',
        'OBX|1|NM|C^c^LN||3||||||F',
      ),
    );
    const [report1, report2] = resourcesOf(record, 'DiagnosticReport');
    const document = firstOf(record, 'DocumentReference');

    assert.equal((report1?.result as unknown[] | undefined)?.length, 1);
    assert.equal((report2?.result as unknown[] | undefined)?.length, 1);
    assert.equal(
      (document.context as { related?: unknown }).related,
      undefined,
    );
  });
  it('keeps a specimen OBX out of the report and the order', () => {
    const record = mapped(
      hl7(
        msh('ORU^R01^ORU_R01'),
        PID,
        'OBR|1|P1|F1|CBC^Blood count^L',
        'OBX|1|NM|A^a^LN||1||||||F',
        'SPM|1|SP1',
        'OBX|1|CWE|SPECCOND^Specimen condition^L||OK^ok^L||||||F',
      ),
    );
    const report = firstOf(record, 'DiagnosticReport');
    const [result, specimen] = resourcesOf(record, 'Observation');

    assert.deepEqual(report.result, [
      { reference: `Observation/${result?.id}` },
    ]);
    assert.ok(result?.basedOn);
    assert.equal(specimen?.basedOn, undefined);
  });
  it('lets the ORC that completes an OUL order replace what the OBR alone said', () => {
    const record = mapped(
      hl7(
        msh('OUL^R22^OUL_R22'),
        PID,
        'SPM|1|S1||BLD^Blood^HL70487',
        'OBR|1|P1||GLU^Glucose^L||202401050900',
        'ORC|SC|P1|||CM||^^^202401051000',
        'OBX|1|NM|GLU^Glucose^L||5|mmol/L||||||F',
      ),
    );
    const request = firstOf(record, 'ServiceRequest');

    // occurrence[x] is a choice: the ORC-7 timing replaces OBR-6.
    assert.equal(request.occurrenceDateTime, undefined);
    assert.ok(request.occurrenceTiming);
    assert.equal(request.status, 'completed');
  });
  it('maps nothing of an OML prior result and keeps the orders after it', () => {
    const record = mapped(
      hl7(
        msh('OML^O21^OML_O21'),
        'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
        'PV1|1|O|W1',
        'ORC|NW|P1',
        'OBR|1|P1||GLU^Glucose^L',
        // PRIOR_RESULT: the prior patient (here the mother), visit,
        // allergy, order and result (OML_O21 rows 6.4.10: no target).
        'PID|1||222^^^FAC^MR||ALPHA^BEA||19600101|F',
        'PV1|1|O|OLD',
        'AL1|1|DA|70618^Penicillin^RXNORM',
        'ORC|RE|OLD1',
        'OBR|1|OLD1||GLU^Glucose^L',
        'OBX|1|NM|GLU^Glucose^L||4|mmol/L|||||F',
        'ORC|NW|P2',
        'OBR|2|P2||NA^Sodium^L',
      ),
    );
    const patients = resourcesOf(record, 'Patient');
    const [visit] = resourcesOf(record, 'Encounter');
    const requests = resourcesOf(record, 'ServiceRequest');
    const provenance = JSON.stringify(firstOf(record, 'Provenance'));

    assert.equal(patients.length, 1);
    assert.equal(resourcesOf(record, 'Encounter').length, 1);
    assert.deepEqual(resourcesOf(record, 'Observation'), []);
    assert.deepEqual(resourcesOf(record, 'AllergyIntolerance'), []);
    assert.equal(requests.length, 2);
    for (const request of requests) {
      assert.deepEqual(request.subject, {
        reference: `Patient/${patients[0]?.id}`,
      });
    }
    assert.deepEqual(requests[1]?.encounter, {
      reference: `Encounter/${visit?.id}`,
    });
    // Counted, never silently dropped.
    assert.match(provenance, /PID in PRIOR_RESULT\(1\)/);
    assert.match(provenance, /OBX in PRIOR_RESULT\(1\)/);
  });
  it('opens a patient group at every PID outside order messages', () => {
    const record = mapped(
      hl7(
        msh('ADT^A24^ADT_A24'),
        'EVN|A24|20240105083000',
        'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
        'PD1|||FAC^^G1|G1^DR^GP',
        'PV1|1|I|W1',
        'PID|2||222^^^FAC^MR||BETA^BOB||19700101|M',
        'PD1|||FAC^^G2|G2^DR^GP',
        'PV1|1|O|W2',
      ),
    );
    const [first, second] = resourcesOf(record, 'Patient');
    const [visit1, visit2] = resourcesOf(record, 'Encounter');
    const gp = (patient?: Record<string, unknown>) =>
      JSON.stringify(patient?.generalPractitioner);

    assert.deepEqual(visit1?.subject, { reference: `Patient/${first?.id}` });
    assert.deepEqual(visit2?.subject, { reference: `Patient/${second?.id}` });
    assert.match(gp(first), /G1/);
    assert.match(gp(second), /G2/);
  });
  it('gives an SIU’s resources to the first patient after a second group', () => {
    const record = mapped(
      hl7(
        msh('SIU^S12^SIU_S12'),
        'SCH|A1|F1',
        'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
        'PID|2||222^^^FAC^MR||BETA^BOB||19700101|M',
        'PD1|||FAC^^G2|G2^DR^GP',
        'RGS|1',
        'AIS|1||58410-2^CBC panel^LN',
      ),
    );
    const [first, second] = resourcesOf(record, 'Patient');

    assert.deepEqual(firstOf(record, 'ServiceRequest').subject, {
      reference: `Patient/${first?.id}`,
    });
    assert.equal(first?.generalPractitioner, undefined);
    assert.ok(second?.generalPractitioner);
  });
  it('reads the first ORC after a prior patient as the prior order', () => {
    const record = mapped(
      hl7(
        msh('OML^O21^OML_O21'),
        'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
        'ORC|NW|P1',
        'OBR|1|P1||GLU^Glucose^L',
        'PV1|1|I|OLDWARD',
        'ORC|SC|OLD1',
        'OBR|1|OLD1||K^Potassium^L',
        'OBX|1|NM|K^Potassium^L||9|mmol/L|||||F',
        'ORC|NW|P2',
        'OBR|2|P2||NA^Sodium^L',
      ),
    );
    const requests = resourcesOf(record, 'ServiceRequest');

    assert.equal(requests.length, 2);
    assert.deepEqual(resourcesOf(record, 'Observation'), []);
    // The prior visit is nobody's encounter here.
    for (const request of requests) assert.equal(request.encounter, undefined);
  });
  it('ends a prior result at the next specimen (OML_O33)', () => {
    const record = mapped(
      hl7(
        msh('OML^O33^OML_O33'),
        'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
        'SPM|1|S1||BLD^Blood^HL70487',
        'ORC|NW|P1',
        'OBR|1|P1||GLU^Glucose^L',
        'PID|1||222^^^FAC^MR||ALPHA^BEA||19600101|F',
        'ORC|RE|OLD1',
        'OBR|1|OLD1||GLU^Glucose^L',
        'SPM|2|S2||UR^Urine^HL70487',
        // Even an ORC that could be another prior order (RE): the SPM ended
        // the prior result.
        'ORC|RE|P2',
        'OBR|2|P2||NA^Sodium^L',
      ),
    );

    assert.equal(resourcesOf(record, 'ServiceRequest').length, 2);
  });
  it('gives each PV1 of a BAR its own diagnoses and stay', () => {
    const record = mapped(
      hl7(
        msh('BAR^P01^BAR_P01'),
        'EVN|P01|20240105083000',
        'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
        'PV1|1|I|W1||||||||||||||||V1',
        `PV2${'|'.repeat(11)}3`,
        'DG1|1||I10^Hypertension^I10|||F',
        'PV1|2|O|W2||||||||||||||||V2',
        `PV2${'|'.repeat(11)}7`,
        'DG1|1||E11^Diabetes^I10|||F',
      ),
    );
    const [visit1, visit2] = resourcesOf(record, 'Encounter');
    const [hypertension, diabetes] = resourcesOf(record, 'Condition');
    const days = (visit?: Record<string, unknown>) =>
      (visit?.length as { value: number } | undefined)?.value;

    assert.equal(days(visit1), 3);
    assert.equal(days(visit2), 7);
    assert.deepEqual(hypertension?.encounter, {
      reference: `Encounter/${visit1?.id}`,
    });
    assert.deepEqual(diabetes?.encounter, {
      reference: `Encounter/${visit2?.id}`,
    });
  });
  it('counts a note nothing can take instead of giving it to the wrong resource', () => {
    const record = mapped(
      hl7(
        msh('DFT^P03^DFT_P03'),
        'EVN|P03|20240105083000',
        PID,
        'NTE|1||about the patient',
        'PV1|1|O|W1',
        'OBR|1|P1||GLU^Glucose^L',
        'OBX|1|NM|GLU^Glucose^L||5|mmol/L|||||F',
        'FT1|1|||20240105||CG|99213^Visit^C4',
        'NTE|1||about the charge',
      ),
    );
    const provenance = JSON.stringify(firstOf(record, 'Provenance'));

    assert.equal(firstOf(record, 'Observation').note, undefined);
    assert.match(provenance, /NTE in no resource that takes notes\(2\)/);
  });
  it('makes an SIU service’s notes the appointment comment, and counts the others', () => {
    const record = mapped(
      hl7(
        msh('SIU^S12^SIU_S12'),
        'SCH|A1|F1',
        PID,
        'RGS|1',
        'AIS|1||58410-2^CBC panel^LN',
        'NTE|1||fasting required',
        'AIP|1||1234^CARE^CLARA',
        'NTE|1||about the doctor',
      ),
    );

    assert.equal(firstOf(record, 'Appointment').comment, 'fasting required');
    assert.equal(firstOf(record, 'ServiceRequest').note, undefined);
    assert.match(
      JSON.stringify(firstOf(record, 'Provenance')),
      /NTE in no resource that takes notes\(1\)/,
    );
  });
  it('keeps a prior order reported as completed in the prior result', () => {
    const record = mapped(
      hl7(
        msh('OMG^O19^OMG_O19'),
        'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
        'ORC|NW|P1',
        'OBR|1|P1||GLU^Glucose^L',
        'PID|1||999^^^FAC^MR||OMEGA^OLA||19600101|F',
        'ORC|CM|PP1',
        'OBR|1|PP1||GLU^Glucose^L',
        'ORC|CM|PP2',
        'OBR|2|PP2||K^Potassium^L',
        'OBX|1|NM|K^Potassium^L||9|mmol/L|||||F',
        'ORC|NW|P2',
        'OBR|2|P2||NA^Sodium^L',
      ),
    );

    assert.deepEqual(
      resourcesOf(record, 'ServiceRequest').map((request) =>
        (request.identifier as { value: string }[]).map((id) => id.value),
      ),
      [['P1'], ['P2']],
    );
    assert.deepEqual(resourcesOf(record, 'Observation'), []);
  });
  it('reads a late PV1 in an ORM as a visit, not a prior result', () => {
    const record = mapped(
      hl7(
        msh('ORM^O01^ORM_O01'),
        PID,
        'ORC|NW|P1',
        'OBR|1|P1||GLU^Glucose^L',
        'PV1|1|O|W1',
        'ORC|NW|P2',
        'OBR|2|P2||NA^Sodium^L',
      ),
    );

    assert.equal(resourcesOf(record, 'ServiceRequest').length, 2);
  });
  it('gives a note after a segment that made nothing to nothing', () => {
    const record = mapped(
      hl7(
        msh('ORU^R01^ORU_R01'),
        PID,
        'OBR|1|P1||GLU^Glucose^L',
        'OBX|1|NM|GLU^Glucose^L||5|mmol/L|||||F',
        'SPM|1|S1||BLD^Blood^HL70487',
        'NTE|1||about the specimen',
      ),
    );

    assert.equal(firstOf(record, 'Observation').note, undefined);
  });
  it('keeps an MDM note on its document past a CON and an SIU service note past a PRT', () => {
    const mdm = mapped(
      hl7(
        msh('MDM^T02^MDM_T02'),
        'EVN|T02|20240105083000',
        PID,
        'PV1|1|O|W1',
        'TXA|1|CN|TX|20240105',
        'CON|1',
        'OBX|1|TX|NOTE^Note^L||line one||||||F',
        'NTE|1||doc note',
      ),
    );
    const siu = mapped(
      hl7(
        msh('SIU^S12^SIU_S12'),
        'SCH|A1|F1',
        PID,
        'RGS|1',
        'AIS|1||58410-2^CBC panel^LN',
        'PRT|1|AD',
        'NTE|1||fasting required',
      ),
    );
    const content = firstOf(mdm, 'DocumentReference').content as {
      attachment: { title?: string };
    }[];

    assert.ok(content.some((item) => item.attachment.title === 'comment'));
    assert.equal(firstOf(siu, 'Appointment').comment, 'fasting required');
  });
  it('keeps an OUL_R24 result after its specimen’s container in the report', () => {
    const record = mapped(
      hl7(
        msh('OUL^R24^OUL_R24'),
        PID,
        'OBR|1|P1||GLU^Glucose^L',
        'ORC|SC|P1|||CM',
        'SPM|1|S1||BLD^Blood^HL70487',
        'OBX|1|CWE|COND^Condition^L||OK^ok^L||||||F',
        'SAC|1',
        'OBX|2|NM|GLU^Glucose^L||5|mmol/L||||||F',
      ),
    );
    const [specimen, result] = resourcesOf(record, 'Observation');

    assert.deepEqual(firstOf(record, 'DiagnosticReport').result, [
      { reference: `Observation/${result?.id}` },
    ]);
    assert.equal(specimen?.basedOn, undefined);
  });
  it('reads RPT.1 as table 0335 through the RepeatPattern map', () => {
    const tq1 = [
      'P&Post&HL7xxx', // a template's placeholder name: table 0335
      'BID', // no system: RPT.1 is bound to table 0335
      'Q1D&Daily&HL70335', // mapped to a GTSAbbreviation code
      'X1&Local&HL7LOCAL', // a local system that starts with HL7
      'QAM&Morning&HL70335', // table 0335, no GTSAbbreviation target
    ];
    const record = mapped(
      hl7(
        msh('ORM^O01^ORM_O01'),
        PID,
        ...tq1.flatMap((pattern, n) => [
          `ORC|NW|P${n}`,
          `OBR|${n + 1}|P${n}||XR^Chest X-ray^L`,
          `TQ1|1||${pattern}`,
        ]),
      ),
    );
    const codings = resourcesOf(record, 'ServiceRequest').map(
      (request) =>
        (request.occurrenceTiming as { code: { coding: unknown[] } }).code
          .coding,
    );
    const v2 = 'http://terminology.hl7.org/CodeSystem/v2-0335';
    const gts = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';

    assert.deepEqual(codings, [
      [{ system: v2, code: 'P' }],
      [{ system: gts, code: 'BID' }],
      [{ system: gts, code: 'QD' }],
      [{ code: 'X1' }],
      [{ system: v2, code: 'QAM' }],
    ]);
  });
});

describe('PR1 and RXA', () => {
  it('maps PR1 to a Procedure of unknown status', () => {
    const record = mapped(adt('PR1|1||80146002^Appendectomy^SCT||20240101'));
    const procedure = firstOf(record, 'Procedure');

    assert.equal(procedure.status, 'unknown');
    assert.equal(procedure.performedDateTime, '2024-01-01');
    assert.match(JSON.stringify(procedure.code), /snomed/);
  });

  it('maps RXA to an Immunization with dose and lot number', () => {
    const rxa =
      'RXA|0|1|20240105||08^HepB^CVX|0.5|mL^mL^UCUM||||||||LOT1|||||CP';
    const record = mapped(hl7(msh('VXU^V04^VXU_V04'), PID, 'ORC|RE||1', rxa));
    const immunization = firstOf(record, 'Immunization');

    assert.equal(immunization.status, 'completed');
    assert.equal(immunization.occurrenceDateTime, '2024-01-05');
    assert.equal(immunization.lotNumber, 'LOT1');
    assert.deepEqual(immunization.doseQuantity, {
      value: 0.5,
      unit: 'mL',
      system: 'http://unitsofmeasure.org',
      code: 'mL',
    });
    assert.deepEqual(immunization.vaccineCode, {
      coding: [
        { system: 'http://hl7.org/fhir/sid/cvx', code: '08', display: 'HepB' },
      ],
    });
  });

  it('maps no Immunization when RXA-3 is not a date', () => {
    const rxa = 'RXA|0|1|unknown||08^HepB^CVX|999';
    const record = mapped(hl7(msh('VXU^V04^VXU_V04'), PID, 'ORC|RE||1', rxa));

    assert.deepEqual(resourcesOf(record, 'Immunization'), []);
  });
});

describe('patient groups', () => {
  const subjectOf = (resource: Record<string, unknown> | undefined) =>
    (resource?.subject as { reference: string } | undefined)?.reference;

  it('gives each PID of an ORU its own results, orders and visit', () => {
    const record = mapped(
      hl7(
        msh('ORU^R01^ORU_R01'),
        'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
        'PV1|1|O|CLINIC',
        'OBR|1|P1|F1|1234-5^Test^LN|||20240105',
        'OBX|1|NM|1234-5^Test^LN||5|mg||N|||F',
        'PID|2||222^^^FAC^MR||BETA^BOB||19700101|M',
        'OBR|2|P2|F2|1234-5^Test^LN|||20240105',
        'OBX|1|NM|1234-5^Test^LN||7|mg||N|||F',
      ),
    );
    const [first, second] = resourcesOf(record, 'Patient');
    const [report1, report2] = resourcesOf(record, 'DiagnosticReport');
    const [result1, result2] = resourcesOf(record, 'Observation');
    const [request2] = resourcesOf(record, 'ServiceRequest').slice(1);
    assert.ok(first && second && report1 && report2 && result1 && result2);

    for (const resource of [report1, result1]) {
      assert.equal(subjectOf(resource), `Patient/${first.id}`);
    }
    for (const resource of [request2, report2, result2]) {
      assert.equal(subjectOf(resource), `Patient/${second.id}`);
    }
    // The second group has no PV1: no encounter, not the first patient's.
    assert.equal(result2.encounter, undefined);
    assert.ok(result1.encounter);
    assert.deepEqual(report2.result, [
      { reference: `Observation/${result2.id}` },
    ]);
  });

  it('keeps PD1 and PV1 of a repeated merge group with their own PID', () => {
    const record = mapped(
      hl7(
        msh('ADT^A40^ADT_A39'),
        'EVN|A40|20240105083000',
        'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
        'PD1||||1234^CARE^CLARA',
        'MRG|999^^^FAC^MR',
        'PID|2||222^^^FAC^MR||BETA^BOB||19700101|M',
        'MRG|888^^^FAC^MR',
        'PV1|1|I|WARD1^101^A',
      ),
    );
    const [first, second] = resourcesOf(record, 'Patient');
    const [visit] = resourcesOf(record, 'Encounter');
    assert.ok(first && second && visit);
    assert.ok(first.generalPractitioner);
    assert.equal(second.generalPractitioner, undefined);
    assert.equal(subjectOf(visit), `Patient/${second.id}`);
  });

  it('links each surviving patient of a merge to the record merged away', () => {
    const merge = (type: string) =>
      mapped(
        hl7(
          msh(type),
          'EVN|A40|20240105083000',
          'PID|1||111^^^FAC^MR||ALPHA^ANN||19800101|F',
          'MRG|999^^^FAC^MR~998^^^FAC^MR',
          'PID|2||222^^^FAC^MR||BETA^BOB||19700101|M',
          'MRG|888^^^FAC^MR',
        ),
      );
    const links = (record: ReturnType<typeof mapped>) =>
      resourcesOf(record, 'Patient').map((patient) =>
        ((patient.link as Record<string, unknown>[] | undefined) ?? []).map(
          (link) => [
            link.type,
            (link.other as { identifier: { value: string } }).identifier.value,
          ],
        ),
      );

    assert.deepEqual(links(merge('ADT^A40^ADT_A39')), [
      [
        ['replaces', '999'],
        ['replaces', '998'],
      ],
      [['replaces', '888']],
    ]);
    // A47 changes an identifier and A41 merges accounts: no patient merge.
    assert.deepEqual(links(merge('ADT^A47^ADT_A30')), [[], []]);
    assert.deepEqual(links(merge('ADT^A41^ADT_A39')), [[], []]);
  });
});
