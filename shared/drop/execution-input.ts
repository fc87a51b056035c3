import type { DropFormat } from '../validation/types.ts';

/**
 * The input of every workflow execution, version 1. It is everything a
 * replay needs and nothing else: ids we generate, the source object's
 * location, and counts. No field value from the drop ever appears here,
 * because execution input is shown in the console and travels in
 * EventBridge status events. Documented in docs/execution-input.md.
 */
export interface ExecutionInput {
  schemaVersion: 1;
  dropId: string;
  ingestDate: string;
  format: DropFormat;
  source: {
    bucket: string;
    key: string;
    versionId?: string;
    eTag: string;
  };
  /** Resources staged per FHIR type; the quality step reconciles against them. */
  stagedCounts: Record<string, number>;
}
