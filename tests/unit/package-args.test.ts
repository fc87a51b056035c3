import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorOf, packageArgs } from '../../scripts/package-args.ts';

describe('npm run package arguments', () => {
  it('packages the dev stage with the default alert address when given nothing', () => {
    assert.deepEqual(packageArgs([]), [
      '--stage',
      'dev',
      '--param=alertEmail=oncall@example.org',
    ]);
  });

  it('keeps the default alert address beside a stage of the caller', () => {
    assert.deepEqual(packageArgs(['--stage', 'prod']), [
      '--param=alertEmail=oncall@example.org',
      '--stage',
      'prod',
    ]);
  });

  it("leaves the caller's own alert address alone", () => {
    const args = ['--stage=prod', '--param', 'alertEmail=me@example.org'];

    assert.deepEqual(packageArgs(args), args);
  });
});

describe('a failed npm run package', () => {
  it('says why in one line, without the wrapping and the stack', () => {
    const output = [
      'Error:',
      'Cannot resolve serverless.yml: Variables resolution errored with:',
      '  - Cannot resolve variable at "resources": Cannot resolve "resources.cjs": Returned JS function errored with: Error: failed to configure the on-call topic: pass --param="alertEmail=you@example.org"',
      '    at alerting (infra/alerting.cjs:64:11)',
      '    at module.exports (infra/resources.cjs:47:10)',
      '',
      'Environment: linux, node 22.23.3, osls 4.3.1 (local)',
    ].join('\n');

    assert.equal(
      errorOf(output),
      'failed to configure the on-call topic: pass --param="alertEmail=you@example.org"',
    );
  });

  it('keeps the whole Error block when it wraps nothing', () => {
    assert.equal(
      errorOf('Error:\nStage name too long\n\nDocs: x'),
      'Stage name too long',
    );
  });
});

describe('a failed npm run package with many unresolved variables', () => {
  it('names the first', () => {
    const item = (path: string) =>
      `  - Cannot resolve variable at "${path}": Encountered invalid "--param" CLI option value: "alertEmail=".`;
    const output = [
      'Error:',
      'Cannot resolve serverless.yml: Variables resolution errored with:',
      item('provider.logRetentionInDays'),
      item('resources'),
    ].join('\n');

    assert.equal(
      errorOf(output),
      'Cannot resolve variable at "provider.logRetentionInDays": Encountered invalid "--param" CLI option value: "alertEmail=".',
    );
  });
});
