import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import {
  loadTemplate,
  OUT,
  type Resource,
  ROOT,
  resourcesOfType,
  type Template,
  text,
} from './template.ts';

const require = createRequire(import.meta.url);
const { FUNCTIONS } = require('../../infra/names.cjs') as {
  FUNCTIONS: Record<string, string>;
};
const { LOCAL_ONLY } = require('../../infra/esbuild.cjs') as {
  LOCAL_ONLY: string[];
};

const ENV_VARS = [
  'LANDING_BUCKET',
  'STAGED_BUCKET',
  'QUARANTINE_BUCKET',
  'CURATED_BUCKET',
  'DQ_BUCKET',
  'MANIFEST_BUCKET',
  'ARCHIVE_BUCKET',
  'ARCHIVE_STORAGE_CLASS',
  'STATE_MACHINE_ARN',
  'ALERT_TOPIC_ARN',
  'GLUE_DATABASE',
  'ATHENA_WORKGROUP',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
  'PIPELINE_MODE',
];

let template: Template;
let functions: [string, Resource][];

const lambda = (key: string): Resource => {
  const id = `${key.charAt(0).toUpperCase()}${key.slice(1)}LambdaFunction`;
  const resource = template.Resources[id];
  assert.ok(resource, id);

  return resource;
};

describe('functions', () => {
  before(() => {
    template = loadTemplate();
    functions = resourcesOfType(template, 'AWS::Lambda::Function').filter(
      ([id]) => id !== 'GlueAssetsUploaderFunction',
    );
  });

  it('declares every pipeline function', () => {
    assert.equal(functions.length, Object.keys(FUNCTIONS).length);
  });

  it('points each function at its handler under functions/', () => {
    for (const [key, folder] of Object.entries(FUNCTIONS)) {
      const handler = lambda(key).Properties.Handler;

      assert.equal(handler, `functions/${folder}/handler.handler`);
    }
  });

  it('runs every function on Node.js 22 or newer on arm64', () => {
    for (const [id, fn] of functions) {
      const major = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1]);

      assert.ok(major >= 22, `${id}: ${fn.Properties.Runtime}`);
      assert.deepEqual(fn.Properties.Architectures, ['arm64'], id);
    }
  });

  it('sets log retention for every function', () => {
    for (const key of Object.keys(FUNCTIONS)) {
      const id = `${key.charAt(0).toUpperCase()}${key.slice(1)}LogGroup`;

      assert.equal(template.Resources[id]?.Properties.RetentionInDays, 90, id);
    }
  });

  it('gives every function every environment variable the handlers read', () => {
    for (const [id, fn] of functions) {
      const variables = fn.Properties.Environment.Variables;

      for (const name of ENV_VARS)
        assert.ok(name in variables, `${id}: ${name}`);
      assert.equal(variables.PIPELINE_MODE, 'aws');
    }
  });

  it('tells the validate function its landing prefix and the pipeline principals', () => {
    const variables = lambda('validateDrop').Properties.Environment.Variables;

    assert.equal(variables.LANDING_PREFIXES, 'inbound/');
    assert.match(text(variables.PIPELINE_PRINCIPALS), /-tier-raw-file/);
  });

  it('gives every function a role of its own', () => {
    const roles = functions.map(([, fn]) => text(fn.Properties.Role));

    assert.equal(new Set(roles).size, functions.length);
    assert.equal(template.Resources.IamRoleLambdaExecution, undefined);
  });

  it('bounds the concurrency of the functions a burst of drops reaches', () => {
    const validate = lambda('validateDrop').Properties;
    const notify = lambda('notifyExecutionStatus').Properties;

    assert.equal(validate.ReservedConcurrentExecutions, 10);
    assert.equal(notify.ReservedConcurrentExecutions, 2);
  });

  it('sends asynchronous invocations that fail every retry to the dead-letter queue', () => {
    const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig');
    const targets = configs.map(([, c]) => c.Properties.FunctionName.Ref);

    assert.deepEqual(targets.sort(), [
      'NotifyExecutionStatusLambdaFunction',
      'ValidateDropLambdaFunction',
    ]);
    for (const [, config] of configs) {
      assert.deepEqual(config.Properties.DestinationConfig.OnFailure, {
        Destination: { 'Fn::GetAtt': ['AsyncFailureQueue', 'Arn'] },
      });
      assert.equal(config.Properties.MaximumRetryAttempts, 2);
    }
  });

  it('keeps each function timeout below its state timeout in the ASL', () => {
    const asl = JSON.parse(
      fs.readFileSync(
        path.join(ROOT, 'state-machines/drop-pipeline.asl.json'),
        'utf8',
      ),
    );
    const pairs = {
      buildQualityQuery: 'BuildQualityQuery',
      evaluateQuality: 'EvaluateQuality',
      tierRawFile: 'TierRawFile',
      recordFailure: 'RecordFailure',
    };

    for (const [key, state] of Object.entries(pairs)) {
      const timeout = lambda(key).Properties.Timeout;

      assert.ok(timeout < asl.States[state].TimeoutSeconds, key);
    }
  });
});

describe('the S3 trigger', () => {
  before(() => {
    template = loadTemplate();
  });

  it('invokes the validate function for objects created under the landing prefix', () => {
    const landing = template.Resources.LandingBucket;
    assert.ok(landing);
    const [config, ...others] =
      landing.Properties.NotificationConfiguration.LambdaConfigurations;

    assert.equal(others.length, 0);
    assert.equal(config.Event, 's3:ObjectCreated:*');
    assert.deepEqual(config.Filter.S3Key.Rules, [
      { Name: 'prefix', Value: 'inbound/' },
    ]);
    assert.deepEqual(config.Function, {
      'Fn::GetAtt': ['ValidateDropLambdaFunction', 'Arn'],
    });
  });

  it('lets only the landing bucket of this account invoke the function', () => {
    const permission = template.Resources.ValidateDropS3Permission?.Properties;

    assert.equal(permission.Principal, 's3.amazonaws.com');
    assert.match(text(permission.SourceArn), /-landing"/);
    assert.deepEqual(permission.SourceAccount, { Ref: 'AWS::AccountId' });
    assert.deepEqual(template.Resources.LandingBucket?.DependsOn, [
      'ValidateDropS3Permission',
    ]);
  });

  it('has no other bucket notification that could start the pipeline', () => {
    const notifying = resourcesOfType(template, 'AWS::S3::Bucket').filter(
      ([, b]) => b.Properties.NotificationConfiguration,
    );

    assert.deepEqual(
      notifying.map(([id]) => id),
      ['LandingBucket'],
    );
  });

  it('grants no pipeline role a write to the landing bucket', () => {
    const writes = /s3:(PutObject|CopyObject|RestoreObject|PutObjectTagging)/;
    const roles = resourcesOfType(template, 'AWS::IAM::Role');

    for (const [id, role] of roles) {
      for (const policy of role.Properties.Policies ?? []) {
        for (const statement of policy.PolicyDocument.Statement) {
          const touchesLanding = /-landing/.test(text(statement));

          assert.ok(
            !(touchesLanding && writes.test(text(statement))),
            `${id} can write to landing`,
          );
        }
      }
    }
  });
});

describe('bundles', () => {
  it('packages each function in its own zip', () => {
    loadTemplate();

    for (const key of Object.keys(FUNCTIONS)) {
      assert.ok(fs.existsSync(path.join(OUT, `${key}.zip`)), key);
    }
  });

  it('ships no local-mode engine and no node_modules in any zip', () => {
    loadTemplate();

    for (const key of Object.keys(FUNCTIONS)) {
      const zip = fs
        .readFileSync(path.join(OUT, `${key}.zip`))
        .toString('latin1');

      assert.ok(!zip.includes('node_modules/'), key);
      for (const engine of LOCAL_ONLY) assert.ok(!zip.includes(engine), key);
    }
  });
});
