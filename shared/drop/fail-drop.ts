import { PipelineError } from '../errors.ts';

/** The execution ends here: the drop failed and on-call has been told. */
export class DropFailedError extends PipelineError {
  override name = 'DropFailed';
}

export interface FailedStage {
  name: string;
  /** `$$.Execution.RedriveCount` when the stage failed. */
  redriveCount: number;
}

/**
 * Stages that fail before the drop's rows passed the quality check. Rows the
 * Glue job already wrote for it are withdrawn, so analysts never query data
 * that failed its checks; a replay or redrive curates them again.
 */
export const UNPUBLISHED_STAGES: ReadonlySet<string> = new Set([
  'RunGlueJob',
  'CheckQuality',
]);

/** Stages that fail before anything was curated in this run. */
export const UNCURATED_STAGES: ReadonlySet<string> = new Set([
  'QueueForCuration',
  'StartCrawler',
]);

/** Where a redrive resumes, by the stage that failed. */
const RESUME_AT: Record<string, string> = {
  QueueForCuration: 'QueueForCuration',
  StartCrawler: 'QueueForCuration',
  // A failed curation is marked on the queue; queueing again clears it.
  RunGlueJob: 'QueueForCuration',
  // A failed quality check withdrew the drop's curated rows: curate again.
  CheckQuality: 'QueueForCuration',
  TierRawFile: 'TierRawFile',
};

/**
 * The workflow's last state after a failure. The first time it runs it
 * fails the execution with DropFailed. Run again by a redrive (the execution
 * has been redriven since the stage failed) it names the state to resume at.
 */
export function failOrResume(input: {
  failedStage: FailedStage;
  redriveCount: number;
}): { resumeAt: string } {
  const { failedStage, redriveCount } = input;
  const resumeAt = RESUME_AT[failedStage.name];
  if (redriveCount > failedStage.redriveCount && resumeAt) return { resumeAt };

  throw new DropFailedError(`drop failed at stage ${failedStage.name}`);
}
