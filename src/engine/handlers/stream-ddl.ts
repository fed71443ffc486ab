/**
 * CREATE / DROP / DESCRIBE STREAM, and turning change tracking on or off for a table. A stream is only
 * an offset (reference §1.1): its catalog entry plus a row in `_floe.stream_offsets`, both committed with
 * the DDL. Creating the first stream on a table turns change tracking on, as in Snowflake.
 */
import { alreadyExists, compilationError, FloeError, notFound, unsupported } from '../../core/errors.js';
import { displayIdent, displayName } from '../../core/catalog/identifiers.js';
import { keys, type CatalogChange } from '../../core/catalog/catalog.js';
import type { StreamDef, TableDef } from '../../core/catalog/catalog-model.js';
import type { ColumnSpec } from '../../core/ports/warehouse.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { commitDdl, statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { changeTables, disableTrackingSql, enableTrackingSql } from '../changes/change-store.js';
import { loadOffset } from '../changes/statement-changes.js';
import { newObjectId } from '../changes/stream-source.js';
import { qualify, requireSchema } from '../resolve-names.js';
import { lookupTable } from '../temp-tables.js';
import { columnSpecsOf } from './column-defs.js';
import { parseProperties } from './properties.js';
import { nameInString } from './stream-name.js';
import { streamableViewQuery, viewContext } from '../changes/view-expansion.js';
import { viewBaseTables } from '../changes/view-delta.js';
import { objectNameOf } from '../../sql/translate/bind-statement.js';
import { showResult } from './show-common.js';
import { STREAM_COLUMNS, streamRow } from './show-streams.js';

const flag = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : /^TRUE$/i.test(v));

/** Physical statements and the new definition that turn change tracking on (no-op when already on). */
export function enableTracking(ctx: ExecContext, table: TableDef, specs?: ColumnSpec[]): { physical: string[]; def: TableDef } {
  if (table.tracked) return { physical: [], def: table.changeTracking ? table : { ...table, changeTracking: true } };
  const def: TableDef = { ...table, id: table.id ?? newObjectId(), changeTracking: true, tracked: { since: ctx.engine.clock.committed } };
  return { physical: enableTrackingSql(ctx.engine.driver.dialect, def, specs ?? columnSpecsOf(ctx, def)), def };
}

export function disableTracking(ctx: ExecContext, table: TableDef): { physical: string[]; def: TableDef } {
  const def: TableDef = { ...table, changeTracking: false };
  delete def.tracked;
  if (!table.tracked) return { physical: [], def };
  return { physical: disableTrackingSql(ctx.engine.driver.dialect, table, columnSpecsOf(ctx, table)), def };
}

export async function handleCreateStream(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('CREATE');
  const orReplace = cur.acceptWords('OR', 'REPLACE');
  cur.expectWords('STREAM');
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  if (orReplace && ifNotExists) throw compilationError('OR REPLACE and IF NOT EXISTS are incompatible.');
  const full = qualify(ctx, cur.objectName(), 'CREATE STREAM');
  requireSchema(ctx, full.database, full.schema);
  cur.acceptWords('COPY', 'GRANTS');
  const { catalog } = ctx.engine;
  const existing = catalog.stream(full.database, full.schema, full.name);
  if (existing && ifNotExists) return statusResult(`${displayIdent(full.name)} already exists, statement succeeded.`);
  if (existing && !orReplace) throw alreadyExists('Stream', displayIdent(full.name));
  if (catalog.table(full.database, full.schema, full.name)) throw alreadyExists('Object', displayIdent(full.name));

  let source: TableDef;
  /** Views over several tables (joins, UNION ALL) read through the generic view delta. */
  let viewTables: TableDef[] | undefined;
  let view: TableDef | undefined;
  let keepOffset: StreamDef | undefined;
  if (cur.acceptWords('CLONE')) {
    const from = qualify(ctx, cur.objectName());
    keepOffset = catalog.stream(from.database, from.schema, from.name);
    if (!keepOffset) throw notFound('Stream', displayName(from));
    const t = catalog.tableById(keepOffset.tableId);
    if (!t) throw compilationError(`Stream ${displayName(from)} is stale and cannot be cloned.`);
    source = t;
    if (keepOffset.view) view = catalog.table(keepOffset.view.database, keepOffset.view.schema, keepOffset.view.name);
  } else {
    cur.expectWords('ON');
    if (cur.isWord('EXTERNAL', 'STAGE', 'DYNAMIC')) throw unsupported(`CREATE STREAM … ON ${cur.next().value}`);
    const onView = cur.acceptWords('VIEW');
    if (!onView) cur.expectWords('TABLE');
    const n = cur.objectName();
    const t = qualify(ctx, n);
    const def = lookupTable(ctx, t);
    if (!def) throw notFound(onView ? 'View' : 'Table', displayName(n));
    // Change tracking keeps its rows and offsets in the shared warehouse, which a session's table never enters.
    if (def.temporary) throw unsupported(`a stream on temporary table ${displayName(def)} (create the stream on a permanent or transient table)`);
    if (def.kind === 'VIEW') {
      view = def;
      try {
        source = viewBaseTable(ctx, def);
      } catch (e) {
        if (def.readsStreams || !(e instanceof FloeError) || e.code !== 'UNSUPPORTED' || !/joins or more than one table|set operation/.test(e.message)) throw e;
        viewTables = viewBaseTables(ctx, def);
        source = viewTables[0] as TableDef;
      }
    } else {
      if (onView) throw compilationError(`Object found is of type 'TABLE', not specified type 'VIEW'.`);
      source = def;
    }
  }
  for (const kw of ['AT', 'BEFORE']) {
    if (!cur.acceptWords(kw)) continue;
    cur.expectSymbol('(');
    const key = cur.identifier().name.toUpperCase();
    cur.expectSymbol('=>');
    const value = cur.value();
    cur.expectSymbol(')');
    if (key !== 'STREAM' || kw !== 'AT') throw unsupported(`CREATE STREAM … ${kw} (${key} => …) (only AT (STREAM => '<name>') is supported)`);
    const named = nameInString(value);
    const other = qualify(ctx, named);
    keepOffset = catalog.stream(other.database, other.schema, other.name);
    if (!keepOffset) throw notFound('Stream', displayName(named));
    if (keepOffset.tableId !== source.id) throw compilationError(`Stream ${displayName(other)} is not on table ${displayName(source)}.`);
  }
  const props = parseProperties(cur);
  if (flag(props.INSERT_ONLY)) throw compilationError('Streams of type INSERT_ONLY can only be created on external tables.');
  for (const k of Object.keys(props)) if (!['APPEND_ONLY', 'INSERT_ONLY', 'SHOW_INITIAL_ROWS', 'COMMENT'].includes(k)) throw compilationError(`invalid property '${k}' for 'STREAM'`);
  const appendOnly = flag(props.APPEND_ONLY) ?? false;
  const showInitialRows = flag(props.SHOW_INITIAL_ROWS) ?? false;

  const trackings = (viewTables ?? [source]).map((t) => enableTracking(ctx, t));
  const tracking = trackings[0] as ReturnType<typeof enableTracking>;
  const kept = keepOffset ? await loadOffset(ctx, keepOffset) : undefined;
  const stream: StreamDef = {
    database: full.database,
    schema: full.schema,
    name: full.name,
    id: newObjectId(),
    tableId: tracking.def.id as string,
    ...(viewTables ? { baseTableIds: trackings.map((t) => t.def.id as string) } : {}),
    tableName: { database: source.database, schema: source.schema, name: source.name },
    sourceType: view ? 'View' : 'Table',
    ...(view ? { view: { database: view.database, schema: view.schema, name: view.name, id: view.id ?? '' } } : {}),
    mode: appendOnly ? 'APPEND_ONLY' : 'DEFAULT',
    showInitialRows,
    createdOn: new Date(ctx.engine.now()).toISOString(),
    owner: ctx.session.role,
    ...(props.COMMENT !== undefined ? { comment: props.COMMENT } : {}),
  };
  const d = ctx.engine.driver.dialect;
  const offsets = changeTables(d).offsets;
  const change: CatalogChange = { remove: [], put: [{ kind: 'STREAM', def: stream }] };
  (viewTables ?? [source]).forEach((t, i) => {
    const tr = trackings[i] as ReturnType<typeof enableTracking>;
    if (tr.physical.length > 0 || tr.def !== t) change.put.push({ kind: 'TABLE', def: tr.def });
  });
  // Snowflake turns change tracking on for a view a stream is created on (SHOW VIEWS change_tracking = ON).
  if (view && !view.changeTracking) change.put.push({ kind: 'TABLE', def: { ...view, changeTracking: true } });
  await commitDdl(ctx, () => {
    // Under the change lock: the committed version is final until this DDL commits.
    const offset = kept ? kept.offset : ctx.engine.clock.committed;
    const pending = kept ? kept.initialPending : showInitialRows;
    const lastRead = kept ? kept.lastReadMs : Math.trunc(ctx.engine.now());
    return [
      ...trackings.flatMap((t) => t.physical),
      ...(existing ? [`DELETE FROM ${offsets} WHERE stream_id = ${d.quoteString(existing.id)}`] : []),
      `INSERT INTO ${offsets} VALUES (${d.quoteString(stream.id)}, ${d.quoteString(stream.tableId)}, ${offset}, ${pending}, ${lastRead})`,
    ];
  }, change, existing ? { streams: [existing.id] } : {});
  return statusResult(`Stream ${displayIdent(full.name)} successfully created.`);
}

/** The one table under a view a stream can be created on (projections and filters over one table). */
function viewBaseTable(ctx: ExecContext, view: TableDef): TableDef {
  if (view.readsStreams) throw unsupported('a stream on a view that reads a stream');
  if (view.id === undefined) throw unsupported(`a stream on view ${displayName(view)}: re-create the view first (it predates view ids)`);
  const q = streamableViewQuery(view);
  const ref = objectNameOf(q.select.from.expressions[0].table);
  const full = qualify(viewContext(ctx, view), ref);
  const table = ctx.engine.catalog.table(full.database, full.schema, full.name);
  if (!table) throw notFound('Table', displayName(ref));
  if (table.kind !== 'TABLE') throw unsupported('a stream on a view over another view');
  return table;
}

export async function handleDropStream(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('DROP', 'STREAM');
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const n = cur.objectName();
  cur.expectEnd();
  const full = qualify(ctx, n, 'DROP STREAM');
  const def = ctx.engine.catalog.stream(full.database, full.schema, full.name);
  if (!def) {
    if (ifExists) return statusResult(`Drop statement executed successfully (${displayIdent(full.name)} already dropped).`);
    throw notFound('Stream', displayName(n));
  }
  const d = ctx.engine.driver.dialect;
  await commitDdl(ctx, [`DELETE FROM ${changeTables(d).offsets} WHERE stream_id = ${d.quoteString(def.id)}`], {
    remove: [keys.stream(full.database, full.schema, full.name)],
    put: [],
  }, { streams: [def.id] });
  ctx.engine.compactor.schedule(def.tableId);
  return statusResult(`${displayIdent(full.name)} successfully dropped.`);
}

export async function describeStream(ctx: ExecContext, cur: TokenCursor): Promise<HandlerResult> {
  const n = cur.objectName();
  cur.expectEnd();
  const full = qualify(ctx, n);
  const def = ctx.engine.catalog.stream(full.database, full.schema, full.name);
  if (!def) throw notFound('Stream', displayName(n));
  return showResult(STREAM_COLUMNS, [await streamRow(ctx, def)], {});
}
