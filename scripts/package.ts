// Packages the stack offline: `serverless package` (osls) with fake
// credentials, no metadata endpoint and no telemetry, so it never reaches AWS.
// Writes .serverless/cloudformation-template-update-stack.json and one zip per
// function. Extra arguments go to serverless (`npm run package -- --stage prod`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorOf, packageArgs } from './package-args.ts';

const require = createRequire(import.meta.url);

const OFFLINE_ENV = {
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE',
  AWS_SECRET_ACCESS_KEY: 'fake',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_REGION: 'us-east-1',
  SLS_TELEMETRY_DISABLED: '1',
  SLS_TRACKING_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  SLS_DEPRECATION_DISABLE: '*',
} as const;

const args = packageArgs(process.argv.slice(2));

// serverless-esbuild stages each function in the temp folder and leaves it
// there; give it one of ours and remove it afterwards.
const scratch = mkdtempSync(join(tmpdir(), 'drop-pipeline-package-'));
const result = spawnSync(
  process.execPath,
  [require.resolve('osls/bin/serverless.js'), 'package', ...args],
  {
    stdio: ['inherit', 'pipe', 'pipe'],
    env: { ...process.env, ...OFFLINE_ENV, TMPDIR: scratch },
  },
);
rmSync(scratch, { recursive: true, force: true });

const stdout = String(result.stdout ?? '');
const stderr = String(result.stderr ?? '');
if (result.status === 0) {
  process.stdout.write(stdout);
  process.stderr.write(stderr);
} else {
  console.error(`failed to package: ${errorOf(`${stdout}\n${stderr}`)}`);
}
process.exit(result.status ?? 1);
