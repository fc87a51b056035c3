import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleLink, formatAlert, scrubCause } from '../../shared/alerts.ts';

const facts = {
  dropId: '0123456789abcdef0123456789abcdef',
  sourceKey: 'inbound/hl7/adt.hl7',
  stage: 'RunGlueJob',
  error: 'States.TaskFailed',
  at: '2026-12-04T03:00:00.000Z',
  executionArn:
    'arn:aws:states:eu-west-1:000000000000:execution:drop-pipeline:adt-0123',
  executionName: 'adt-0123',
};

describe('formatAlert', () => {
  it('says which drop failed where, and how to replay it from the console or the CLI', () => {
    const alert = formatAlert(facts);

    assert.match(alert.subject, /RunGlueJob failed: drop 0123456789ab/);
    assert.ok(alert.subject.length <= 100);
    assert.match(
      alert.message,
      /npm run replay -- --drop 0123456789abcdef0123456789abcdef/,
    );
    assert.match(
      alert.message,
      /https:\/\/eu-west-1\.console\.aws\.amazon\.com\/states\/home\?region=eu-west-1#\/v2\/executions\/details\/arn:aws:states:eu-west-1/,
    );
    assert.match(alert.message, /still in the landing bucket/);
  });

  it("never shows a service's message text, quoted or not", () => {
    const MARK = 'MRN998877';
    const causes: Array<[string, string | undefined, RegExp]> = [
      [
        JSON.stringify({
          errorType: 'ValueError',
          errorMessage: `time data 19A01231 (PID-7 of ${MARK})`,
        }),
        'ValueError',
        /^ValueError; the service's message is not shown/,
      ],
      [
        `Could not convert string ${MARK} to DATE`,
        'States.TaskFailed',
        /^States\.TaskFailed; the service's message is not shown/,
      ],
      [
        JSON.stringify({
          Id: 'jr_1',
          JobRunState: 'FAILED',
          ErrorMessage: MARK,
        }),
        'States.TaskFailed',
        /^Glue job run FAILED; /,
      ],
      [
        JSON.stringify({
          QueryExecutionId: 'q',
          Status: { State: 'FAILED', StateChangeReason: `bad ${MARK}` },
        }),
        'States.TaskFailed',
        /^Athena query FAILED; /,
      ],
      [JSON.stringify({ detail: MARK }), undefined, /structured cause/],
    ];

    for (const [cause, error, expected] of causes) {
      const text = scrubCause(cause, error);

      assert.doesNotMatch(text, new RegExp(MARK), cause);
      assert.doesNotMatch(text, /19A01231/, cause);
      assert.match(text, expected, cause);
    }
  });

  it('keeps the message of our own errors, which holds ids and keys only', () => {
    const cause = JSON.stringify({
      errorType: 'RawObjectMissingError',
      errorMessage: 'failed to tier raw file: inbound/a.hl7',
    });

    assert.equal(
      scrubCause(cause, 'RawObjectMissingError'),
      'RawObjectMissingError: failed to tier raw file: inbound/a.hl7',
    );
    assert.equal(
      scrubCause('ConversionException', 'DropCurationFailed'),
      'the Glue job failed to curate the drop with ConversionException',
    );
  });

  it('puts no unquoted value of a foreign cause into the alert', () => {
    const alert = formatAlert({
      ...facts,
      error: 'ValueError',
      cause: JSON.stringify({
        errorType: 'ValueError',
        errorMessage: 'time data 19A01231 (PID-7 of MRN998877)',
      }),
    });

    assert.doesNotMatch(alert.message, /MRN998877|19A01231/);
    assert.match(alert.message, /Cause: +ValueError; /);
  });

  it('gives no console link for local executions', () => {
    assert.equal(
      consoleLink('arn:aws:states:local:000000000000:execution:m:n'),
      undefined,
    );
  });
});
