import { watch } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { IntakeResult } from '../shared/drop/intake.ts';
import type { Manifest } from '../shared/drop/manifest.ts';
import { type ExecutionRecord, LocalPipeline } from './pipeline.ts';
import { printDrop, printTotals, type DropReport } from './report.ts';

/**
 * The local pipeline's command line.
 *   run [files or folders...] [--watch]   ingest files (default: samples/)
 *   query "<sql>"                         SQL over the curated tables
 *   replay --drop <id> | --key <key>      re-run a drop's workflow
 */
const USAGE = `usage:
  npm start [-- <files or folders>...]     run the pipeline (default: samples/)
  npm start -- --watch                     process files dropped into .local/landing/
  npm run query -- "<sql>"                 query the curated tables
  npm run replay -- --drop <id> | --key <source key>
options: --root <dir> (default .local), --verbose, --concurrency <n>`;

const ROOT_DEFAULT = '.local';
const SAMPLES = new URL('../samples/', import.meta.url);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      root: { type: 'string', default: ROOT_DEFAULT },
      watch: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '4' },
      drop: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  process.env.POWERTOOLS_LOG_LEVEL ??= values.verbose ? 'INFO' : 'ERROR';
  const pipeline = await LocalPipeline.open({
    root: values.root,
    concurrency: Number(values.concurrency),
  });
  try {
    if (command === 'run') return await run(pipeline, rest, values.watch);
    if (command === 'query') return await query(pipeline, rest.join(' '));
    if (command === 'replay')
      return await replay(pipeline, values.drop, values.key);
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
  const files = (
    await Promise.all(inputs.map((path) => filesUnder(resolve(path))))
  ).flat();
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

  return totals.failed > 0 || totals.unaccounted > 0 ? 1 : 0;
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

async function watchLanding(pipeline: LocalPipeline): Promise<number> {
  const landing = join(pipeline.root, pipeline.config.buckets.landing);
  await import('node:fs/promises').then((fs) =>
    fs.mkdir(landing, { recursive: true }),
  );
  console.log(
    `Watching ${landing} (Ctrl-C to stop). Copy files there to ingest them.`,
  );
  const seen = new Map<string, number>();
  watch(landing, { recursive: true }, (_event, name) => {
    if (!name || name.endsWith('.partial')) return;
    const path = join(landing, name.toString());
    // Wait for the writer to finish: an object "lands" when its size stops changing.
    clearTimeout(seen.get(path));
    seen.set(
      path,
      setTimeout(
        () => void ingestLanded(pipeline, landing, path),
        300,
      ) as unknown as number,
    );
  });
  return new Promise(() => undefined);
}

async function ingestLanded(
  pipeline: LocalPipeline,
  landing: string,
  path: string,
) {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return;
  const key = relative(landing, path).split('\\').join('/');
  const bytes = await readFile(path);
  const results = await pipeline.land(key, bytes);
  await pipeline.drain();
  for (const result of results)
    printDrop(await complete(pipeline, { file: key, result }));
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
  dropId?: string,
  key?: string,
): Promise<number> {
  const id = dropId ?? (key ? await dropIdForKey(pipeline, key) : undefined);
  if (!id) {
    console.error('name the drop: --drop <drop id> or --key <source key>');
    return 2;
  }
  const record = await pipeline.replay(id);
  const manifest = await pipeline.manifest(id);
  console.log(`Replayed drop ${id} as ${record.name}: ${record.status}`);
  console.log(`Drop status: ${manifest?.status}`);
  return record.status === 'SUCCEEDED' ? 0 : 1;
}

async function dropIdForKey(
  pipeline: LocalPipeline,
  key: string,
): Promise<string | undefined> {
  const keys = await pipeline.store.list(pipeline.config.buckets.manifests, '');
  let latest: Manifest | undefined;
  for (const manifestKey of keys) {
    const manifest = await pipeline.manifest(
      manifestKey.replace(/\.json$/, ''),
    );
    if (manifest?.source.key !== key) continue;
    if (!latest || manifest.receivedAt > latest.receivedAt) latest = manifest;
  }
  return latest?.dropId;
}

/** Files under a path, each with the landing key it gets (its relative path). */
async function filesUnder(
  path: string,
): Promise<Array<{ path: string; key: string }>> {
  const info = await stat(path);
  if (info.isFile()) return [{ path, key: basename(path) }];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({
      path: file,
      key: `${basename(path)}/${relative(path, file).split('\\').join('/')}`,
    }));
}

export type { ExecutionRecord, IntakeResult };

process.exitCode = await main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`pipeline error: ${error.name}: ${error.message}`);
  return 1;
});
