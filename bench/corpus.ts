// The corpus as the benches read it: every HL7 v2 sample as one
// CR-terminated stream, every FHIR bulk NDJSON file but the export log.
import { readdirSync, readFileSync } from 'node:fs';

export const CORPUS = new URL('../../shared/corpus/', import.meta.url);

/**
 * The HL7 v2 samples as shipped (terminators untouched), each file on its
 * own line with its byte-order mark removed: one realistic drop.
 */
export function hl7CorpusAsShipped(): Buffer {
  const dir = new URL('hl7v2/', CORPUS);
  const files = readdirSync(dir).filter((name) => name.endsWith('.hl7'));
  const parts = files.map((name) => {
    const bytes = readFileSync(new URL(name, dir));
    const start = bytes[0] === 0xef ? 3 : 0;
    return Buffer.concat([bytes.subarray(start), Buffer.from('\n')]);
  });
  return Buffer.concat(parts);
}

export function hl7Corpus(): Buffer {
  const dir = new URL('hl7v2/', CORPUS);
  const parts = readdirSync(dir)
    .filter((name) => name.endsWith('.hl7'))
    .map((name) => {
      const text = readFileSync(new URL(name, dir), 'latin1')
        .replace(/^\u00ef\u00bb\u00bf/, '')
        .replace(/\r?\n/g, '\r')
        .replace(/\r+$/, '');
      return `${text}\r`;
    });
  return Buffer.from(parts.join(''), 'latin1');
}

export function ndjsonCorpus(): Buffer {
  const dir = new URL('fhir-bulk/', CORPUS);
  const files = readdirSync(dir).filter(
    (name) => name.endsWith('.ndjson') && name !== 'log.ndjson',
  );
  return Buffer.concat(files.map((name) => readFileSync(new URL(name, dir))));
}

export function repeated(one: Buffer, bytes: number): Buffer {
  return Buffer.concat(Array(Math.ceil(bytes / one.length)).fill(one));
}
