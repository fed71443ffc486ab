/**
 * Applying a project's SQL files (`sql/*.sql`, in name order) to its warehouse as a plan the user sees:
 * statements already applied are skipped (by file and text), session statements (USE, ALTER SESSION) always
 * run, and a `CREATE OR REPLACE` of an object that already exists is **blocked** unless the user asks for it —
 * re-creating a stream would lose its offset, a pipe its load history, a table its rows (DESIGN.md §2).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { FloeError } from '../core/errors.js';
import type { Engine, Session } from '../engine/engine-api.js';
import { splitScript } from '../sql/split-script.js';
import type { Token } from '../sql/lexer.js';

export type StepAction = 'run' | 'applied' | 'exists' | 'blocked' | 'failed';

export interface SqlStep {
  file: string;
  statement: number;
  line: number;
  sql: string;
  action: StepAction;
  /** For CREATE statements: the object kind and name as written. */
  object?: string;
  error?: string;
}

export interface ApplyOptions {
  /** Run CREATE OR REPLACE for objects that exist (state loss is the user's explicit choice). */
  replaceExisting: boolean;
  now: () => number;
}

/** The files floe.yaml's `sql:` lists (in that order), or else every `sql/*.sql` in name order. */
export async function readProjectSql(projectDir: string, listed?: readonly string[]): Promise<{ file: string; text: string }[]> {
  if (listed) {
    return Promise.all(
      listed.map(async (file) => {
        const path = resolve(projectDir, file);
        if (relative(projectDir, path).startsWith('..')) throw new FloeError('CONFIG', `floe.yaml: sql: '${file}' is outside the project folder`);
        try {
          return { file, text: await readFile(path, 'utf8') };
        } catch (e) {
          throw new FloeError('CONFIG', `floe.yaml: sql: cannot read '${file}': ${(e as Error).message}`);
        }
      }),
    );
  }
  const dir = join(projectDir, 'sql');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.sql')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return Promise.all(names.map(async (n) => ({ file: join('sql', n), text: await readFile(join(dir, n), 'utf8') })));
}

const SESSION_STATEMENTS = /^(USE|ALTER\s+SESSION)\b/i;
/** Kinds DESCRIBE answers for, so existence can be checked before a CREATE OR REPLACE. */
const DESCRIBABLE = ['DATABASE', 'SCHEMA', 'TABLE', 'VIEW', 'STREAM', 'TASK', 'STAGE', 'PIPE', 'FILE FORMAT'];

interface CreateHeader {
  kind: string;
  name: string;
  orReplace: boolean;
  /** CREATE OR ALTER is made for re-applying: it always runs. */
  orAlter: boolean;
}

/** `CREATE [OR REPLACE|OR ALTER] [modifiers] <KIND> [IF NOT EXISTS] <name>` from tokens. */
function createHeader(tokens: Token[]): CreateHeader | undefined {
  if (tokens[0]?.value !== 'CREATE') return undefined;
  let i = 1;
  const orReplace = tokens[1]?.value === 'OR' && tokens[2]?.value === 'REPLACE';
  if (tokens[1]?.value === 'OR') i = 3;
  while (i < tokens.length && ['TRANSIENT', 'TEMPORARY', 'TEMP', 'VOLATILE', 'SECURE', 'LOCAL', 'GLOBAL'].includes(tokens[i]?.value ?? '')) i++;
  let kind = tokens[i]?.value ?? '';
  if (kind === 'FILE' && tokens[i + 1]?.value === 'FORMAT') {
    kind = 'FILE FORMAT';
    i++;
  }
  i++;
  if (tokens[i]?.value === 'IF') i += 3;
  const parts: string[] = [];
  while (i < tokens.length) {
    parts.push(tokens[i]?.text ?? '');
    if (tokens[i + 1]?.text !== '.') break;
    parts.push('.');
    i += 2;
  }
  const orAlter = tokens[1]?.value === 'OR' && tokens[2]?.value === 'ALTER';
  return kind ? { kind, name: parts.join(''), orReplace, orAlter } : undefined;
}

async function exists(session: Session, h: CreateHeader): Promise<boolean> {
  if (!DESCRIBABLE.includes(h.kind)) return false;
  try {
    await session.query(`DESCRIBE ${h.kind} ${h.name}`);
    return true;
  } catch {
    return false;
  }
}

const keyOf = (file: string, sql: string): string => createHash('sha256').update(`${file}\u0000${sql.trim()}`).digest('hex');

/** Apply in order; stops at the first failing statement (it is reported as `failed`, nothing after it runs). */
export async function applyProjectSql(engine: Engine, session: Session, files: { file: string; text: string }[], options: ApplyOptions): Promise<SqlStep[]> {
  const steps: SqlStep[] = [];
  for (const { file, text } of files) {
    const statements = splitScript(text);
    for (const [i, st] of statements.entries()) {
      const step: SqlStep = { file, statement: i + 1, line: st.line, sql: st.sql, action: 'run' };
      steps.push(step);
      const sessionStatement = SESSION_STATEMENTS.test(st.sql);
      const key = keyOf(file, st.sql);
      if (!sessionStatement && (await engine.appliedSql.isApplied(key))) {
        step.action = 'applied';
        continue;
      }
      const header = createHeader(st.tokens);
      if (header) step.object = `${header.kind} ${header.name}`;
      if (header && !header.orAlter && (await exists(session, header))) {
        if (!header.orReplace) {
          step.action = 'exists';
          await engine.appliedSql.markApplied(key, file, i + 1, options.now());
          continue;
        }
        if (!options.replaceExisting) {
          step.action = 'blocked';
          continue;
        }
      }
      try {
        await session.query(st.sql);
      } catch (e) {
        step.action = 'failed';
        step.error = (e as Error).message;
        return steps;
      }
      if (!sessionStatement) await engine.appliedSql.markApplied(key, file, i + 1, options.now());
    }
  }
  return steps;
}
