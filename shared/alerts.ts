import { scrubCause } from './alert-cause.ts';
import { UNCURATED_STAGES, UNPUBLISHED_STAGES } from './drop/fail-drop.ts';

export { scrubCause };

/**
 * The message on-call reads at 3 a.m.: which drop, which stage, what error,
 * when, and exactly how to replay. Built from ids, names and error types;
 * a cause is shown only when it is one of our own errors' messages
 * (alert-cause.ts), because a service's error text can quote the data that
 * upset it.
 */
export interface AlertFacts {
  dropId: string;
  sourceKey: string;
  stage: string;
  error: string;
  cause?: string;
  at: string;
  executionArn: string;
  executionName: string;
  /**
   * How the execution ended, when the EventBridge net alerts ("failed",
   * "timed out", "was aborted"): the workflow did not alert, so the failed
   * stage is not known.
   */
  ended?: string;
  /** PipelineConfig.replayOptions, put in the replay command. */
  replayOptions?: string;
}

export interface Alert {
  subject: string;
  message: string;
}

export function formatAlert(facts: AlertFacts): Alert {
  const console = consoleLink(facts.executionArn);
  const headline = facts.ended
    ? `execution ${facts.ended}`
    : `${facts.stage} failed`;
  const lines = [
    facts.ended
      ? `Drop ${facts.dropId}: its execution ${facts.ended} and the workflow sent no alert of its own.`
      : `Drop ${facts.dropId} failed at stage ${facts.stage}.`,
    '',
    `Source object: ${facts.sourceKey}`,
    `Error:         ${facts.error}`,
    `Cause:         ${scrubCause(facts.cause, facts.error)}`,
    `When:          ${facts.at}`,
    `Execution:     ${facts.executionName}`,
    '',
    ...whatAnalystsSee(facts.stage),
    ...(facts.error === 'QualityCheckFailed'
      ? [
          "The drop's data broke a data-quality rule (see its manifest or the dq zone for which).",
          'A replay gives the same result until the feed is corrected and re-sent, or the rule is changed.',
        ]
      : []),
    "Replay, once the cause is fixed (re-running is safe, it replaces this drop's output):",
    `  ${replayCommand(facts.replayOptions, `--drop ${facts.dropId}`)}`,
    ...(console
      ? [`  or open ${console} and choose "New execution" with the same input.`]
      : []),
  ];
  return {
    subject:
      `[drop-pipeline] ${headline}: drop ${facts.dropId.slice(0, 12)}`.slice(
        0,
        100,
      ),
    message: lines.join('\n'),
  };
}

/**
 * What the failure left behind, true for the stage: only curation and
 * quality failures withdraw the drop's rows; after tiering fails they stay.
 */
function whatAnalystsSee(stage: string): string[] {
  if (stage === 'TierRawFile') {
    return [
      "The drop's curated rows passed the quality check and are visible to analysts.",
      'Only moving the raw file from landing to the archive is unfinished: it may be in landing, in the archive, or in both.',
    ];
  }
  if (UNPUBLISHED_STAGES.has(stage)) {
    return [
      'The raw file is still in the landing bucket.',
      "The drop's curated rows were withdrawn: none are visible to analysts until a replay succeeds.",
    ];
  }
  if (UNCURATED_STAGES.has(stage)) {
    return [
      'The raw file is still in the landing bucket.',
      'This run curated nothing, so it added no rows for analysts.',
    ];
  }
  return [
    'The workflow did not record where the drop stopped: its manifest and the execution history show which stages completed and whether its rows are visible to analysts.',
  ];
}

export function replayCommand(
  options: string | undefined,
  target: string,
): string {
  return ['npm run replay --', options, target].filter(Boolean).join(' ');
}

export function consoleLink(executionArn: string): string | undefined {
  const region = executionArn.split(':')[3];
  if (!region || region === 'local') return undefined;
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}
