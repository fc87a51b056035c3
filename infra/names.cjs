'use strict';
// Every physical name in the stack is derived here, once, from the service
// and the stage. Names are built as strings (and ARNs with Fn::Sub) instead of
// Ref/GetAtt where a Ref would make a dependency cycle: the landing bucket's
// notification needs the validate function, whose role needs the bucket; every
// function needs the state machine ARN, and the state machine needs the
// functions' ARNs.

const SERVICE = 'hie-drop-pipeline';

const ZONES = [
  'landing',
  'quarantine',
  'staged',
  'curated',
  'dq',
  'manifests',
  'archive',
  'athena-results',
  'glue-assets',
];

/** Function keys as written in serverless.yml, with their handler folder. */
const FUNCTIONS = {
  validateDrop: 'validate-drop',
  queueForCuration: 'queue-for-curation',
  checkCuration: 'check-curation',
  buildQualityQuery: 'build-quality-query',
  evaluateQuality: 'evaluate-quality',
  tierRawFile: 'tier-raw-file',
  recordFailure: 'record-failure',
  notifyExecutionStatus: 'notify-execution-status',
  sendAlertDigest: 'send-alert-digest',
  failDrop: 'fail-drop',
};

const pascal = (text) =>
  text
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Logical id serverless gives a function's AWS::Lambda::Function. */
const lambdaLogicalId = (key) =>
  `${key.charAt(0).toUpperCase()}${key.slice(1)}LambdaFunction`;

const names = (stage) => {
  const prefix = `${SERVICE}-${stage}`;
  const underscored = prefix.replace(/-/g, '_');

  return {
    prefix,
    // Bucket names: <service>-<stage>-<account>-<zone>. 63 characters at most,
    // so a stage name may have up to 17 characters.
    bucket: (zone) => ({ 'Fn::Sub': `${prefix}-\${AWS::AccountId}-${zone}` }),
    bucketArn: (zone, suffix = '') => ({
      'Fn::Sub': `arn:\${AWS::Partition}:s3:::${prefix}-\${AWS::AccountId}-${zone}${suffix}`,
    }),
    bucketLogicalId: (zone) => `${pascal(zone)}Bucket`,
    functionName: (key) => `${prefix}-${FUNCTIONS[key]}`,
    functionArn: (key) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${prefix}-${FUNCTIONS[key]}`,
    }),
    logGroupArn: (logGroupName) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroupName}:*`,
    }),
    roleLogicalId: (key) => `${pascal(key)}Role`,
    stateMachineName: `${prefix}-drop-pipeline`,
    stateMachineArn: {
      'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${prefix}-drop-pipeline`,
    },
    executionArn: {
      'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${prefix}-drop-pipeline:*`,
    },
    glueDatabase: underscored,
    glueArn: (resource) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:glue:\${AWS::Region}:\${AWS::AccountId}:${resource}`,
    }),
    crawlerName: `${prefix}-staged`,
    glueJobName: `${prefix}-curate-drop`,
    athenaWorkGroup: prefix,
    athenaWorkGroupArn: {
      'Fn::Sub': `arn:\${AWS::Partition}:athena:\${AWS::Region}:\${AWS::AccountId}:workgroup/${prefix}`,
    },
  };
};

module.exports = {
  SERVICE,
  ZONES,
  FUNCTIONS,
  pascal,
  lambdaLogicalId,
  names,
};
