/**
 * Validation and resolution of `floe sql` arguments, kept free of I/O so the rules are unit-tested:
 * which database to open, where shell history lives, and which inputs run in which order.
 */
import path from 'node:path';
import { FloeError } from '../../core/errors.js';
import type { OutputFormat } from '../format/formatters.js';

/** A `-q SQL` or `-f FILE` argument, kept in command-line order (`-f -` is stdin). */
export type SqlInput = { kind: 'query'; sql: string } | { kind: 'file'; path: string };

export interface SqlOptions {
  project?: string;
  db?: string;
  inputs: SqlInput[];
  format: OutputFormat;
  continueOnError: boolean;
}

export interface ResolvedDatabase {
  /** What the engine opens: a DuckDB file path or ':memory:'. */
  database: string;
  /** The project's `.floe/` folder to create before opening, when the database lives there. */
  stateDir?: string;
  /** The project folder (its floe.yaml configures storage and tasks), when the warehouse is a project's. */
  projectDir?: string;
  historyFile: string;
}

export const STDIN_NAME = '<stdin>';
export const MEMORY = ':memory:';

const usage = (message: string): FloeError => new FloeError('CONFIG', message);

export function validateSqlOptions(options: SqlOptions): void {
  if (options.project !== undefined && options.db !== undefined) {
    throw usage('--project and --db cannot be used together: --db opens a warehouse file directly, outside any project');
  }
  if (options.db === '') throw usage('--db needs a path or :memory:');
  const stdinReads = options.inputs.filter((i) => i.kind === 'file' && i.path === '-').length;
  if (stdinReads > 1) throw usage('-f - (stdin) can be given only once');
}

/**
 * `--db` wins; `--project DIR` means `DIR/.floe/warehouse.duckdb`; otherwise the current directory is the
 * project. History follows the project, or the user's home for a bare `--db`.
 */
export function resolveDatabase(options: SqlOptions, env: { cwd: string; homedir: string }): ResolvedDatabase {
  validateSqlOptions(options);
  if (options.db !== undefined) {
    const database = options.db === MEMORY ? MEMORY : path.resolve(env.cwd, options.db);
    return { database, historyFile: path.join(env.homedir, '.floe_history') };
  }
  const project = path.resolve(env.cwd, options.project ?? '.');
  const stateDir = path.join(project, '.floe');
  return { database: path.join(stateDir, 'warehouse.duckdb'), stateDir, projectDir: project, historyFile: path.join(stateDir, 'sql_history') };
}

/** Name used for an input in error locations. */
export const inputName = (input: SqlInput): string | undefined =>
  input.kind === 'query' ? undefined : input.path === '-' ? STDIN_NAME : input.path;
