/**
 * SHOW STREAMS and DESCRIBE STREAM (reference §1.10): Snowflake's columns, with `stale` / `stale_after`
 * computed from the offset record and the source table's retention settings.
 */
import { displayName } from '../../core/catalog/identifiers.js';
import type { StreamDef } from '../../core/catalog/catalog-model.js';
import { formatMicrosInZone } from '../../core/types/timestamp-format.js';
import type { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext, HandlerResult } from '../exec-context.js';
import { loadOffset, streamSource, streamStaleAfter } from '../changes/statement-changes.js';
import { binaryCompare, ltz, parseShowOptions, resolveScope, showResult, type ColumnSpecs, type Row } from './show-common.js';

export const STREAM_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  database_name: 'TEXT',
  schema_name: 'TEXT',
  owner: 'TEXT',
  comment: 'TEXT',
  table_name: 'TEXT',
  source_type: 'TEXT',
  base_tables: 'TEXT',
  type: 'TEXT',
  stale: 'TEXT',
  mode: 'TEXT',
  stale_after: 'TIMESTAMP_LTZ',
  invalid_reason: 'TEXT',
  owner_role_type: 'TEXT',
};

const TERSE_STREAM_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  kind: 'TEXT',
  database_name: 'TEXT',
  schema_name: 'TEXT',
  tableOn: 'TEXT',
};

export async function streamRow(ctx: ExecContext, s: StreamDef): Promise<Row> {
  const src = streamSource(ctx, s);
  const off = await loadOffset(ctx, s);
  let stale = 'stale' in src;
  let staleAfter: string | null = null;
  if ('table' in src) {
    const ms = streamStaleAfter(ctx, off, src.tables);
    stale = ctx.engine.now() > ms;
    staleAfter = formatMicrosInZone(BigInt(ms) * 1000n, ctx.session.params.get('TIMEZONE'));
  }
  const table = 'table' in src ? src.table : s.tableName;
  const shownSource = s.view ?? table;
  return {
    created_on: ltz(ctx, s.createdOn),
    name: s.name,
    database_name: s.database,
    schema_name: s.schema,
    owner: s.owner,
    comment: s.comment ?? '',
    table_name: displayName(shownSource),
    source_type: s.sourceType,
    base_tables: s.view ? ('tables' in src ? src.tables.map((t) => displayName(t)).join(',') : displayName(table)) : '',
    type: 'DELTA',
    stale: String(stale),
    mode: s.mode,
    stale_after: staleAfter,
    invalid_reason: 'N/A',
    owner_role_type: 'ROLE',
    kind: 'STREAM',
    tableOn: displayName(shownSource),
  };
}

export async function showStreams(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const opts = parseShowOptions(cur, terse);
  const scope = resolveScope(ctx, opts.in, 'SHOW STREAMS', 'SCHEMA', 'SCHEMA');
  const { catalog } = ctx.engine;
  const defs =
    scope.level === 'ACCOUNT'
      ? catalog.streams()
      : scope.level === 'DATABASE'
        ? catalog.streams(scope.database)
        : scope.level === 'SCHEMA'
          ? catalog.streams(scope.database, scope.schema)
          : catalog.streamsOnTable(scope.table.id ?? '');
  const sorted = defs.sort((a, b) => binaryCompare(a.database, b.database) || binaryCompare(a.schema, b.schema) || binaryCompare(a.name, b.name));
  const rows: Row[] = [];
  for (const s of sorted) rows.push(await streamRow(ctx, s));
  return showResult(terse ? TERSE_STREAM_COLUMNS : STREAM_COLUMNS, rows, opts);
}
