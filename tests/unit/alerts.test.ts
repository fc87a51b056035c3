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

  it('drops quoted text from a cause, where services echo the data', () => {
    const cause = JSON.stringify({
      errorType: 'ConversionException',
      errorMessage:
        'Could not convert string \'DOE^JANE\' to DATE in column "birth_date"',
    });

    const text = scrubCause(cause);

    assert.doesNotMatch(text, /DOE|JANE|birth_date/);
    assert.match(
      text,
      /^ConversionException: Could not convert string <quoted text removed>/,
    );
  });

  it('gives no console link for local executions', () => {
    assert.equal(
      consoleLink('arn:aws:states:local:000000000000:execution:m:n'),
      undefined,
    );
  });
});
