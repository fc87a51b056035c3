/**
 * The pipeline's named errors. Step Functions routes on `name`, so names are
 * stable string literals, and none starts with `States.`. Messages carry ids
 * and keys we generate, never field values from a drop.
 */
export class PipelineError extends Error {
  override name = 'PipelineError';
  /** True when a retry of the same step may succeed. */
  readonly retryable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A configuration value is missing or malformed; fix the deployment. */
export class ConfigurationError extends PipelineError {
  override name = 'ConfigurationError';
}

/** The event did not have the shape S3 sends. */
export class InvalidEventError extends PipelineError {
  override name = 'InvalidEventError';
}

/**
 * The event, once unwrapped from SQS or SNS, holds neither an S3
 * ObjectCreated record nor a test event. Carries the shape only (top-level
 * keys, record count, event source), never the content.
 */
export class UnrecognisedEventError extends InvalidEventError {
  override name = 'UnrecognisedEventError';
  readonly shape: EventShape;

  constructor(shape: EventShape) {
    const keys = shape.keys.join(', ') || 'none';
    super(
      `failed to recognise event: keys [${keys}], ${shape.records} record(s), eventSource ${shape.eventSource ?? 'none'}`,
    );
    this.shape = shape;
  }
}

export interface EventShape {
  keys: string[];
  records: number;
  eventSource?: string;
}

/** Storage answered with a transient failure; the step may be retried. */
export class TransientStorageError extends PipelineError {
  override name = 'TransientStorageError';
  override readonly retryable = true;
}

/** The drop's manifest is missing where a step needs it. */
export class ManifestNotFoundError extends PipelineError {
  override name = 'ManifestNotFoundError';
}

/** The raw object was not found in landing or in the archive. */
export class RawObjectMissingError extends PipelineError {
  override name = 'RawObjectMissingError';
}

/**
 * The object at the drop's key is not the one the drop was read from: on a
 * bucket without versions a later upload replaced it, so tiering it would
 * archive another drop's bytes under this drop's name.
 */
export class RawObjectReplacedError extends PipelineError {
  override name = 'RawObjectReplacedError';
}

/** At least one data-quality rule of severity error failed. */
export class QualityCheckFailedError extends PipelineError {
  override name = 'QualityCheckFailed';
}

/** The drop is larger than the validate step is configured to read. */
export class DropTooLargeError extends PipelineError {
  override name = 'DropTooLargeError';
}
