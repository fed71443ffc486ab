/**
 * From scd.yaml's source to the files: the source is a stream (its base table) or a table; the pipes that feed it
 * are the pipes whose COPY targets that table. All of it is read from the warehouse's catalog with SHOW, so it is
 * what the pipeline really runs, not what the SQL files say today.
 */
import { FloeError } from '../core/errors.js';
import { tokenize } from '../sql/lexer.js';
import { TokenCursor } from '../sql/token-cursor.js';
import type { WarehouseClient } from './warehouse-client.js';
import { qualifiedText, type QualifiedName } from './verify-project.js';
import { stringLiteral } from '../engine/scripting/sql-literals.js';

export interface FeedingPipe {
  name: QualifiedName;
  /** The COPY statement (SHOW PIPES `definition`). */
  definition: string;
}

export interface SourceTables {
  /** The table whose rows are the events (the stream's base table, or the source table). */
  base: QualifiedName;
  pipes: FeedingPipe[];
}

const PLAIN = /^[A-Z_][A-Z0-9_$]*$/;
/** An identifier as SQL text: bare when Snowflake would resolve it to itself, quoted otherwise. */
export const identSql = (name: string): string => (PLAIN.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
export const nameSql = (n: QualifiedName): string => [n.database, n.schema, n.name].map(identSql).join('.');

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

function column(columns: string[], name: string): number {
  const i = columns.indexOf(name);
  if (i < 0) throw new FloeError('INTERNAL', `SHOW output has no column ${name}`);
  return i;
}

/** The table a pipe's `COPY INTO <table>` loads, resolved where the pipe lives. */
export function copyTarget(definition: string, pipe: QualifiedName): QualifiedName | undefined {
  try {
    const cur = new TokenCursor(tokenize(definition));
    if (!cur.acceptWords('COPY', 'INTO')) return undefined;
    const n = cur.objectName();
    return { database: n.database ?? pipe.database, schema: n.schema ?? pipe.schema, name: n.name };
  } catch {
    return undefined;
  }
}

const same = (a: QualifiedName, b: QualifiedName): boolean => a.database === b.database && a.schema === b.schema && a.name === b.name;

export async function findSourceTables(wh: WarehouseClient, source: QualifiedName, kind: 'stream' | 'table', scdFile: string): Promise<SourceTables> {
  let base = source;
  if (kind === 'stream') {
    const r = await wh.query(`SHOW STREAMS LIKE ${stringLiteral(source.name)} IN SCHEMA ${identSql(source.database)}.${identSql(source.schema)}`);
    const row = r.rows.find((x) => text(x[column(r.columns, 'name')]) === source.name);
    if (!row) {
      throw new FloeError('CONFIG', `floe verify: ${scdFile}: source stream ${qualifiedText(source)} does not exist in the warehouse (has floe run applied the project's SQL?)`);
    }
    const sourceType = text(row[column(r.columns, 'source_type')]);
    if (sourceType !== 'Table') throw new FloeError('CONFIG', `unsupported: floe verify on a stream on a ${sourceType.toLowerCase()} (${qualifiedText(source)}): the stream must be on the table the pipes load`);
    const parts = text(row[column(r.columns, 'table_name')]).split('.');
    if (parts.length !== 3) throw new FloeError('INTERNAL', `SHOW STREAMS table_name '${parts.join('.')}' is not DB.SCHEMA.NAME`);
    base = { database: parts[0]!, schema: parts[1]!, name: parts[2]! };
  }
  const r = await wh.query('SHOW PIPES IN ACCOUNT');
  const [iName, iDb, iSchema, iDef] = ['name', 'database_name', 'schema_name', 'definition'].map((c) => column(r.columns, c)) as [number, number, number, number];
  const pipes: FeedingPipe[] = [];
  for (const row of r.rows) {
    const name = { database: text(row[iDb]), schema: text(row[iSchema]), name: text(row[iName]) };
    const definition = text(row[iDef]);
    const target = copyTarget(definition, name);
    if (target && same(target, base)) pipes.push({ name, definition });
  }
  if (pipes.length === 0) {
    throw new FloeError(
      'CONFIG',
      `floe verify: no pipe loads ${qualifiedText(base)} (the table behind ${scdFile}'s source). floe verify re-reads the files the pipes loaded; see docs/verify.md.`,
    );
  }
  return { base, pipes };
}
