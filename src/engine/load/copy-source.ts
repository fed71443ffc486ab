/**
 * Where a COPY's checks and insert read the files' rows from. Usually a temp table filled by the readers
 * (all files of the batch, see raw-table.ts). A single big local CSV file that DuckDB's read_csv can parse
 * exactly (csv-fast-path.ts) is streamed instead: the raw relation is a temp *view* over read_csv, so the
 * error count, the error rows and the insert each re-read the file and memory stays bounded whatever its
 * size (no copy of the file's text is materialised). The first pass — counting records and errors — runs
 * before the load transaction, so a file the engine refuses falls back to the table path harmlessly; the file
 * must not change between passes (checked in the transaction).
 */
import { statSync } from 'node:fs';
import { executionError } from '../../core/errors.js';
import type { CsvFormat, FileFormat } from '../../core/load/file-format.js';
import type { ObjectInfo, ObjectStore } from '../../core/ports/object-store.js';
import type { WarehouseConnection, WarehouseDialect } from '../../core/ports/warehouse.js';
import { readBatch, type ReadOptions } from './copy-batch.js';
import type { CopyLayout } from './copy-layout.js';
import type { ErrorExprs } from './copy-sql.js';
import type { FileMeta } from './copy-transform.js';
import { FAST_PATH_MIN_BYTES, formatEligible, nativeSelectSql } from './csv-fast-path.js';
import { scanCsvFile } from './csv-scan.js';
import type { Probe } from './json-reader.js';
import type { ReadResult } from './stage-file-reader.js';

export const RAW = '__floe_copy_raw';
export const TRANSFORMED = '__floe_copy_tx';

export interface CopySource {
  /** The relation the checks and the insert read (raw rows, or the step's output). */
  relation: string;
  reads: ReadResult[];
  /** Error rows per file number, when the read already counted them. */
  errors?: Map<number, number>;
  /** Called in the load transaction before anything is written: throws when a streamed file changed. */
  verify(): void;
}

export interface SourceInput {
  conn: WarehouseConnection;
  d: WarehouseDialect;
  store: ObjectStore;
  files: readonly ObjectInfo[];
  layout: CopyLayout;
  err: ErrorExprs;
  metas: readonly FileMeta[];
  scanStart: Date;
}

const fingerprint = (path: string): string => {
  const s = statSync(path);
  return `${s.size}:${s.mtimeMs}:${s.ino}`;
};

/** The streamed source, or why not: 'ineligible' (other readers may try everything) or 'refused' (read_csv failed). */
async function tryStream(i: SourceInput, f: CsvFormat): Promise<CopySource | 'ineligible' | 'refused'> {
  const { conn, d, layout } = i;
  const info = i.files[0];
  if (i.files.length !== 1 || !info || info.size < FAST_PATH_MIN_BYTES || !formatEligible(f)) return 'ineligible';
  const path = i.store.localPath?.(info.key);
  if (!path) return 'ineligible';
  const before = fingerprint(path);
  const scan = await scanCsvFile(path, f);
  if (!scan || scan.blankLine || (f.fieldOptionallyEnclosedBy !== null && scan.blankNextToQuote)) return 'ineligible';
  const relation = layout.step ? TRANSFORMED : RAW;
  try {
    await conn.execute(`CREATE OR REPLACE TEMP VIEW ${RAW} AS ${nativeSelectSql(d, path, f, layout.shape, 1, scan.gzip)}`);
    if (layout.step) await conn.execute(`CREATE OR REPLACE TEMP VIEW ${TRANSFORMED} AS ${layout.step(RAW, i.metas, i.scanStart)}`);
    const stats = await conn.query(`SELECT count(*), count(*) FILTER (WHERE ${i.err.bad}) FROM ${relation}`);
    const [records, errors] = stats.rows[0]!.map(Number) as [number, number];
    // Every record one line (else line numbers would differ from the JS parser's: a quoted line break).
    if (records !== Math.max(0, scan.lines - f.skipHeader)) throw new Error('records span lines');
    return {
      relation,
      reads: [{ records }],
      errors: new Map(errors > 0 ? [[1, errors]] : []),
      verify: () => {
        if (fingerprint(path) !== before) throw executionError(`File '${info.key}' changed while it was being loaded; nothing was loaded. Run the COPY again.`);
      },
    };
  } catch {
    await dropSource(conn);
    return 'refused';
  }
}

/**
 * Reads the batch: streamed when possible (`fastPath`, outside a transaction), else into the raw table (and
 * the step's table). `probe`: a side connection's check of engine reads inside an explicit transaction.
 */
export async function readSource(i: SourceInput, format: FileFormat, o: { fastPath: boolean; probe?: Probe }): Promise<CopySource> {
  let options: ReadOptions = o;
  if (o.fastPath && format.type === 'CSV') {
    const streamed = await tryStream(i, format);
    if (typeof streamed !== 'string') return streamed;
    // read_csv refused the file natively: do not parse it that way again.
    if (streamed === 'refused') options = { ...o, fastPaths: ['lines'] };
  }
  const reads = await readBatch(i.conn, i.d, RAW, i.store, i.files, format, i.layout.shape, options);
  if (i.layout.step) await i.conn.execute(`CREATE OR REPLACE TEMP TABLE ${TRANSFORMED} AS ${i.layout.step(RAW, i.metas, i.scanStart)}`);
  return { relation: i.layout.step ? TRANSFORMED : RAW, reads, verify: () => undefined };
}

/** Drops the source's relations, whichever kind they are. */
export async function dropSource(conn: WarehouseConnection): Promise<void> {
  for (const name of [TRANSFORMED, RAW]) {
    await conn.execute(`DROP VIEW IF EXISTS ${name}`).catch(() => undefined);
    await conn.execute(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
  }
}
