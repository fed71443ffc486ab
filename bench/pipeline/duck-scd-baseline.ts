/**
 * The hand-written minimum the pipeline benchmarks compare floe with: DuckDB alone (no flow, pipe, stream, task
 * or SQL translation), `read_csv` of the customer files into a staging table, then the same SCD work as the
 * customer project's task — event log with re-deliveries skipped, the batch guard (NULL key/sequence, conflicting
 * upserts), SCD2 history and SCD1 current rows recomputed for every touched key from all its events — written
 * plainly in DuckDB's dialect. One transaction per batch, like the task.
 *
 * Differences from floe's tables, on purpose: the staging table has no FILE_ROW_NUMBER (read_csv has no
 * per-file row number; a window to make one would be work floe's loader does not do either way) and the id is
 * parsed as BIGINT before being stored as DECIMAL(38,0) (DuckDB's fastest route).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { baselineMemoryLimit } from './bench-util.js';

const PAYLOAD = ['first_name', 'last_name', 'email', 'street', 'city', 'state', 'country'];
const CSV_COLUMNS = `{'customer_id': 'BIGINT', 'first_name': 'VARCHAR', 'last_name': 'VARCHAR', 'email': 'VARCHAR', 'street': 'VARCHAR',
  'city': 'VARCHAR', 'state': 'VARCHAR', 'country': 'VARCHAR', 'op': 'VARCHAR', 'updated_at': 'TIMESTAMP'}`;
const same = (a: string, b: string): string => PAYLOAD.map((c) => `${a}.${c} IS NOT DISTINCT FROM ${b}.${c}`).join(' AND ');
const cols = PAYLOAD.join(', ');

const SETUP = `
CREATE TABLE IF NOT EXISTS customer_raw (customer_id DECIMAL(38,0), ${PAYLOAD.map((c) => `${c} VARCHAR`).join(', ')}, op VARCHAR,
  updated_at TIMESTAMP, file_name VARCHAR, loaded_at TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS customer_events (customer_id DECIMAL(38,0), updated_at TIMESTAMP, op VARCHAR, ${PAYLOAD.map((c) => `${c} VARCHAR`).join(', ')});
CREATE TABLE IF NOT EXISTS customer (customer_id DECIMAL(38,0), ${PAYLOAD.map((c) => `${c} VARCHAR`).join(', ')}, updated_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS customer_history (customer_id DECIMAL(38,0), ${PAYLOAD.map((c) => `${c} VARCHAR`).join(', ')},
  start_time TIMESTAMP, end_time TIMESTAMP, is_current BOOLEAN);`;

/** The fold of scd-semantics §4.3 over every event of the touched keys: one row per SCD2 version. */
const VERSIONS = `
CREATE OR REPLACE TEMP TABLE b_versions AS
WITH o AS (
  SELECT *, op = 'D' AS del FROM customer_events WHERE customer_id IN (SELECT customer_id FROM b_keys)
), c AS (
  SELECT *,
    CASE WHEN del OR lag(customer_id) OVER w IS NULL OR lag(del) OVER w
              OR NOT (${PAYLOAD.map((x) => `${x} IS NOT DISTINCT FROM lag(${x}) OVER w`).join(' AND ')}) THEN 1 ELSE 0 END AS chg,
    lead(updated_at) OVER w AS nxt
  FROM o WINDOW w AS (PARTITION BY customer_id ORDER BY updated_at, del)
), r AS (
  SELECT *, sum(chg) OVER (w ROWS UNBOUNDED PRECEDING) AS grp, coalesce(lead(chg) OVER w, 1) AS tail
  FROM c WINDOW w AS (PARTITION BY customer_id ORDER BY updated_at, del)
), s AS (
  SELECT *, min(updated_at) OVER (PARTITION BY customer_id, grp) AS vfrom FROM r
)
SELECT customer_id, ${cols}, updated_at, vfrom, nxt FROM s WHERE NOT del AND tail = 1 AND (nxt IS NULL OR vfrom < nxt)`;

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export class DuckScdBaseline {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<DuckScdBaseline> {
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run(`SET memory_limit = ${quote(baselineMemoryLimit())}`);
    await conn.run(SETUP);
    return new DuckScdBaseline(instance, conn);
  }

  /** Load `files` (absolute paths) and apply their events to CUSTOMER / CUSTOMER_HISTORY in one transaction. */
  async apply(files: readonly string[]): Promise<void> {
    const c = this.conn;
    await c.run('BEGIN TRANSACTION');
    try {
      await c.run(`CREATE OR REPLACE TEMP TABLE b_raw AS
        SELECT customer_id::DECIMAL(38,0) AS customer_id, ${cols}, op, updated_at, parse_filename(filename) AS file_name, now() AS loaded_at
        FROM read_csv([${files.map(quote).join(', ')}], header = true, quote = '"', columns = ${CSV_COLUMNS}, filename = true)`);
      await c.run('INSERT INTO customer_raw SELECT * FROM b_raw');
      // Events of the batch, delete payloads blanked so duplicate deletes collapse, re-deliveries skipped.
      await c.run(`CREATE OR REPLACE TEMP TABLE b_events AS
        SELECT * FROM (
          SELECT DISTINCT customer_id, updated_at, CASE WHEN op = 'D' THEN 'D' ELSE 'U' END AS op,
                 ${PAYLOAD.map((x) => `CASE WHEN op = 'D' THEN NULL ELSE ${x} END AS ${x}`).join(', ')}
          FROM b_raw) e
        WHERE NOT EXISTS (SELECT 1 FROM customer_events l WHERE l.customer_id = e.customer_id AND l.updated_at = e.updated_at
                          AND l.op = e.op AND (e.op = 'D' OR (${same('l', 'e')})))`);
      const bad = await c.runAndReadAll(`
        SELECT 'NULL key or sequence' FROM b_events WHERE customer_id IS NULL OR updated_at IS NULL
        UNION ALL SELECT 'conflicting upserts in the batch' FROM b_events WHERE op = 'U' GROUP BY customer_id, updated_at HAVING count(*) > 1
        UNION ALL SELECT 'conflicting upserts with the log' FROM b_events w JOIN customer_events l USING (customer_id, updated_at) WHERE w.op = 'U' AND l.op = 'U'
        LIMIT 1`);
      const reason = bad.getRows()[0]?.[0];
      if (reason !== undefined) throw new Error(`baseline: batch rejected: ${String(reason)}`);
      await c.run('INSERT INTO customer_events SELECT * FROM b_events');
      await c.run('CREATE OR REPLACE TEMP TABLE b_keys AS SELECT DISTINCT customer_id FROM b_events');
      await c.run(VERSIONS);
      await c.run('DELETE FROM customer_history WHERE customer_id IN (SELECT customer_id FROM b_keys)');
      await c.run(`INSERT INTO customer_history SELECT customer_id, ${cols}, vfrom, coalesce(nxt, TIMESTAMP '9999-12-31 00:00:00'), nxt IS NULL FROM b_versions`);
      await c.run('DELETE FROM customer WHERE customer_id IN (SELECT customer_id FROM b_keys)');
      await c.run(`INSERT INTO customer SELECT customer_id, ${cols}, updated_at FROM b_versions WHERE nxt IS NULL`);
      await c.run('COMMIT');
    } catch (e) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      await c.run('DROP TABLE IF EXISTS b_raw; DROP TABLE IF EXISTS b_events; DROP TABLE IF EXISTS b_keys; DROP TABLE IF EXISTS b_versions');
    }
  }

  /** The same fingerprint floe's tables get (`fingerprintSql`), to check both did the same work. */
  async fingerprint(): Promise<Fingerprint> {
    const r = await this.conn.runAndReadAll(fingerprintSql('customer', 'customer_history', 'customer_raw'));
    return toFingerprint(r.getRows()[0] as unknown[]);
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

export interface Fingerprint {
  raw: number;
  scd1: string;
  scd2: string;
}

/**
 * Row counts and an order-independent hash of every column of both SCD tables, in DuckDB SQL over physical
 * table names: floe's tables and the baseline's match exactly when both applied the same events the same way.
 */
export function fingerprintSql(scd1: string, scd2: string, raw: string): string {
  const text = PAYLOAD.map((c) => `${c}::VARCHAR`).join(', ');
  return `SELECT
    (SELECT count(*) FROM ${raw}),
    (SELECT count(*) || ':' || coalesce(sum(hash(customer_id::BIGINT, ${text}, updated_at::TIMESTAMP)), 0) FROM ${scd1}),
    (SELECT count(*) || ':' || coalesce(sum(hash(customer_id::BIGINT, ${text}, start_time::TIMESTAMP, end_time::TIMESTAMP, is_current)), 0) FROM ${scd2})`;
}

export const toFingerprint = (row: unknown[]): Fingerprint => ({ raw: Number(row[0]), scd1: String(row[1]), scd2: String(row[2]) });
