import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO, SAMPLES } from '../helpers/paths.ts';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an npm-script entry point as `npm run` would, without npm. */
async function cli(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Ran> {
  const path = new URL(script, REPO).pathname;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as Ran;
    return { code, stdout, stderr };
  }
}

describe('npm start when the validate function throws', () => {
  let root: string;
  let ran: Ran;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'drop-cli-'));
    ran = await cli('local/cli.ts', ['run', '--root', root, SAMPLES.pathname], {
      MAX_DROP_BYTES: '200',
    });
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('dead-letters the drops it cannot take and goes on with the others', () => {
    assert.equal(ran.code, 1);
    assert.match(ran.stdout, /DEAD-LETTERED/);
    assert.match(ran.stdout, /threw DropTooLargeError on every attempt/);
    assert.match(ran.stdout, /QUARANTINED/);
    assert.match(ran.stdout, /quarantined 2, .*unaccounted 0/);
    assert.match(ran.stdout, /dead-lettered: 5 /);
  });

  it('keeps each dead-lettered event with its error name', async () => {
    const folder = join(root, 'dead-letter');
    const letters = await Promise.all(
      (await readdir(folder)).map(async (name) =>
        JSON.parse(await readFile(join(folder, name), 'utf8')),
      ),
    );

    assert.equal(letters.length, 5);
    for (const letter of letters) {
      assert.equal(letter.error, 'DropTooLargeError');
      assert.equal(letter.attempts, 3);
    }
  });
});
