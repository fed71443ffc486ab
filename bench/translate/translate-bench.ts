/**
 * Translation overhead: how long floe takes to turn each Snowflake statement of the conformance corpus
 * into backend SQL (parse → expression rewrites → name binding → print), against two baselines measured
 * in the same run on the same statements:
 *   - parse+print: polyglot's own round trip with no floe transforms (the floor of this design);
 *   - execute: the whole statement through a floe session on DuckDB (what the user waits for).
 * Target (issue #2): translation adds < 1 ms per statement on average.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCorpus } from '../../test/conformance/corpus-format.js';
import { openEngine } from '../../src/engine/open-engine.js';
import type { EngineImpl } from '../../src/engine/engine.js';
import type { SessionImpl } from '../../src/engine/session.js';
import { parseSnowflake, printSql } from '../../src/sql/ast/polyglot.js';
import { nodeKind } from '../../src/sql/ast/ast-node.js';
import { splitScript } from '../../src/sql/split-script.js';
import { addSnowflakeOutputNames } from '../../src/engine/output-names.js';
import { prepareForBackend, print } from '../../src/engine/translate.js';
import type { ExecContext } from '../../src/engine/exec-context.js';

const REPEAT = 20;
const TRANSLATED = /^\s*(SELECT|WITH|INSERT|UPDATE|DELETE|MERGE)\b/i;
const corpusDir = join(import.meta.dirname, '../../test/conformance/corpus');

const stats = (xs: number[]): { avg: number; p50: number; p99: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { avg: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), p50: s[Math.floor(s.length * 0.5)] ?? 0, p99: s[Math.floor(s.length * 0.99)] ?? 0 };
};

export async function runTranslateBench(): Promise<void> {
  const translate: number[] = [];
  const roundTrip: number[] = [];
  const execute: number[] = [];
  let failed = 0;
  for (const file of readdirSync(corpusDir).filter((f) => f.endsWith('.sqlt')).sort()) {
    const blocks = parseCorpus(readFileSync(join(corpusDir, file), 'utf8'), file);
    const engine = (await openEngine({ database: ':memory:' })) as EngineImpl;
    const session = (await engine.session()) as SessionImpl;
    for (const b of blocks) {
      const sql = b.sql.replace(/;\s*$/, '');
      if (TRANSLATED.test(sql)) {
        const st = splitScript(sql)[0];
        const ctx: ExecContext = { engine: engine.core, session: session.state, stmt: { sql: st.sql, tokens: st.tokens, line: 1 } };
        try {
          const t0 = performance.now();
          for (let i = 0; i < REPEAT; i++) {
            const ast = parseSnowflake(sql)[0];
            if (['select', 'union', 'subquery'].includes(nodeKind(ast) ?? '')) addSnowflakeOutputNames(ast);
            prepareForBackend(ctx, ast);
            print(ast);
          }
          const t1 = performance.now();
          for (let i = 0; i < REPEAT; i++) printSql(parseSnowflake(sql));
          const t2 = performance.now();
          translate.push((t1 - t0) / REPEAT);
          roundTrip.push((t2 - t1) / REPEAT);
        } catch {
          failed++;
        }
      }
      const t3 = performance.now();
      for await (const o of session.run(sql)) void o;
      if (TRANSLATED.test(sql)) execute.push(performance.now() - t3);
    }
    await engine.close();
  }
  const t = stats(translate);
  const r = stats(roundTrip);
  const e = stats(execute);
  const f = (x: number): string => x.toFixed(3).padStart(8);
  console.log(`translate-bench: ${translate.length} corpus statements (SELECT/WITH/INSERT/UPDATE/DELETE/MERGE), ${failed} not translatable, x${REPEAT} each`);
  console.log(`  ${'work'.padEnd(34)}     avg ms   p50 ms   p99 ms   stmts/s`);
  console.log(`  ${'floe translation (target < 1 ms)'.padEnd(34)} ${f(t.avg)} ${f(t.p50)} ${f(t.p99)} ${(1000 / t.avg).toFixed(0).padStart(8)}`);
  console.log(`  ${'baseline: polyglot parse+print'.padEnd(34)} ${f(r.avg)} ${f(r.p50)} ${f(r.p99)} ${(1000 / r.avg).toFixed(0).padStart(8)}`);
  console.log(`  ${'baseline: full statement on DuckDB'.padEnd(34)} ${f(e.avg)} ${f(e.p50)} ${f(e.p99)} ${(1000 / e.avg).toFixed(0).padStart(8)}`);
  console.log(`  floe transforms add ${(t.avg - r.avg).toFixed(3)} ms over the parser's own round trip; translation is ${((t.avg / e.avg) * 100).toFixed(1)} % of a statement's run time.`);
}
