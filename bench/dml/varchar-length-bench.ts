/**
 * Cost of VARCHAR(n) enforcement (a CHECK on the column): the same INSERT … SELECT of ROWS rows through a
 * floe session into a table with an unconstrained VARCHAR column (baseline) and with VARCHAR(100)
 * columns, in the same run. Unconstrained columns carry no check, so the baseline is the status quo.
 */
import { openEngine } from '../../src/engine/open-engine.js';
import type { Session } from '../../src/engine/engine-api.js';

const ROWS = 1_000_000;
const ROUNDS = 3;

async function run(session: Session, sql: string): Promise<void> {
  for await (const o of session.run(sql)) if (!o.ok) throw new Error(o.error.message);
}

async function timeInsert(session: Session, table: string): Promise<number> {
  await run(session, `TRUNCATE TABLE ${table}`);
  const t0 = performance.now();
  await run(session, `INSERT INTO ${table} SELECT k, 'value-' || k, 'other-' || k FROM src`);
  return performance.now() - t0;
}

export async function runVarcharLengthBench(): Promise<void> {
  const engine = await openEngine({ database: ':memory:' });
  const session = await engine.session();
  const digits = 'SELECT column1 AS x FROM VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)';
  const joins = Array.from({ length: Math.log10(ROWS) }, (_, i) => `(${digits}) d${i}`).join(', ');
  await run(session, `CREATE TABLE src AS SELECT ROW_NUMBER() OVER (ORDER BY 1) AS k FROM ${joins}`);
  await run(session, 'CREATE TABLE plain (k INT, a VARCHAR, b VARCHAR)');
  await run(session, 'CREATE TABLE sized (k INT, a VARCHAR(100), b VARCHAR(100))');
  const plain: number[] = [];
  const sized: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    plain.push(await timeInsert(session, 'plain'));
    sized.push(await timeInsert(session, 'sized'));
  }
  const best = (xs: number[]) => Math.min(...xs);
  console.log(`varchar-length-bench: INSERT … SELECT of ${ROWS} rows, best of ${ROUNDS}`);
  console.log(`  baseline: VARCHAR columns (no check)   ${best(plain).toFixed(0)} ms`);
  console.log(`  VARCHAR(100) columns (length check)    ${best(sized).toFixed(0)} ms  (x${(best(sized) / best(plain)).toFixed(2)})`);
  await session.close();
  await engine.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await runVarcharLengthBench();
