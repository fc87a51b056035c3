import type { Severity, ValidationIssue } from '../validation/types.ts';

/** An issue about the file as a whole (encoding, framing, batch counts). */
export function fileIssue(
  rule: string,
  severity: Severity,
  location: string,
  message: string,
): ValidationIssue {
  return { rule, severity, location, message };
}

/** An issue about one message; `record` is its 0-based index in the drop. */
export function recordIssue(
  record: number,
  rule: string,
  severity: Severity,
  location: string,
  message: string,
): ValidationIssue {
  return { rule, severity, location, message, record };
}

export function hasError(issues: readonly ValidationIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
