/**
 * The DuckDB fast paths of COPY (native read_csv, line mode) must fill the raw table exactly as the JS parser
 * does (fields, NULLs, row and line numbers, column-count errors) for every file they accept, plain or gzip,
 * quoted or not; files they cannot express must be refused.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import { DuckDbDriver } from '../../src/adapters/warehouse/duckdb/duckdb-driver.js';
import { LocalObjectStore } from '../../src/adapters/object-store/local/local-object-store.js';
import { CSV_DEFAULTS, type CsvFormat } from '../../src/core/load/file-format.js';
import type { WarehouseConnection } from '../../src/core/ports/warehouse.js';
import { FAST_PATH_MIN_BYTES, tryFastRead, type FastPath } from '../../src/engine/load/csv-fast-path.js';
import { scanCsvFile } from '../../src/engine/load/csv-scan.js';
import { dropSource, readSource } from '../../src/engine/load/copy-source.js';
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

async function both(name: string, body: string | Buffer, f: CsvFormat, shape: RawShape, only: FastPath): Promise<{ fast: unknown[][]; js: unknown[][] } | undefined> {
  writeFileSync(join(dir, name), body);
  await createRawTable(conn, 'fast_raw', shape.fields);
  await createRawTable(conn, 'js_raw', shape.fields);
  const fast = await tryFastRead(conn, driver.dialect, 'fast_raw', join(dir, name), f, shape, 1, only);
  if (!fast) return undefined;
  const js = await readCsvIntoRaw(conn, 'js_raw', store, name, f, shape, 1);
  expect(fast.records).toBe(js.records);
  const rows = async (t: string) => (await conn.query(`SELECT * FROM ${t} ORDER BY r`)).rows;
  return { fast: await rows('fast_raw'), js: await rows('js_raw') };
}

describe('COPY fast paths (DuckDB read_csv) vs the JS parser', () => {
  for (const only of ['native', 'lines'] as const) {
    it(`${only}: fills the raw table identically for random files and formats (plain and gzip)`, async () => {
      const next = rng(only === 'native' ? 42 : 7);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
      const tokens = ['a', 'bb', ' ', '1', '', 'NULL', 'x y', 'é', '"q"', "'", '"a,b"', '"x""y"', '""', 'ab"c'];
      // Files the native path must refuse (a quoted line break, a blank before a quote) stay rare.
      const rare = ['"multi\nline"', '" s"', '"q" ', '\\N', '"\\N"'];
      const token = () => (next() < 0.04 ? pick(rare) : pick(tokens));
      const wellFormed = only === 'native' ? 0.97 : 0.8;
      let compared = 0;
      for (let i = 0; i < 120; i++) {
        const delim = pick([',', '|', '\t']);
        const width = 1 + Math.floor(next() * 3);
        const lines = Array.from({ length: 1 + Math.floor(next() * 12) }, () =>
          next() < 1 - wellFormed ? '' : Array.from({ length: next() < wellFormed ? width : 1 + Math.floor(next() * 4) }, token).join(delim),
        );
        const text = lines.join('\n') + (next() < 0.5 ? '\n' : '');
        const body = next() < 0.3 ? gzipSync(text) : text;
        const f: CsvFormat = {
          ...CSV_DEFAULTS,
          fieldDelimiter: delim,
          skipHeader: pick([0, 0, 1, 2]),
          skipBlankLines: next() < 0.5,
          emptyFieldAsNull: next() < 0.7,
          nullIf: pick([['\\N'], ['NULL'], [''], [], ['NULL', 'a']]),
          errorOnColumnCountMismatch: next() < 0.8,
          fieldOptionallyEnclosedBy: next() < (only === 'native' ? 0.6 : 0.25) ? '"' : null,
        };
        const shape: RawShape = { fields: next() < 0.7 ? width : pick([1, 2, 3]), tableName: 'T', checkColumnCount: next() < 0.8 };
        const r = await both(`r${only}${i}.csv`, body, f, shape, only);
        if (!r) continue;
        compared++;
        expect(r.fast, `file ${JSON.stringify(text)} format ${JSON.stringify(f)} shape ${JSON.stringify(shape)}`).toEqual(r.js);
      }
      expect(compared).toBeGreaterThan(40);
    });
  }

  it('takes the native path for quoted files (the customer demo format) and gzip', async () => {
    const f: CsvFormat = { ...CSV_DEFAULTS, skipHeader: 1, fieldOptionallyEnclosedBy: '"' };
    const body = 'id,name,city\n' + Array.from({ length: 200 }, (_, i) => `${i},"Smith, ${i}",c${i}`).join('\n') + '\n';
    for (const [name, data] of [['demo.csv', body], ['demo.csv.gz', gzipSync(body)]] as const) {
      writeFileSync(join(dir, name), data);
      await createRawTable(conn, 'fast_raw', 3);
      const r = await tryFastRead(conn, driver.dialect, 'fast_raw', join(dir, name), f, { fields: 3, tableName: 'T', checkColumnCount: true }, 1);
      expect(r).toEqual({ records: 200, path: 'native' });
      expect((await conn.query('SELECT r, l, c1, c2 FROM fast_raw WHERE r = 3')).rows).toEqual([[3, 4, '2', 'Smith, 2']]);
    }
  });

  it('refuses what only the JS parser handles', async () => {
    const cases: [string, string | Buffer, CsvFormat][] = [
      ['crlf.csv', 'a,b\r\nc,d\r\n', CSV_DEFAULTS],
      ['nul.csv', 'a\u0000,b\n', CSV_DEFAULTS],
      ['esc.csv', 'a\\,b,c\n', CSV_DEFAULTS],
      ['esc2.csv', 'a,\\Nx\n', CSV_DEFAULTS],
      ['esc3.csv', 'a,\\N\n', { ...CSV_DEFAULTS, nullIf: [] }],
      ['trunc.csv.gz', gzipSync('a,b\n'.repeat(1000)).subarray(0, 30), CSV_DEFAULTS],
    ];
    for (const [name, body, f] of cases) {
      writeFileSync(join(dir, name), body);
      expect(await scanCsvFile(join(dir, name), f), name).toBeUndefined();
    }
    writeFileSync(join(dir, 'nullmark.csv'), 'a,\\N\n\\N,b\n');
    expect(await scanCsvFile(join(dir, 'nullmark.csv'), CSV_DEFAULTS)).toMatchObject({ lines: 2 });
    writeFileSync(join(dir, 'sp.csv'), 'a, "b"\n');
    expect(await scanCsvFile(join(dir, 'sp.csv'), { ...CSV_DEFAULTS, fieldOptionallyEnclosedBy: '"' })).toMatchObject({ quote: true, blankNextToQuote: true });
    writeFileSync(join(dir, 'bad-utf8.csv'), Buffer.from([0x61, 0x2c, 0xff, 0x0a]));
    await createRawTable(conn, 'fast_raw', 2);
    expect(await tryFastRead(conn, driver.dialect, 'fast_raw', join(dir, 'bad-utf8.csv'), CSV_DEFAULTS, { fields: 2, tableName: 'T', checkColumnCount: true }, 1)).toBeUndefined();
    expect((await conn.query('SELECT count(*) FROM fast_raw')).rows).toEqual([[0]]);
  });
});

describe('COPY through the fast paths end to end', () => {
  let engine: Awaited<ReturnType<typeof openEngine>>;
  let q: (sql: string) => Promise<{ rows: unknown[][] }>;
  const bucket = () => join(dir, 'e2e');
  beforeAll(async () => {
    mkdirSync(bucket(), { recursive: true });
    engine = await openEngine({ database: ':memory:', storage: { buckets: { e: { type: 'local', path: bucket() } } } });
    const s = await engine.session();
    q = async (sql: string) => (await s.query(sql)).at(-1)!;
    await q("create stage st url='s3://e/'");
  });
  afterAll(async () => engine.close());

  /** The same COPYs over a file and over its CRLF twin, which only the JS parser reads. */
  async function compare(name: string, body: string, table: string, copy: (file: string) => string) {
    writeFileSync(join(bucket(), name), body);
    writeFileSync(join(bucket(), `crlf-${name}`), body.replace(/\n/g, '\r\n'));
    expect(body.length).toBeGreaterThan(FAST_PATH_MIN_BYTES);
    const run = async (file: string) => {
      await q(`create or replace table t ${table}`);
      const abort = await q(copy(file)).then(() => 'no error', (e: Error) => e.message.replace(file, 'F'));
      const r = await q(`${copy(file)} on_error=continue`);
      const errors = await q("select * exclude (file, rejected_record) from table(validate(t, job_id => '_last'))");
      const rows = await q('select * from t order by 1');
      return { abort, result: r.rows.map((x) => x.slice(1)), errors: errors.rows, rows: rows.rows };
    };
    const fast = await run(name);
    expect(fast).toEqual(await run(`crlf-${name}`));
    return fast;
  }

  it('line mode: same results, rows, errors and ABORT message as the JS parser', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => (i === 7 ? 'x,bad' : i === 12_345 ? '1,2,3' : i === 29_000 ? ',' : `${i},name ${i}`));
    const fast = await compare('plain.csv', lines.join('\n') + '\n', '(id int not null, name string)', (f) => `copy into t from @st files=('${f}')`);
    expect(fast.result[0]!.slice(0, 5)).toEqual(['PARTIALLY_LOADED', 30_000, 29_997, 30_000, 3]);
    expect(fast.abort).toContain("Numeric value 'x' is not recognized");
  });

  it('streamed native read (quoted, header, transformation with METADATA$): same as the JS parser', async () => {
    const city = (i: number) => (i % 3 === 0 ? '' : `"c ""${i}"""`);
    const lines = Array.from({ length: 20_000 }, (_, i) => (i === 4_321 ? `x,"Smith, ${i}",""` : `${i},"Smith, ${i}",${city(i)}`));
    const body = 'id,name,city\n' + lines.join('\n') + '\n';
    const copy = (f: string) =>
      `copy into t from (select $1, $2, $3, metadata$file_row_number from @st) files=('${f}') file_format=(skip_header=1 field_optionally_enclosed_by='"')`;
    const fast = await compare('quoted.csv', body, '(id int, name string, city string, n int)', copy);
    expect(fast.result[0]!.slice(0, 5)).toEqual(['PARTIALLY_LOADED', 20_000, 19_999, 20_000, 1]);
    expect(fast.rows.slice(0, 2)).toEqual([
      [0, 'Smith, 0', null, 1],
      [1, 'Smith, 1', 'c "1"', 2],
    ]);
    expect(fast.errors[0]!.slice(0, 2)).toEqual(["Numeric value 'x' is not recognized", 4323]);
  });

  it('a streamed file that changes between its passes is detected (the load transaction then fails)', async () => {
    const path = join(bucket(), 'changing.csv');
    writeFileSync(path, Array.from({ length: 30_000 }, (_, i) => `${i},n${i}`).join('\n') + '\n');
    const layout = { cols: [], shape: { fields: 2, tableName: 'T', checkColumnCount: true }, readFormat: CSV_DEFAULTS, stepped: false };
    const info = (await store.head('e2e/changing.csv'))!;
    const err = { message: 'NULL', bad: 'false', code: 'NULL', column: 'NULL', character: 'NULL' };
    const source = await readSource({ conn, d: driver.dialect, store, files: [info], layout, err, metas: [], scanStart: new Date() }, CSV_DEFAULTS, { fastPath: true });
    expect(source.errors).toBeDefined(); // streamed: counted while proving the file readable
    expect(source.reads).toEqual([{ records: 30_000 }]);
    expect(() => source.verify()).not.toThrow();
    writeFileSync(path, 'changed\n');
    expect(() => source.verify()).toThrow(/changed while it was being loaded/);
    await dropSource(conn);
  });
});
