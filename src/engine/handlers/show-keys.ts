/**
 * SHOW PRIMARY KEYS / UNIQUE KEYS / IMPORTED KEYS. Snowflake records but does not enforce these
 * constraints; floe keeps them in the catalog (out-of-line constraints and inline column flags) and
 * lists them here, one row per key column.
 */
import { createHash } from 'node:crypto';
import type { ConstraintDef, TableDef } from '../../core/catalog/catalog-model.js';
import type { ObjectName } from '../../core/catalog/identifiers.js';
import { tokenize } from '../../sql/lexer.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import type { ShowHandler } from './show.js';
import { ltz, parseShowOptions, resolveScope, showResult, tablesInScope, type ColumnSpecs, type Row } from './show-common.js';

const KEY_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  database_name: 'TEXT',
  schema_name: 'TEXT',
  table_name: 'TEXT',
  column_name: 'TEXT',
  key_sequence: 'NUMBER',
  constraint_name: 'TEXT',
  rely: 'TEXT',
  comment: 'TEXT',
};

const IMPORTED_KEY_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  pk_database_name: 'TEXT',
  pk_schema_name: 'TEXT',
  pk_table_name: 'TEXT',
  pk_column_name: 'TEXT',
  fk_database_name: 'TEXT',
  fk_schema_name: 'TEXT',
  fk_table_name: 'TEXT',
  fk_column_name: 'TEXT',
  key_sequence: 'NUMBER',
  update_rule: 'TEXT',
  delete_rule: 'TEXT',
  fk_name: 'TEXT',
  pk_name: 'TEXT',
  deferrability: 'TEXT',
  rely: 'TEXT',
  comment: 'TEXT',
};

/**
 * Unnamed constraints get a system name in Snowflake (SYS_CONSTRAINT_<uuid>); floe derives it from the
 * table and constraint so the name is stable across SHOW calls and restarts.
 */
function systemName(t: TableDef, c: ConstraintDef, index: number): string {
  const h = createHash('sha256').update([t.database, t.schema, t.name, c.kind, c.columns.join(','), index].join('\u0000')).digest('hex');
  return `SYS_CONSTRAINT_${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Every constraint of a table: out-of-line ones plus those written inline on columns. */
export function tableConstraints(t: TableDef): { def: ConstraintDef; name: string }[] {
  const out = t.constraints.map((def, i) => ({ def, name: def.name ?? systemName(t, def, i) }));
  const push = (def: ConstraintDef): void => {
    out.push({ def, name: def.name ?? systemName(t, def, out.length) });
  };
  if (!t.constraints.some((c) => c.kind === 'PRIMARY KEY')) {
    const pk = t.columns.filter((c) => c.primaryKey).map((c) => c.name);
    if (pk.length > 0) push({ kind: 'PRIMARY KEY', columns: pk });
  }
  for (const c of t.columns) {
    const covered = t.constraints.some((k) => k.kind === 'UNIQUE' && k.columns.length === 1 && k.columns[0] === c.name);
    if (c.unique && !covered) push({ kind: 'UNIQUE', columns: [c.name] });
  }
  return out;
}

/** The referenced table of a foreign key (stored as written), resolved relative to the referencing table. */
function referencedTable(t: TableDef, ref: string): { database: string; schema: string; name: string } {
  let n: ObjectName = { name: ref };
  try {
    n = new TokenCursor(tokenize(ref)).objectName();
  } catch {
    // Keep the raw text: the row still shows which table the key points at.
  }
  return { database: n.database ?? t.database, schema: n.schema ?? t.schema, name: n.name };
}

export function showKeys(which: 'PRIMARY' | 'UNIQUE' | 'IMPORTED'): ShowHandler {
  return async (ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> => {
    const opts = parseShowOptions(cur, terse);
    const command = `SHOW ${which} KEYS`;
    const scope = resolveScope(ctx, opts.in, command, 'SCHEMA', 'TABLE');
    const rows: Row[] = [];
    for (const t of tablesInScope(ctx, scope)) {
      if (t.kind !== 'TABLE') continue;
      for (const { def, name } of tableConstraints(t)) {
        if (which === 'IMPORTED') {
          if (def.kind !== 'FOREIGN KEY' || def.references === undefined) continue;
          const pkTable = referencedTable(t, def.references.table);
          const pkDef = ctx.engine.catalog.table(pkTable.database, pkTable.schema, pkTable.name);
          const pk = pkDef ? tableConstraints(pkDef).find((c) => c.def.kind === 'PRIMARY KEY') : undefined;
          const pkCols = def.references.columns.length > 0 ? def.references.columns : (pk?.def.columns ?? []);
          def.columns.forEach((col, i) => {
            rows.push({
              created_on: ltz(ctx, t.createdOn),
              pk_database_name: pkTable.database,
              pk_schema_name: pkTable.schema,
              pk_table_name: pkTable.name,
              pk_column_name: pkCols[i] ?? null,
              fk_database_name: t.database,
              fk_schema_name: t.schema,
              fk_table_name: t.name,
              fk_column_name: col,
              key_sequence: i + 1,
              update_rule: 'NO ACTION',
              delete_rule: 'NO ACTION',
              fk_name: name,
              pk_name: pk?.name ?? null,
              deferrability: 'NOT DEFERRABLE',
              rely: 'false',
              comment: null,
            });
          });
          continue;
        }
        if (def.kind !== (which === 'PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE')) continue;
        def.columns.forEach((col, i) => {
          rows.push({
            created_on: ltz(ctx, t.createdOn),
            database_name: t.database,
            schema_name: t.schema,
            table_name: t.name,
            column_name: col,
            key_sequence: i + 1,
            constraint_name: name,
            rely: 'false',
            comment: null,
          });
        });
      }
    }
    return showResult(which === 'IMPORTED' ? IMPORTED_KEY_COLUMNS : KEY_COLUMNS, rows, { limit: opts.limit });
  };
}
