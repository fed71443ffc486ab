/**
 * A tracked table as the stream SQL builders see it.
 */
import { randomBytes } from 'node:crypto';
import type { TableDef } from '../../core/catalog/catalog-model.js';
import type { WarehouseDialect } from '../../core/ports/warehouse.js';
import type { TrackedSource } from '../../core/stream/net-changes.js';
import type { RetentionSettings } from '../../core/stream/staleness.js';
import type { ExecContext } from '../exec-context.js';
import { CREATED, END, ROW_ID, VERSION, trackedNames } from './change-store.js';

/** 16 hex digits: a table id, also the prefix of its METADATA$ROW_ID values. */
export const newObjectId = (): string => randomBytes(8).toString('hex');

export function trackedSource(d: WarehouseDialect, table: TableDef): TrackedSource {
  const n = trackedNames(d, table);
  return {
    base: n.base,
    log: n.log,
    columns: table.columns.map((c) => d.quoteIdent(c.name)),
    rowId: d.quoteIdent(ROW_ID),
    version: d.quoteIdent(VERSION),
    created: d.quoteIdent(CREATED),
    end: d.quoteIdent(END),
    tableHex: (table.id as string).replace(/[^0-9a-f]/g, '0').padStart(16, '0').slice(0, 16),
  };
}

export function retentionOf(_ctx: ExecContext, table: TableDef): RetentionSettings {
  return { retentionDays: table.retentionTime, maxExtensionDays: table.maxDataExtension };
}
