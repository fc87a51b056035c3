'use strict';
// On-call path: an encrypted SNS topic with the e-mail subscription, the
// dead-letter queue for asynchronous invocations, the EventBridge rule on
// executions that end badly, and CloudWatch alarms.

const { FUNCTIONS, lambdaLogicalId, pascal } = require('./names.cjs');

const ENDED_BADLY = ['FAILED', 'TIMED_OUT', 'ABORTED'];

const alarm = (description, metric) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    AlarmDescription: description,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 1,
    EvaluationPeriods: 1,
    Period: 300,
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: 'AlertTopic' }],
    ...metric,
  },
});

// CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed
// SNS key, so the topic gets its own customer-managed key. The topic carries
// no PHI; the key exists for encryption at rest and for that key policy.
const topicKey = () => ({
  Type: 'AWS::KMS::Key',
  Properties: {
    Description: 'Encrypts the drop pipeline on-call topic',
    EnableKeyRotation: true,
    KeyPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountAdministersKeyThroughIam',
          Effect: 'Allow',
          Principal: {
            AWS: {
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub placeholder, not JavaScript
              'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root',
            },
          },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          },
        },
      ],
    },
  },
});

const alerting = (n, params) => {
  if (!params.alertEmail) {
    throw new Error(
      'failed to configure the on-call topic: pass --param="alertEmail=you@example.org"',
    );
  }
  const resources = {
    AlertTopicKey: topicKey(),
    AlertTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: `${n.prefix}-on-call`,
        DisplayName: 'HIE drop pipeline',
        KmsMasterKeyId: { Ref: 'AlertTopicKey' },
      },
    },
    AlertEmailSubscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'AlertTopic' },
        Protocol: 'email',
        Endpoint: params.alertEmail,
      },
    },
    AsyncFailureQueue: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: `${n.prefix}-async-failures`,
        MessageRetentionPeriod: 1209600,
        SqsManagedSseEnabled: true,
      },
    },
    AsyncFailureQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: 'AsyncFailureQueue' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sqs:*',
              Resource: { 'Fn::GetAtt': ['AsyncFailureQueue', 'Arn'] },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Sid: 'EventBridgeDeadLetters',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': ['AsyncFailureQueue', 'Arn'] },
              Condition: {
                ArnEquals: {
                  'aws:SourceArn': {
                    'Fn::GetAtt': ['ExecutionEndedBadlyRule', 'Arn'],
                  },
                },
              },
            },
          ],
        },
      },
    },
    ExecutionEndedBadlyRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: `Executions of ${n.stateMachineName} that end ${ENDED_BADLY.join(', ')}`,
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: {
            status: ENDED_BADLY,
            stateMachineArn: [n.stateMachineArn],
          },
        },
        Targets: [
          {
            Id: 'notify-execution-status',
            Arn: {
              'Fn::GetAtt': [lambdaLogicalId('notifyExecutionStatus'), 'Arn'],
            },
            RetryPolicy: {
              MaximumRetryAttempts: 8,
              MaximumEventAgeInSeconds: 3600,
            },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': ['AsyncFailureQueue', 'Arn'] },
            },
          },
        ],
      },
    },
    NotifyExecutionStatusEventsPermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: {
          'Fn::GetAtt': [lambdaLogicalId('notifyExecutionStatus'), 'Arn'],
        },
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['ExecutionEndedBadlyRule', 'Arn'] },
      },
    },
    AsyncFailureQueueDepthAlarm: alarm(
      'Asynchronous invocations (S3 events, status events) that failed every retry are waiting in the dead-letter queue.',
      {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': ['AsyncFailureQueue', 'QueueName'] },
          },
        ],
      },
    ),
    ExecutionsFailedAlarm: alarm('Drop pipeline executions failed.', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'StateMachineArn', Value: n.stateMachineArn }],
    }),
    ExecutionsTimedOutAlarm: alarm('Drop pipeline executions timed out.', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsTimedOut',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'StateMachineArn', Value: n.stateMachineArn }],
    }),
  };
  for (const key of Object.keys(FUNCTIONS)) {
    const dimensions = [{ Name: 'FunctionName', Value: n.functionName(key) }];
    resources[`${pascal(key)}ErrorsAlarm`] = alarm(
      `${n.functionName(key)} reported errors.`,
      {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Dimensions: dimensions,
      },
    );
    resources[`${pascal(key)}ThrottlesAlarm`] = alarm(
      `${n.functionName(key)} was throttled.`,
      {
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Statistic: 'Sum',
        Dimensions: dimensions,
      },
    );
  }

  return resources;
};

module.exports = { alerting, ENDED_BADLY };
