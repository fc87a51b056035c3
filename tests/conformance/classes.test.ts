/**
 * The classes of known difference in scripts/conformance/explained.ts stay
 * tied to what the corpus shows: a class that explains nothing any more
 * (the mapper changed, or its pattern drifted) is dead weight that would
 * hide a future regression, so it fails here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { compareCorpus } from '../../scripts/conformance/compare.ts';
import { explain, messageText } from '../../scripts/conformance/explain.ts';
import { EXPLANATIONS } from '../../scripts/conformance/explained.ts';

const CORPUS = new URL('../../../shared/corpus/', import.meta.url);
const expectedFiles = readdirSync(new URL('hl7v2-expected/', CORPUS));
const corpusMessage = (name: string) =>
  messageText(readFileSync(new URL(`hl7v2/${name}`, CORPUS), 'latin1'));

describe('conformance classes over the corpus', () => {
  const results = compareCorpus();
  const used = new Set(
    results.flatMap((r) => r.differences.map((d) => d.explanation?.id)),
  );

  it('compares every message that has a reference Bundle', () => {
    assert.equal(results.length, expectedFiles.length);
  });

  it('uses every class to explain at least one difference', () => {
    const dead = EXPLANATIONS.map((e) => e.id).filter((id) => !used.has(id));
    assert.deepEqual(dead, []);
  });

  it('gives every class a distinct id, a row and a reason', () => {
    const ids = EXPLANATIONS.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const e of EXPLANATIONS) {
      assert.ok(e.row.length > 0 && e.why.length > 0, e.id);
    }
  });

  it('leaves made-up regressions unexplained', () => {
    const adt = corpusMessage('ADT-A01-01.hl7');
    const oru = corpusMessage('LRI_2.0-NG_CBC_Typ_Message.hl7');
    const regressions: [string, '-' | '+', ReturnType<typeof messageText>][] = [
      ['#Patient', '-', adt],
      ['Patient.name.family=EVERYMAN', '-', adt],
      ['Patient.birthDate=1999-01-01', '+', adt],
      ['Encounter.class.code=IMP', '-', adt],
      ['#Observation', '-', oru],
      ['Observation.status=final', '-', oru],
      ['DiagnosticReport.code.coding.code=12345-6', '-', oru],
    ];
    for (const [fact, side, message] of regressions) {
      assert.equal(
        explain(fact, side, message, EXPLANATIONS)?.id,
        undefined,
        fact,
      );
    }
  });

  it('explains a county code only from an address field without text', () => {
    // Made up: PID-11 counties as a code (one with its table named) and
    // an unrelated field whose ninth component looks like a county.
    const adt = messageText(
      [
        'MSH|^~\\&|ADT|FAC|EHR|FAC|20240105||ADT^A01^ADT_A01|C2|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE||||||1 Elm St^^Town^ST^00000^^H^^C04&&HL70289~2 Oak St^^Town^ST^00000^^M^^C05&Lake County',
        'IN1|1|^^^^^^^^C09',
      ].join('\r'),
    );
    const id = (value: string) =>
      explain(`Patient.address.district=${value}`, '+', adt, EXPLANATIONS)?.id;

    assert.equal(id('C04'), 'county-code-only');
    assert.equal(id('C05'), undefined);
    assert.equal(id('C09'), undefined);
  });

  it('keeps the order classes to the fields and counts that cause them', () => {
    // Made up: an order without ORC-31 and OBR-29, then the same with one
    // OBR naming a parent result (OBR-29) and a service section (OBR-24),
    // and an ORC-29 order type.
    const oru = (obrTail: string) =>
      messageText(
        [
          'MSH|^~\\&|LAB|FAC|EHR|FAC|20240105||ORU^R01^ORU_R01|C8|P|2.5.1',
          'PID|1||123^^^FAC^MR||DOE^JANE',
          `ORC|RE|P1|F1${'|'.repeat(26)}I^Inpatient^HL70482`,
          `OBR|1|P1|F1|GLU^Glucose^L${obrTail}`,
        ].join('\r'),
      );
    const plain = oru('');
    const parent = oru(`${'|'.repeat(20)}CH${'|'.repeat(5)}PP1&LAB^FF1&LAB`);
    const id = (
      message: ReturnType<typeof messageText>,
      fact: string,
      count = 1,
    ) => explain(fact, '-', message, EXPLANATIONS, false, count)?.id;

    assert.equal(
      id(plain, 'ServiceRequest.identifier.type.coding.code=PLAC'),
      undefined,
    );
    assert.equal(
      id(parent, 'ServiceRequest.locationCode.coding.code=CH'),
      'obr-24-no-target',
    );
    assert.equal(
      id(parent, 'ServiceRequest.locationCode.coding.code=I'),
      undefined,
    );
    assert.equal(id(parent, '#ServiceRequest'), 'obr-29-parent');
    assert.equal(id(parent, '#ServiceRequest', 2), undefined);
    assert.equal(id(plain, '#ServiceRequest'), undefined);
  });

  it('keeps the guarantor, requisition and death-cause classes off real losses', () => {
    // Made up: a patient with a phone, a spouse who is also the guarantor,
    // an order whose ORC-4 repeats its placer number, and a DG1 sending
    // the same code as PDA-1.
    const adt = messageText(
      [
        'MSH|^~\\&|ADT|FAC|EHR|FAC|20240105||ADT^A01^ADT_A01|C9|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE||||||||^PRN^PH^^^555^1234567',
        'NK1|1|ROE^ALEX|SPO',
        'DG1|1||I21.9^MI^I10|||F',
        'GT1|1||ROE^ALEX',
        'IN1|1|PLAN1|PAY1|Payer Co',
        'PDA|I21.9^MI^I10',
      ].join('\r'),
    );
    const orm = messageText(
      [
        'MSH|^~\\&|LAB|FAC|EHR|FAC|20240105||ORM^O01^ORM_O01|C10|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE',
        'ORC|NW|ORD-77|FIL-1|ORD-77',
        'OBR|1|ORD-77|FIL-1|1234^Test^L',
      ].join('\r'),
    );
    const id = (
      message: ReturnType<typeof messageText>,
      fact: string,
      count = 1,
    ) => explain(fact, '-', message, EXPLANATIONS, false, count)?.id;

    assert.equal(id(adt, 'Patient.contact.name.family=ROE'), undefined);
    assert.equal(id(adt, 'Patient.telecom.use=home', 20), undefined);
    assert.equal(id(adt, 'Condition.code.coding.code=I21.9'), undefined);
    assert.equal(id(orm, 'ServiceRequest.identifier.value=ORD-77'), undefined);
  });

  it('ties the RP/ED report classes to the RP or ED OBX, one per OBX', () => {
    // Made up: one numeric result and one reference-pointer result.
    const oru = messageText(
      [
        'MSH|^~\\&|LAB|FAC|EHR|FAC|20240105||ORU^R01^ORU_R01|C1|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE',
        'OBR|1|P1|F1|CBC^Blood count^L',
        'OBX|1|NM|HGB^Haemoglobin^L||13.5|g/dL|||||F',
        'OBX|2|RP|IMG^Image^L||http://img.example/1^IMG|||||F',
      ].join('\r'),
    );
    const id = (fact: string, side: '-' | '+', count = 1) =>
      explain(fact, side, oru, EXPLANATIONS, false, count)?.id;

    assert.equal(id('#DiagnosticReport', '-'), 'oru-obx-observation-report');
    assert.equal(id('#DiagnosticReport', '-', 2), undefined);
    assert.equal(id('DiagnosticReport.result->Observation', '+', 2), undefined);
    assert.equal(id('Observation.valueString=13.5', '+'), undefined);
    assert.equal(id('Observation.code.coding.code=HGB', '+'), undefined);
    assert.equal(
      id('Observation.code.coding.code=IMG', '+'),
      'oru-obx-observation-observation',
    );
  });

  it('ties the DG1 parent and universal-id classes to DG1-22 and EI.3', () => {
    // Made up: one DG1 with a parent diagnosis, one without.
    const bar = messageText(
      [
        'MSH|^~\\&|ADT|FAC|EHR|FAC|20240105||BAR^P12^BAR_P12|C3|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE',
        'PV1|1|I',
        `DG1|1||A01^Test^I10|||A${'|'.repeat(14)}D-1^^1.2.3^CLIP||P-9^^1.2.4^ISO`,
        'DG1|2||B02^Other^I10|||A',
      ].join('\r'),
    );
    const id = (fact: string, count = 1) =>
      explain(fact, '-', bar, EXPLANATIONS, false, count)?.id;

    assert.equal(id('#Condition'), 'dg1-22-parent-stub');
    assert.equal(id('#Condition', 2), undefined);
    assert.equal(id('Condition.identifier.value=P-9'), 'dg1-22-parent-stub');
    assert.equal(id('Condition.identifier.value=D-1'), undefined);
    assert.equal(id('Condition.code.coding.code=B02'), undefined);
    assert.equal(
      id('Condition.identifier.system=urn:oid:1.2.3'),
      'dg1-ei3-not-a-system',
    );
    // EI.4 ISO: the OID is one, and a missing system is our mistake.
    assert.equal(id('Condition.identifier.system=urn:oid:1.2.4'), undefined);
    assert.equal(id('Encounter.diagnosis.condition->Condition'), undefined);
  });

  it('bounds the order-message classes by their ORC, OBR and IN1 fields', () => {
    // Made up: one ORC with two OBR, an insured child, an order effective
    // time in ORC-15 and a named receiving application.
    const oml = messageText(
      [
        'MSH|^~\\&|LIS|LAB|EHR|FAC|20240105||OML^O21^OML_O21|C4|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE',
        'NK1|1|ROE^RICK|BRO',
        'IN1|1|PLAN1|PAYER1|Payer Co||||||||||||DOE^JOHN|CHD',
        `ORC|NW|P1|F1${'|'.repeat(12)}20240105083000+0000`,
        'OBR|1|P1|F1|1111^First^L',
        'OBR|2|P1|F1|2222^Second^L',
      ].join('\r'),
    );
    const id = (fact: string, side: '-' | '+', count = 1) =>
      explain(fact, side, oml, EXPLANATIONS, false, count)?.id;

    assert.equal(id('#ServiceRequest', '+'), 'oml-obr-without-orc');
    assert.equal(id('#ServiceRequest', '+', 2), undefined);
    assert.equal(id('ServiceRequest.code.coding.code=3333', '+'), undefined);
    assert.equal(id('#Condition', '+'), undefined);
    assert.equal(
      id('ServiceRequest.status=active', '+'),
      'order-control-without-status-oml',
    );
    assert.equal(id('ServiceRequest.status=active', '+', 2), undefined);
    assert.equal(
      id('ServiceRequest.occurrenceDateTime=2024-01-05T08:30:00Z', '-'),
      'orc-15-no-target',
    );
    assert.equal(
      id('ServiceRequest.occurrenceDateTime=2024-01-06T08:30:00Z', '-'),
      undefined,
    );
    assert.equal(
      id('Coverage.relationship.coding.code=child', '+'),
      'subscriber-relationship',
    );
    assert.equal(
      id('Coverage.relationship.coding.code=spouse', '+'),
      undefined,
    );
    assert.equal(id('Patient.contact.name.family=ROE', '+'), 'oml-nk1-contact');
    assert.equal(id('Patient.contact.name.family=DOE', '+'), undefined);
    assert.equal(
      id('MessageHeader.destination.endpoint=unknown', '-'),
      'destination-unknown',
    );
  });

  it('ties the immunization classes to RXA-6, RXA-9 and the funding OBX', () => {
    // Made up: one administration with an unknown amount, a new record, a
    // funding eligibility OBX and a date OBX.
    const vxu = messageText(
      [
        'MSH|^~\\&|EHR|FAC|IIS|ST|20240105||VXU^V04^VXU_V04|C5|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE',
        'ORC|RE||9001',
        'RXA|0|1|20240101|20240101|08^HepB^CVX|999|||00^New^NIP001',
        'OBX|1|CE|64994-7^Eligibility^LN|1|V02^Medicaid^HL70064||||||F|||20240101|||VXC40^Per dose^CDCPHINVS',
        'OBX|2|DT|29769-7^VIS given^LN|2|20240101||||||F',
        'OBX|3|CE|30956-7^Vaccine type^LN|3|45^HepB^CVX||||||F',
      ].join('\r'),
    );
    const id = (fact: string, side: '-' | '+', count = 1) =>
      explain(fact, side, vxu, EXPLANATIONS, false, count)?.id;

    assert.equal(
      id('Immunization.doseQuantity.value=999', '-'),
      'rxa6-unknown-amount',
    );
    assert.equal(id('Immunization.doseQuantity.value=999', '-', 2), undefined);
    assert.equal(
      id('Immunization.reportOrigin.coding.code=00', '-'),
      'rxa9-new-record',
    );
    assert.equal(
      id('Immunization.programEligibility.coding.code=V02', '-'),
      'vxu-funding-into-immunization',
    );
    assert.equal(
      id('Immunization.programEligibility.coding.code=V05', '-'),
      undefined,
    );
    assert.equal(id('#Observation', '+'), 'vxu-funding-observation');
    assert.equal(id('#Observation', '+', 2), undefined);
    assert.equal(
      id('Observation.valueCodeableConcept.coding.code=45', '+'),
      undefined,
    );
    assert.equal(
      id('Observation.valueDateTime=2024-01-01', '+'),
      'obx-date-value',
    );
    assert.equal(id('Observation.valueDateTime=2024-01-02', '+'), undefined);
    assert.equal(
      id(
        'Immunization.vaccineCode.coding.system=http://hl7.org/fhir/sid/cvx',
        '+',
        2,
      ),
      'cvx-uri',
    );
    assert.equal(
      id(
        'Immunization.vaccineCode.coding.system=http://hl7.org/fhir/sid/cvx',
        '+',
        3,
      ),
      undefined,
    );
  });

  it('ties the visit time and death cause classes to PV1, PV2 and PDA', () => {
    // Made up: admit and expected times, and a death cause that also
    // starts a diagnosis code.
    const adt = messageText(
      [
        'MSH|^~\\&|ADT|FAC|EHR|FAC|20240105||ADT^A01^ADT_A01|C6|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE',
        `PV1|1|I${'|'.repeat(42)}20240105083000+0000`,
        'PV2||||||||20240105080000+0000|20240107080000+0000',
        'DG1|1||I21.4^MI^I10',
        'PDA|I21^MI^I10',
      ].join('\r'),
    );
    const id = (fact: string, side: '-' | '+') =>
      explain(fact, side, adt, EXPLANATIONS)?.id;

    assert.equal(
      id('Encounter.period.end=2024-01-07T08:00:00Z', '-'),
      'pv2-9-planned-end',
    );
    assert.equal(
      id('Encounter.period.end=2024-01-08T08:00:00Z', '-'),
      undefined,
    );
    assert.equal(
      id('Encounter.period.start=2024-01-05T08:00:00Z', '-'),
      'pv2-8-planned-start',
    );
    // The admit time itself missing is a mistake, whatever PV2 says.
    assert.equal(
      id('Encounter.period.start=2024-01-05T08:30:00Z', '-'),
      undefined,
    );
    assert.equal(
      id('Condition.code.coding.code=I21', '-'),
      'pda-death-cause-code',
    );
    assert.equal(id('Condition.code.coding.code=I21.4', '-'), undefined);
  });

  it('keeps the small field classes to their fields', () => {
    // Made up: a death indicator sent as a word (which we map, so no class
    // may explain its absence), a lower-case SNOMED
    // system, one health plan id, a visit (whose PV1-10 text PLN keeps the
    // IN1 classes from tracing that code) and one allergy.
    const adt = messageText(
      [
        'MSH|^~\\&|ADT|FAC|EHR|FAC|20240105||ADT^A01^ADT_A01|C7|P|2.5.1',
        `PID|1||123^^^FAC^MR||DOE^JANE${'|'.repeat(25)}NO`,
        'PV1|1|I||||||||PLN',
        'PV2|||140004^Sore throat^sct',
        'AL1|1|DA|X1^Thing^L',
        'IN1|1|PLAN1|PAYER1|Payer Co',
      ].join('\r'),
    );
    const id = (fact: string, side: '-' | '+', count = 1) =>
      explain(fact, side, adt, EXPLANATIONS, false, count)?.id;

    assert.equal(id('Patient.deceasedBoolean=false', '-'), undefined);
    assert.equal(
      id('Encounter.reasonCode.coding.system=http://snomed.info/sct', '+'),
      'sct-lower-case',
    );
    assert.equal(
      id('Encounter.reasonCode.coding.system=http://snomed.info/sct', '+', 2),
      undefined,
    );
    assert.equal(
      id('Coverage.identifier.type.coding.code=PLN', '-'),
      'in1-2-untyped',
    );
    assert.equal(
      id('Coverage.identifier.type.coding.code=PLN', '-', 2),
      undefined,
    );
    assert.equal(
      id('AllergyIntolerance.encounter->Encounter', '-'),
      'allergy-no-encounter',
    );
    assert.equal(
      id('AllergyIntolerance.encounter->Encounter', '-', 2),
      undefined,
    );
  });

  it('bounds the insurance and contact classes by their IN1, NK1 and XTN', () => {
    // Made up: one IN1 naming no insured, one naming one; a kin whose
    // relationship is a local code; a telecom whose use is sent as text.
    const adt = messageText(
      [
        'MSH|^~\\&|ADT|FAC|EHR|FAC|20240105||ADT^A04^ADT_A04|C8|P|2.3',
        'PID|1||123^^^FAC^MR||DOE^JANE||||||||555-0100^HOME^LOCAL9',
        'NK1|1|ROE^RICK|PALS',
        'PV1|1|O|||||||||||||||||   ',
        'IN1|1|PLAN1|PAYER1|Payer Co',
        'IN1|2|PLAN2|PAYER2|Payer Two||||||||||||DOE^JOHN|SPO',
      ].join('\r'),
    );
    const id = (fact: string, side: '-' | '+', count = 1) =>
      explain(fact, side, adt, EXPLANATIONS, false, count)?.id;

    assert.equal(id('#RelatedPerson', '-'), 'in1-no-insured-named');
    assert.equal(id('#RelatedPerson', '-', 2), undefined);
    assert.equal(id('Patient.telecom.use=HOME', '-'), 'xtn-text-not-a-code');
    assert.equal(
      id('Patient.telecom.system=LOCAL9', '-'),
      'xtn-text-not-a-code',
    );
    assert.equal(
      id('Patient.contact.relationship.coding.code=PALS', '+'),
      'nk1-local-relationship',
    );
    assert.equal(
      id('Patient.contact.relationship.coding.code=PALZ', '+'),
      undefined,
    );
    assert.equal(id('Encounter.identifier.value=', '-'), 'blank-identifier');
    assert.equal(id('Coverage.policyHolder->RelatedPerson', '-', 3), undefined);
  });

  it('ties the financial classes to a lone ORC and a repeated DG1', () => {
    // Made up: an ORC without OBR, a diagnosis sent twice and one once.
    const dft = messageText(
      [
        'MSH|^~\\&|FIN|FAC|EHR|FAC|20240105||DFT^P11^DFT_P11|C9|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE',
        'PV1|1|O',
        'ORC|NW|PL-7|FI-7',
        'DG1|1||J18.9^Pneumonia^I10',
        'FT1|1',
        'DG1|1||J18.9^Pneumonia^I10',
        'DG1|2||E11^Diabetes^I10',
      ].join('\r'),
    );
    const id = (fact: string, side: '-' | '+', count = 1) =>
      explain(fact, side, dft, EXPLANATIONS, false, count)?.id;

    assert.equal(id('#ServiceRequest', '-'), 'dft-orc-without-obr');
    assert.equal(id('#ServiceRequest', '-', 2), undefined);
    assert.equal(
      id('ServiceRequest.identifier.value=PL-7', '-'),
      'dft-orc-without-obr',
    );
    assert.equal(id('ServiceRequest.identifier.value=J18.9', '-'), undefined);
    assert.equal(id('#Condition', '+'), 'dg1-repeated');
    assert.equal(id('#Condition', '+', 2), undefined);
    assert.equal(id('Condition.code.coding.code=J18.9', '+'), 'dg1-repeated');
    assert.equal(id('Condition.code.coding.code=E11', '+'), undefined);
  });

  it('ties the document content class to the text OBX of the document', () => {
    // Made up: a two-line note.
    const mdm = messageText(
      [
        'MSH|^~\\&|DOC|FAC|EHR|FAC|20240105||MDM^T02^MDM_T02|C10|P|2.5.1',
        'PID|1||123^^^FAC^MR||DOE^JANE',
        'TXA|1|CN|TX',
        'OBX|1|TX|NOTE^Note^L||Patient seen in clinic today.',
        'OBX|2|TX|NOTE^Note^L||Follow up in two weeks.',
      ].join('\r'),
    );
    const data = (text: string) =>
      `DocumentReference.content.attachment.data=${Buffer.from(text).toString('base64')}`;
    const id = (fact: string, count = 1) =>
      explain(fact, '+', mdm, EXPLANATIONS, false, count)?.id;

    assert.equal(
      id(data('Patient seen in clinic today.\nFollow up in two weeks.')),
      'mdm-obx-text-content',
    );
    assert.equal(id(data('Something else entirely, not the note.')), undefined);
    assert.equal(
      id('DocumentReference.content.attachment.size=54', 2),
      undefined,
    );
  });

  it('explains a typed referrer only for a PV1-8 of separators', () => {
    const adt = (pv1: string, pv2 = 'PV2|') =>
      messageText(
        [
          'MSH|^~\\&|ADT|FAC|EHR|FAC|20240105||ADT^A04^ADT_A04|C11|P|2.5.1',
          'PID|1||123^^^FAC^MR||DOE^JANE',
          pv1,
          pv2,
        ].join('\r'),
      );
    const fact = 'Encounter.participant.type.coding.code=REF';
    const id = (message: ReturnType<typeof messageText>) =>
      explain(fact, '-', message, EXPLANATIONS)?.id;

    assert.equal(id(adt('PV1|1|O||||||^^^^^^')), 'pv1-8-empty-referrer');
    assert.equal(id(adt('PV1|1|O||||||77^WHO^DOC')), undefined);
    assert.equal(
      id(adt('PV1|1|O||||||^^^^^^', 'PV2|||||||||||||88^REF^DOC')),
      undefined,
    );
  });
});
