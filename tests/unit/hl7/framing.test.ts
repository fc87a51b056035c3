import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateHl7 } from '../../../shared/hl7/index.ts';
import { EVN, hl7, MSH, PID, PV1 } from './helpers.ts';

const text = (value: string) => Buffer.from(value, 'latin1');
const segments = [MSH, EVN, PID, PV1];

describe('segment terminators', () => {
  it('splits CR-terminated segments without any warning', () => {
    const result = validateHl7(text(`${segments.join('\r')}\r`));

    assert.deepEqual(result.fileIssues, []);
    assert.equal(result.records[0]?.accepted, true);
  });

  it('splits on LF when the file holds no CR, with a warning', () => {
    const result = validateHl7(text(`${segments.join('\n')}\n`));

    assert.deepEqual(
      result.fileIssues.map((i) => i.rule),
      ['non_standard_segment_terminator'],
    );
    assert.equal(result.records[0]?.accepted, true);
  });

  it('collapses CRLF and ignores trailing blank lines', () => {
    const result = validateHl7(text(`${segments.join('\r\n')}\r\n\r\n`));

    assert.equal(result.fileIssues[0]?.rule, 'non_standard_segment_terminator');
    assert.equal(result.records.length, 1);
    assert.equal(result.records[0]?.accepted, true);
  });

  it('keeps an LF inside a field of a CR-terminated file as data', () => {
    const nte = 'NTE|1||first line\nsecond line';
    const result = validateHl7(text(`${[...segments, nte].join('\r')}\r`));
    const record = result.records[0];

    assert.equal(record?.accepted, true);
    assert.deepEqual(
      record?.issues.map((i) => `${i.rule}@${i.location}`),
      ['raw_newline_in_field@NTE[1]-3'],
    );
  });

  it('accepts a last segment without any terminator', () => {
    const result = validateHl7(text(segments.join('\r')));

    assert.equal(result.records[0]?.accepted, true);
  });
});

describe('byte-order mark and MLLP framing', () => {
  it('strips a UTF-8 byte-order mark with a warning', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const result = validateHl7(Buffer.concat([bom, hl7(...segments)]));

    assert.deepEqual(
      result.fileIssues.map((i) => i.rule),
      ['byte_order_mark'],
    );
    assert.equal(result.records[0]?.accepted, true);
    assert.equal(result.records[0]?.span?.start, 3);
  });

  it('strips MLLP start and end bytes around each frame', () => {
    const frame = Buffer.concat([
      Buffer.from([0x0b]),
      hl7(...segments),
      Buffer.from([0x1c, 0x0d]),
    ]);
    const result = validateHl7(Buffer.concat([frame, frame]));

    assert.deepEqual(
      result.fileIssues.map((i) => i.rule),
      ['mllp_envelope_stripped'],
    );
    assert.deepEqual(
      result.records.map((r) => r.accepted),
      [true, true],
    );
  });

  it('rejects a frame without its end block and keeps the complete ones', () => {
    const body = hl7(...segments);
    const complete = Buffer.concat([
      Buffer.from([0x0b]),
      body,
      Buffer.from([0x1c, 0x0d]),
    ]);
    const cut = Buffer.concat([
      Buffer.from([0x0b]),
      text(`${MSH}\r${EVN}\rPID|1||000999^^^HOSP^MR||ROBERTS^RICHA`),
    ]);

    const result = validateHl7(Buffer.concat([complete, cut, complete]));

    assert.deepEqual(
      result.records.map((r) => r.accepted),
      [true, false, true],
    );
    const issue = result.records[1]?.issues[0];
    assert.equal(issue?.rule, 'mllp_frame_incomplete');
    assert.equal(issue?.severity, 'error');
    assert.deepEqual(result.records[1]?.resources, []);
  });

  it('rejects a file that is one frame cut off before its end block', () => {
    const cut = text(
      '\x0bMSH|^~\\&|S|F|R|F|20240105||ADT^A08|CTRL-T1|P|2.5.1\rEVN|A08|20240105\rPID|1||000999^^^HOSP^MR||ROBERTS^RICHA',
    );

    const result = validateHl7(cut);

    assert.equal(result.records[0]?.accepted, false);
    assert.deepEqual(
      result.records[0]?.issues.map((i) => i.rule),
      ['mllp_frame_incomplete'],
    );
  });

  it('rejects a 0x1C byte in the middle of a field', () => {
    const pid = 'PID|1||000123^^^HOSP^MR||DO\x1cE^JANE';
    const result = validateHl7(text(`${[MSH, EVN, pid, PV1].join('\r')}\r`));
    const record = result.records[0];

    assert.equal(record?.accepted, false);
    assert.equal(record?.issues[0]?.rule, 'control_character_in_segment');
    assert.equal(record?.issues[0]?.location, 'PID[1]-5');
    assert.match(record?.issues[0]?.message ?? '', /0x1C/);
  });
});

describe('several messages in one file', () => {
  it('starts a message at every MSH and keeps the order and byte spans', () => {
    const one = `${segments.join('\r')}\r`;
    const two = one.replace('CTRL-1', 'CTRL-2');
    const input = text(`${one}\r${two}`);

    const result = validateHl7(input);

    assert.equal(result.records.length, 2);
    const [first, second] = result.records;
    assert.deepEqual(first?.span, { start: 0, end: one.length - 1 });
    assert.equal(second?.location, 'message 2');
    const slice = input.subarray(second?.span?.start, second?.span?.end);
    assert.match(slice.toString('latin1'), /^MSH.*CTRL-2/);
  });

  it('reports segments before the first MSH as a message without MSH', () => {
    const result = validateHl7(text(`${PID}\r${segments.join('\r')}\r`));

    assert.equal(result.records.length, 2);
    assert.equal(result.records[0]?.issues[0]?.rule, 'msh_missing');
    assert.equal(result.records[0]?.accepted, false);
    assert.equal(result.records[1]?.accepted, true);
  });
});

describe('batch envelope', () => {
  const message = segments.join('\r');
  const batch = (bts: string, fts: string) =>
    text(['FHS|^~\\&', 'BHS|^~\\&', message, message, bts, fts].join('\r'));

  it('splits the messages out of FHS/BHS and checks the counts', () => {
    const result = validateHl7(batch('BTS|2', 'FTS|1'));

    assert.deepEqual(result.fileIssues, []);
    assert.deepEqual(
      result.records.map((r) => r.accepted),
      [true, true],
    );
  });

  it('rejects every message when BTS-1 disagrees with the count', () => {
    const result = validateHl7(batch('BTS|3', 'FTS|1'));

    assert.deepEqual(
      result.fileIssues.map((i) => `${i.rule}@${i.location}`),
      ['batch_count_mismatch@BTS-1'],
    );
    assert.deepEqual(
      result.records.map((r) => r.accepted),
      [false, false],
    );
    assert.equal(result.records[0]?.issues[0]?.rule, 'file_rejected');
  });

  it('rejects FTS-1 that disagrees with the number of batches', () => {
    const result = validateHl7(batch('BTS|2', 'FTS|2'));

    assert.equal(result.fileIssues[0]?.location, 'FTS-1');
  });

  it('rejects a trailer count that is not a number', () => {
    const result = validateHl7(batch('BTS|two', 'FTS|1'));

    assert.deepEqual(
      result.fileIssues.map((i) => `${i.rule}@${i.location}`),
      ['batch_count_invalid@BTS-1'],
    );
  });

  it('reports a missing trailer as a possibly truncated transfer', () => {
    const input = text(['BHS|^~\\&', message].join('\r'));

    const result = validateHl7(input);

    assert.deepEqual(
      result.fileIssues.map((i) => `${i.rule}@${i.location}`),
      ['batch_trailer_missing@BTS'],
    );
  });
});

describe('hostile input', () => {
  it('reports an empty file without records', () => {
    const result = validateHl7(new Uint8Array());

    assert.equal(result.format, 'hl7v2');
    assert.deepEqual(
      result.fileIssues.map((i) => i.rule),
      ['empty_file'],
    );
    assert.deepEqual(result.records, []);
  });

  it('never throws on random bytes, truncations or lone delimiters', () => {
    const valid = hl7(...segments);
    const inputs: Uint8Array[] = [
      new Uint8Array([0x0b]),
      new Uint8Array([0x1c, 0x0d]),
      text('MSH'),
      text('MSH|'),
      text('MSH|^'),
      text('\r\n\r\n'),
    ];
    for (let cut = 0; cut < valid.length; cut += 7) {
      inputs.push(valid.subarray(0, cut));
    }
    let seed = 7;
    for (let n = 0; n < 200; n += 1) {
      const junk = new Uint8Array(64).map(() => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % 256;
      });
      inputs.push(junk, Buffer.concat([valid, junk]));
    }

    for (const input of inputs) {
      const result = validateHl7(input);
      assert.equal(result.format, 'hl7v2');
      // The safety net in validateHl7 must stay unused: no internal throw.
      const rules = result.fileIssues.map((issue) => issue.rule);
      assert.ok(!rules.includes('validator_failure'));
    }
  });

  it('rejects a binary blob as a message without MSH', () => {
    const result = validateHl7(new Uint8Array([0x00, 0x01, 0x02, 0xff]));

    assert.equal(result.records[0]?.accepted, false);
    assert.equal(result.records[0]?.issues[0]?.rule, 'msh_missing');
  });
});

describe('escaped control characters', () => {
  it('rejects a \\X00\\ escape, located by field', () => {
    const pid = 'PID|1||000123^^^HOSP^MR||DOE\\X00\\^JANE';
    const result = validateHl7(text(`${[MSH, EVN, pid, PV1].join('\r')}\r`));
    const record = result.records[0];

    assert.equal(record?.accepted, false);
    assert.deepEqual(
      record?.issues.map((i) => `${i.rule}@${i.location}`),
      ['escaped_control_character@PID[1]-5'],
    );
  });

  it('accepts escaped tab, CR and LF, and an escaped escape before X', () => {
    const pid = 'PID|1||000123^^^HOSP^MR||DOE\\X090D0A\\^JANE\\E\\X00\\';
    const result = validateHl7(text(`${[MSH, EVN, pid, PV1].join('\r')}\r`));

    assert.equal(result.records[0]?.accepted, true);
  });
});
