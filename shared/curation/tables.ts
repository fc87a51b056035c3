import spec from './tables.json' with { type: 'json' };

/** A curated table as declared in tables.json. */
export interface ColumnSpec {
  name: string;
  type: 'string' | 'double';
  path?: string;
  ref?: string;
  coalesce?: string[];
  required?: boolean;
}

export interface TableSpec {
  name: string;
  resourceType: string;
  columns: ColumnSpec[];
}

export const TABLES: readonly TableSpec[] = spec.tables as TableSpec[];

/** Columns every curated table has besides its own, in this order. */
export const SYSTEM_COLUMNS = [
  { name: 'resource_json', type: 'string' },
  { name: 'drop_id', type: 'string' },
  { name: 'source_key', type: 'string' },
] as const;

export const PARTITION_COLUMN = 'ingest_date';

export function tableForType(resourceType: string): TableSpec | undefined {
  return TABLES.find((table) => table.resourceType === resourceType);
}

export function tableNamed(name: string): TableSpec | undefined {
  return TABLES.find((table) => table.name === name);
}
