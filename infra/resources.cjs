'use strict';
// Everything serverless.yml declares under `resources`, built from small
// modules so that loops (buckets, tables, alarms, roles) are written once.

const { ZONES, names } = require('./names.cjs');
const { storage } = require('./storage.cjs');
const { alerting } = require('./alerting.cjs');
const { glue } = require('./glue.cjs');
const { stateMachine } = require('./state-machine.cjs');
const { iam } = require('./iam.cjs');

const PARAMS = [
  'alertEmail',
  'kmsKeyArn',
  'archiveStorageClass',
  'logRetentionDays',
  'resultsRetentionDays',
  'landingPrefix',
  'accessLogBucket',
  'tracing',
  'athenaBytesScannedCutoff',
];

const readParams = async (resolveVariable) => {
  const params = {};
  for (const key of PARAMS) {
    params[key] = String(await resolveVariable(`param:${key}`));
  }

  return params;
};

module.exports = async ({ resolveVariable }) => {
  const n = names(await resolveVariable('sls:stage'));
  const params = await readParams(resolveVariable);

  return {
    Conditions: {
      HasKmsKey: { 'Fn::Not': [{ 'Fn::Equals': [params.kmsKeyArn, ''] }] },
      HasAccessLogBucket: {
        'Fn::Not': [{ 'Fn::Equals': [params.accessLogBucket, ''] }],
      },
      TracingEnabled: { 'Fn::Equals': [params.tracing, 'true'] },
    },
    Resources: {
      ...storage(n, params, { ZONES }),
      ...alerting(n, params),
      ...glue(n, params),
      ...stateMachine(n, params),
      ...iam(n, params),
    },
    Outputs: {
      LandingBucketName: { Value: n.bucket('landing') },
      LandingPrefix: { Value: params.landingPrefix },
      StateMachineArn: { Value: { Ref: 'DropPipelineStateMachine' } },
      AlertTopicArn: { Value: { Ref: 'AlertTopic' } },
      OperatorPolicyArn: { Value: { Ref: 'OperatorReplayPolicy' } },
      AthenaWorkGroup: { Value: n.athenaWorkGroup },
      GlueDatabase: { Value: n.glueDatabase },
    },
  };
};
