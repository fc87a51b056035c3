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
