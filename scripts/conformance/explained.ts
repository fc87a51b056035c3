/**
 * The known differences between our conversion and the reference
 * converter's, each with the row of the HL7 v2-to-FHIR mapping guidance
 * (https://build.fhir.org/ig/HL7/v2-to-fhir/) that decides for our output.
 *
 * `npm run conformance:convert` attributes every difference it finds to the
 * first class here that matches it and lists what no class explains, so a
 * new difference (a regression or a new sample) shows up as unexplained
 * instead of hiding in a percentage. A class is as narrow as the evidence
 * allows: an element path and, where the path alone would also cover real
 * mistakes, the value, the message types, or the segments the value must
 * come from.
 */
import type { Explanation } from './explain.ts';

/** Order, financial, referral and document messages: OBR is an order. */
const ORDER_MESSAGES = /^(OML|OMG|ORM|DFT|BAR|REF|RRI|MDM|SIU|RDE|RDS)\^/;

export const EXPLANATIONS: readonly Explanation[] = [
  {
    id: 'ssn-type',
    kind: 'guidance',
    side: 'both',
    fact: /^Patient\.identifier\.type\.coding\.code=(SB|SS)$/,
    row: 'PID[Patient] row 19',
    why: 'PID-19 is typed SS in the US realm (SB outside it); the corpus is US',
  },
  {
    id: 'xtn-internet-without-address',
    kind: 'guidance',
    side: '-',
    fact: /^(Patient|RelatedPerson|Patient\.contact)\.telecom\.(value|system|use)=/,
    // An XTN with XTN.1 valued, equipment Internet or X.400 and no XTN.4.
    messageHas: /[|~^][^|~^]+\^[^|~^]*\^(Internet|X\.400)(\^?[|~\r\n]|$)/m,
    row: 'XTN[ContactPoint] rows 1 and 4',
    why: 'with equipment type Internet or X.400 the address is XTN.4; a number in XTN.1 is not an e-mail address, so such an XTN has no value',
  },
  {
    id: 'gt1-in2-db1-into-patient',
    kind: 'guidance',
    side: '-',
    fact: /^Patient\.(name|address|telecom|identifier|contact)\./,
    from: ['GT1', 'IN2', 'DB1', 'IN1'],
    notFrom: ['PID'],
    row: 'ADT_A01 rows 28 (GT1), 33 (DB1); IN2[Patient] has no identifier rows',
    why: 'guarantor, insured and disability values are not the patient’s; a guarantor who is not the patient becomes a RelatedPerson',
  },
  {
    id: 'coverage-numbers',
    kind: 'guidance',
    side: '-',
    fact: /^Coverage\.(identifier\.|network=|costToBeneficiary\.|type\.coding\.system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v3-ActCode)/,
    row: 'IN1[Coverage] (IN1-35/36/37/46 and IN2 have no Coverage rows)',
    why: 'policy, Medicare and Medicaid numbers, the plan as network and co-pays are not mapped to Coverage by the guidance; IN2 member numbers go to Patient.identifier',
  },
  {
    id: 'pv1-location-status',
    kind: 'guidance',
    side: 'both',
    fact: /^Encounter\.location\.status=(planned|active|reserved|completed)$/,
    row: 'PV1[Encounter] rows 3, 6, 11 and 42',
    why: 'PV1-3 is active (planned for a pre-admission), PV1-6 completed, PV1-11 active, PV1-42 reserved',
  },
  {
    id: 'ucum-uri',
    kind: 'guidance',
    side: 'both',
    fact: /^Encounter\.length\.(system=http:\/\/unitsofmeasure\.org\/?|code=d)$/,
    row: 'PV1[Encounter] row 44/45 (length)',
    why: 'the UCUM URI has no trailing slash; ours also carries the UCUM code',
  },
  {
    id: 'order-message-reports',
    kind: 'guidance',
    side: '-',
    fact: /^(#DiagnosticReport|DiagnosticReport\.)/,
    messages: ORDER_MESSAGES,
    row: 'OML_O21 row 6.4.1, ORM_O01, DFT_P03, MDM_T02',
    why: 'in order, financial, referral and document messages OBR is the order (ServiceRequest); its OBX are supporting information, not a report',
  },
  {
    id: 'pda-acc-db1-obr44',
    kind: 'guidance',
    side: '-',
    fact: /^(#Procedure|Procedure\.|#Observation|Observation\.|#Condition|Condition\.)/,
    messages: /^(ADT|BAR|DFT)\^/,
    from: ['PDA', 'ACC', 'DB1'],
    notFrom: ['PR1', 'OBX', 'DG1'],
    row: 'ADT_A01 rows 21 (PDA), 30 (ACC), 33 (DB1)',
    why: 'the guidance gives these segments and fields no resource',
  },
  {
    id: 'order-intent',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.intent=(filler-order|order|reflex-order)$/,
    row: 'ORC[ServiceRequest] and OBR[ServiceRequest] intent',
    why: 'the guidance assigns intent order to every ORC/OBR order',
  },
  {
    id: 'order-status',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.status=/,
    row: 'OrderControlCode[ServiceRequest.status] and OrderStatus maps',
    why: 'RE, SC, XO and other control codes without a target give unknown; ORC-5 is read through the OrderStatus map',
  },
  {
    id: 'requisition',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.(identifier|requisition)\.(type\.coding\.(code=PGN|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-0203)|value=)/,
    from: ['ORC-4'],
    row: 'ORC[ServiceRequest] row 4',
    why: 'ORC-4 placer group number is `requisition`, not an identifier',
  },
  {
    id: 'vxu-order',
    kind: 'guidance',
    side: '-',
    fact: /^(#ServiceRequest|ServiceRequest\.)/,
    messages: /^VXU\^/,
    row: 'VXU_V04 row 12.1',
    why: 'the order becomes a ServiceRequest only when the receiver wants it; we make the Immunization',
  },
  {
    id: 'tq1-count',
    kind: 'guidance',
    side: 'both',
    fact: /^ServiceRequest\.occurrenceTiming\.repeat\.(count|countMax)=/,
    row: 'TQ1[ServiceRequest] row 14',
    why: 'TQ1-14 total occurrences is `countMax`',
  },
  {
    id: 'procedure-status',
    kind: 'guidance',
    side: 'both',
    fact: /^Procedure\.status=(unknown|completed)$/,
    row: 'PR1[Procedure] row 0',
    why: 'unknown when the message does not say whether the procedure was done',
  },
  {
    id: 'procedure-functions',
    kind: 'guidance',
    side: 'both',
    fact: /^Procedure\.performer\.function\.coding\.(code=(anesthesiologist|surgeon|procedure-practitioner|88189002|304292004)|system=http:\/\/snomed\.info\/sct)$/,
    row: 'PR1[Procedure] rows 8 and 11',
    why: 'anesthesiologist and surgeon are SNOMED 88189002 and 304292004',
  },
  {
    id: 'procedure-period',
    kind: 'guidance',
    side: 'both',
    fact: /^Procedure\.(performedDateTime|performedPeriod\.(start|end))=/,
    row: 'PR1[Procedure] rows 5 and 7',
    why: 'with PR1-7 minutes valued the procedure has a `performedPeriod`',
  },
  {
    id: 'iso-units',
    kind: 'guidance',
    side: 'both',
    fact: /^Observation\.(component\.)?valueQuantity\.(system=urn:iso:std:iso:3986|code=|unit=)/,
    row: 'CWE[Quantity]',
    why: 'no known system is named ISO; a code without a system breaks FHIR qty-3, so the unit text stays as `unit`',
  },
  {
    id: 'observation-status',
    kind: 'guidance',
    side: 'both',
    fact: /^Observation\.status=(final|unknown)$/,
    row: 'ObservationResultStatusCodesInterpretation map',
    why: 'OBX-11 S, I and R have no target: unknown',
  },
  {
    id: 'allergy-onset',
    kind: 'guidance',
    side: 'both',
    fact: /^AllergyIntolerance\.(reaction\.onset|onsetDateTime)=/,
    row: 'AL1[AllergyIntolerance] row 6',
    why: 'AL1-6 identification date is `onsetDateTime`',
  },
  {
    id: 'sch-type',
    kind: 'guidance',
    side: 'both',
    fact: /^Appointment\.(appointmentType\.coding\.|reasonCode\.coding\.|priority=)/,
    row: 'SCH[Appointment] rows 7, 8 and 11',
    why: 'SCH-7 (table 0276) is `reasonCode`, SCH-8 (0277) the type; SCH-11 is read through TQ1 when present',
  },
  {
    id: 'diagnosis-use',
    kind: 'guidance',
    side: 'both',
    fact: /^Encounter\.diagnosis\.use\.coding\.(code=(DD|F|W)|system=http:\/\/terminology\.hl7\.org\/CodeSystem\/(diagnosis-role|v2-0052))$/,
    row: 'DiagnosisType[Encounter.diagnosis.use] map',
    why: 'F and W have no target; the table 0052 code is kept',
  },
  {
    id: 'encounter-status',
    kind: 'guidance',
    side: 'both',
    fact: /^Encounter\.status=(in-progress|planned|finished|unknown)$/,
    row: 'Event[EncounterStatus] (MSH[Encounter] row 9), PV1 rows 2 and 45',
    why: 'A04/A05 are planned, A08 unknown; a discharge time means finished',
  },
  {
    id: 'nk1-use',
    kind: 'guidance',
    side: 'both',
    fact: /^(RelatedPerson|Patient\.contact)\.telecom\.use=(home|work)$/,
    row: 'NK1[RelatedPerson] rows 5 and 6',
    why: 'NK1-5 is home and NK1-6 work whatever XTN.2 says',
  },
];
