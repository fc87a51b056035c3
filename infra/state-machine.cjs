'use strict';
// The drop pipeline state machine. The definition is the ASL file's text,
// byte for byte (the file local mode runs), passed as DefinitionString; its
// ${Name} placeholders are filled by DefinitionSubstitutions at deploy time.
// Reading the file here, rather than through ${file()}, keeps Serverless from
// treating those placeholders as its own variables.

const fs = require('node:fs');
const path = require('node:path');
const { lambdaLogicalId } = require('./names.cjs');

const ASL_FILE = 'state-machines/drop-pipeline.asl.json';

const readAsl = () =>
  fs.readFileSync(path.resolve(__dirname, '..', ASL_FILE), 'utf8');

const arnOf = (key) => ({ 'Fn::GetAtt': [lambdaLogicalId(key), 'Arn'] });

const substitutions = () => ({
  CrawlerName: { Ref: 'StagedCrawler' },
  GlueJobName: { Ref: 'CurateDropJob' },
  QueueForCurationFunctionArn: arnOf('queueForCuration'),
  CheckCurationFunctionArn: arnOf('checkCuration'),
  BuildQualityQueryFunctionArn: arnOf('buildQualityQuery'),
  AthenaWorkGroup: { Ref: 'AthenaWorkGroup' },
  GlueDatabase: { Ref: 'GlueDatabase' },
  EvaluateQualityFunctionArn: arnOf('evaluateQuality'),
  TierRawFileFunctionArn: arnOf('tierRawFile'),
  RecordFailureFunctionArn: arnOf('recordFailure'),
  FailDropFunctionArn: arnOf('failDrop'),
  AlertTopicArn: { Ref: 'AlertTopic' },
});

const stateMachine = (n, params) => ({
  StateMachineLogGroup: {
    Type: 'AWS::Logs::LogGroup',
    Properties: {
      LogGroupName: `/aws/vendedlogs/states/${n.stateMachineName}`,
      RetentionInDays: Number(params.logRetentionDays),
    },
  },
  DropPipelineStateMachine: {
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: {
      StateMachineName: n.stateMachineName,
      StateMachineType: 'STANDARD',
      RoleArn: { 'Fn::GetAtt': ['StateMachineRole', 'Arn'] },
      DefinitionString: readAsl(),
      DefinitionSubstitutions: substitutions(),
      // ERROR only and no execution data: states' input and output would
      // otherwise be copied into the logs.
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': ['StateMachineLogGroup', 'Arn'] },
            },
          },
        ],
      },
      TracingConfiguration: {
        Enabled: { 'Fn::If': ['TracingEnabled', true, false] },
      },
    },
  },
});

module.exports = { stateMachine, ASL_FILE, readAsl };
