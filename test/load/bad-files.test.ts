/**
 * The bad-input corpus (`test/fixtures/bad-files/`, plus a 20 MB single-line file made here): every file,
 * under every ON_ERROR mode, gives a Snowflake-shaped COPY result (or the ABORT_STATEMENT error) recorded in
 * `expected.json`; nothing crashes, and one COPY over all of them still loads the good files.
 * `FLOE_RECORD_BAD_FILES=1` rewrites expected.json from the current behaviour (review the diff!).
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'bad-files');
const expectedPath = join(fixtures, 'expected.json');
const record = process.env.FLOE_RECORD_BAD_FILES === '1';
const MODES = ['ABORT_STATEMENT', 'CONTINUE', 'SKIP_FILE'] as const;
/** Files that need a file format other than the default. */
const FORMATS: Record<string, string> = {
  'header-only.csv': 'SKIP_HEADER = 1',
  'unterminated-quote.csv': `FIELD_OPTIONALLY_ENCLOSED_BY = '"'`,
  'quote-inside-field.csv': `FIELD_OPTIONALLY_ENCLOSED_BY = '"'`,
  'char-after-quote.csv': `FIELD_OPTIONALLY_ENCLOSED_BY = '"'`,
  'embedded-newline.csv': `FIELD_OPTIONALLY_ENCLOSED_BY = '"'`,
};

type Outcome = (string | number | null)[] | { error: string };
type Expected = Record<string, Record<(typeof MODES)[number], Outcome>>;

let dir: string;
let engine: Engine;
let s: Session;
const q = async (sql: string) => (await s.query(sql)).at(-1)!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-bad-'));
  cpSync(fixtures, dir, { recursive: true });
  for (const meta of ['expected.json', '.gitattributes']) rmSync(join(dir, meta));
  // A 20 MB single line (one huge field): generated, not committed.
  writeFileSync(join(dir, 'huge-line.csv'), `1,${'x'.repeat(20 * 1024 * 1024)}\n`);
  engine = await openEngine({ database: ':memory:', storage: { buckets: { bad: { type: 'local', path: dir } } } });
  s = await engine.session();
  await q("create stage st url = 's3://bad/'");
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad-files corpus', () => {
  it('gives every file a Snowflake-shaped result under every ON_ERROR mode', { timeout: 180_000 }, async () => {
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThanOrEqual(25);
    const actual: Expected = {};
    for (const file of files) {
      const format = FORMATS[file] ? ` file_format = (${FORMATS[file]})` : '';
      actual[file] = {} as Expected[string];
      for (const mode of MODES) {
        await q('create or replace table bad (id int not null, name varchar(5))');
        let outcome: Outcome;
        try {
          const r = await q(`copy into bad from @st files = ('${file}')${format} on_error = ${mode} force = true`);
          expect(r.columns.map((c) => c.name)).toEqual(['file', 'status', 'rows_parsed', 'rows_loaded', 'error_limit', 'errors_seen', 'first_error', 'first_error_line', 'first_error_character', 'first_error_column_name']);
          const row = r.rows[0]!;
          const loaded = Number((await q('select count(*) from bad')).rows[0]![0]);
          expect(loaded, `${file} ${mode}: rows in the table = rows_loaded`).toBe(Number(row[3]));
          outcome = row.slice(1).map((v) => (typeof v === 'string' ? v.slice(0, 160) : (v as number | null)));
        } catch (e) {
          const message = (e as Error).message;
          expect(mode, `${file}: only ABORT_STATEMENT raises (${message})`).toBe('ABORT_STATEMENT');
          expect(Number((await q('select count(*) from bad')).rows[0]![0]), `${file}: an aborted COPY loads nothing`).toBe(0);
          outcome = { error: message.split('\n')[0]!.slice(0, 160) };
        }
        actual[file][mode] = outcome;
      }
    }
    if (record) writeFileSync(expectedPath, JSON.stringify(actual, null, 1) + '\n');
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected;
    expect(actual).toEqual(expected);
  });

  it('one COPY over every file loads the good ones and reports each file', { timeout: 180_000 }, async () => {
    await q('create or replace table bad (id int not null, name varchar(5))');
    const r = await q("copy into bad from @st pattern = '.*[.](csv|gz)' on_error = continue force = true");
    const byFile = new Map(r.rows.map((row) => [String(row[0]).replace('s3://bad/', ''), row[1]]));
    expect(byFile.get('gzip-ok.csv.gz')).toBe('LOADED');
    expect(byFile.get('crlf.csv')).toBe('LOADED');
    expect(byFile.get('gzip-corrupt.csv.gz')).toBe('LOAD_FAILED');
    expect(byFile.get('invalid-utf8.csv')).toBe('LOAD_FAILED');
    const total = r.rows.reduce((a, row) => a + Number(row[3]), 0);
    expect(Number((await q('select count(*) from bad')).rows[0]![0])).toBe(total);
  });
});
