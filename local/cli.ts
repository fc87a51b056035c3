import { watch } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  digestDrops,
  latestDropOfKey,
  ReplayNotPossibleError,
} from '../shared/drop/replay.ts';
import { ConfigurationError } from '../shared/errors.ts';
import { landingFiles, missingPaths } from './landing-keys.ts';
import {
  DEFAULT_ROOT,
  type DeliveryResult,
  type ExecutionRecord,
  LocalPipeline,
} from './pipeline.ts';
import { type DropReport, printDrop, printTotals } from './report.ts';

/**
 * The local pipeline's command line.
 *   run [files or folders...] [--watch]   ingest files (default: samples/)
 *   query "<sql>"                         SQL over the curated tables
 *   replay --drop <id> | --key <key>      re-run a drop's workflow
 *          [--revalidate] [--aws]          or send a quarantined drop through validation
 */
const USAGE = `usage:
  npm start [-- <files or folders>...]     run the pipeline (default: samples/)
  npm start -- --watch                     process files dropped into .local/landing/
  npm run query -- "<sql>"                 query the curated tables
  npm run replay -- --drop <id> | --key <source key> [--revalidate]
  npm run replay -- --digest <alerts/digests/...json>    every drop an alert digest listed
  npm run replay -- --redrive <execution name>           resume a failed execution at its failed stage
  npm run replay -- --aws --drop <id> | --key <key> | --digest <key> | --execution <arn> | --redrive <arn> [--revalidate]
options: --root <dir> (default .local), --verbose, --concurrency <n>`;

const SAMPLES = new URL('../samples/', import.meta.url);

const OPTIONS = {
  root: { type: 'string', default: DEFAULT_ROOT },
  watch: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  concurrency: { type: 'string', default: '4' },
  drop: { type: 'string' },
  execution: { type: 'string' },
  revalidate: { type: 'boolean', default: false },
  digest: { type: 'string' },
  redrive: { type: 'string' },
  aws: { type: 'boolean', default: false },
  key: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

/** A command line this program cannot run: said in one line, then usage. */
class UsageError extends Error {
  override name = 'UsageError';
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function concurrencyOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(
      `--concurrency must be a whole number of 1 or more, not ${text}`,
    );
  }
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const concurrency = concurrencyOf(values.concurrency);
  process.env.POWERTOOLS_LOG_LEVEL ??= values.verbose ? 'INFO' : 'ERROR';
  if (command === 'replay' && values.aws) {
    const { replayInAws } = await import('./replay-aws.ts');
    console.log(
      await replayInAws({
        dropId: values.drop,
        key: values.key,
        executionArn: values.execution,
        digestKey: values.digest,
        redriveArn: values.redrive,
        revalidate: values.revalidate,
      }),
    );
    return 0;
  }
  let finished = 0;
  const pipeline = await LocalPipeline.open({
    root: values.root,
    concurrency,
    // Long runs show progress: one line rewritten in place on stderr.
    onExecutionEnd: () => {
      finished++;
      if (finished % 10 === 0)
        process.stderr.write(`  workflows finished: ${finished}\r`);
    },
  });
  try {
    if (command === 'run') return await run(pipeline, rest, values.watch);
    if (command === 'query') return await query(pipeline, rest.join(' '));
    if (command === 'replay') {
      if (values.digest) return await replayDigest(pipeline, values.digest);
      if (values.redrive) return await redrive(pipeline, values.redrive);
      return await replay(pipeline, {
        dropId: values.drop,
        key: values.key,
        revalidate: values.revalidate,
      });
    }
    console.error(`unknown command: ${command}\n${USAGE}`);
    return 2;
  } finally {
    pipeline.close();
  }
}

async function run(
  pipeline: LocalPipeline,
  paths: string[],
  watching: boolean,
): Promise<number> {
  if (watching) return watchLanding(pipeline);
  const inputs = paths.length > 0 ? paths : [SAMPLES.pathname];
  const missing = await missingPaths(inputs);
  if (missing.length > 0) {
    console.error(`no such file or folder: ${missing.join(', ')}`);
    return 2;
  }
  const files = await landingFiles(inputs);
  console.log(`Ingesting ${files.length} file(s) into ${pipeline.root}\n`);
  const started = Date.now();
  const reports: DropReport[] = [];
  let done = 0;
  for (const file of files) {
    const bytes = await readFile(file.path);
    const results = await pipeline.land(file.key, bytes);
    reports.push(...results.map((result) => ({ file: file.key, result })));
    done++;
    if (files.length > 20 && done % 20 === 0) {
      process.stderr.write(
        `  validated ${done}/${files.length}, executions running...\r`,
      );
    }
  }
  await pipeline.drain();
  const finished = await Promise.all(
    reports.map((report) => complete(pipeline, report)),
  );
  for (const report of finished) printDrop(report);
  const totals = printTotals(
    finished,
    pipeline,
    Date.now() - started,
    files.length,
  );

  return totals.failed + totals['dead-lettered'] + totals.unaccounted > 0
    ? 1
    : 0;
}

/** Joins what the Lambda answered with the manifest and the execution record. */
async function complete(
  pipeline: LocalPipeline,
  report: DropReport,
): Promise<DropReport> {
  const manifest = await pipeline.manifest(report.result.dropId);
  const execution = [...pipeline.executions.values()].find(
    (record) => record.input.dropId === report.result.dropId,
  );
  return { ...report, manifest, execution };
}

/**
 * Watches the landing folder as S3 would notify on it. A file is taken once
 * it has stopped changing for SETTLE_MS (checked twice), since a plain copy
 * raises events while it is still being written; writers that can should
 * write `<name>.partial` and rename it when done, which is never picked up
 * half-written. Files whose name starts with a dot are ignored.
 */
const SETTLE_MS = 2000;

async function watchLanding(pipeline: LocalPipeline): Promise<number> {
  const landing = join(pipeline.root, pipeline.config.buckets.landing);
  await mkdir(landing, { recursive: true });
  console.log(
    `Watching ${landing} (Ctrl-C to stop). Copy files there, or write <name>.partial and rename it when complete.`,
  );
  const timers = new Map<string, NodeJS.Timeout>();
  const busy = new Set<string>();
  watch(landing, { recursive: true }, (_event, name) => {
    const file = name?.toString();
    if (!file || file.endsWith('.partial') || basename(file).startsWith('.'))
      return;
    const path = join(landing, file);
    if (busy.has(path)) return;
    clearTimeout(timers.get(path));
    timers.set(
      path,
      setTimeout(
        () =>
          void settleThenIngest(pipeline, landing, path, busy).catch(
            (error: Error) =>
              console.error(`${file}: not processed: ${error.name}`),
          ),
        SETTLE_MS,
      ),
    );
  });
  return new Promise(() => undefined);
}

async function settleThenIngest(
  pipeline: LocalPipeline,
  landing: string,
  path: string,
  busy: Set<string>,
) {
  const before = await stat(path).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS / 2));
  const after = await stat(path).catch(() => undefined);
  if (!before?.isFile() || !after?.isFile()) return;
  if (before.size !== after.size || before.mtimeMs !== after.mtimeMs) return;
  busy.add(path);
  try {
    const key = relative(landing, path).split('\\').join('/');
    // The file is already in landing: deliver S3's event without rewriting it.
    const results = await pipeline.deliverLanded(key);
    await pipeline.drain();
    for (const result of results)
      printDrop(await complete(pipeline, { file: key, result }));
  } finally {
    busy.delete(path);
  }
}

async function query(pipeline: LocalPipeline, sql: string): Promise<number> {
  if (!sql.trim()) {
    console.error(
      'give the SQL to run, e.g. npm run query -- "select count(*) from patient"',
    );
    return 2;
  }
  const rows = await pipeline.query(sql);
  console.table(rows);
  console.log(`${rows.length} row(s)`);
  return 0;
}

async function replay(
  pipeline: LocalPipeline,
  request: { dropId?: string; key?: string; revalidate: boolean },
): Promise<number> {
  const { key, revalidate } = request;
  if (!request.dropId && !key) {
    console.error(
      'name what to replay: --drop <drop id>, --key <source key>, --digest <digest key> or --redrive <execution name>',
    );
    return 2;
  }
  const id =
    request.dropId ??
    (await latestDropOfKey(pipeline.store, pipeline.config, key as string));
  if (revalidate) {
    const [result] = await pipeline.revalidate(id);
    const manifest = await pipeline.manifest(id);
    console.log(
      `Revalidated drop ${id}: ${result?.outcome}; drop status: ${manifest?.status}`,
    );
    return manifest?.status === 'failed' ? 1 : 0;
  }
  const record = await pipeline.replay(id);
  const manifest = await pipeline.manifest(id);
  console.log(`Replayed drop ${id} as ${record.name}: ${record.status}`);
  console.log(`Drop status: ${manifest?.status}`);
  return record.status === 'SUCCEEDED' ? 0 : 1;
}

/** Resumes a failed execution at its failed stage, as the console's Redrive. */
async function redrive(pipeline: LocalPipeline, name: string): Promise<number> {
  const record = await pipeline.redrive(name);
  console.log(
    `Redrove ${record.name} (redrive ${record.redriveCount}): ${record.status}`,
  );
  return record.status === 'SUCCEEDED' ? 0 : 1;
}

/** Replays every drop an alert digest listed. */
async function replayDigest(
  pipeline: LocalPipeline,
  digestKey: string,
): Promise<number> {
  const drops = await digestDrops(pipeline.store, pipeline.config, digestKey);
  let failed = 0;
  for (const dropId of drops) {
    const record = await pipeline.replay(dropId);
    if (record.status !== 'SUCCEEDED') failed++;
    console.log(`${dropId}: ${record.status}`);
  }
  console.log(`Replayed ${drops.length} drop(s), ${failed} still failing`);
  return failed > 0 ? 1 : 0;
}

export type { DeliveryResult, ExecutionRecord };

process.exitCode = await main(process.argv.slice(2)).catch((error: Error) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (
    error instanceof ReplayNotPossibleError ||
    error instanceof ConfigurationError
  ) {
    console.error(error.message);
    return 2;
  }
  console.error(`pipeline error: ${error.name}: ${error.message}`);
  return 1;
});
