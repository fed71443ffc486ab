/**
 * Engine metadata lives in the warehouse itself (internal schema `_floe`), so a catalog change commits in
 * the same transaction as the physical DDL it describes (DESIGN.md §2, runtime model).
 */
import type { WarehouseConnection, WarehouseDialect } from '../core/ports/warehouse.js';
import type { CatalogChange } from '../core/catalog/catalog.js';
import { entryKey } from '../core/catalog/catalog.js';
import type { CatalogEntry } from '../core/catalog/catalog-model.js';

export const METADATA_SCHEMA = '_floe';

export class MetadataStore {
  private readonly table: string;

  constructor(private readonly dialect: WarehouseDialect) {
    this.table = `${dialect.quoteIdent(METADATA_SCHEMA)}.${dialect.quoteIdent('catalog')}`;
  }

  async bootstrap(conn: WarehouseConnection): Promise<void> {
    await conn.execute(`CREATE SCHEMA IF NOT EXISTS ${this.dialect.quoteIdent(METADATA_SCHEMA)}`);
    await conn.execute(`CREATE TABLE IF NOT EXISTS ${this.table} (kind VARCHAR NOT NULL, key VARCHAR NOT NULL, body VARCHAR NOT NULL)`);
  }

  async load(conn: WarehouseConnection): Promise<CatalogEntry[]> {
    const r = await conn.query(`SELECT kind, body FROM ${this.table}`);
    return r.rows.map(([kind, body]) => ({ kind, def: JSON.parse(String(body)) }) as CatalogEntry);
  }

  /** Write a change through the given connection; the caller owns the transaction. */
  async persist(conn: WarehouseConnection, change: CatalogChange): Promise<void> {
    for (const r of change.remove) {
      await conn.query(`DELETE FROM ${this.table} WHERE kind = ? AND key = ?`, [r.kind, r.key]);
    }
    for (const e of change.put) {
      const key = entryKey(e);
      await conn.query(`DELETE FROM ${this.table} WHERE kind = ? AND key = ?`, [e.kind, key]);
      await conn.query(`INSERT INTO ${this.table} VALUES (?, ?, ?)`, [e.kind, key, JSON.stringify(e.def)]);
    }
  }
}
