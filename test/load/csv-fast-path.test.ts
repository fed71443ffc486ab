/**
 * The DuckDB fast path of COPY must fill the raw table exactly as the JS parser does (fields, NULLs, row and
 * line numbers, column-count errors) for every file it accepts; files it cannot express must be refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import { DuckDbDriver } from '../../src/adapters/warehouse/duckdb/duckdb-driver.js';
import { LocalObjectStore } from '../../src/adapters/object-store/local/local-object-store.js';
import { CSV_DEFAULTS, type CsvFormat } from '../../src/core/load/file-format.js';
import type { WarehouseConnection } from '../../src/core/ports/warehouse.js';
import { FAST_PATH_MIN_BYTES, fileEligible, tryFastRead } from '../../src/engine/load/csv-fast-path.js';
import { createRawTable, type RawShape } from '../../src/engine/load/raw-table.js';
import { readCsvIntoRaw } from '../../src/engine/load/stage-file-reader.js';

let dir: string;
let driver: DuckDbDriver;
let conn: WarehouseConnection;
let store: LocalObjectStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-fast-'));
  driver = await DuckDbDriver.open(':memory:');
  conn = await driver.connect();
  store = new LocalObjectStore({ bucket: 'b', root: dir });
});
afterAll(async () => {
  await conn.close();
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Deterministic pseudo-random generator (tests must not flake). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function both(name: string, body: string, f: CsvFormat, shape: RawShape): Promise<{ fast: unknown[][]; js: unknown[][] } | undefined> {
  writeFileSync(join(dir, name), body);
  await createRawTable(conn, 'fast_raw', shape.fields);
  await createRawTable(conn, 'js_raw', shape.fields);
  const fast = await tryFastRead(conn, driver.dialect, 'fast_raw', join(dir, name), f, shape, 1);
  if (!fast) return undefined;
  const js = await readCsvIntoRaw(conn, 'js_raw', store, name, f, shape, 1);
  expect(fast.records).toBe(js.records);
  const rows = async (t: string) => (await conn.query(`SELECT * FROM ${t} ORDER BY r`)).rows;
  return { fast: await rows('fast_raw'), js: await rows('js_raw') };
}

describe('COPY fast path (DuckDB read_csv) vs the JS parser', () => {
  it('fills the raw table identically for random files and formats', async () => {
    const next = rng(42);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const tokens = ['a', 'bb', ' ', '1', '', 'NULL', 'x y', 'é', '"q"', "'"];
    let compared = 0;
    for (let i = 0; i < 60; i++) {
      const delim = pick([',', '|', '\t']);
      const lines = Array.from({ length: 1 + Math.floor(next() * 12) }, () =>
        next() < 0.1 ? '' : Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(tokens)).join(delim),
      );
      const body = lines.join('\n') + (next() < 0.5 ? '\n' : '');
      const f: CsvFormat = {
        ...CSV_DEFAULTS,
        fieldDelimiter: delim,
        skipHeader: pick([0, 0, 1, 2]),
        skipBlankLines: next() < 0.5,
        emptyFieldAsNull: next() < 0.7,
        nullIf: pick([['\\N'], ['NULL'], [''], [], ['NULL', 'a']]),
        errorOnColumnCountMismatch: next() < 0.8,
        fieldOptionallyEnclosedBy: next() < 0.3 ? '"' : null,
      };
      const shape: RawShape = { fields: pick([1, 2, 3]), tableName: 'T', checkColumnCount: next() < 0.8 };
      const r = await both(`r${i}.csv`, body, f, shape);
      if (!r) {
        expect(body.includes('"') && f.fieldOptionallyEnclosedBy === '"').toBe(true);
        continue;
      }
      compared++;
      expect(r.fast, `file ${JSON.stringify(body)} format ${JSON.stringify(f)} shape ${JSON.stringify(shape)}`).toEqual(r.js);
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('refuses what only the JS parser handles', async () => {
    const cases: [string, string | Buffer][] = [
      ['crlf.csv', 'a,b\r\nc,d\r\n'],
      ['bom.csv', '\ufeffa,b\n'],
      ['nul.csv', 'a\u0000,b\n'],
      ['esc.csv', 'a\\,b,c\n'],
      ['bad-utf8.csv', Buffer.from([0x61, 0x2c, 0xff, 0x0a])],
      ['gz.csv', Buffer.from([0x1f, 0x8b, 0x08, 0x00])],
      ['empty.csv', ''],
    ];
    for (const [name, body] of cases) {
      writeFileSync(join(dir, name), body);
      expect(await fileEligible(join(dir, name), CSV_DEFAULTS), name).toBe(false);
    }
    writeFileSync(join(dir, 'q.csv'), '"a",b\n');
    expect(await fileEligible(join(dir, 'q.csv'), CSV_DEFAULTS)).toBe(true);
    expect(await fileEligible(join(dir, 'q.csv'), { ...CSV_DEFAULTS, fieldOptionallyEnclosedBy: '"' })).toBe(false);
  });
});

describe('COPY through the fast path end to end', () => {
  it('gives the same results, rows, errors and ABORT message as the JS parser (gzip copy of the file)', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => (i === 7 ? 'x,bad' : i === 12_345 ? '1,2,3' : i === 29_000 ? ',' : `${i},name ${i}`));
    const body = lines.join('\n') + '\n';
    expect(body.length).toBeGreaterThan(FAST_PATH_MIN_BYTES);
    const bucket = join(dir, 'e2e');
    (await import('node:fs')).mkdirSync(bucket, { recursive: true });
    writeFileSync(join(bucket, 'plain.csv'), body);
    writeFileSync(join(bucket, 'zipped.csv.gz'), gzipSync(body));
    const engine = await openEngine({ database: ':memory:', storage: { buckets: { e: { type: 'local', path: bucket } } } });
    try {
      const s = await engine.session();
      const q = async (sql: string) => (await s.query(sql)).at(-1)!;
      await q("create stage st url='s3://e/'");
      const run = async (file: string) => {
        await q('create or replace table t (id int not null, name string)');
        const abort = await q(`copy into t from @st files=('${file}')`).then(() => 'no error', (e: Error) => e.message.replace(file, 'F'));
        const r = await q(`copy into t from @st files=('${file}') on_error=continue`);
        const errors = await q("select * exclude (file) from table(validate(t, job_id => '_last'))");
        const rows = await q('select count(*), sum(id), count(name), min(name), max(name) from t');
        return { abort, result: r.rows.map((x) => x.slice(1)), errors: errors.rows, rows: rows.rows };
      };
      const fast = await run('plain.csv');
      const js = await run('zipped.csv.gz');
      expect(fast).toEqual(js);
      expect(fast.result[0]!.slice(0, 5)).toEqual(['PARTIALLY_LOADED', 30_000, 29_997, 30_000, 3]);
      expect(fast.abort).toContain("Numeric value 'x' is not recognized");
    } finally {
      await engine.close();
    }
  });
});
