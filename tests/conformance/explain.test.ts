/** Attribution of conversion differences to known classes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Explanation,
  explain,
  messageText,
} from '../../scripts/conformance/explain.ts';

const guarantor: Explanation = {
  id: 'guarantor',
  kind: 'guidance',
  side: '-',
  fact: /^Patient\.name\./,
  from: ['GT1'],
  notFrom: ['PID'],
  row: 'row',
  why: 'why',
};
const requisition: Explanation = {
  id: 'requisition',
  kind: 'guidance',
  side: 'both',
  fact: /^ServiceRequest\.identifier\.value=/,
  messages: /^OML\^/,
  from: ['ORC-4'],
  row: 'row',
  why: 'why',
};
const classes = [guarantor, requisition];

const adt = messageText(
  '\uFEFFMSH|^~\\&|A|B|C|D|20240101||ADT^A01^ADT_A01|1|P|2.8\r' +
    'PID|1||123^^^H^MR||DOE^JANE\r' +
    'GT1|1||ROE^RICHARD\r',
);
const oml = messageText(
  'MSH|^~\\&|A|B|C|D|20240101||OML^O21^OML_O21|1|P|2.8\n' +
    'ORC|NW|P-1|F-1|GROUP-9\n',
);

describe('explaining conversion differences', () => {
  it('reads the message type past a byte-order mark', () => {
    assert.equal(adt.type, 'ADT^A01^ADT_A01');
  });

  it('explains a value only where it comes from the named segment', () => {
    const from = (fact: string) => explain(fact, '-', adt, classes)?.id;

    assert.equal(from('Patient.name.family=ROE'), 'guarantor');
    // DOE is the patient's own name: missing it is a real difference.
    assert.equal(from('Patient.name.family=DOE'), undefined);
  });

  it('keeps to its side, its message types and its field', () => {
    assert.equal(
      explain('Patient.name.family=ROE', '+', adt, classes),
      undefined,
    );
    assert.equal(
      explain('ServiceRequest.identifier.value=GROUP-9', '+', oml, classes)?.id,
      'requisition',
    );
    assert.equal(
      explain('ServiceRequest.identifier.value=P-1', '-', oml, classes),
      undefined,
    );
    assert.equal(
      explain('ServiceRequest.identifier.value=GROUP-9', '-', adt, classes),
      undefined,
    );
  });

  it('lets a repeat share its value with a notFrom segment', () => {
    const both = messageText(
      'MSH|^~\\&|A|B|C|D|20240101||ADT^A01^ADT_A01|1|P|2.8\r' +
        'PID|1||123^^^H^MR||DOE^JANE\r' +
        'GT1|1||DOE^JANE\r',
    );
    const fact = 'Patient.name.family=DOE';

    // Missing outright: the patient's own name is lost, a real difference.
    assert.equal(explain(fact, '-', both, classes), undefined);
    // Missing once more: the reference repeats it from GT1.
    assert.equal(explain(fact, '-', both, classes, true)?.id, 'guarantor');
  });
});
