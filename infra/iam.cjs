'use strict';
// One role per function, one for the state machine, the crawler, the Glue job
// and the asset uploader, plus the operator's managed policy. Every statement
// names its resources; the few "*" resources are in wildcard-allow-list.cjs.

const { FUNCTIONS, lambdaLogicalId } = require('./names.cjs');
const { curatedTables } = require('./glue.cjs');

const allow = (Action, Resource, extra = {}) => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});

const when = (condition, statement) => ({
  'Fn::If': [condition, statement, { Ref: 'AWS::NoValue' }],
});

const trust = (service, condition) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

const role = (service, statements, condition) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: trust(service, condition),
    Policies: [
      {
        PolicyName: 'least-privilege',
        PolicyDocument: { Version: '2012-10-17', Statement: statements },
      },
    ],
  },
});

const sameAccount = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
};

const dataKey = (params) =>
  when(
    'HasKmsKey',
    allow(['kms:Decrypt', 'kms:GenerateDataKey'], params.kmsKeyArn),
  );

const xray = when(
  'TracingEnabled',
  allow(
    [
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ],
    '*',
  ),
);

const functionRoles = (n, params) => {
  const objects = (zone) => n.bucketArn(zone, '/*');
  const bucketArn = (zone) => n.bucketArn(zone);
  const logs = (key) =>
    allow(
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      n.logGroupArn(`/aws/lambda/${n.functionName(key)}`),
    );
  // ListBucket lets a missing key read as 404 instead of 403, which the
  // handlers rely on to recognise "already moved" on a replay.
  const list = (...zones) => allow('s3:ListBucket', zones.map(bucketArn));
  const manifestsReadWrite = allow(
    ['s3:GetObject', 's3:PutObject'],
    objects('manifests'),
  );
  const topicKey = allow(['kms:Decrypt', 'kms:GenerateDataKey'], {
    'Fn::GetAtt': ['AlertTopicKey', 'Arn'],
  });
  const dlq = allow('sqs:SendMessage', {
    'Fn::GetAtt': ['AsyncFailureQueue', 'Arn'],
  });

  const statements = {
    validateDrop: [
      allow(
        [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
        ],
        objects('landing'),
      ),
      list('landing', 'manifests', 'staged'),
      // Staged files are streamed (multipart past 8 MiB, aborted on failure),
      // read back when a drop repeats a resource id, and deleted when a drop
      // turns out rejected whole or a duplicate; quarantine likewise.
      allow(
        [
          's3:PutObject',
          's3:GetObject',
          's3:DeleteObject',
          's3:AbortMultipartUpload',
        ],
        objects('staged'),
      ),
      allow(
        ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        objects('quarantine'),
      ),
      manifestsReadWrite,
      allow('states:StartExecution', n.stateMachineArn),
      allow('states:DescribeExecution', n.executionArn),
      dlq,
    ],
    queueForCuration: [
      allow(
        ['s3:PutObject', 's3:DeleteObject'],
        n.bucketArn('manifests', '/queue/*'),
      ),
      list('manifests'),
      manifestsReadWrite,
    ],
    checkCuration: [
      allow('s3:GetObject', n.bucketArn('manifests', '/queue/*')),
      list('manifests'),
    ],
    buildQualityQuery: [],
    failDrop: [],
    evaluateQuality: [
      allow(
        ['athena:GetQueryExecution', 'athena:GetQueryResults'],
        n.athenaWorkGroupArn,
      ),
      allow('s3:GetObject', objects('athena-results')),
      allow('s3:PutObject', objects('dq')),
      list('manifests'),
      manifestsReadWrite,
    ],
    tierRawFile: [
      allow(
        [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:DeleteObject',
          's3:DeleteObjectVersion',
        ],
        objects('landing'),
      ),
      allow(['s3:PutObject', 's3:GetObject'], objects('archive')),
      list('landing', 'archive', 'manifests'),
      manifestsReadWrite,
    ],
    // Withdraws a failed drop's curated objects; it never reads them.
    recordFailure: [
      list('manifests'),
      manifestsReadWrite,
      allow('s3:DeleteObject', objects('curated')),
    ],
    sendAlertDigest: [
      allow(
        ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        n.bucketArn('manifests', '/alerts/*'),
      ),
      list('manifests'),
      allow('sns:Publish', { Ref: 'AlertTopic' }),
      topicKey,
    ],
    // Reads the drop's manifest and records the failure and the alert on it.
    notifyExecutionStatus: [
      manifestsReadWrite,
      list('manifests'),
      allow('sns:Publish', { Ref: 'AlertTopic' }),
      topicKey,
      dlq,
    ],
  };

  const roles = {};
  for (const key of Object.keys(FUNCTIONS)) {
    const usesData = key !== 'buildQualityQuery' && key !== 'failDrop';
    roles[n.roleLogicalId(key)] = role('lambda.amazonaws.com', [
      logs(key),
      ...statements[key],
      ...(usesData ? [dataKey(params)] : []),
      xray,
    ]);
  }

  return roles;
};

const stateMachineRole = (n, params) => {
  const catalog = n.glueArn('catalog');
  const database = n.glueArn(`database/${n.glueDatabase}`);
  const tables = curatedTables().map((table) =>
    n.glueArn(`table/${n.glueDatabase}/${table.name}`),
  );
  const invoked = [
    'queueForCuration',
    'checkCuration',
    'buildQualityQuery',
    'evaluateQuality',
    'tierRawFile',
    'recordFailure',
    'failDrop',
  ].flatMap((key) => [
    { 'Fn::GetAtt': [lambdaLogicalId(key), 'Arn'] },
    { 'Fn::Sub': `\${${lambdaLogicalId(key)}.Arn}:*` },
  ]);

  return role(
    'states.amazonaws.com',
    [
      allow(
        ['glue:StartCrawler', 'glue:GetCrawler'],
        n.glueArn(`crawler/${n.crawlerName}`),
      ),
      allow(
        [
          'glue:StartJobRun',
          'glue:GetJobRun',
          'glue:GetJobRuns',
          'glue:BatchStopJobRun',
        ],
        n.glueArn(`job/${n.glueJobName}`),
      ),
      allow(
        [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:StopQueryExecution',
        ],
        n.athenaWorkGroupArn,
      ),
      allow(
        ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        [catalog, database, ...tables],
      ),
      allow(
        ['s3:GetBucketLocation', 's3:ListBucket'],
        [n.bucketArn('athena-results'), n.bucketArn('curated')],
      ),
      allow(
        [
          's3:GetObject',
          's3:PutObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
        ],
        n.bucketArn('athena-results', '/*'),
      ),
      allow('s3:GetObject', n.bucketArn('curated', '/*')),
      allow('lambda:InvokeFunction', invoked),
      allow('sns:Publish', { Ref: 'AlertTopic' }),
      allow(['kms:Decrypt', 'kms:GenerateDataKey'], {
        'Fn::GetAtt': ['AlertTopicKey', 'Arn'],
      }),
      dataKey(params),
      allow(
        [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        '*',
      ),
      xray,
    ],
    sameAccount,
  );
};

const glueRoles = (n, params) => {
  const catalog = n.glueArn('catalog');
  const database = n.glueArn(`database/${n.glueDatabase}`);
  const glueLogs = (group) =>
    allow(
      ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      n.logGroupArn(group),
    );

  return {
    CrawlerRole: role(
      'glue.amazonaws.com',
      [
        allow('s3:GetObject', n.bucketArn('staged', '/*')),
        allow('s3:ListBucket', n.bucketArn('staged')),
        allow(['glue:GetDatabase'], [catalog, database]),
        allow(
          [
            'glue:GetTable',
            'glue:GetTables',
            'glue:CreateTable',
            'glue:UpdateTable',
            'glue:GetPartition',
            'glue:GetPartitions',
            'glue:BatchGetPartition',
            'glue:CreatePartition',
            'glue:BatchCreatePartition',
            'glue:UpdatePartition',
            'glue:BatchUpdatePartition',
          ],
          [catalog, database, n.glueArn(`table/${n.glueDatabase}/staged_*`)],
        ),
        glueLogs('/aws-glue/crawlers'),
        dataKey(params),
      ],
      sameAccount,
    ),
    GlueJobRole: role(
      'glue.amazonaws.com',
      [
        allow('s3:GetObject', n.bucketArn('glue-assets', '/glue/*')),
        allow('s3:GetObject', n.bucketArn('staged', '/*')),
        allow(
          ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          n.bucketArn('curated', '/*'),
        ),
        // The curation queue: markers of drops waiting for a job run.
        allow(
          ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          n.bucketArn('manifests', '/queue/*'),
        ),
        allow('s3:ListBucket', [
          n.bucketArn('glue-assets'),
          n.bucketArn('staged'),
          n.bucketArn('curated'),
          n.bucketArn('manifests'),
        ]),
        glueLogs('/aws-glue/python-jobs/output'),
        glueLogs('/aws-glue/python-jobs/error'),
        glueLogs('/aws-glue/python-jobs/logs-v2'),
        dataKey(params),
      ],
      sameAccount,
    ),
    GlueAssetsUploaderRole: role('lambda.amazonaws.com', [
      allow(
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
        n.logGroupArn(`/aws/lambda/${n.prefix}-glue-assets-uploader`),
      ),
      allow(
        ['s3:PutObject', 's3:DeleteObject'],
        n.bucketArn('glue-assets', '/glue/*'),
      ),
      dataKey(params),
    ]),
  };
};

/**
 * What on-call attaches to its role to replay from the console: read and
 * start executions, redrive, read quarantine reports and manifests. Nothing
 * here reads raw, staged, curated or archived data, and an explicit deny
 * keeps it so even if another policy on the same role is broader.
 */
// A drop id is 32 hex characters (shared/drop/identity.ts). IAM's `*` spans
// `/`, so `quarantine/*/report.json` would also match a rejected file named
// report.json at `<drop>/rejected/report.json`; `?` matches one character,
// so this pattern matches only the report at the top of a drop's folder.
const DROP_ID = '?'.repeat(32);

const operatorPolicy = (n, params) => ({
  Type: 'AWS::IAM::ManagedPolicy',
  Properties: {
    ManagedPolicyName: `${n.prefix}-operator-replay`,
    Description:
      'Replay drop pipeline executions and read quarantine reports and manifests; no PHI',
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        allow('states:ListStateMachines', '*'),
        allow(
          [
            'states:DescribeStateMachine',
            'states:ListExecutions',
            'states:StartExecution',
          ],
          n.stateMachineArn,
        ),
        allow(
          [
            'states:DescribeExecution',
            'states:GetExecutionHistory',
            'states:RedriveExecution',
            'states:StopExecution',
          ],
          n.executionArn,
        ),
        allow('s3:GetObject', [
          n.bucketArn('quarantine', `/${DROP_ID}/report.json`),
          n.bucketArn('manifests', '/*'),
        ]),
        allow('s3:ListBucket', n.bucketArn('manifests')),
        when(
          'HasKmsKey',
          allow('kms:Decrypt', params.kmsKeyArn, {
            Condition: {
              StringEquals: {
                'kms:EncryptionContext:aws:s3:arn': [
                  n.bucketArn('quarantine'),
                  n.bucketArn('manifests'),
                ],
              },
            },
          }),
        ),
        {
          Sid: 'NeverReadPhi',
          Effect: 'Deny',
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Resource: [
            // Every quarantined byte sits in a sub-folder of its drop's folder
            // (raw/, rejected/); only the report sits at the top. Denying
            // whatever has two slashes in its key denies all of it, whatever
            // the sub-folder or file is called.
            n.bucketArn('quarantine', '/*/*/*'),
            n.bucketArn('landing', '/*'),
            n.bucketArn('staged', '/*'),
            n.bucketArn('curated', '/*'),
            n.bucketArn('archive', '/*'),
            n.bucketArn('athena-results', '/*'),
          ],
        },
      ],
    },
  },
});

const iam = (n, params) => ({
  ...functionRoles(n, params),
  StateMachineRole: stateMachineRole(n, params),
  ...glueRoles(n, params),
  OperatorReplayPolicy: operatorPolicy(n, params),
});

module.exports = { iam };
