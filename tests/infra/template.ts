// Loads the CloudFormation template that `npm run package` writes. Test files
// run in parallel processes, so packaging happens once: a lock directory
// serialises it, and a hash of the inputs decides whether the template in
// .serverless/ is current.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const OUT = path.join(ROOT, '.serverless');
const TEMPLATE = path.join(OUT, 'cloudformation-template-update-stack.json');
const STAMP = path.join(OUT, 'inputs.sha256');
const LOCK = path.join(ROOT, '.serverless.lock');
const INPUTS = [
  'serverless.yml',
  'infra',
  'state-machines',
  'functions',
  'shared',
  'glue',
  'scripts/package.ts',
  'scripts/package-args.ts',
  'package-lock.json',
];

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped; the tests assert its shape.
export type Json = any;
export type Resource = { Type: string; Properties: Json; [key: string]: Json };
export type Template = {
  Resources: Record<string, Resource>;
  Conditions: Record<string, Json>;
  Outputs: Record<string, Json>;
};

const filesUnder = (entry: string): string[] => {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [entry];

  return fs
    .readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(path.join(entry, name)));
};

const inputsHash = (): string => {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesUnder)) {
    hash.update(file).update(fs.readFileSync(path.join(ROOT, file)));
  }

  return hash.digest('hex');
};

const isCurrent = (hash: string): boolean =>
  fs.existsSync(TEMPLATE) &&
  fs.existsSync(STAMP) &&
  fs.readFileSync(STAMP, 'utf8') === hash;

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

const withLock = <T>(work: () => T): T => {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      const stat = fs.statSync(LOCK, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > 120_000) {
        fs.rmSync(LOCK, { recursive: true, force: true });
      }
      if (Date.now() > deadline)
        throw new Error('failed to lock: .serverless.lock');
      sleep(200);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
};

let cached: Template | undefined;

/** Packages the stack if its inputs changed, then returns the template. */
export const loadTemplate = (): Template => {
  if (cached) return cached;
  const hash = inputsHash();
  withLock(() => {
    if (isCurrent(hash)) return;
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.ts')], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    fs.writeFileSync(STAMP, hash);
  });
  cached = JSON.parse(fs.readFileSync(TEMPLATE, 'utf8')) as Template;

  return cached;
};

export const resourcesOfType = (
  template: Template,
  type: string,
): [string, Resource][] =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** Every value reachable through Fn::If, both branches, without AWS::NoValue. */
export const branches = (value: Json): Json[] => {
  if (value && typeof value === 'object' && 'Fn::If' in value) {
    const [, yes, no] = value['Fn::If'];
    return [...branches(yes), ...branches(no)];
  }
  if (value && typeof value === 'object' && value.Ref === 'AWS::NoValue') {
    return [];
  }

  return [value];
};

export const asArray = <T>(value: T | T[]): T[] =>
  Array.isArray(value) ? value : [value];

/** Text of a value for pattern checks: Fn::Sub strings, Refs, joins. */
export const text = (value: Json): string => JSON.stringify(value);
