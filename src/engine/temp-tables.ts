/**
 * Session-scoped temporary tables (CREATE TEMPORARY | TEMP | LOCAL/GLOBAL TEMPORARY | VOLATILE TABLE).
 *
 * Snowflake keeps a temporary table for the session that created it only: other sessions never see it, it
 * hides a permanent table of the same name for that session, and it disappears with the session. floe keeps
 * their definitions in a per-session overlay consulted before the shared catalog, never in `_floe.catalog`,
 * and stores their rows in a backend temporary table of the session's own connection (DuckDB: the `temp`
 * catalog), so nothing of them is ever written to the warehouse file and they die with the connection.
 */
import { fullKey, type FullName } from '../core/catalog/identifiers.js';
import type { TableDef } from '../core/catalog/catalog-model.js';
import type { WarehouseDialect } from '../core/ports/warehouse.js';
import type { PhysicalName } from '../sql/translate/bind-statement.js';
import type { Token } from '../sql/lexer.js';
import type { EngineCore, ExecContext, SessionState } from './exec-context.js';

/** One session's temporary table definitions, by full name. */
export class TempTables {
  private readonly defs = new Map<string, TableDef>();

  get(n: FullName): TableDef | undefined {
    return this.defs.get(fullKey(n));
  }

  put(def: TableDef): void {
    this.defs.set(fullKey(def), def);
  }

  remove(n: FullName): void {
    this.defs.delete(fullKey(n));
  }

  all(): TableDef[] {
    return [...this.defs.values()];
  }

  get size(): number {
    return this.defs.size;
  }
}

/**
 * A temporary table of the session, if it is still visible: a dropped (or dropped and re-created) schema takes
 * the temporary tables created in it along, also those of other sessions, which only notice at their next lookup.
 */
export function sessionTempTable(engine: Pick<EngineCore, 'catalog'>, session: Pick<SessionState, 'temporary'>, n: FullName): TableDef | undefined {
  const def = session.temporary?.get(n);
  if (!def) return undefined;
  const schema = engine.catalog.schema(def.database, def.schema);
  return schema && schema.createdOn <= def.createdOn ? def : undefined;
}

/** The table or view a name means in this session: its temporary table first, then the shared catalog. */
export function lookupTable(ctx: Pick<ExecContext, 'engine' | 'session'>, n: FullName): TableDef | undefined {
  return sessionTempTable(ctx.engine, ctx.session, n) ?? ctx.engine.catalog.table(n.database, n.schema, n.name);
}

/** The session's visible temporary tables in a database / schema (all when unscoped). */
export function sessionTempTables(ctx: Pick<ExecContext, 'engine' | 'session'>, database?: string, schema?: string): TableDef[] {
  return (ctx.session.temporary?.all() ?? []).filter(
    (t) => (database === undefined || t.database === database) && (schema === undefined || t.schema === schema) && sessionTempTable(ctx.engine, ctx.session, t) === t,
  );
}

/** Backend parts of a table (a temporary table's are in its connection's temporary catalog). */
export function physicalPartsOf(d: WarehouseDialect, def: FullName & { temporary?: boolean }): PhysicalName {
  return def.temporary ? d.temporaryParts(def.database, def.schema, def.name) : d.physicalParts(def.database, def.schema, def.name);
}

/** Quoted, fully qualified backend name of a table. */
export function physicalTableOf(d: WarehouseDialect, def: FullName & { temporary?: boolean }): string {
  if (!def.temporary) return d.physicalTable(def.database, def.schema, def.name);
  const p = d.temporaryParts(def.database, def.schema, def.name);
  return [p.catalog, p.schema, p.name].map(d.quoteIdent).join('.');
}

/**
 * The key load history (COPY's dedup, COPY_HISTORY) records a table under. A temporary table's loads must not
 * count for a permanent table of the same name (or the next session's temporary one), so its key is its id.
 */
export function loadHistoryKey(def: FullName & { temporary?: boolean; id?: string }): string {
  return def.temporary ? `temporary:${def.id}` : `${def.database}.${def.schema}.${def.name}`;
}

/**
 * The temporary-table modifier of `CREATE [OR REPLACE] <modifier> TABLE`, and the statement text with it spelled
 * `TEMP` (padded to the same length, so positions in parser errors stay right): the parser knows TEMP and
 * TEMPORARY but not the LOCAL / GLOBAL prefixes or VOLATILE, which Snowflake accepts as synonyms.
 */
export function temporaryModifier(sql: string, tokens: readonly Token[]): { sql: string } | undefined {
  const words = tokens.map((t) => (t.type === 'word' ? t.value : ''));
  let i = 1;
  if (words[i] === 'OR' && words[i + 1] === 'REPLACE') i += 2;
  const first = i;
  if (words[i] === 'LOCAL' || words[i] === 'GLOBAL') i++;
  if (words[i] === 'TEMP' || words[i] === 'TEMPORARY' || (i === first && words[i] === 'VOLATILE')) i++;
  else return undefined;
  if (words[i] !== 'TABLE') return undefined;
  const base = tokens[0]!.start;
  const from = tokens[first]!.start - base;
  const to = tokens[i - 1]!.end - base;
  return { sql: sql.slice(0, from) + 'TEMP'.padEnd(to - from) + sql.slice(to) };
}
