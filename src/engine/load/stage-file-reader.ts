/**
 * Streams one staged CSV file into the loader's temp table: bytes → (gunzip) → UTF-8 text → CSV records →
 * batches appended to the backend. Memory is bounded by the batch size and the longest record.
 * File-level failures (corrupt gzip, invalid UTF-8) come back as a `fileError`, never as a crash.
 */
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { CsvParser, type CsvRecord } from '../../core/load/csv-parser.js';
import type { CsvFormat } from '../../core/load/file-format.js';
import type { ObjectStore } from '../../core/ports/object-store.js';
import type { WarehouseConnection } from '../../core/ports/warehouse.js';

const BATCH_ROWS = 20_000;

export interface ReadResult {
  records: number;
  fileError?: { message: string; code: number };
}

// Raw table layout (created by the COPY handler): r (row), l (line), perr, pcode, pchar, pcol, then c1..cN.

export async function readCsvIntoRaw(
  conn: WarehouseConnection,
  rawTable: string,
  store: ObjectStore,
  key: string,
  format: CsvFormat,
  columnCount: number,
  tableName: string,
  limitRows?: number,
): Promise<ReadResult> {
  const parser = new CsvParser(format);
  let batch: (string | number | null)[][] = [];
  let records = 0;
  const onRecord = (rec: CsvRecord) => {
    if (limitRows !== undefined && records >= limitRows) return;
    records++;
    batch.push(rawRow(rec, format, columnCount, tableName));
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    await conn.appendRows(rawTable, b);
  };
  let stream: Readable = await store.getStream(key);
  try {
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    const head: Buffer | undefined = first.done ? undefined : (first.value as Buffer);
    const gz = format.compression === 'GZIP' || (format.compression === 'AUTO' && head !== undefined && head[0] === 0x1f && head[1] === 0x8b);
    const source = (async function* () {
      if (head) yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value as Buffer;
      }
    })();
    let chunks: AsyncIterable<Buffer> = source;
    if (gz) {
      const { Readable: R } = await import('node:stream');
      const gunzip = createGunzip();
      stream = R.from(source).pipe(gunzip);
      chunks = gunzip;
    }
    const decoder = new TextDecoder('utf-8', { fatal: !format.replaceInvalidCharacters, ignoreBOM: true });
    try {
      for await (const chunk of chunks) {
        parser.push(decoder.decode(chunk, { stream: true }), onRecord);
        if (batch.length >= BATCH_ROWS) await flush();
        if (limitRows !== undefined && records >= limitRows) break;
      }
      parser.push(decoder.decode(), onRecord);
      parser.end(onRecord);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err instanceof TypeError && /decode|encoded/i.test(err.message)) {
        return { records, fileError: { message: 'Invalid UTF8 detected in string. File must be UTF-8 encoded (or use REPLACE_INVALID_CHARACTERS = TRUE)', code: 100144 } };
      }
      if (err.code?.startsWith('Z_') || /incorrect header|unexpected end of file|invalid/i.test(err.message)) {
        return { records, fileError: { message: `Invalid data encountered during decompression for file: '${key}' (${err.message})`, code: 100233 } };
      }
      throw e;
    }
    await flush();
    return { records };
  } finally {
    stream.destroy();
  }
}

function rawRow(rec: CsvRecord, format: CsvFormat, n: number, tableName: string): (string | number | null)[] {
  let perr: string | null = null;
  let pcode: number | null = null;
  let pchar: number | null = null;
  let pcol: string | null = null;
  let fields = rec.fields;
  if (rec.error) {
    perr = rec.error.message;
    pcode = rec.error.code;
    pchar = rec.error.character;
    pcol = `"${tableName}"[${Math.min(fields.length + 1, n)}]`;
  } else if (fields.length !== n) {
    if (format.errorOnColumnCountMismatch) {
      perr = `Number of columns in file (${fields.length}) does not match that of the corresponding table (${n}), use file format option error_on_column_count_mismatch=false to ignore this error`;
      pcode = 100080;
      pchar = 1;
      pcol = `"${tableName}"[${fields.length}]`;
    }
  }
  if (fields.length !== n) fields = fields.length > n ? fields.slice(0, n) : [...fields, ...new Array<null>(n - fields.length).fill(null)];
  return [rec.row, rec.line, perr, pcode, pchar, pcol, ...fields];
}
