import spec from './rules.json' with { type: 'json' };

export const RULE_KINDS = [
  'row_count',
  'unique',
  'not_null',
  'allowed_values',
  'references',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** A rule as written in rules.json; `table: "*"` applies it to every table. */
export interface RuleSpec {
  id: string;
  kind: RuleKind;
  table: string;
  column?: string;
  values?: string[];
  refTable?: string;
  refColumn?: string;
  severity: 'error' | 'warning';
}

export const RULES: readonly RuleSpec[] = spec.rules as RuleSpec[];
