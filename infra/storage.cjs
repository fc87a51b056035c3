'use strict';
// Buckets of every zone: encrypted (SSE-KMS with the given key, else SSE-S3),
// private, owner-enforced, TLS-only, optionally access-logged. Data buckets
// are retained when the stack is deleted.

const ARCHIVE_CLASSES = ['GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR'];

const abortUploads = {
  Id: 'abort-incomplete-multipart-upload',
  Status: 'Enabled',
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
};

const lifecycleRules = (zone, params) => {
  const rules = [abortUploads];
  if (zone === 'landing') {
    // A tiered or quarantined drop is deleted by version; this removes any
    // noncurrent version left by a feed overwriting a key.
    rules.push({
      Id: 'expire-noncurrent-versions',
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      ExpiredObjectDeleteMarker: true,
    });
  }
  if (zone === 'archive') {
    rules.push({
      Id: 'archive-in-glacier-class',
      Status: 'Enabled',
      Transitions: [
        { StorageClass: params.archiveStorageClass, TransitionInDays: 0 },
      ],
    });
  }
  if (zone === 'athena-results') {
    rules.push({
      Id: 'expire-query-results',
      Status: 'Enabled',
      ExpirationInDays: Number(params.resultsRetentionDays),
    });
  }

  return rules;
};

const VERSIONED = new Set(['landing', 'quarantine', 'manifests', 'archive']);
const NOT_RETAINED = new Set(['glue-assets']);

const bucket = (n, zone, params, extra = {}) => ({
  Type: 'AWS::S3::Bucket',
  DeletionPolicy: NOT_RETAINED.has(zone) ? 'Delete' : 'Retain',
  UpdateReplacePolicy: NOT_RETAINED.has(zone) ? 'Delete' : 'Retain',
  ...extra,
  Properties: {
    BucketName: n.bucket(zone),
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [
        {
          ServerSideEncryptionByDefault: {
            'Fn::If': [
              'HasKmsKey',
              { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: params.kmsKeyArn },
              { SSEAlgorithm: 'AES256' },
            ],
          },
          BucketKeyEnabled: true,
        },
      ],
    },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    VersioningConfiguration: VERSIONED.has(zone)
      ? { Status: 'Enabled' }
      : { Ref: 'AWS::NoValue' },
    LifecycleConfiguration: { Rules: lifecycleRules(zone, params) },
    LoggingConfiguration: {
      'Fn::If': [
        'HasAccessLogBucket',
        {
          DestinationBucketName: params.accessLogBucket,
          LogFilePrefix: `${n.prefix}/${zone}/`,
        },
        { Ref: 'AWS::NoValue' },
      ],
    },
    Tags: [{ Key: 'zone', Value: zone }],
  },
});

const tlsOnlyPolicy = (bucketRef, bucketArn) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: {
    Bucket: bucketRef,
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
  },
});

/** The landing bucket notifies the validate function of new objects. */
const landingTrigger = (params) => ({
  DependsOn: ['ValidateDropS3Permission'],
  Properties: {
    NotificationConfiguration: {
      LambdaConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Filter: {
            S3Key: { Rules: [{ Name: 'prefix', Value: params.landingPrefix }] },
          },
          Function: { 'Fn::GetAtt': ['ValidateDropLambdaFunction', 'Arn'] },
        },
      ],
    },
  },
});

const storage = (n, params, { ZONES }) => {
  if (!ARCHIVE_CLASSES.includes(params.archiveStorageClass)) {
    throw new Error(
      `archiveStorageClass must be one of ${ARCHIVE_CLASSES.join(', ')}: ${params.archiveStorageClass}`,
    );
  }
  const resources = {};
  for (const zone of ZONES) {
    const id = n.bucketLogicalId(zone);
    const base = bucket(n, zone, params);
    if (zone === 'landing') {
      const trigger = landingTrigger(params);
      base.DependsOn = trigger.DependsOn;
      Object.assign(base.Properties, trigger.Properties);
    }
    resources[id] = base;
    resources[`${id}Policy`] = tlsOnlyPolicy({ Ref: id }, n.bucketArn(zone));
  }
  resources.ValidateDropS3Permission = {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      FunctionName: { 'Fn::GetAtt': ['ValidateDropLambdaFunction', 'Arn'] },
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceArn: n.bucketArn('landing'),
      SourceAccount: { Ref: 'AWS::AccountId' },
    },
  };
  // The Serverless deployment bucket holds the function zips: same guards.
  resources.ServerlessDeploymentBucket = {
    Type: 'AWS::S3::Bucket',
    Properties: {
      OwnershipControls: {
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      },
    },
  };

  return resources;
};

module.exports = { storage, ARCHIVE_CLASSES };
