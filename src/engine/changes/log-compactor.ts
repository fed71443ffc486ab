/**
 * Deletes log images no stream can still need (issue: storage must not grow without bound). Runs after a
 * transaction that consumed a stream commits, in the background on its own connection and under the change
 * lock, so it never conflicts with a writer.
 */
import type { WarehouseConnection } from '../../core/ports/warehouse.js';
import { staleAfterMs } from '../../core/stream/staleness.js';
import type { EngineCore } from '../exec-context.js';
import { changeTables } from './change-store.js';
import { compactLogSql } from '../../core/stream/net-changes.js';
import { trackedSource } from './stream-source.js';

const COMPACT_INTERVAL_MS = 2000;

export class LogCompactor {
  private readonly pending = new Set<string>();
  private running: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private conn: WarehouseConnection | undefined;
  private closed = false;
  private lastPass = 0;

  constructor(private readonly engine: EngineCore) {}

  schedule(tableId: string): void {
    if (this.closed) return;
    this.pending.add(tableId);
    if (this.timer) return;
    // At most one pass per interval: a pass takes the change lock and commits, and a pipeline that consumes
    // several times a second would otherwise make every load wait behind one.
    const wait = Math.max(0, this.lastPass + COMPACT_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.drain()).catch(() => undefined);
    }, wait);
    this.timer.unref();
  }

  /** Run pending compactions now (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.running = this.running.then(() => this.drain());
    }
    await this.running;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    this.closed = true;
    await this.conn?.close();
    this.conn = undefined;
  }

  private async drain(): Promise<void> {
    this.lastPass = Date.now();
    const ids = [...this.pending];
    this.pending.clear();
    for (const id of ids) await this.compact(id);
  }

  private async compact(tableId: string): Promise<void> {
    const { engine } = this;
    const table = engine.catalog.tableById(tableId);
    if (!table?.tracked) return;
    await engine.clock.acquire(this);
    try {
      this.conn ??= await engine.driver.connect();
      const t = changeTables(engine.driver.dialect);
      const ids = engine.catalog.streamsOnTable(tableId).map((s) => s.id);
      const r = ids.length === 0 ? { rows: [] } : await this.conn.query(`SELECT offset_version, last_read_ms FROM ${t.offsets} WHERE stream_id IN (${ids.map(() => '?').join(', ')})`, ids);
      const retention = { retentionDays: table.retentionTime, maxExtensionDays: table.maxDataExtension };
      // Stale streams cannot be read any more, so they hold nothing back.
      const live = r.rows.filter((row) => engine.now() <= staleAfterMs(Number(row[1]), retention)).map((row) => Number(row[0]));
      const oldest = live.length > 0 ? Math.min(...live) : engine.clock.committed;
      await this.conn.execute(compactLogSql(trackedSource(engine.driver.dialect, table), oldest));
      // Only the newest commit record is ever read (the clock's start value after a restart).
      await this.conn.query(`DELETE FROM ${t.commits} WHERE version < ?`, [engine.clock.committed]);
    } finally {
      engine.clock.release(this);
    }
  }
}
