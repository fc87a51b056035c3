import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import {
  LOCAL_SUBSTITUTIONS,
  loadDefinition,
  placeholders,
} from '../../local/state-machine.ts';

type Validator = (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errors: Array<{ message?: string }> };
const validate = createRequire(import.meta.url)('asl-validator') as Validator;

interface State {
  Type: string;
  Next?: string;
  Retry?: Array<{ ErrorEquals: string[]; JitterStrategy?: string }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  TimeoutSeconds?: number;
  Resource?: string;
  Choices?: Array<{ Next: string }>;
  Default?: string;
}
const definition = loadDefinition(LOCAL_SUBSTITUTIONS) as {
  States: Record<string, State>;
  StartAt: string;
};
const states = Object.entries(definition.States);
const tasks = states.filter(([, state]) => state.Type === 'Task');
const FAILURE_PATH = new Set([
  'RecordFailure',
  'PublishAlert',
  'ForgetAlert',
  'FailDrop',
]);

describe('drop-pipeline state machine', () => {
  it('is valid Amazon States Language with its ARNs and paths checked', () => {
    const result = validate(definition, { checkArn: true, checkPaths: true });

    assert.deepEqual(result.errors, []);
    assert.equal(result.isValid, true);
  });

  it('leaves no account id or region in the file: every ARN is a substitution', () => {
    assert.deepEqual(placeholders(), Object.keys(LOCAL_SUBSTITUTIONS).sort());
  });

  it('runs the stages in order: queue, crawl, Glue job, quality, tiering', () => {
    const next = (name: string) => definition.States[name]?.Next;
    const choice = (name: string, value: string) =>
      (
        definition.States[name]?.Choices as
          | Array<{ StringEquals?: string; Next: string }>
          | undefined
      )?.find((c) => c.StringEquals === value)?.Next;

    assert.equal(definition.StartAt, 'QueueForCuration');
    assert.equal(next('QueueForCuration'), 'StartCrawler');
    assert.equal(choice('IsCrawlerDone', 'READY'), 'CheckCuration');
    assert.equal(definition.States.IsDropCurated?.Default, 'RunGlueJob');
    assert.equal(next('RunGlueJob'), 'CheckCuration');
    assert.equal(choice('IsDropCurated', 'curated'), 'BuildQualityQuery');
    assert.equal(choice('IsDropCurated', 'failed'), 'CurationFailed');
    assert.deepEqual(
      [
        'BuildQualityQuery',
        'RunQualityQuery',
        'EvaluateQuality',
        'TierRawFile',
      ].map(next),
      ['RunQualityQuery', 'EvaluateQuality', 'TierRawFile', 'DropCurated'],
    );
  });

  it('gives every Task a timeout and a jittered Retry', () => {
    for (const [name, state] of tasks) {
      assert.ok(state.TimeoutSeconds, `${name} has no TimeoutSeconds`);
      assert.ok(state.Retry?.length, `${name} has no Retry`);
      for (const retry of state.Retry ?? [])
        assert.equal(retry.JitterStrategy, 'FULL', name);
    }
  });

  it('catches every error of every stage and routes it to the alert, then fails at FailDrop', () => {
    for (const [name, state] of tasks.filter(([n]) => !FAILURE_PATH.has(n))) {
      const catcher = state.Catch?.find((c) =>
        c.ErrorEquals.includes('States.ALL'),
      );
      assert.ok(catcher, `${name} catches nothing`);
      assert.equal(
        catcher.ResultPath,
        '$.failure',
        `${name} must keep its input`,
      );
      const note = definition.States[catcher.Next];
      assert.equal(note?.Next, 'RecordFailure', name);
    }
    assert.equal(definition.States.PublishAlert?.Next, 'FailDrop');
    assert.equal(definition.States.ForgetAlert?.Next, 'FailDrop');
    assert.equal(definition.States.RecordFailure?.Catch?.[0]?.Next, 'FailDrop');
    assert.equal(
      definition.States.FailDrop?.Catch,
      undefined,
      'FailDrop must fail the execution',
    );
    assert.equal(definition.States.FailDrop?.Next, 'ResumeAtFailedStage');
    assert.equal(definition.States.DropFailed?.Type, 'Fail');
  });

  it('joins a running crawl and waits for Glue capacity instead of failing', () => {
    const crawler = definition.States.StartCrawler?.Catch?.[0];
    const glue = definition.States.RunGlueJob?.Catch?.[0];

    assert.deepEqual(crawler?.ErrorEquals, ['Glue.CrawlerRunningException']);
    assert.equal(crawler?.Next, 'WaitForCrawler');
    assert.deepEqual(glue?.ErrorEquals, [
      'Glue.ConcurrentRunsExceededException',
    ]);
    assert.equal(glue?.Next, 'WaitForGlueCapacity');
    assert.equal(definition.States.WaitForGlueCapacity?.Next, 'CheckCuration');
    assert.equal(
      definition.States.RunGlueJob?.Resource,
      'arn:aws:states:::glue:startJobRun.sync',
    );
    assert.equal(
      definition.States.RunQualityQuery?.Resource,
      'arn:aws:states:::athena:startQueryExecution.sync',
    );
  });
});
