/**
 * A session remembers recent results for RESULT_SCAN, bounded by count and by size: big results push older ones
 * out (the newest always stays), so a session that reads large results does not keep dozens of them in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { REMEMBERED_VALUES } from '../../src/engine/session-functions.js';

let engine: Engine;
let s: Session;
beforeAll(async () => {
  engine = await openEngine({ database: ':memory:' });
  s = await engine.session();
  const values = Array.from({ length: 1000 }, (_x, i) => `(${i})`).join(', ');
  await s.query(`CREATE DATABASE D; CREATE TABLE N (I INT); INSERT INTO N VALUES ${values}`);
});
afterAll(async () => {
  await s.close();
  await engine.close();
});

const scan = async (id: string): Promise<unknown[][]> => (await s.query(`SELECT COUNT(*) FROM TABLE(RESULT_SCAN('${id}'))`))[0]!.rows;

describe('remembered results', () => {
  it('keep small results, drop older ones once big results exceed the size bound, and always keep the newest', { timeout: 60_000 }, async () => {
    const [small] = await s.query(`SELECT I FROM N WHERE I < 10`);
    // Each big result holds 2 × 300,000 values; two of them exceed the bound together with the small one.
    const big = `SELECT a.I AS X, b.I AS Y FROM N a, N b WHERE b.I < 300`;
    expect(2 * 600_000).toBeGreaterThan(REMEMBERED_VALUES);
    const [first] = await s.query(big);
    expect(await scan(small!.queryId)).toEqual([[10]]);
    const [second] = await s.query(big);
    expect(second!.rows).toHaveLength(300_000);
    await expect(scan(first!.queryId)).rejects.toThrow(/not found/);
    await expect(scan(small!.queryId)).rejects.toThrow(/not found/);
    // The newest result stays, whatever its size.
    expect(await scan(second!.queryId)).toEqual([[300_000]]);
  });
});
