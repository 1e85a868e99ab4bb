/**
 * Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/): building the published
 * schema from field definitions, and validating a table against a published schema. The validator reads
 * only the JSON schema, so a CSV checked here is checked against exactly what the public downloads.
 * It covers the parts of the spec the register uses: types string, integer, boolean, date; format uri;
 * constraints required, unique, enum, pattern (anchored, as the spec says), maxLength, minimum.
 */
import type { FieldDef } from './register-schema';

export type TableSchemaField = {
  name: string;
  title?: string;
  description?: string;
  type: 'string' | 'integer' | 'boolean' | 'date';
  format?: string;
  trueValues?: string[];
  falseValues?: string[];
  constraints?: { required?: boolean; unique?: boolean; enum?: string[]; pattern?: string; maxLength?: number; minimum?: number };
};

export type TableSchema = {
  fields: TableSchemaField[];
  primaryKey?: string | string[];
  missingValues: string[];
  [key: string]: unknown;
};

export type CellError = {
  /** 1-based line in the file: the header is line 1, the first project line 2. */
  line: number;
  column: string;
  code:
    | 'missing_column'
    | 'unknown_column'
    | 'required'
    | 'type'
    | 'enum'
    | 'pattern'
    | 'max_length'
    | 'minimum'
    | 'unique'
    | 'format'
    | 'max_words'
    | 'list_mismatch'
    | 'row_length';
  value?: string;
  expected?: string;
};

const strip = (pattern: string) => pattern.replace(/^\^/, '').replace(/\$$/, '');

/** The Table Schema of a table from its field definitions; titles and descriptions come from `label`. */
export function buildTableSchema(
  fields: readonly FieldDef[],
  label: (name: string) => { title: string; description: string },
  extra: Record<string, unknown> = {},
): TableSchema {
  return {
    ...extra,
    fields: fields.map((f) => {
      const { title, description } = label(f.name);
      const constraints: NonNullable<TableSchemaField['constraints']> = {};
      if (f.required) constraints.required = true;
      if (f.unique) constraints.unique = true;
      if (f.enum) constraints.enum = [...f.enum];
      if (f.pattern) {
        const item = strip(f.pattern);
        constraints.pattern = f.list ? `(${item})(;(${item}))*` : item;
      }
      if (f.maxLength && !f.list) constraints.maxLength = f.maxLength;
      if (f.minimum !== undefined) constraints.minimum = f.minimum;
      const field: TableSchemaField = { name: f.name, title, description, type: f.type };
      if (f.format === 'uri' && !f.list) field.format = 'uri';
      if (f.type === 'boolean') {
        field.trueValues = ['true'];
        field.falseValues = ['false'];
      }
      if (Object.keys(constraints).length > 0) field.constraints = constraints;
      return field;
    }),
    primaryKey: 'id',
    missingValues: [''],
  };
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !/\s/.test(value);
  } catch {
    return false;
  }
}

/** Every error of a table against a published schema; an empty list means the table is valid. */
export function validateTable(schema: TableSchema, header: string[], records: string[][]): CellError[] {
  const errors: CellError[] = [];
  const known = new Set(schema.fields.map((f) => f.name));
  for (const field of schema.fields) if (!header.includes(field.name)) errors.push({ line: 1, column: field.name, code: 'missing_column' });
  for (const name of header) if (!known.has(name)) errors.push({ line: 1, column: name, code: 'unknown_column' });
  if (errors.length > 0) return errors;

  const index = new Map(header.map((name, i) => [name, i]));
  const missing = new Set(schema.missingValues);
  const patterns = new Map(schema.fields.filter((f) => f.constraints?.pattern).map((f) => [f.name, new RegExp(`^(?:${f.constraints!.pattern})$`, 'u')]));
  const seen = new Map<string, Set<string>>();

  records.forEach((record, r) => {
    const line = r + 2;
    if (record.length !== header.length) {
      errors.push({ line, column: '', code: 'row_length', value: String(record.length), expected: String(header.length) });
      return;
    }
    for (const field of schema.fields) {
      const value = record[index.get(field.name)!]!;
      const c = field.constraints ?? {};
      if (missing.has(value)) {
        if (c.required) errors.push({ line, column: field.name, code: 'required' });
        continue;
      }
      if (field.type === 'integer' && !/^-?\d+$/.test(value)) errors.push({ line, column: field.name, code: 'type', value, expected: 'integer' });
      else if (field.type === 'boolean' && !(field.trueValues ?? ['true']).concat(field.falseValues ?? ['false']).includes(value))
        errors.push({ line, column: field.name, code: 'type', value, expected: 'boolean' });
      else if (field.type === 'date' && !isIsoDate(value)) errors.push({ line, column: field.name, code: 'type', value, expected: 'date' });
      else if (field.format === 'uri' && !isHttpUrl(value)) errors.push({ line, column: field.name, code: 'format', value, expected: 'uri' });
      if (c.enum && !c.enum.includes(value)) errors.push({ line, column: field.name, code: 'enum', value, expected: c.enum.join(', ') });
      const pattern = patterns.get(field.name);
      if (pattern && !pattern.test(value)) errors.push({ line, column: field.name, code: 'pattern', value });
      if (c.maxLength !== undefined && [...value].length > c.maxLength)
        errors.push({ line, column: field.name, code: 'max_length', value, expected: String(c.maxLength) });
      if (c.minimum !== undefined && field.type === 'integer' && Number(value) < c.minimum)
        errors.push({ line, column: field.name, code: 'minimum', value, expected: String(c.minimum) });
      if (c.unique) {
        const values = seen.get(field.name) ?? new Set<string>();
        if (values.has(value)) errors.push({ line, column: field.name, code: 'unique', value });
        values.add(value);
        seen.set(field.name, values);
      }
    }
  });
  return errors;
}
