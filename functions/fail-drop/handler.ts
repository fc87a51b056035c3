import { type FailedStage, failOrResume } from '../../shared/drop/fail-drop.ts';

/**
 * Invoked by the workflow's FailDrop state after the alert. Throws
 * DropFailed, which ends the execution as FAILED at this Task; when the
 * execution is redriven it runs again and returns `{ resumeAt }` instead.
 */
export const handler = async (input: {
  failedStage: FailedStage;
  redriveCount: number;
}) => failOrResume(input);
