import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../engine/open-engine.js';
import type { Engine, Session } from '../engine/engine-api.js';
import { canonicalSql, digestOf, digestRows, digestSql, encodeRow, keyRangeSql, literalSql, sameDigest, type Digest } from './canonical.js';

let engine: Engine;
let s: Session;
beforeAll(async () => {
  engine = await openEngine({ database: ':memory:' });
  s = await engine.session();
  await s.query(`ALTER SESSION SET TIMEZONE = 'UTC'; CREATE DATABASE D; CREATE TABLE K (A NUMBER(38,0), B VARCHAR, T TIMESTAMP_NTZ, Z TIMESTAMP_TZ)`);
});
afterAll(async () => {
  await s.close();
  await engine.close();
});

const rows = async (sql: string): Promise<unknown[][]> => (await s.query(sql)).at(-1)!.rows;

describe('canonical values', () => {
  it('spells timestamps with nine fractional digits, instants in UTC, and casts back to the same value', async () => {
    const [r] = await rows(
      `SELECT ${canonicalSql(`'2026-01-01 10:11:12.123456'::TIMESTAMP_NTZ`, 'TIMESTAMP_NTZ(9)')}, ${canonicalSql(`'2026-01-01 10:11:12.5 +0200'::TIMESTAMP_TZ`, 'TIMESTAMP_TZ')}, ` +
        `${canonicalSql(`'2026-01-01 08:11:12.5 +0000'::TIMESTAMP_TZ`, 'timestamp_tz')}, ${canonicalSql('1.50::NUMBER(10,2)', 'NUMBER(10,2)')}, ${canonicalSql('TRUE', 'BOOLEAN')}`,
    );
    expect(r).toEqual(['2026-01-01 10:11:12.123456000', '2026-01-01T08:11:12.500000000+00:00', '2026-01-01T08:11:12.500000000+00:00', '1.50', 'true']);
    const [back] = await rows(`SELECT ${literalSql(String(r![0]), 'TIMESTAMP_NTZ')} = '2026-01-01 10:11:12.123456'::TIMESTAMP_NTZ, ${literalSql(String(r![1]), 'TIMESTAMP_TZ')} = '2026-01-01 10:11:12.5 +0200'::TIMESTAMP_TZ`);
    expect(back).toEqual([true, true]);
  });

  it("escapes string literals (quotes and backslashes)", async () => {
    expect(await rows(`SELECT ${literalSql("it's a \\ path", 'VARCHAR')}`)).toEqual([["it's a \\ path"]]);
  });
});

describe('key ranges', () => {
  it('cut a composite key space into contiguous pages: every row in exactly one page', async () => {
    const values: string[] = [];
    for (let a = 1; a <= 4; a++) for (const b of ['a', 'b', "o'k", 'z']) values.push(`(${a}, '${b.replace(/'/g, "''")}', '2026-01-0${a} 00:00:00', '2026-01-01 00:00:0${a} +0100')`);
    await s.query(`INSERT INTO K VALUES ${values.join(', ')}, (NULL, 'x', NULL, NULL)`);
    const keys = [{ name: 'A', type: 'NUMBER(38,0)' }, { name: 'B', type: 'VARCHAR' }];
    const bounds = [['1', 'b'], ['2', "o'k"], ['2', 'z'], ['4', 'a']];
    const seen: string[] = [];
    for (let i = 0; i <= bounds.length; i++) {
      const where = keyRangeSql(keys, bounds[i - 1], bounds[i]);
      for (const [a, b] of await rows(`SELECT A, B FROM K WHERE ${where} ORDER BY A, B`)) seen.push(`${String(a)}/${String(b)}`);
    }
    const all = (await rows(`SELECT A, B FROM K WHERE A IS NOT NULL ORDER BY A, B`)).map(([a, b]) => `${String(a)}/${String(b)}`);
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(16);
    // A page ending at ('2', "o'k") holds that key and nothing after it.
    expect(await rows(`SELECT A, B FROM K WHERE ${keyRangeSql(keys, ['1', 'b'], ['2', "o'k"])} ORDER BY A, B`)).toEqual([[1, "o'k"], [1, 'z'], [2, 'a'], [2, 'b'], [2, "o'k"]]);
  });

  it('work on timestamp keys through their canonical text', async () => {
    const keys = [{ name: 'Z', type: 'TIMESTAMP_TZ' }];
    const [[upper]] = (await rows(`SELECT ${canonicalSql('Z', 'TIMESTAMP_TZ')} FROM K WHERE A = 2 LIMIT 1`)) as string[][];
    expect(await rows(`SELECT COUNT(*) FROM K WHERE ${keyRangeSql(keys, undefined, [upper!])}`)).toEqual([[8]]);
  });
});

describe('row digests', () => {
  it('encode rows the same way in SQL and in JavaScript, and tell multisets apart', async () => {
    const rowsIn: (string | null)[][] = [
      ['1', 'a|b', null],
      ['1', 'a', '|b'],
      ['2', 'back\\slash', 'n'],
      ['2', 'v', 'é€𝄞'],
      ['3', '', null],
      ['3', null, ''],
      ['3', '', null],
    ];
    await s.query(`CREATE TABLE DG (A VARCHAR, B VARCHAR, C VARCHAR)`);
    const lit = (v: string | null): string => (v === null ? 'NULL' : literalSql(v, 'VARCHAR'));
    await s.query(`INSERT INTO DG VALUES ${rowsIn.map((r) => `(${r.map(lit).join(', ')})`).join(', ')}`);
    const sqlDigest = async (where: string): Promise<Digest> => digestOf((await rows(digestSql(['A', 'B', 'C'], `FROM DG WHERE ${where}`)))[0]);
    expect(await sqlDigest('TRUE')).toEqual(digestRows(rowsIn));
    expect(await sqlDigest('FALSE')).toEqual(digestRows([]));
    // The same rows in another order are the same multiset; a duplicate less is not.
    expect(digestRows([...rowsIn].reverse())).toEqual(digestRows(rowsIn));
    expect(sameDigest(digestRows(rowsIn.slice(1)), digestRows(rowsIn))).toBe(false);
    expect(sameDigest(digestRows([['1', 'a|b', null]]), digestRows([['1', 'a', '|b']]))).toBe(false);
    expect(encodeRow(['a|b', null, 'x\\'])).toBe('va\\|b|n|vx\\\\');
  });
});
