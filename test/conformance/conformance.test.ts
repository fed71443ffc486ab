/**
 * Runs the conformance corpus (`corpus/*.sqlt`: Snowflake statements with the results/errors Snowflake
 * gives) against every backend. Each file runs top to bottom in one fresh session; a failing block does
 * not stop the blocks after it.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Engine, Session, StatementOutcome } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { parseCorpus, runsOn, type CorpusBlock } from './corpus-format.js';
import { compareResult, errorMatches } from './result-compare.js';

interface Backend {
  name: string;
  open(): Promise<Engine>;
}

const corpusDir = join(dirname(fileURLToPath(import.meta.url)), 'corpus');

/**
 * Loading blocks read staged files: every engine gets a bucket `floe-corpus` (`s3://floe-corpus/…`) holding a
 * fresh copy of `corpus/copy-data/` (fresh because COPY … PURGE deletes files).
 */
function corpusBucket(): string {
  const dir = mkdtempSync(join(tmpdir(), 'floe-corpus-'));
  cpSync(join(corpusDir, 'copy-data'), dir, { recursive: true });
  bucketDirs.push(dir);
  return dir;
}
const bucketDirs: string[] = [];

/** Every backend the corpus runs against. Add PostgreSQL etc. here. */
const BACKENDS: Backend[] = [
  { name: 'duckdb', open: async () => openEngine({ database: ':memory:', storage: { buckets: { 'floe-corpus': { type: 'local', path: corpusBucket() } } } }) },
];
const files = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.sqlt'))
  .sort();

const corpora = files.map((file) => ({ file, blocks: parseCorpus(readFileSync(join(corpusDir, file), 'utf8'), file) }));

function title(file: string, block: CorpusBlock): string {
  return `${file}:${block.line} ${block.sql.replace(/\s+/g, ' ').slice(0, 60)}`;
}

async function runBlock(session: Session, file: string, block: CorpusBlock): Promise<void> {
  const outcomes: StatementOutcome[] = [];
  for await (const outcome of session.run(block.sql, { file, continueOnError: true })) outcomes.push(outcome);
  const where = `${file}:${block.line}`;
  if (outcomes.length !== 1) {
    throw new Error(`${where}: expected exactly one statement outcome, got ${outcomes.length}`);
  }
  const outcome = outcomes[0];
  const verify = block.verify ? `\n  (expectation marked verify: ${block.verify})` : '';

  if (block.kind === 'error') {
    if (outcome.ok) {
      const rows = outcome.result.rows.slice(0, 5).map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
      throw new Error(`${where}: expected an error matching ${String(block.expectError)}, but the statement succeeded\n  rows: ${rows.join(' ')}${verify}`);
    }
    if (!errorMatches(block.expectError, outcome.error.message)) {
      throw new Error(
        `${where}: error message does not match ${typeof block.expectError === 'string' ? JSON.stringify(block.expectError) : String(block.expectError)}\n  actual [${outcome.error.code}]: ${outcome.error.message}${verify}`,
      );
    }
    return;
  }
  if (!outcome.ok) {
    throw new Error(`${where}: statement failed [${outcome.error.code}]: ${outcome.error.message}${verify}`);
  }
  if (block.kind === 'query') {
    const diff = compareResult(
      { columns: block.columns ?? [], rows: block.rows ?? [], rowsort: block.rowsort },
      outcome.result.columns,
      outcome.result.rows,
    );
    if (diff !== undefined) throw new Error(`${where}: ${diff}${verify}`);
  }
}

for (const backend of BACKENDS) {
  describe(`conformance on ${backend.name}`, () => {
    for (const { file, blocks } of corpora) {
      describe(file, () => {
        let engine: Engine | undefined;
        let session: Session | undefined;
        let openError: unknown;

        beforeAll(async () => {
          try {
            engine = await backend.open();
            session = await engine.session();
          } catch (e) {
            openError = e;
          }
        });

        afterAll(async () => {
          await session?.close();
          await engine?.close();
          for (const d of bucketDirs.splice(0)) rmSync(d, { recursive: true, force: true });
        });

        for (const block of blocks) {
          const test = runsOn(block, backend.name) ? it : it.skip;
          test(title(file, block), async () => {
            if (session === undefined) {
              throw new Error(`could not open a ${backend.name} session: ${String(openError)}`);
            }
            await runBlock(session, file, block);
          });
        }
      });
    }
  });
}
