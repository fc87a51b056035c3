import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  branches,
  loadTemplate,
  type Resource,
  resourcesOfType,
  type Template,
  text,
} from './template.ts';

const ZONE_BUCKETS = [
  'LandingBucket',
  'QuarantineBucket',
  'StagedBucket',
  'CuratedBucket',
  'DqBucket',
  'ManifestsBucket',
  'ArchiveBucket',
  'AthenaResultsBucket',
];

let template: Template;
let buckets: [string, Resource][];

const rules = (id: string) =>
  template.Resources[id]?.Properties.LifecycleConfiguration.Rules as {
    Id: string;
    [key: string]: unknown;
  }[];

describe('buckets', () => {
  before(() => {
    template = loadTemplate();
    buckets = resourcesOfType(template, 'AWS::S3::Bucket');
  });

  it('declares a bucket for every zone', () => {
    const ids = buckets.map(([id]) => id);

    for (const id of ZONE_BUCKETS) assert.ok(ids.includes(id), id);
  });

  it('encrypts every bucket with the given KMS key, else with S3-managed keys', () => {
    for (const [id, bucket] of buckets) {
      const config =
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration;
      const algorithms = branches(config[0].ServerSideEncryptionByDefault).map(
        (option) => option.SSEAlgorithm,
      );

      if (id === 'ServerlessDeploymentBucket') {
        assert.deepEqual(algorithms, ['AES256'], id);
      } else {
        assert.deepEqual(algorithms, ['aws:kms', 'AES256'], id);
        assert.equal(config[0].BucketKeyEnabled, true, id);
      }
    }
  });

  it('blocks public access and enforces bucket ownership on every bucket', () => {
    for (const [id, bucket] of buckets) {
      const block = bucket.Properties.PublicAccessBlockConfiguration;
      const ownership = bucket.Properties.OwnershipControls.Rules[0];

      assert.deepEqual(
        block,
        {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        id,
      );
      assert.equal(ownership.ObjectOwnership, 'BucketOwnerEnforced', id);
    }
  });

  it('denies requests without TLS on every bucket and its objects', () => {
    const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy');

    for (const [id] of buckets) {
      const policy = policies.find(
        ([, p]) => p.Properties.Bucket.Ref === id,
      )?.[1];
      const deny = policy?.Properties.PolicyDocument.Statement.find(
        (s: { Condition?: { Bool?: Record<string, unknown> } }) =>
          String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false',
      );

      assert.ok(deny, `no TLS-only policy on ${id}`);
      assert.equal(deny.Effect, 'Deny');
      assert.equal(deny.Principal, '*');
      assert.equal(deny.Action, 's3:*');
      assert.equal(deny.Resource.length, 2, id);
    }
  });

  it('versions the landing bucket', () => {
    const landing = template.Resources.LandingBucket;

    assert.equal(landing?.Properties.VersioningConfiguration.Status, 'Enabled');
  });

  it('aborts incomplete multipart uploads on landing after one day', () => {
    const abort = rules('LandingBucket').find(
      (rule) => rule.AbortIncompleteMultipartUpload,
    );

    assert.deepEqual(abort?.AbortIncompleteMultipartUpload, {
      DaysAfterInitiation: 1,
    });
  });

  it('moves archive objects to the configured Glacier class', () => {
    const transition = rules('ArchiveBucket').find((rule) => rule.Transitions);

    assert.deepEqual(transition?.Transitions, [
      { StorageClass: 'GLACIER', TransitionInDays: 0 },
    ]);
  });

  it('expires Athena query results', () => {
    const expiry = rules('AthenaResultsBucket').find(
      (rule) => rule.ExpirationInDays,
    );

    assert.equal(expiry?.ExpirationInDays, 7);
  });

  it('keeps every data bucket when the stack is deleted', () => {
    for (const id of ZONE_BUCKETS) {
      const bucket = template.Resources[id];

      assert.equal(bucket?.DeletionPolicy, 'Retain', id);
      assert.equal(bucket?.UpdateReplacePolicy, 'Retain', id);
    }
  });

  it('logs access to every zone bucket only when a log bucket is given', () => {
    for (const id of ZONE_BUCKETS) {
      const logging = template.Resources[id]?.Properties.LoggingConfiguration;

      assert.equal(logging['Fn::If'][0], 'HasAccessLogBucket', id);
      assert.equal(branches(logging).length, 1, id);
    }
  });

  it('names buckets within the 63 characters S3 allows for a 12-digit account', () => {
    for (const [id, bucket] of buckets) {
      if (id === 'ServerlessDeploymentBucket') continue;
      const name = bucket.Properties.BucketName['Fn::Sub'].replace(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the CloudFormation placeholder replaced by an account id
        '${AWS::AccountId}',
        '123456789012',
      );

      assert.ok(name.length <= 63, `${id}: ${name}`);
      assert.match(name, /^[a-z0-9][a-z0-9-]*[a-z0-9]$/, text(name));
    }
  });
});
