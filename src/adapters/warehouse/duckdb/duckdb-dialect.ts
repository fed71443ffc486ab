/**
 * How floe spells things in DuckDB. Snowflake's database.schema pair becomes one DuckDB schema named
 * "DATABASE.SCHEMA" inside a single DuckDB file, so a whole account lives in `.floe/warehouse.duckdb`.
 */
import type { ColumnSpec, WarehouseDialect } from '../../../core/ports/warehouse.js';
import type { SfType } from '../../../core/types/snowflake-type.js';
import { rewriteExpressions } from './duckdb-expressions.js';
import { duckDbInformationSchemaViews } from './duckdb-information-schema.js';
import { duckDbTypeFor } from './duckdb-types.js';

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

export const duckDbDialect: WarehouseDialect = {
  quoteIdent,
  quoteString,
  rewriteExpressions: (ast, options) => rewriteExpressions(ast as never, options),
  informationSchemaViews: duckDbInformationSchemaViews,
  physicalSchema: (database, schema) => quoteIdent(`${database}.${schema}`),
  physicalTable: (database, schema, name) => `${quoteIdent(`${database}.${schema}`)}.${quoteIdent(name)}`,
  typeFor: (type: SfType) => duckDbTypeFor(type),
  createSchema: (physicalSchema) => `CREATE SCHEMA IF NOT EXISTS ${physicalSchema}`,
  dropSchema: (physicalSchema) => `DROP SCHEMA IF EXISTS ${physicalSchema} CASCADE`,
  createTable: (physicalName, columns: readonly ColumnSpec[], replace) => {
    // Constraints other than NOT NULL are catalog metadata only (Snowflake does not enforce them, and
    // DuckDB's PRIMARY KEY breaks MERGE … RETURNING, see toolchain.md).
    const cols = columns.map((c) => {
      let s = `${quoteIdent(c.name)} ${duckDbTypeFor(c.type)}`;
      if (c.defaultSql !== undefined) s += ` DEFAULT ${c.defaultSql}`;
      if (!c.nullable) s += ' NOT NULL';
      return s;
    });
    return `CREATE ${replace ? 'OR REPLACE ' : ''}TABLE ${physicalName} (${cols.join(', ')})`;
  },
};
