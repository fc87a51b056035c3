/**
 * The streaming path gives the same verdicts as the whole-buffer path,
 * whatever the chunk and block sizes: records, locations, spans, issues,
 * file issues and the staged count, over the corpus and every case file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { validateStream } from '../../../shared/validation/stream.ts';
import type { RecordVerdict } from '../../../shared/validation/types.ts';
import { validateDrop } from '../../../shared/validation/validate-drop.ts';
import { CASES, CORPUS } from '../../helpers/paths.ts';

const HOLD_BACK = new Set(['file_rejected', 'drop_rejected']);

async function* chunked(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) {
    yield bytes.subarray(at, at + size);
  }
}

function shape(records: RecordVerdict[]) {
  return records.map((record) => ({
    index: record.index,
    location: record.location,
    span: record.span,
    issues: record.issues
      .filter((issue) => !HOLD_BACK.has(issue.rule))
      .map((issue) => `${issue.rule}@${issue.location}#${issue.record}`),
  }));
}

async function compare(bytes: Uint8Array, fileName: string, block: number) {
  const whole = validateDrop(bytes, { fileName });
  const streamed: RecordVerdict[] = [];

  const outcome = await validateStream(
    chunked(bytes, 97),
    { fileName, blockBytes: block },
    (record) => {
      streamed.push(record);
    },
  );

  assert.equal(outcome.format, whole.validation.format);
  assert.deepEqual(shape(streamed), shape(whole.validation.records));
  assert.deepEqual(
    outcome.fileIssues.map((issue) => issue.rule).sort(),
    whole.validation.fileIssues.map((issue) => issue.rule).sort(),
  );
  const staged = outcome.rejectAll ? 0 : outcome.records.accepted;
  assert.equal(staged, whole.accepted.length);
  assert.equal(
    outcome.records.in,
    outcome.records.accepted + outcome.records.rejected,
  );
  assert.equal(outcome.bytes, bytes.length);
}

function filesIn(dir: URL, pattern: RegExp): URL[] {
  return readdirSync(dir)
    .filter((name) => pattern.test(name))
    .map((name) => new URL(name, dir));
}

const caseFiles = readdirSync(CASES)
  .filter((name) => statSync(new URL(name, CASES)).isDirectory())
  .flatMap((name) =>
    filesIn(new URL(`${name}/`, CASES), /\.(hl7|ndjson|json|txt)$/),
  );

describe('validateStream', () => {
  it('matches validateDrop on every HL7 v2 corpus file, in 300-byte blocks', async () => {
    for (const file of filesIn(new URL('hl7v2/', CORPUS), /\.hl7$/)) {
      await compare(readFileSync(file), file.pathname, 300);
    }
  });

  it('matches validateDrop on the bulk NDJSON corpus, in 4 kB blocks', async () => {
    for (const file of filesIn(new URL('fhir-bulk/', CORPUS), /\.ndjson$/)) {
      const name = file.pathname.split('/').pop() ?? '';
      await compare(readFileSync(file), name, 4096);
    }
  });

  it('matches validateDrop on every case file, in 200-byte blocks', async () => {
    for (const file of caseFiles) {
      const name = file.pathname.split('/').pop() ?? '';
      await compare(readFileSync(file), name, 200);
    }
  });

  it('checks batch counts across blocks and rejects a truncated batch', async () => {
    const bytes = readFileSync(
      new URL('hl7-batch-fhs-bhs/lab_batch_ok.hl7', CASES),
    );
    const cut = bytes.subarray(0, bytes.lastIndexOf('BTS'));

    const outcome = await validateStream(
      chunked(cut, 50),
      { blockBytes: 100 },
      () => {},
    );

    assert.equal(outcome.rejectAll, true);
    assert.ok(
      outcome.fileIssues.some(
        (issue) => issue.rule === 'batch_trailer_missing',
      ),
    );
  });

  it('finds a frame cut off before its end block whatever the block size', async () => {
    const message = (id: string) =>
      `MSH|^~\\&|S|F|R|F|20240105||ADT^A08|${id}|P|2.5.1\rEVN|A08|20240105\rPID|1||000999^^^HOSP^MR||ROBERTS^RICHA`;
    const frame = (id: string) => `\x0b${message(id)}\r\x1c\r`;
    const bytes = Buffer.from(
      frame('C1') +
        `\x0b${message('C2')}` +
        frame('C3') +
        `\x0b${message('C4')}`,
      'latin1',
    );

    for (const block of [40, 100, 1000]) {
      await compare(bytes, 'frames.hl7', block);
      const outcome = await validateStream(
        chunked(bytes, 13),
        { blockBytes: block },
        () => {},
      );
      assert.deepEqual(outcome.records, { in: 4, accepted: 2, rejected: 2 });
    }
  });

  it('applies the drop policy at the end of the stream', async () => {
    const good = '{"resourceType":"Basic","code":{"text":"a"}}\n';
    const bad = '{"resourceType":"Basic"}\n';
    const bytes = Buffer.from(good + bad + good);

    const byRecord = await validateStream(
      chunked(bytes, 10),
      { fileName: 'a.ndjson' },
      () => {},
    );
    const byDrop = await validateStream(
      chunked(bytes, 10),
      { fileName: 'a.ndjson', policy: 'drop' },
      () => {},
    );

    assert.deepEqual(byRecord.records, { in: 3, accepted: 2, rejected: 1 });
    assert.equal(byRecord.rejectAll, false);
    assert.equal(byDrop.rejectAll, true);
  });

  it('rejects a single JSON value over the whole-read limit without parsing it', async () => {
    const entries = Array.from({ length: 200 }, (_, i) => ({
      resource: { resourceType: 'Basic', id: `b${i}`, code: { text: 'a' } },
    }));
    const bundle = Buffer.from(
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: entries,
      }),
    );
    const verdicts: RecordVerdict[] = [];

    const outcome = await validateStream(
      chunked(bundle, 1000),
      { fileName: 'big.json', wholeBytes: 4096 },
      (record) => {
        verdicts.push(record);
      },
    );

    assert.equal(outcome.rejectAll, true);
    assert.equal(outcome.bytes, bundle.length);
    assert.deepEqual(outcome.records, { in: 0, accepted: 0, rejected: 0 });
    assert.deepEqual(
      outcome.fileIssues.map((issue) => issue.rule),
      ['json_value_too_large'],
    );
    assert.deepEqual(verdicts, []);
  });
});
