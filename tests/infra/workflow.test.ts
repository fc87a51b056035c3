import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import {
  branches,
  type Json,
  loadTemplate,
  ROOT,
  resourcesOfType,
  type Template,
  text,
} from './template.ts';

const require = createRequire(import.meta.url);
const { FUNCTIONS, pascal } = require('../../infra/names.cjs') as {
  FUNCTIONS: Record<string, string>;
  pascal: (name: string) => string;
};

const ASL_PATH = path.join(ROOT, 'state-machines/drop-pipeline.asl.json');

let template: Template;

const machine = () => {
  const resource = template.Resources.DropPipelineStateMachine;
  assert.ok(resource);

  return resource.Properties;
};

/** Logical ids a Ref or Fn::GetAtt in the value points at. */
const referencedIds = (value: Json): string[] => {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (!value || typeof value !== 'object') return [];
  if (typeof value.Ref === 'string') return [value.Ref];
  if (Array.isArray(value['Fn::GetAtt'])) return [value['Fn::GetAtt'][0]];

  return Object.values(value).flatMap(referencedIds);
};

describe('the state machine', () => {
  before(() => {
    template = loadTemplate();
  });

  it('deploys the ASL file local mode runs, byte for byte', () => {
    const file = fs.readFileSync(ASL_PATH, 'utf8');

    assert.equal(machine().DefinitionString, file);
  });

  it('substitutes every placeholder the ASL uses, and only those', () => {
    const used = new Set(
      [...machine().DefinitionString.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]),
    );
    const given = new Set(Object.keys(machine().DefinitionSubstitutions));

    assert.deepEqual([...given].sort(), [...used].sort());
  });

  it('resolves each substitution to a resource declared in the template', () => {
    for (const [name, value] of Object.entries(
      machine().DefinitionSubstitutions,
    )) {
      const ids = referencedIds(value);

      assert.equal(ids.length, 1, name);
      assert.ok(template.Resources[ids[0] as string], `${name} -> ${ids[0]}`);
    }
  });

  it('hard-codes no account id, region or ARN in the ASL', () => {
    const definition = machine().DefinitionString as string;
    const arns = [...definition.matchAll(/"(arn:[^"]+)"/g)].map((m) => m[1]);

    assert.doesNotMatch(definition, /\d{12}/);
    assert.doesNotMatch(definition, /(us|eu|ap|ca|sa|me|af)-[a-z]+-\d/);
    for (const arn of arns) assert.match(arn ?? '', /^arn:aws:states:::/);
  });

  it('logs errors only, without execution data', () => {
    const logging = machine().LoggingConfiguration;

    assert.equal(logging.Level, 'ERROR');
    assert.equal(logging.IncludeExecutionData, false);
    assert.ok(
      template.Resources[referencedIds(logging.Destinations)[0] as string],
    );
  });

  it('makes X-Ray tracing a choice', () => {
    const tracing = machine().TracingConfiguration.Enabled;

    assert.deepEqual(tracing, { 'Fn::If': ['TracingEnabled', true, false] });
  });

  it('runs as a standard workflow, so executions can be redriven', () => {
    assert.equal(machine().StateMachineType, 'STANDARD');
  });

  it('runs under a role of its own', () => {
    assert.deepEqual(machine().RoleArn, {
      'Fn::GetAtt': ['StateMachineRole', 'Arn'],
    });
  });
});

describe('alerting', () => {
  before(() => {
    template = loadTemplate();
  });

  it('encrypts the on-call topic and subscribes the given e-mail address', () => {
    const topic = template.Resources.AlertTopic?.Properties;
    const subscription = template.Resources.AlertEmailSubscription?.Properties;

    assert.deepEqual(topic.KmsMasterKeyId, { Ref: 'AlertTopicKey' });
    assert.equal(subscription.Protocol, 'email');
    assert.equal(subscription.Endpoint, 'oncall@example.org');
  });

  it('lets CloudWatch alarms use the topic key', () => {
    const policy = template.Resources.AlertTopicKey?.Properties.KeyPolicy;
    const cloudwatch = policy.Statement.find(
      (s: Json) => s.Principal.Service === 'cloudwatch.amazonaws.com',
    );

    assert.deepEqual(cloudwatch.Action, ['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('routes executions that end FAILED, TIMED_OUT or ABORTED to the notify function', () => {
    const rule = template.Resources.ExecutionEndedBadlyRule?.Properties;
    const [target] = rule.Targets;

    assert.deepEqual(rule.EventPattern.source, ['aws.states']);
    assert.deepEqual(rule.EventPattern['detail-type'], [
      'Step Functions Execution Status Change',
    ]);
    assert.deepEqual(rule.EventPattern.detail.status, [
      'FAILED',
      'TIMED_OUT',
      'ABORTED',
    ]);
    assert.match(
      text(rule.EventPattern.detail.stateMachineArn),
      /drop-pipeline/,
    );
    assert.deepEqual(target.Arn, {
      'Fn::GetAtt': ['NotifyExecutionStatusLambdaFunction', 'Arn'],
    });
    assert.deepEqual(referencedIds(target.DeadLetterConfig), [
      'AsyncFailureQueue',
    ]);
  });

  it('lets only that rule invoke the notify function', () => {
    const permission =
      template.Resources.NotifyExecutionStatusEventsPermission?.Properties;

    assert.equal(permission.Principal, 'events.amazonaws.com');
    assert.deepEqual(permission.SourceArn, {
      'Fn::GetAtt': ['ExecutionEndedBadlyRule', 'Arn'],
    });
  });

  it('alarms on errors and throttles of every function, DLQ depth and failed executions', () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    const metrics = alarms.map(
      ([, a]) => `${a.Properties.Namespace} ${a.Properties.MetricName}`,
    );
    const functionNames = alarms
      .filter(([, a]) => a.Properties.Namespace === 'AWS/Lambda')
      .map(([, a]) => a.Properties.Dimensions[0].Value);

    assert.ok(metrics.includes('AWS/SQS ApproximateNumberOfMessagesVisible'));
    assert.ok(metrics.includes('AWS/States ExecutionsFailed'));
    assert.ok(metrics.includes('AWS/States ExecutionsTimedOut'));
    for (const folder of Object.values(FUNCTIONS)) {
      const name = `hie-drop-pipeline-dev-${folder}`;

      assert.equal(functionNames.filter((n) => n === name).length, 2, name);
    }
    for (const [id, alarm] of alarms) {
      assert.deepEqual(
        alarm.Properties.AlarmActions,
        [{ Ref: 'AlertTopic' }],
        id,
      );
    }
  });
});

describe('Glue and Athena', () => {
  before(() => {
    template = loadTemplate();
  });

  it('declares each curated table with the columns of tables.json and the pipeline columns', () => {
    const spec = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'shared/curation/tables.json'), 'utf8'),
    ).tables as { name: string; columns: { name: string; type: string }[] }[];
    const tables = resourcesOfType(template, 'AWS::Glue::Table');

    assert.equal(tables.length, spec.length);
    for (const table of spec) {
      const input =
        template.Resources[`Curated${pascal(table.name)}Table`]?.Properties
          .TableInput;
      const expected = [
        ...table.columns.map((c) => ({ Name: c.name, Type: c.type })),
        { Name: 'resource_json', Type: 'string' },
        { Name: 'drop_id', Type: 'string' },
        { Name: 'source_key', Type: 'string' },
      ];

      assert.equal(input.Name, table.name);
      assert.deepEqual(input.StorageDescriptor.Columns, expected);
      assert.deepEqual(input.PartitionKeys, [
        { Name: 'ingest_date', Type: 'string' },
      ]);
    }
  });

  it('reads curated tables as Parquet with date partition projection', () => {
    for (const [id, table] of resourcesOfType(template, 'AWS::Glue::Table')) {
      const input = table.Properties.TableInput;

      assert.match(
        input.StorageDescriptor.SerdeInfo.SerializationLibrary,
        /ParquetHiveSerDe$/,
        id,
      );
      assert.equal(input.Parameters['projection.enabled'], 'true', id);
      assert.equal(input.Parameters['projection.ingest_date.type'], 'date', id);
      assert.equal(
        input.Parameters['projection.ingest_date.format'],
        'yyyy-MM-dd',
        id,
      );
      assert.equal(
        input.Parameters['projection.ingest_date.range'],
        '2020-01-01,NOW',
        id,
      );
      assert.match(
        text(input.StorageDescriptor.Location),
        new RegExp(`-curated/${input.Name}/`),
        id,
      );
    }
  });

  it('crawls the staged bucket into staged_ tables, new folders only', () => {
    const crawler = template.Resources.StagedCrawler?.Properties;

    assert.match(text(crawler.Targets.S3Targets), /-staged\//);
    assert.equal(crawler.TablePrefix, 'staged_');
    assert.deepEqual(crawler.RecrawlPolicy, {
      RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY',
    });
    assert.deepEqual(crawler.SchemaChangePolicy, {
      UpdateBehavior: 'LOG',
      DeleteBehavior: 'LOG',
    });
  });

  it('runs the curation job as a Python shell job with DuckDB, bounded and without bookmarks', () => {
    const job = template.Resources.CurateDropJob;
    const properties = job?.Properties;

    assert.equal(properties.Command.Name, 'pythonshell');
    assert.equal(properties.Command.PythonVersion, '3.9');
    assert.equal(properties.GlueVersion, '3.0');
    assert.match(
      text(properties.Command.ScriptLocation),
      /glue-assets\/glue\/curate_drop\.py/,
    );
    assert.equal(
      properties.DefaultArguments['--additional-python-modules'],
      'duckdb',
    );
    assert.equal(
      properties.DefaultArguments['--job-bookmark-option'],
      'job-bookmark-disable',
    );
    assert.equal(properties.ExecutionProperty.MaxConcurrentRuns, 1);
    assert.ok(
      properties.Timeout * 60 < 3600,
      'job ends before the ASL task times out',
    );
    assert.deepEqual(job?.DependsOn, ['GlueAssets']);
  });

  it('uploads the job script, the SQL and tables.json from the repository', () => {
    const files = template.Resources.GlueAssets?.Properties.Files as Record<
      string,
      string
    >;
    const tables = fs.readFileSync(
      path.join(ROOT, 'shared/curation/tables.json'),
    );
    const script = path.join(ROOT, 'glue/curate_drop.py');

    assert.equal(files['glue/tables.json'], tables.toString('base64'));
    if (fs.existsSync(script)) {
      // Tolerated until the lead's Glue script lands on this branch.
      assert.equal(
        files['glue/curate_drop.py'],
        fs.readFileSync(script).toString('base64'),
      );
    }
  });

  it('enforces an encrypted, capped Athena workgroup', () => {
    const config =
      template.Resources.AthenaWorkGroup?.Properties.WorkGroupConfiguration;
    const encryption = branches(
      config.ResultConfiguration.EncryptionConfiguration,
    );

    assert.equal(config.EnforceWorkGroupConfiguration, true);
    assert.equal(config.BytesScannedCutoffPerQuery, 10737418240);
    assert.deepEqual(
      encryption.map((e) => e.EncryptionOption),
      ['SSE_KMS', 'SSE_S3'],
    );
    assert.match(
      text(config.ResultConfiguration.OutputLocation),
      /-athena-results\//,
    );
  });
});
