/**
 * Idle DuckDB connections kept for the next floe session. Setting a connection up (floe's settings and ~50 TEMP
 * macros, duckdb-macros.ts) costs ~30 ms of CPU, and every task run opens a session of its own: at 5 task runs a
 * second that was ~15 % of a core and ~30 ms on every run's path (issue #7's latency).
 *
 * A released connection is kept only when it can be made indistinguishable from a fresh one: its transaction
 * rolled back, its temporary tables, views and sequences dropped, its variables and time zone reset. What the
 * reset cannot see disqualifies it instead (an interrupt, which may still be pending on the connection; a statement
 * still running; a failed reset): such a connection is closed, as every connection was before the pool.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_MACROS, DUCKDB_SETTINGS } from './duckdb-macros.js';
import { registerUdfs } from './duckdb-udfs.js';

/** Enough for the demo's sessions alive at once (task run, pipe, compactor, a `floe sql`); more are closed. */
const MAX_IDLE = 4;

/** What a session can leave on its connection, in the order it must be dropped (views before their tables). */
const LEFTOVERS_SQL = `
  SELECT 1 AS o, 'VIEW' AS kind, schema_name AS s, view_name AS n FROM duckdb_views() WHERE temporary AND NOT internal
  UNION ALL SELECT 2, 'TABLE', schema_name, table_name FROM duckdb_tables() WHERE temporary
  UNION ALL SELECT 3, 'SEQUENCE', schema_name, sequence_name FROM duckdb_sequences() WHERE temporary
  UNION ALL SELECT 4, 'VARIABLE', NULL, name FROM duckdb_variables()
  ORDER BY o`;

const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** What the connection's user did that the reset must undo or that rules reuse out. */
export interface ReleaseState {
  interrupted: boolean;
  inFlight: number;
  timeZoneSet: boolean;
}

export class DuckDbConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private closed = false;

  constructor(private readonly instance: DuckDBInstance) {}

  async acquire(): Promise<DuckDBConnection> {
    const pooled = this.idle.pop();
    if (pooled) return pooled;
    const con = await this.instance.connect();
    try {
      for (const sql of [...DUCKDB_SETTINGS, ...DUCKDB_MACROS]) await con.run(sql);
      registerUdfs(con);
    } catch (e) {
      con.closeSync();
      throw e;
    }
    return con;
  }

  async release(con: DuckDBConnection, state: ReleaseState): Promise<void> {
    const reusable = !state.interrupted && state.inFlight === 0 && this.hasRoom();
    // The pool may have closed, or filled, while the reset ran.
    if (reusable && (await reset(con, state)) && this.hasRoom()) this.idle.push(con);
    else con.closeSync();
  }

  private hasRoom(): boolean {
    return !this.closed && this.idle.length < MAX_IDLE;
  }

  /** Before the instance closes. */
  close(): void {
    this.closed = true;
    for (const con of this.idle.splice(0)) con.closeSync();
  }

  get idleCount(): number {
    return this.idle.length;
  }
}

/** Back to a fresh connection's state; false when that did not work (the caller closes the connection then). */
async function reset(con: DuckDBConnection, state: ReleaseState): Promise<boolean> {
  try {
    // The session closes its transaction itself; this is for an aborted one (or a raw BEGIN), and fails harmlessly
    // when none is open.
    await con.run('ROLLBACK').catch(() => undefined);
    const leftovers = await (await con.run(LEFTOVERS_SQL)).getRowObjectsJS();
    for (const { kind, s, n } of leftovers) {
      const name = String(n);
      await con.run(kind === 'VARIABLE' ? `RESET VARIABLE ${ident(name)}` : `DROP ${String(kind)} IF EXISTS temp.${ident(String(s))}.${ident(name)}`);
    }
    if (state.timeZoneSet) await con.run('RESET TimeZone');
    return true;
  } catch {
    return false;
  }
}
