'use strict';
// The only actions granted on `Resource: "*"`, with the reason. The IAM test
// fails on any other; the README lists the same table.
module.exports = {
  'logs:CreateLogDelivery':
    'Step Functions logging: CloudWatch Logs vended-log delivery APIs have no resource-level permissions.',
  'logs:GetLogDelivery':
    'Step Functions logging: same API family, no resource-level permissions.',
  'logs:UpdateLogDelivery':
    'Step Functions logging: same API family, no resource-level permissions.',
  'logs:DeleteLogDelivery':
    'Step Functions logging: same API family, no resource-level permissions.',
  'logs:ListLogDeliveries':
    'Step Functions logging: same API family, no resource-level permissions.',
  'logs:PutResourcePolicy':
    'Step Functions logging: the log group resource policy is account-wide; the API takes no resource ARN.',
  'logs:DescribeResourcePolicies':
    'Step Functions logging: account-wide list, no resource-level permissions.',
  'logs:DescribeLogGroups':
    'Step Functions logging: list API, no resource-level permissions.',
  'xray:PutTraceSegments':
    'X-Ray (only when tracing=true): no resource-level permissions.',
  'xray:PutTelemetryRecords':
    'X-Ray (only when tracing=true): no resource-level permissions.',
  'xray:GetSamplingRules':
    'X-Ray (only when tracing=true): no resource-level permissions.',
  'xray:GetSamplingTargets':
    'X-Ray (only when tracing=true): no resource-level permissions.',
  'states:ListStateMachines':
    'Operator policy: the console lists state machines before opening one; list APIs take no resource ARN.',
};
