import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

let dir: string;
let engine: Engine;
let s: Session;
const q = async (sql: string) => (await s.query(sql)).at(-1)!;
const col = (r: { columns: { name: string }[]; rows: unknown[][] }, name: string) => r.rows.map((row) => row[r.columns.findIndex((c) => c.name === name)]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'floe-stages-'));
  writeFileSync(join(dir, 'data1.csv'), '1,a\n2,b\n');
  engine = await openEngine({ database: ':memory:', storage: { buckets: { 'floe-demo': { type: 'local', path: join(dir, 'bucket') } } } });
  s = await engine.session();
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stages and file formats', () => {
  it('PUT gzips into an internal stage, LIST shows it, a repeated PUT is SKIPPED (CV-14)', async () => {
    await q('create stage mystage1');
    const put = await q(`put file://${dir}/data1.csv @mystage1`);
    expect(put.rows).toEqual([['data1.csv', 'data1.csv.gz', 8, expect.any(Number), 'NONE', 'GZIP', 'UPLOADED', '']]);
    const list = await q('list @mystage1');
    expect(list.columns.map((c) => c.name)).toEqual(['name', 'size', 'md5', 'last_modified']);
    expect(list.rows[0]![0]).toBe('mystage1/data1.csv.gz');
    expect(list.rows[0]![3]).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect((await q(`put file://${dir}/data1.csv @mystage1`)).rows[0]![6]).toBe('SKIPPED');
    const got = await q(`get @mystage1 file://${dir}/out/`);
    expect(got.rows).toEqual([['data1.csv.gz', expect.any(Number), 'DOWNLOADED', '']]);
    expect(gunzipSync(readFileSync(join(dir, 'out', 'data1.csv.gz'))).toString()).toBe('1,a\n2,b\n');
  });

  it('LIST PATTERN is a full-match regex; REMOVE deletes what it matches', async () => {
    await q('create stage st2');
    writeFileSync(join(dir, 'a.txt'), 'x');
    await q(`put file://${dir}/a.txt @st2/sub auto_compress=false`);
    await q(`put file://${dir}/data1.csv @st2/sub auto_compress=false`);
    expect(col(await q("list @st2 pattern='.*\\.csv'"), 'name')).toEqual(['st2/sub/data1.csv']);
    expect(col(await q("list @st2 pattern='csv'"), 'name')).toEqual([]);
    expect((await q("remove @st2 pattern='.*txt'")).rows).toEqual([['st2/sub/a.txt', 'removed']]);
    expect(col(await q('list @st2'), 'name')).toEqual(['st2/sub/data1.csv']);
  });

  it('external stages resolve through floe.yaml buckets; CREDENTIALS are never shown', async () => {
    await q("create stage ext url='s3://floe-demo/in/' credentials=(aws_key_id='AKIA_SECRET' aws_secret_key='very-secret') file_format=(type=csv skip_header=1)");
    await q(`put file://${dir}/data1.csv @ext auto_compress=false`);
    expect(readFileSync(join(dir, 'bucket', 'in', 'data1.csv'), 'utf8')).toBe('1,a\n2,b\n');
    expect(col(await q('list @ext'), 'name')).toEqual(['s3://floe-demo/in/data1.csv']);
    const shown = await q("show stages like 'EXT'");
    expect(col(shown, 'has_credentials')).toEqual(['Y']);
    expect(col(shown, 'type')).toEqual(['EXTERNAL']);
    const desc = await q('describe stage ext');
    const text = JSON.stringify([shown.rows, desc.rows]);
    expect(text).not.toContain('AKIA_SECRET');
    expect(text).not.toContain('very-secret');
    expect(desc.rows).toContainEqual(['STAGE_FILE_FORMAT', 'SKIP_HEADER', 'Integer', '1', '0']);
    await expect(q("create stage bad url='s3://unbound-bucket/x/'")).rejects.toThrow(/storage\.buckets\.unbound-bucket/);
  });

  it('file formats: defaults, validation and SHOW / DESCRIBE', async () => {
    await q("create file format ff type=csv field_delimiter='|' null_if=('\\\\N','NULL') field_optionally_enclosed_by='\"'");
    const d = await q('describe file format ff');
    expect(d.rows).toContainEqual(['FIELD_DELIMITER', 'String', '|', ',']);
    expect(d.rows).toContainEqual(['NULL_IF', 'List', '[\\N, NULL]', '[\\N]']);
    expect(col(await q("show file formats like 'FF'"), 'type')).toEqual(['CSV']);
    await expect(q('create file format ff type=csv')).rejects.toThrow("Object 'FF' already exists.");
    await expect(q('create file format f2 type=csv parse_header=true skip_header=1')).rejects.toThrow(/SKIP_HEADER is not supported with PARSE_HEADER/);
    await expect(q('create file format f3 type=csv bogus_option=1')).rejects.toThrow(/invalid file format option BOGUS_OPTION/);
    await expect(q("create file format f4 type=xml")).rejects.toThrow(/unsupported: file format TYPE = XML/);
    await q('drop file format ff');
    await expect(q('describe file format ff')).rejects.toThrow("File format 'FF' does not exist or not authorized.");
  });

  it('DROP STAGE removes an internal stage and its files', async () => {
    await q('create stage tmpst');
    await q(`put file://${dir}/data1.csv @tmpst`);
    await q('drop stage tmpst');
    await expect(q('list @tmpst')).rejects.toThrow("Stage 'TMPST' does not exist or not authorized.");
    await q('create stage tmpst');
    expect((await q('list @tmpst')).rows).toEqual([]);
  });
});
