import { readFileSync } from 'node:fs';
import type {
  DropValidation,
  FhirResource,
  RecordVerdict,
} from '../../../shared/validation/types.ts';

/** `<dir>/shared`, beside the repo, locally and in CI. */
export const SHARED = new URL('../../../../shared/', import.meta.url);

export function caseFile(name: string, file: string): Buffer {
  return readFileSync(new URL(`cases/${name}/${file}`, SHARED));
}

/** Builds a CR-terminated message from segment strings. */
export function hl7(...segments: string[]): Uint8Array {
  return Buffer.from(`${segments.join('\r')}\r`, 'utf8');
}

export const MSH =
  'MSH|^~\\&|APP|FAC|RAPP|RFAC|20240105083000||ADT^A01^ADT_A01|CTRL-1|P|2.5.1';
export const EVN = 'EVN|A01|20240105083000';
export const PID = 'PID|1||000123^^^HOSP^MR||DOE^JANE||19800101|F';
export const PV1 = 'PV1|1|I|WARD1^101^A';

/** A valid ADT^A01 with extra segments appended. */
export function adt(...extra: string[]): Uint8Array {
  return hl7(MSH, EVN, PID, PV1, ...extra);
}

/** An ORU^R01 with the given OBX segments. */
export function oru(...obx: string[]): Uint8Array {
  const msh =
    'MSH|^~\\&|LAB|FAC|EHR|FAC|20240105083000||ORU^R01^ORU_R01|CTRL-2|P|2.5.1';
  return hl7(
    msh,
    PID,
    'OBR|1|ORD1||GLU^Glucose^L|||20240105080000-0500',
    ...obx,
  );
}

export function onlyRecord(result: DropValidation): RecordVerdict {
  const [record, ...rest] = result.records;
  if (record === undefined || rest.length > 0) {
    throw new Error(`expected one record, got ${result.records.length}`);
  }
  return record;
}

export function rulesOf(record: RecordVerdict): string[] {
  return record.issues.map((issue) => `${issue.rule}@${issue.location}`);
}

export function resourcesOf(
  record: RecordVerdict,
  type: string,
): FhirResource[] {
  return record.resources.filter((resource) => resource.resourceType === type);
}

export function firstOf(record: RecordVerdict, type: string): FhirResource {
  const resource = resourcesOf(record, type)[0];
  if (resource === undefined) throw new Error(`no ${type} mapped`);
  return resource;
}
