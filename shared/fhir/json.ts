/**
 * JSON parsing that reports where, never what: V8's own messages quote the
 * text around the error, which could be a patient's name.
 */
import type { ValidationIssue } from '../validation/types.ts';
import { issue, RULES } from './issues.ts';

export type Parsed =
  | { ok: true; value: unknown }
  | { ok: false; issue: ValidationIssue };

export function parseJson(text: string, location: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, issue: syntaxIssue(text, error, location) };
  }
}

function syntaxIssue(
  text: string,
  error: unknown,
  location: string,
): ValidationIssue {
  const position = positionOf(error, text);
  if (position === undefined) {
    // V8 gives no position for an unexpected token, only a quote of it.
    const message = 'is not valid JSON: unexpected token';
    return issue(RULES.invalidJson, location, message);
  }
  const { line, column } = lineAndColumn(text, position);
  const message = `is not valid JSON: syntax error at line ${line} column ${column}`;

  return issue(RULES.invalidJson, location, message);
}

function positionOf(error: unknown, text: string): number | undefined {
  const message = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(message);
  if (match) return Number(match[1]);
  // V8 says "Unexpected end of JSON input" without a position.
  return /end of JSON input/.test(message) ? text.length : undefined;
}

function lineAndColumn(text: string, position: number) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }

  return { line, column: position - lineStart + 1 };
}
