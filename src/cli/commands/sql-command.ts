/** `floe sql` argument definitions; the work happens in ../sql/run-sql.ts. */
import { Command, Option } from 'commander';
import type { CliIo } from '../io.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../format/formatters.js';
import { runSql } from '../sql/run-sql.js';
import type { SqlInput } from '../sql/sql-options.js';

interface ParsedSqlOptions {
  project?: string;
  db?: string;
  format: OutputFormat;
  continueOnError?: boolean;
}

/** Registers the command; `setExitCode` receives the command's exit code once it has run. */
export function sqlCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  // -q and -f are separate options to commander but must run in the order typed, so both feed one list.
  const inputs: SqlInput[] = [];
  const collect =
    (kind: SqlInput['kind']) =>
    (value: string, previous: string[] | undefined): string[] => {
      inputs.push(kind === 'query' ? { kind, sql: value } : { kind, path: value });
      return [...(previous ?? []), value];
    };

  return new Command('sql')
    .description('run Snowflake SQL against the project warehouse (interactive shell when no SQL is given)')
    .option('--project <dir>', 'project folder; the warehouse is DIR/.floe/warehouse.duckdb (default: current folder)')
    .option('--db <path>', 'open this DuckDB file, or :memory:, instead of a project warehouse')
    .option('-q, --query <sql>', 'SQL to run (repeatable)', collect('query'))
    .option('-f, --file <file>', 'SQL file to run, - for stdin (repeatable)', collect('file'))
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--continue-on-error', 'keep running after a failed statement (exit code 1 at the end)')
    .addHelpText(
      'after',
      `
Inputs run in the order given; statements are numbered across all of them. Without -q/-f, SQL is read from
stdin when it is not a terminal, else an interactive shell starts.

Exit codes: 0 success, 1 a statement failed, 2 usage or configuration error.

Examples:
  floe sql -q "select current_date()"
  floe sql --db :memory: --format json -f setup.sql -q "select * from t"
  floe sql --project my-pipeline < checks.sql`,
    )
    .action(async (parsed: ParsedSqlOptions) => {
      setExitCode(
        await runSql(
          {
            project: parsed.project,
            db: parsed.db,
            inputs,
            format: parsed.format,
            continueOnError: parsed.continueOnError === true,
          },
          io,
        ),
      );
    });
}
