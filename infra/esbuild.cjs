'use strict';
// esbuild options for serverless-esbuild; bench/bundle-size.ts reads the same
// object so that its figures are those of the deployed zips.

// Local-mode engines: never shipped in a Lambda. Left external (not bundled,
// not packaged); a handler that reaches them at run time fails loudly, and
// tests/infra/bundles.test.ts checks no zip contains them.
const LOCAL_ONLY = ['@duckdb/node-api', 'aws-local-stepfunctions'];

// The Node.js 22 Lambda runtime provides the AWS SDK v3 clients. Bundling
// them costs about 450 KB minified per function (over the 300 KB budget) for
// a fixed SDK version; BUNDLE_AWS_SDK=1 bundles them anyway. Only clients are
// left out: AWS documents the runtime's SDK by client, so helper libraries
// such as @aws-sdk/lib-storage (the streamed uploads) are bundled, which
// costs validate-drop a few kilobytes and removes a guess about the runtime.
const RUNTIME_PROVIDED =
  process.env.BUNDLE_AWS_SDK === '1' ? [] : ['@aws-sdk/client-*', '@smithy/*'];

// Handlers are ESM; some bundled dependencies are CommonJS and call require()
// for Node built-ins, which an ESM bundle lacks.
const REQUIRE_SHIM =
  "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

const options = {
  bundle: true,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  keepNames: false,
  target: 'node22',
  platform: 'node',
  format: 'esm',
  outputFileExtension: '.mjs',
  mainFields: ['module', 'main'],
  banner: { js: REQUIRE_SHIM },
  exclude: [...LOCAL_ONLY, ...RUNTIME_PROVIDED],
  packager: 'npm',
};

module.exports = () => options;
module.exports.options = options;
module.exports.LOCAL_ONLY = LOCAL_ONLY;
