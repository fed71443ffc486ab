/**
 * How floe spells things in DuckDB. Snowflake's database.schema pair becomes one DuckDB schema named
 * "DATABASE.SCHEMA" inside a single DuckDB file, so a whole account lives in `.floe/warehouse.duckdb`.
 */
import { unsupported, type FloeError } from '../../../core/errors.js';
import type { ColumnSpec, WarehouseDialect } from '../../../core/ports/warehouse.js';
import { MAX_VARCHAR_LENGTH, type SfType } from '../../../core/types/snowflake-type.js';
import { rewriteExpressions } from './duckdb-expressions.js';
import { duckDbInformationSchemaViews } from './duckdb-information-schema.js';
import { duckDbColumnType, duckDbTypeFor } from './duckdb-types.js';
import { snowflakeTimeFormatToDuckDb } from './duckdb-time-format.js';

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * DuckDB compares identifiers case-insensitively, Snowflake does not ("MixedCase" and MIXEDCASE are two
 * tables). Names with lower-case letters get a suffix encoding which letters are lower case, so every
 * Snowflake name has its own physical name. Upper-case names (the common case) stay readable.
 */
function physicalPart(name: string): string {
  if (!/[a-z]/.test(name)) return name;
  const bits = [...name].map((c) => (c !== c.toUpperCase() ? '1' : '0')).join('');
  return `${name}~${BigInt('0b' + bits).toString(36)}`;
}

const physicalParts = (database: string, schema: string, name: string): { schema: string; name: string } => ({
  schema: `${physicalPart(database)}.${physicalPart(schema)}`,
  name: physicalPart(name),
});
/**
 * DuckDB TEMP tables live in the connection's `temp` catalog, which has only the schema `main` (no others can
 * be created there), so the Snowflake schema goes into the table name. The name always contains dots, so it
 * never meets the engine's own temp tables (`floe_…`) in the same schema.
 */
const temporaryParts = (database: string, schema: string, name: string): { catalog: string; schema: string; name: string } => {
  const p = physicalParts(database, schema, name);
  return { catalog: 'temp', schema: 'main', name: `${p.schema}.${p.name}` };
};
const quoteString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * VARCHAR(n) is enforced by a CHECK that raises Snowflake's error with the offending value; only columns
 * with an explicit length pay for it. Plain SQL (no macro) because the CHECK is stored in the database file.
 */
function varcharLengthCheck(column: string, length: number): string {
  const c = quoteIdent(column);
  return `CHECK (CASE WHEN ${c} IS NULL OR length(${c}) <= ${length} THEN true ELSE error('floe: String ''' || ${c} || ''' is too long and would be truncated') END)`;
}

/**
 * DuckDB matches column names case-insensitively, so `"a"` and `"A"` cannot both be columns of one table.
 * Refuse clearly instead of letting DuckDB rename or reject one of them.
 */
function rejectCaseOnlyDuplicates(names: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    const other = seen.get(n.toUpperCase());
    if (other !== undefined) throw caseOnlyDuplicate(other, n);
    seen.set(n.toUpperCase(), n);
  }
}

const caseOnlyDuplicate = (a: string, b: string): FloeError =>
  unsupported(`columns "${a}" and "${b}" in one table (names that differ only by case; the DuckDB backend compares column names case-insensitively)`);

/** Rows a rebuild's key ranges are estimated from: 20 ranges get ~5,000 sampled rows each, so each is within a few percent of its share. */
const QUANTILE_SAMPLE_ROWS = 100_000;

/** Index names are per schema; a table's name is unique there, so the index is named after it. */
const clusterIndexName = (t: { database: string; schema: string; name: string }): string => quoteIdent(`${physicalParts(t.database, t.schema, t.name).name}$cluster`);

export const duckDbDialect: WarehouseDialect = {
  quoteIdent,
  quoteString,
  rewriteExpressions: (ast, options) => rewriteExpressions(ast as never, options),
  informationSchemaViews: (database, metadataTable) =>
    duckDbInformationSchemaViews(database, quoteIdent(physicalParts(database, 'INFORMATION_SCHEMA', '').schema), metadataTable),
  physicalParts,
  physicalSchema: (database, schema) => quoteIdent(physicalParts(database, schema, '').schema),
  physicalTable: (database, schema, name) => {
    const p = physicalParts(database, schema, name);
    return `${quoteIdent(p.schema)}.${quoteIdent(p.name)}`;
  },
  temporaryParts,
  typeFor: (type: SfType) => duckDbTypeFor(type),
  columnType: (type: SfType, options) => duckDbColumnType(type, options),
  tryParseDateTime: (text, type, format) =>
    `TRY_CAST(try_strptime(${text}, '${snowflakeTimeFormatToDuckDb(format, { parse: true }).replace(/'/g, "''")}') AS ${duckDbTypeFor(type)})`,
  createSchema: (physicalSchema) => `CREATE SCHEMA IF NOT EXISTS ${physicalSchema}`,
  dropSchema: (physicalSchema) => `DROP SCHEMA IF EXISTS ${physicalSchema} CASCADE`,
  createTable: (physicalName, columns: readonly ColumnSpec[], replace, { temporary = false, readByKey = false } = {}) => {
    // Constraints other than NOT NULL are catalog metadata only (Snowflake does not enforce them, and
    // DuckDB's PRIMARY KEY breaks MERGE … RETURNING, see toolchain.md).
    rejectCaseOnlyDuplicates(columns.map((c) => c.name));
    const cols = columns.map((c) => {
      let s = `${quoteIdent(c.name)} ${duckDbColumnType(c.type, { readByKey })}`;
      if (c.defaultSql !== undefined) s += ` DEFAULT ${c.defaultSql}`;
      if (!c.nullable) s += ' NOT NULL';
      if (c.type.kind === 'VARCHAR' && c.type.length < MAX_VARCHAR_LENGTH) s += ` ${varcharLengthCheck(c.name, c.type.length)}`;
      return s;
    });
    return `CREATE ${replace ? 'OR REPLACE ' : ''}${temporary ? 'TEMP ' : ''}TABLE ${physicalName} (${cols.join(', ')})`;
  },
  epochMillisToLtz: (expr) => `CASE WHEN ${expr} IS NULL THEN NULL ELSE make_timestamptz(CAST(${expr} AS BIGINT) * 1000) END`,
  // An ART index: joins with a small key set (≤ dynamic_or_filter_threshold keys) then read the table by index.
  // DuckDB does not vacuum a table with an index at checkpoints: fine for append-mostly tables like event logs.
  clusterIndex: {
    create: (physicalTable, t, columns) => [`CREATE INDEX IF NOT EXISTS ${clusterIndexName(t)} ON ${physicalTable} (${columns.map(quoteIdent).join(', ')})`],
    drop: (t) => [`DROP INDEX IF EXISTS ${quoteIdent(physicalParts(t.database, t.schema, t.name).schema)}.${clusterIndexName(t)}`],
    // An ART index finds a key's rows, but each may sit in another 256 KiB block: rows in key order share blocks.
    recluster: {
      // One quantile_disc per fraction held every value of the table once per fraction, outside DuckDB's memory limit: a
      // rebuild of a 10M-row event log (20 ranges) took the process from ~0.9 to 2.9–3.0 GB for seconds. One list-valued
      // quantile over a reservoir sample holds the sample once: +43 MB and 0.26 s instead of +2.2 GB and 3.9 s.
      quantiles: (expr, fractions, from) =>
        `SELECT unnest(quantile_disc(${expr}, [${fractions.join(', ')}])) FROM ${from} USING SAMPLE reservoir(${QUANTILE_SAMPLE_ROWS} ROWS)`,
      // floe turns DuckDB's optimistic writes off (duckdb-driver.ts) for the SCD applier's work tables; a rebuild's
      // copy wants them: without, each range's commit writes its rows (a commit of over 100,000 rows checkpoints
      // instead of logging), and every other commit waits behind it (2.7 s at 3.6M rows). The setting is global, but
      // only appends of a whole row group (122,880 rows) in one transaction write optimistically.
      bulkWrites: { on: 'SET enable_optimistic_write = true', off: 'SET enable_optimistic_write = false' },
    },
  },
  changeTracking: {
    createSequence: (name) => `CREATE SEQUENCE IF NOT EXISTS ${name}`,
    nextRowId: (name) => `nextval(${quoteString(name)})`,
    // A DuckDB variable is per connection, which is exactly the scope of one session's transaction.
    currentVersion: `getvariable('floe_change_version')`,
    setVersion: (version) => `SET VARIABLE floe_change_version = ${Math.trunc(version)}`,
  },
};
