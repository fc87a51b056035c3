import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFormat } from '../../shared/validation/detect.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('detectFormat', () => {
  it('recognises HL7 v2 behind a byte-order mark and MLLP start byte', () => {
    assert.equal(detectFormat(bytes('\uFEFFMSH|^~\\&|A')), 'hl7v2');
    assert.equal(detectFormat(bytes('\x0bMSH|^~\\&|A')), 'hl7v2');
  });

  it('tells NDJSON from a single pretty-printed resource', () => {
    const ndjson = '{"resourceType":"Patient"}\n{"resourceType":"Patient"}\n';
    const pretty = '{\n  "resourceType": "Bundle"\n}\n';

    assert.equal(detectFormat(bytes(ndjson)), 'fhir-ndjson');
    assert.equal(detectFormat(bytes(pretty)), 'fhir-json');
  });

  it('calls XML and plain text unknown', () => {
    assert.equal(detectFormat(bytes('<Patient xmlns="x"/>')), 'unknown');
    assert.equal(detectFormat(bytes('hello')), 'unknown');
  });
});
