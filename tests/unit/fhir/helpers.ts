import { readFileSync } from 'node:fs';
import type { DropValidation } from '../../../shared/validation/types.ts';

/** Shared corpus and cases live beside the repo, not in it. */
export const SHARED = new URL('../../../../shared/', import.meta.url);

export function readShared(path: string): Uint8Array {
  return readFileSync(new URL(path, SHARED));
}

export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export function textBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function errorRules(drop: DropValidation): string[] {
  const issues = [
    ...drop.fileIssues,
    ...drop.records.flatMap((record) => record.issues),
  ];

  return issues
    .filter((item) => item.severity === 'error')
    .map((item) => item.rule);
}

export function stagedIds(drop: DropValidation): string[] {
  return drop.records.flatMap((record) =>
    record.resources.map(
      (resource) => `${resource.resourceType}/${resource.id}`,
    ),
  );
}
