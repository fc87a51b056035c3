import { DropFailedError } from './drop/fail-drop.ts';
import {
  ConfigurationError,
  DropTooLargeError,
  InvalidEventError,
  ManifestNotFoundError,
  PipelineError,
  QualityCheckFailedError,
  RawObjectMissingError,
  TransientStorageError,
} from './errors.ts';

/**
 * Names of our own errors. Their messages hold ids, keys and stage names we
 * generate, never a drop's field values, so an alert may quote them.
 */
const OUR_ERRORS: ReadonlySet<string> = new Set(
  [
    PipelineError,
    ConfigurationError,
    InvalidEventError,
    TransientStorageError,
    ManifestNotFoundError,
    RawObjectMissingError,
    QualityCheckFailedError,
    DropTooLargeError,
    DropFailedError,
  ].map((ErrorClass) => new ErrorClass('').name),
);

/** Failures the workflow itself names in a Pass state, with causes we wrote. */
const WORKFLOW_CAUSES: Record<string, (cause: string) => string> = {
  CrawlerFailed: () => "the Glue crawler's last crawl ended FAILED",
  // The cause is the name of the error the Glue job recorded for the drop.
  DropCurationFailed: (cause) =>
    NAME.test(cause)
      ? `the Glue job failed to curate the drop with ${cause}`
      : `the Glue job failed to curate the drop${WITHHELD}`,
};

const WITHHELD =
  "; the service's message is not shown, since it can quote the data it failed on (the failed state in the execution history has it)";

const MAX_CAUSE = 240;

/** What names something (an error type, a state): an identifier, or nothing. */
const NAME = /^[A-Za-z_][\w.]{0,80}$/;

/**
 * The cause an alert may show. Our own errors' messages are safe by
 * construction and kept; for anything else (Glue, Athena, Lambda runtime,
 * unknown) only the error's name and a fixed description are shown, never
 * the message text, which may quote the data that upset the service.
 */
export function scrubCause(cause: string | undefined, error?: string): string {
  if (!cause) return 'not given';
  const name = error && NAME.test(error) ? error : undefined;
  const workflowCause = name ? WORKFLOW_CAUSES[name] : undefined;
  const text = workflowCause
    ? workflowCause(cause.trim())
    : describe(cause, name).replace(/\s+/g, ' ').trim();

  return text.length > MAX_CAUSE ? `${text.slice(0, MAX_CAUSE)}...` : text;
}

function describe(cause: string, error: string | undefined): string {
  const parsed = parseObject(cause);
  if (!parsed) {
    return error && OUR_ERRORS.has(error)
      ? `${error}: ${cause}`
      : `${error ?? 'an error'}${WITHHELD}`;
  }
  const type = nameIn(parsed, 'errorType');
  if (type) {
    const message = parsed.errorMessage;
    return OUR_ERRORS.has(type) && typeof message === 'string'
      ? `${type}: ${message}`
      : `${type}${WITHHELD}`;
  }
  const jobState = nameIn(parsed, 'JobRunState');
  if (jobState) return `Glue job run ${jobState}${WITHHELD}`;
  const status = parsed.Status;
  const queryState =
    status && typeof status === 'object'
      ? nameIn(status as Record<string, unknown>, 'State')
      : undefined;
  if (queryState) return `Athena query ${queryState}${WITHHELD}`;

  return `${error ?? 'an error'} with a structured cause${WITHHELD}`;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object'
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function nameIn(
  object: Record<string, unknown>,
  field: string,
): string | undefined {
  const value = object[field];
  return typeof value === 'string' && NAME.test(value) ? value : undefined;
}
