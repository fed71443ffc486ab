/**
 * `floe sql`: resolve the warehouse, read every input before running anything (a missing -f file is a usage
 * error, not a half-run script), then run inputs in command-line order or start the interactive shell.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FloeError } from '../../core/errors.js';
import type { Engine, Session } from '../../engine/engine-api.js';
import { createFormatter } from '../format/formatters.js';
import { readAll, type CliIo } from '../io.js';
import { runRepl } from '../repl/repl.js';
import { executeScript } from './execute.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { taskEnvironment } from '../../config/tasks-config.js';
import { inputName, resolveDatabase, STDIN_NAME, type ResolvedDatabase, type SqlOptions } from './sql-options.js';
import { connectServer, type ApiClient } from '../../server/client/api-client.js';
import { RemoteSession } from '../../server/client/remote-session.js';

export const EXIT_OK = 0;
export const EXIT_STATEMENT_FAILED = 1;
export const EXIT_USAGE = 2;

interface Script {
  text: string;
  file?: string;
}

export async function runSql(options: SqlOptions, io: CliIo): Promise<number> {
  const target = resolveDatabase(options, io);
  const interactive = options.inputs.length === 0 && io.stdin.isTTY === true;
  const scripts = interactive ? [] : await readScripts(options, io);
  if (target.stateDir !== undefined) fs.mkdirSync(target.stateDir, { recursive: true });

  // A live `floe run` holds the project's warehouse: statements go to it (same outcomes, same formatters).
  const remote = target.projectDir !== undefined ? await connectServer(target.projectDir) : undefined;
  const opened = remote ? await openRemote(remote) : await openLocal(target, io);
  let session: Session | undefined;
  try {
    session = await opened.session();
    const formatter = createFormatter(options.format, io);
    if (interactive) {
      await runRepl({
        session,
        input: io.stdin,
        output: io.stdout,
        formatter,
        terminal: true,
        historyFile: target.historyFile,
        banner: `floe SQL shell on ${opened.where}. End statements with ';'. !quit or Ctrl-D to leave.`,
      });
      return EXIT_OK;
    }
    let nextStatement = 1;
    let failures = 0;
    for (const script of scripts) {
      const summary = await executeScript(session, script.text, formatter, {
        file: script.file,
        continueOnError: options.continueOnError,
        firstStatement: nextStatement,
      });
      nextStatement = summary.nextStatement;
      failures += summary.failures;
      if (summary.stopped) break;
    }
    return failures > 0 ? EXIT_STATEMENT_FAILED : EXIT_OK;
  } finally {
    await session?.close().catch(() => undefined);
    await opened.close();
  }
}

interface OpenedWarehouse {
  /** For the shell banner. */
  where: string;
  session(): Promise<Session>;
  close(): Promise<void>;
}

async function openLocal(target: ResolvedDatabase, io: CliIo): Promise<OpenedWarehouse> {
  // A project's floe.yaml binds buckets and task settings (bad config is a usage error naming the key).
  const project = target.projectDir !== undefined ? await loadProjectConfig(target.projectDir) : undefined;
  let engine: Engine;
  try {
    engine = await io.openEngine({
      database: target.database,
      ...(project ? { projectDir: project.dir, storage: project.config.storage, tasks: taskEnvironment(project.config.tasks) } : {}),
      ...(project?.config.warehouse ? { warehouse: project.config.warehouse } : {}),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FloeError('CONFIG', `cannot open warehouse ${target.database}: ${reason}`, { cause: error });
  }
  return { where: target.database, session: () => engine.session(), close: () => engine.close() };
}

async function openRemote(client: ApiClient): Promise<OpenedWarehouse> {
  return {
    where: `the running floe run (pid ${client.info.pid}, ${client.info.url})`,
    session: () => RemoteSession.open(client),
    close: async () => undefined,
  };
}

async function readScripts(options: SqlOptions, io: CliIo): Promise<Script[]> {
  if (options.inputs.length === 0) return [{ text: await readAll(io.stdin), file: STDIN_NAME }];
  const scripts: Script[] = [];
  for (const input of options.inputs) {
    if (input.kind === 'query') scripts.push({ text: input.sql });
    else if (input.path === '-') scripts.push({ text: await readAll(io.stdin), file: STDIN_NAME });
    else scripts.push({ text: readScriptFile(input.path, io.cwd), file: inputName(input) });
  }
  return scripts;
}

function readScriptFile(file: string, cwd: string): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new FloeError('CONFIG', `cannot read SQL file ${file}: ${reason}`, { cause: error });
  }
}
