import { quote, sqlString } from '../curation/sql.ts';
import { TABLES, type TableSpec } from '../curation/tables.ts';
import { RULES, type RuleSpec } from './rules.ts';

/**
 * One query that checks every rule against this drop's curated rows and
 * returns a row per (rule, table, column): rule_id, table_name, column_name,
 * severity, failed, observed, expected. It sticks to SQL that Athena
 * (Trino) and DuckDB read alike, so the same text runs in both modes.
 */
export interface QualityScope {
  dropId: string;
  ingestDate: string;
  /** Staged resources per FHIR type: the expected curated row counts. */
  stagedCounts: Record<string, number>;
}

export interface QualityCheck {
  ruleId: string;
  table: string;
  column?: string;
  severity: string;
  sql: string;
}

export function qualityChecks(
  scope: QualityScope,
  rules = RULES,
): QualityCheck[] {
  const tables = TABLES.filter(
    (table) => (scope.stagedCounts[table.resourceType] ?? 0) > 0,
  );
  const staged = new Set(tables.map((table) => table.name));

  return rules.flatMap((rule) =>
    tables
      .filter((table) => rule.table === '*' || rule.table === table.name)
      .filter((table) => rule.kind !== 'references' || staged.has(table.name))
      .flatMap((table) => checksFor(rule, table, scope)),
  );
}

export function qualityQuery(scope: QualityScope, rules = RULES): string {
  const checks = qualityChecks(scope, rules);
  if (checks.length === 0) {
    return "SELECT 'no_curated_tables' AS rule_id, '' AS table_name, '' AS column_name, 'warning' AS severity, CAST(0 AS BIGINT) AS failed, CAST(0 AS BIGINT) AS observed, CAST(NULL AS BIGINT) AS expected";
  }
  return checks.map((check) => check.sql).join('\nUNION ALL\n');
}

function checksFor(
  rule: RuleSpec,
  table: TableSpec,
  scope: QualityScope,
): QualityCheck[] {
  const columns = columnsFor(rule, table);
  return columns.map((column) => ({
    ruleId: rule.id,
    table: table.name,
    column,
    severity: rule.severity,
    sql: checkSql(rule, table, column, scope),
  }));
}

function columnsFor(
  rule: RuleSpec,
  table: TableSpec,
): Array<string | undefined> {
  if (rule.kind === 'row_count') return [undefined];
  if (rule.column === 'required') {
    return table.columns
      .filter((column) => column.required)
      .map((column) => column.name);
  }
  // A rule for every table names a column only some tables have.
  const exists =
    rule.column === 'id' || table.columns.some((c) => c.name === rule.column);
  return exists ? [rule.column] : [];
}

function checkSql(
  rule: RuleSpec,
  table: TableSpec,
  column: string | undefined,
  scope: QualityScope,
): string {
  const head = [
    `SELECT ${sqlString(rule.id)} AS rule_id`,
    `${sqlString(table.name)} AS table_name`,
    `${sqlString(column ?? '')} AS column_name`,
    `${sqlString(rule.severity)} AS severity`,
  ].join(', ');
  const where = `WHERE ingest_date = ${sqlString(scope.ingestDate)} AND drop_id = ${sqlString(scope.dropId)}`;
  const from = `FROM ${quote(table.name)} t ${where.replace(/(ingest_date|drop_id) =/g, 't.$1 =')}`;
  const col = column ? `t.${quote(column)}` : '';
  const [failed, expected] = measures(rule, table, col, scope);

  return `${head}, CAST(COALESCE(${failed}, 0) AS BIGINT) AS failed, CAST(COUNT(*) AS BIGINT) AS observed, CAST(${expected} AS BIGINT) AS expected ${from}`;
}

function measures(
  rule: RuleSpec,
  table: TableSpec,
  col: string,
  scope: QualityScope,
): [string, string] {
  switch (rule.kind) {
    case 'row_count': {
      const expected = scope.stagedCounts[table.resourceType] ?? 0;
      return [
        `CASE WHEN COUNT(*) = ${expected} THEN 0 ELSE 1 END`,
        String(expected),
      ];
    }
    case 'unique':
      return [`COUNT(*) - COUNT(DISTINCT ${col})`, 'NULL'];
    case 'not_null':
      return [
        `SUM(CASE WHEN ${col} IS NULL OR ${col} = '' THEN 1 ELSE 0 END)`,
        'NULL',
      ];
    case 'allowed_values': {
      const list = (rule.values ?? []).map(sqlString).join(', ');
      return [
        `SUM(CASE WHEN ${col} IS NOT NULL AND ${col} NOT IN (${list}) THEN 1 ELSE 0 END)`,
        'NULL',
      ];
    }
    case 'references': {
      const ref = `SELECT r.${quote(rule.refColumn ?? 'id')} FROM ${quote(rule.refTable ?? '')} r WHERE r.${quote(rule.refColumn ?? 'id')} IS NOT NULL`;
      return [
        `SUM(CASE WHEN ${col} IS NOT NULL AND ${col} NOT IN (${ref}) THEN 1 ELSE 0 END)`,
        'NULL',
      ];
    }
  }
}
