import {
  type ColumnSpec,
  SYSTEM_COLUMNS,
  TABLES,
  type TableSpec,
} from './tables.ts';

/**
 * Turns a table of tables.json into the DuckDB SELECT that curates it from
 * staged NDJSON. The same text runs in the Glue job (DuckDB in a Python shell
 * job) and locally (DuckDB in Node), so the transform is defined once.
 * `{{name}}` placeholders are filled by renderSql in both.
 */
export function curationSelect(table: TableSpec): string {
  const columns = [
    ...table.columns.map(
      (column) => `  ${expression(column)} AS ${quote(column.name)}`,
    ),
    '  json::VARCHAR AS resource_json',
    '  {{drop_id}} AS drop_id',
    '  {{source_key}} AS source_key',
  ];
  return [
    `-- resource_type: ${table.resourceType}`,
    `-- Curates ${table.resourceType} resources into the ${table.name} table.`,
    '-- Generated from shared/curation/tables.json by `npm run generate`.',
    'SELECT',
    columns.join(',\n'),
    'FROM read_ndjson_objects({{staged_path}})',
    `WHERE json_extract_string(json, '$.resourceType') = '${table.resourceType}'`,
    '',
  ].join('\n');
}

export function allCurationSql(): Map<string, string> {
  return new Map(TABLES.map((table) => [table.name, curationSelect(table)]));
}

/** Column names of a curated table in file order (partition excluded). */
export function curatedColumns(
  table: TableSpec,
): Array<{ name: string; type: string }> {
  return [
    ...table.columns.map(({ name, type }) => ({ name, type })),
    ...SYSTEM_COLUMNS,
  ];
}

/** Fills placeholders with SQL string literals, quotes doubled. */
export function renderSql(
  template: string,
  params: Record<string, string>,
): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing SQL parameter: ${name}`);
    return sqlString(value);
  });
}

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function expression(column: ColumnSpec): string {
  if (column.ref) {
    return `regexp_extract(${extract(column.ref)}, '[^/]+$')`;
  }
  const paths = column.coalesce ?? [column.path ?? '$.id'];
  const value =
    paths.length === 1
      ? extract(paths[0] as string)
      : `coalesce(${paths.map(extract).join(', ')})`;

  return column.type === 'double' ? `TRY_CAST(${value} AS DOUBLE)` : value;
}

function extract(path: string): string {
  return `json_extract_string(json, '${path}')`;
}
