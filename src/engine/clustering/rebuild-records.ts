/**
 * What the reclusterer (reclusterer.ts) keeps of each table's last rebuild, in `_floe.table_clustering`:
 * `sorted_rows`, the row ids the rebuilt table used — its rows then plus those the swap deleted from the copy (DuckDB
 * keeps a deleted row's id). Rows appended later get ids from there on, so the table's highest row id + 1 minus
 * `sorted_rows` counts the rows appended since, however many were deleted. Before deletes were tolerated no copy lost
 * rows, so an older entry, the rebuilt table's row count, means the same.
 */
import type { TableDef } from '../../core/catalog/catalog-model.js';
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import { METADATA_SCHEMA } from '../metadata-store.js';

export class RebuildRecords {
  private sorted: Map<string, number> | undefined;

  constructor(private readonly dialect: WarehouseDialect) {}

  /** The row ids each table's last rebuild left it with (the table is created here: outside the swap's transaction). */
  async load(conn: WarehouseConnection): Promise<Map<string, number>> {
    if (this.sorted) return this.sorted;
    await conn.execute(`CREATE TABLE IF NOT EXISTS ${this.table} (table_key VARCHAR NOT NULL, sorted_rows BIGINT NOT NULL)`);
    const r = await conn.query(`SELECT table_key, sorted_rows FROM ${this.table}`);
    this.sorted = new Map(r.rows.map((row) => [String(row[0]), Number(row[1])]));
    return this.sorted;
  }

  /** In the swap's transaction: `def` was rebuilt with `rowIds` row ids. */
  async record(conn: WarehouseConnection, def: TableDef, rowIds: number): Promise<void> {
    await conn.query(`DELETE FROM ${this.table} WHERE table_key = ?`, [stateKey(def)]);
    await conn.query(`INSERT INTO ${this.table} VALUES (?, ?)`, [stateKey(def), rowIds]);
  }

  /** Once the swap committed. */
  committed(def: TableDef, rowIds: number): void {
    this.sorted?.set(stateKey(def), rowIds);
  }

  private get table(): string {
    return `${this.dialect.quoteIdent(METADATA_SCHEMA)}.${this.dialect.quoteIdent('table_clustering')}`;
  }
}

/** Where a table's last rebuild is recorded: its id (kept by renames; tables from before ids: the name). */
export const stateKey = (def: TableDef): string => def.id ?? [def.database, def.schema, def.name].join('.');
