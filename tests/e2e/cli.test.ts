import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
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

describe('npm start --verbose with drops running at once', () => {
  let root: string;
  let lines: Array<Record<string, string>>;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'drop-cli-'));
    const feed = join(root, 'feed');
    await mkdir(feed);
    const vitals = await readFile(
      new URL('fhir/vitals_export.ndjson', SAMPLES),
    );
    for (let i = 0; i < 16; i++) {
      const patient = { resourceType: 'Patient', id: `pat-c${i}` };
      await writeFile(
        join(feed, `v${i}.ndjson`),
        `${vitals}${JSON.stringify(patient)}\n`,
      );
    }
    const ran = await cli(
      'local/cli.ts',
      [
        'run',
        '--root',
        join(root, 'run'),
        '--verbose',
        '--concurrency',
        '8',
        feed,
      ],
      { POWERTOOLS_LOG_LEVEL: 'INFO' },
    );
    lines = ran.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it("logs each function's lines under the drop they are about", () => {
    const about = lines.flatMap((line) => {
      const id = (line.archiveKey ?? line.executionName ?? '').match(
        /[0-9a-f]{32}/,
      )?.[0];
      return id ? [{ id, correlation: line.correlation_id }] : [];
    });

    assert.ok(about.length >= 32, `${about.length} lines name a drop`);
    for (const { id, correlation } of about) assert.equal(correlation, id);
  });
});

describe('the command lines, on rough input', () => {
  it('prints usage for an unknown option', async () => {
    const ran = await cli('local/cli.ts', ['run', '--bogus']);

    assert.equal(ran.code, 2);
    assert.match(ran.stderr, /Unknown option '--bogus'/);
    assert.match(ran.stderr, /^usage:/m);
  });

  it('refuses a concurrency below 1 instead of hanging', async () => {
    const ran = await cli('local/cli.ts', ['run', '--concurrency', '0']);

    assert.equal(ran.code, 2);
    assert.match(
      ran.stderr,
      /--concurrency must be a whole number of 1 or more/,
    );
  });

  it('says in one line that a path to validate does not exist', async () => {
    const ran = await cli('local/validate-cli.ts', ['no/such/file.hl7']);

    assert.equal(ran.code, 2);
    assert.equal(ran.stderr, 'no such file or folder: no/such/file.hl7\n');
  });

  it('says in one line that FEED_POLICIES is malformed', async () => {
    const ran = await cli('local/validate-cli.ts', ['samples'], {
      FEED_POLICIES: '{bad',
    });

    assert.equal(ran.code, 2);
    assert.equal(ran.stderr, 'FEED_POLICIES must be a JSON object\n');
  });

  it('names every way to replay, and refuses an unknown redrive in one line', async () => {
    const root = await mkdtemp(join(tmpdir(), 'drop-cli-'));
    const bare = await cli('local/cli.ts', ['replay', '--root', root]);
    const unknown = await cli('local/cli.ts', [
      'replay',
      '--root',
      root,
      '--redrive',
      'no-such-execution',
    ]);
    await rm(root, { recursive: true, force: true });

    assert.equal(bare.code, 2);
    for (const option of ['--drop', '--key', '--digest', '--redrive']) {
      assert.ok(bare.stderr.includes(option), option);
    }
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^failed to redrive: no-such-execution /);
    assert.doesNotMatch(unknown.stderr, /pipeline error/);
  });

  it('says in one line that a path to ingest does not exist', async () => {
    const root = await mkdtemp(join(tmpdir(), 'drop-cli-'));
    const ran = await cli('local/cli.ts', ['run', '--root', root, 'no/such']);
    await rm(root, { recursive: true, force: true });

    assert.equal(ran.code, 2);
    assert.equal(ran.stderr, 'no such file or folder: no/such\n');
  });
});

describe('npm start twice on the same files', () => {
  let root: string;
  let second: Ran;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'drop-cli-'));
    const file = new URL('hl7/adt_a01_admit.hl7', SAMPLES).pathname;
    await cli('local/cli.ts', ['run', '--root', root, file]);
    second = await cli('local/cli.ts', ['run', '--root', root, file]);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('says the rows it prints are totals from an earlier run, not rows added', () => {
    assert.match(second.stdout, /DUPLICATE/);
    assert.match(
      second.stdout,
      /curated rows \(by an earlier run\): patient 1/,
    );
    assert.match(second.stdout, /curated rows of these drops, table totals/);
  });

  it('names the root in the query command it suggests', () => {
    assert.ok(second.stdout.includes(`npm run query -- --root ${root} "`));
  });
});
