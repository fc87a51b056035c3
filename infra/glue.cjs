'use strict';
// Glue catalog, crawler and curation job, the Athena workgroup, and the
// upload of the job's script from the repository.
//
// The script reaches S3 inside the stack: its files are read at package time,
// base64-encoded into a custom resource, and a small inline Lambda writes them
// to the glue-assets bucket before the job is created or updated. No step runs
// by hand and nothing else must exist first.

const fs = require('node:fs');
const path = require('node:path');
const { pascal } = require('./names.cjs');

const root = path.resolve(__dirname, '..');
const TABLES_FILE = 'shared/curation/tables.json';
const SCRIPT = 'glue/curate_drop.py';
const SQL_DIR = 'glue/sql';

const EXTRA_COLUMNS = [
  { Name: 'resource_json', Type: 'string' },
  { Name: 'drop_id', Type: 'string' },
  { Name: 'source_key', Type: 'string' },
];
const PARTITION_KEYS = [{ Name: 'ingest_date', Type: 'string' }];

const curatedTables = () =>
  JSON.parse(fs.readFileSync(path.join(root, TABLES_FILE), 'utf8')).tables;

/** Files uploaded to the glue-assets bucket, keyed by object key. */
const assetFiles = () => {
  const sqlDir = path.join(root, SQL_DIR);
  const sql = fs.existsSync(sqlDir)
    ? fs
        .readdirSync(sqlDir)
        .filter((name) => name.endsWith('.sql'))
        .sort()
    : [];
  const wanted = [SCRIPT, ...sql.map((name) => `${SQL_DIR}/${name}`)];
  const files = {};
  for (const file of wanted) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) {
      process.stderr.write(`missing Glue asset, not uploaded: ${file}\n`);
      continue;
    }
    files[file] = fs.readFileSync(full).toString('base64');
  }
  files['glue/tables.json'] = fs
    .readFileSync(path.join(root, TABLES_FILE))
    .toString('base64');

  return files;
};

const curatedTable = (n, table) => ({
  Type: 'AWS::Glue::Table',
  Properties: {
    CatalogId: { Ref: 'AWS::AccountId' },
    DatabaseName: { Ref: 'GlueDatabase' },
    TableInput: {
      Name: table.name,
      Description: `Curated FHIR ${table.resourceType} rows, one Parquet file per drop and ingest date`,
      TableType: 'EXTERNAL_TABLE',
      PartitionKeys: PARTITION_KEYS,
      Parameters: {
        classification: 'parquet',
        EXTERNAL: 'TRUE',
        'parquet.compression': 'SNAPPY',
        // Partition projection: Athena computes the partitions, so neither a
        // crawler nor MSCK REPAIR is needed for curated data. The default
        // location template is <Location>/ingest_date=<value>/.
        'projection.enabled': 'true',
        'projection.ingest_date.type': 'date',
        'projection.ingest_date.format': 'yyyy-MM-dd',
        'projection.ingest_date.range': '2020-01-01,NOW',
        'projection.ingest_date.interval': '1',
        'projection.ingest_date.interval.unit': 'DAYS',
      },
      StorageDescriptor: {
        Columns: [
          ...table.columns.map((column) => ({
            Name: column.name,
            Type: column.type,
          })),
          ...EXTRA_COLUMNS,
        ],
        Location: {
          'Fn::Sub': `s3://${n.prefix}-\${AWS::AccountId}-curated/${table.name}/`,
        },
        InputFormat:
          'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        OutputFormat:
          'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        SerdeInfo: {
          SerializationLibrary:
            'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
          Parameters: { 'serialization.format': '1' },
        },
      },
    },
  },
});

// Inline (CommonJS) so that it needs no bundling; it uses the SDK the Node.js
// runtime provides and answers CloudFormation through the pre-signed URL.
const UPLOADER_CODE = `
const { S3Client, PutObjectCommand, DeleteObjectCommand } = require('@aws-sdk/client-s3');
const https = require('node:https');
const s3 = new S3Client({});
const respond = (event, status, reason) => new Promise((resolve, reject) => {
  const body = JSON.stringify({ Status: status, Reason: reason,
    PhysicalResourceId: 'glue-assets', StackId: event.StackId,
    RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId });
  const req = https.request(event.ResponseURL, { method: 'PUT',
    headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } },
    (res) => { res.resume(); res.on('end', resolve); });
  req.on('error', reject);
  req.end(body);
});
exports.handler = async (event) => {
  const { Bucket, Files } = event.ResourceProperties;
  const old = (event.OldResourceProperties || {}).Files || {};
  try {
    if (event.RequestType === 'Delete') {
      for (const Key of Object.keys(Files)) await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    } else {
      for (const [Key, b64] of Object.entries(Files)) {
        await s3.send(new PutObjectCommand({ Bucket, Key, Body: Buffer.from(b64, 'base64') }));
      }
      for (const Key of Object.keys(old)) {
        if (!(Key in Files)) await s3.send(new DeleteObjectCommand({ Bucket, Key }));
      }
    }
    await respond(event, 'SUCCESS', 'ok');
  } catch (error) {
    console.error(JSON.stringify({ message: 'failed to upload glue assets', name: error.name }));
    await respond(event, 'FAILED', 'failed to upload glue assets: ' + error.name);
  }
};
`;

const glue = (n, params) => {
  const assetsPrefix = {
    'Fn::Sub': `s3://${n.prefix}-\${AWS::AccountId}-glue-assets/glue/`,
  };
  const resources = {
    GlueDatabase: {
      Type: 'AWS::Glue::Database',
      Properties: {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseInput: {
          Name: n.glueDatabase,
          Description:
            'HIE drop pipeline: curated tables (partition projection) and staged_* tables (crawler)',
        },
      },
    },
    StagedCrawler: {
      Type: 'AWS::Glue::Crawler',
      Properties: {
        Name: n.crawlerName,
        Role: { 'Fn::GetAtt': ['CrawlerRole', 'Arn'] },
        DatabaseName: { Ref: 'GlueDatabase' },
        TablePrefix: 'staged_',
        Targets: {
          S3Targets: [
            {
              Path: {
                'Fn::Sub': `s3://${n.prefix}-\${AWS::AccountId}-staged/`,
              },
            },
          ],
        },
        // Each drop adds new folders only, so a crawl reads just those. That
        // mode requires LOG for schema changes: the staged tables are for
        // exploration, the curated schema is fixed by tables.json.
        RecrawlPolicy: { RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' },
        SchemaChangePolicy: { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' },
        Configuration: JSON.stringify({
          Version: 1.0,
          Grouping: {
            TableLevelConfiguration: 2,
            TableGroupingPolicy: 'CombineCompatibleSchemas',
          },
          CrawlerOutput: {
            Partitions: { AddOrUpdateBehavior: 'InheritFromTable' },
          },
        }),
      },
    },
    CurateDropJob: {
      Type: 'AWS::Glue::Job',
      DependsOn: ['GlueAssets'],
      Properties: {
        Name: n.glueJobName,
        Description: 'Curates one staged drop into Parquet tables (DuckDB)',
        Role: { 'Fn::GetAtt': ['GlueJobRole', 'Arn'] },
        GlueVersion: '3.0',
        Command: {
          Name: 'pythonshell',
          PythonVersion: '3.9',
          ScriptLocation: {
            'Fn::Sub': `s3://${n.prefix}-\${AWS::AccountId}-glue-assets/${SCRIPT}`,
          },
        },
        MaxCapacity: 1,
        // One run curates every drop queued when it starts, so a second
        // concurrent run would only redo the same drops; executions that
        // find the job busy wait and ask the queue again.
        ExecutionProperty: { MaxConcurrentRuns: 1 },
        Timeout: 50,
        MaxRetries: 0,
        DefaultArguments: {
          '--additional-python-modules': 'duckdb',
          // The job replaces its own drop's output, so bookmarks add nothing.
          '--job-bookmark-option': 'job-bookmark-disable',
          '--staged_bucket': n.bucket('staged'),
          '--curated_bucket': n.bucket('curated'),
          '--manifest_bucket': n.bucket('manifests'),
          '--glue_database': n.glueDatabase,
          '--assets_location': assetsPrefix,
          '--sql_location': {
            'Fn::Sub': `s3://${n.prefix}-\${AWS::AccountId}-glue-assets/${SQL_DIR}/`,
          },
          '--tables_spec': {
            'Fn::Sub': `s3://${n.prefix}-\${AWS::AccountId}-glue-assets/glue/tables.json`,
          },
        },
      },
    },
    GlueAssetsUploaderLogGroup: {
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: `/aws/lambda/${n.prefix}-glue-assets-uploader`,
        RetentionInDays: Number(params.logRetentionDays),
      },
    },
    GlueAssetsUploaderFunction: {
      Type: 'AWS::Lambda::Function',
      DependsOn: ['GlueAssetsUploaderLogGroup'],
      Properties: {
        FunctionName: `${n.prefix}-glue-assets-uploader`,
        Description: 'Uploads the Glue job script and SQL from the repository',
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: 60,
        MemorySize: 256,
        Role: { 'Fn::GetAtt': ['GlueAssetsUploaderRole', 'Arn'] },
        Code: { ZipFile: UPLOADER_CODE },
      },
    },
    GlueAssets: {
      Type: 'Custom::GlueAssets',
      DependsOn: ['GlueAssetsBucketPolicy'],
      Properties: {
        ServiceToken: { 'Fn::GetAtt': ['GlueAssetsUploaderFunction', 'Arn'] },
        Bucket: { Ref: 'GlueAssetsBucket' },
        Files: assetFiles(),
      },
    },
    AthenaWorkGroup: {
      Type: 'AWS::Athena::WorkGroup',
      Properties: {
        Name: n.athenaWorkGroup,
        Description:
          'Data-quality queries and analysts: enforced, encrypted, capped',
        State: 'ENABLED',
        RecursiveDeleteOption: true,
        WorkGroupConfiguration: {
          EnforceWorkGroupConfiguration: true,
          PublishCloudWatchMetricsEnabled: true,
          BytesScannedCutoffPerQuery: Number(params.athenaBytesScannedCutoff),
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          ResultConfiguration: {
            OutputLocation: {
              'Fn::Sub': `s3://${n.prefix}-\${AWS::AccountId}-athena-results/results/`,
            },
            EncryptionConfiguration: {
              'Fn::If': [
                'HasKmsKey',
                { EncryptionOption: 'SSE_KMS', KmsKey: params.kmsKeyArn },
                { EncryptionOption: 'SSE_S3' },
              ],
            },
          },
        },
      },
    },
  };
  for (const table of curatedTables()) {
    resources[`Curated${pascal(table.name)}Table`] = curatedTable(n, table);
  }

  return resources;
};

module.exports = {
  glue,
  curatedTables,
  EXTRA_COLUMNS,
  PARTITION_KEYS,
  SCRIPT,
  TABLES_FILE,
};
