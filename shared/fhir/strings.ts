/**
 * FHIR strings SHALL NOT hold characters below U+0020 other than tab, CR
 * and LF, and must be valid Unicode. JSON can smuggle both in only as
 * escapes (`\u0001`, a lone `\ud800`): raw control bytes are not JSON and
 * raw lone surrogates are not UTF-8. So the record's text is searched once
 * for such an escape (native indexOf) and the parsed value is walked only
 * when one is found; the common record pays one scan.
 */
import type { ValidationIssue } from '../validation/types.ts';
import { issue, RULES } from './issues.ts';
import { keyPath } from './keys.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point of this pattern.
const FORBIDDEN_CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;

/** True when `text` holds a control-character or surrogate escape. */
export function mayHoldForbiddenCharacters(text: string): boolean {
  for (
    let at = text.indexOf('\\u');
    at !== -1;
    at = text.indexOf('\\u', at + 2)
  ) {
    const code = Number.parseInt(text.slice(at + 2, at + 6), 16);
    if (code >= 0xd800 && code <= 0xdfff) return true;
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) {
      return true;
    }
  }
  return false;
}

/** Reports every string (value) under `value` that FHIR forbids. */
export function checkStrings(
  value: unknown,
  path: string,
  issues: ValidationIssue[],
): void {
  if (typeof value === 'string') {
    if (FORBIDDEN_CONTROL.test(value) || !value.isWellFormed()) {
      const message =
        'holds a control character or an unpaired surrogate, which FHIR strings forbid';
      issues.push(issue(RULES.invalidStringCharacter, path, message));
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      checkStrings(value[i], `${path}[${i}]`, issues);
    }
  } else if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    for (const key in object) {
      checkStrings(object[key], keyPath(path, key, object), issues);
    }
  }
}
