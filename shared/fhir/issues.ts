import type { Severity, ValidationIssue } from '../validation/types.ts';

/**
 * Rule codes of the FHIR validator. Stable: the quarantine report and the
 * conformance runner group by them.
 */
export const RULES = {
  byteOrderMark: 'byte_order_mark',
  unsupportedEncoding: 'unsupported_encoding',
  emptyFile: 'empty_file',
  notJson: 'not_json',
  invalidJson: 'invalid_json',
  notAResource: 'not_a_resource',
  internalError: 'internal_error',
  notFhir: 'not_fhir',
  ndjsonBrokenLines: 'ndjson_broken_lines',
  missingResourceType: 'missing_resource_type',
  emptyResourceType: 'empty_resource_type',
  unknownResourceType: 'unknown_resource_type',
  resourceTypeDiffersFromFileName: 'resource_type_differs_from_file_name',
  unknownElement: 'unknown_element',
  cardinalityMin: 'cardinality_min',
  cardinalityMax: 'cardinality_max',
  arrayExpected: 'array_expected',
  emptyArray: 'empty_array',
  nullNotAllowed: 'null_not_allowed',
  choiceMultiple: 'choice_multiple',
  wrongType: 'wrong_type',
  invalidPrimitive: 'invalid_primitive',
  invalidStringCharacter: 'invalid_string_character',
  codeNotInRequiredValueset: 'code_not_in_required_valueset',
  primitiveExtensionMisaligned: 'primitive_extension_misaligned',
  invalidReference: 'invalid_reference',
  unresolvedReference: 'unresolved_reference',
  bundleFullUrlDuplicate: 'bundle_fullurl_duplicate',
  bundleRequestMissing: 'bundle_request_missing',
  bundleResponseMissing: 'bundle_response_missing',
  bundleEntryEmpty: 'bundle_entry_empty',
  bundleOutcomeNotStaged: 'bundle_outcome_not_staged',
  bundleInstructionNotStaged: 'bundle_instruction_not_staged',
} as const;

export type Rule = (typeof RULES)[keyof typeof RULES];

export function issue(
  rule: Rule,
  location: string,
  message: string,
  severity: Severity = 'error',
): ValidationIssue {
  return { rule, severity, location, message };
}

export function hasError(issues: readonly ValidationIssue[]): boolean {
  return issues.some((item) => item.severity === 'error');
}
