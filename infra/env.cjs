'use strict';
// Values for provider.environment that need the stage: bucket names and ARNs
// are built as strings (see names.cjs) so that no function depends on the
// state machine or the landing bucket in CloudFormation's graph.
const { names } = require('./names.cjs');

module.exports = async ({ resolveVariable }) => {
  const n = names(await resolveVariable('sls:stage'));

  return {
    LANDING_BUCKET: n.bucket('landing'),
    STAGED_BUCKET: n.bucket('staged'),
    QUARANTINE_BUCKET: n.bucket('quarantine'),
    CURATED_BUCKET: n.bucket('curated'),
    DQ_BUCKET: n.bucket('dq'),
    MANIFEST_BUCKET: n.bucket('manifests'),
    ARCHIVE_BUCKET: n.bucket('archive'),
    STATE_MACHINE_ARN: n.stateMachineArn,
    GLUE_DATABASE: n.glueDatabase,
    ATHENA_WORKGROUP: n.athenaWorkGroup,
  };
};
