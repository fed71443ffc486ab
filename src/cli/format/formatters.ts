/**
 * The three `floe sql` output formats. A formatter receives outcomes one by one, as the engine yields them,
 * so results appear while a long script is still running.
 */
import { stringify } from 'csv-stringify/sync';
import type { ResultColumn, StatementResult } from '../../core/result.js';
import { errorReport, errorText, red, useColor, type StatementFailure } from './errors.js';
import { renderTable } from './table-layout.js';
import { displayText, jsonValue } from './values.js';

export type OutputFormat = 'table' | 'json' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface FormatterOptions {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
}

export interface Formatter {
  result(result: StatementResult, elapsedMs: number): void;
  failure(failure: StatementFailure): void;
}

export function createFormatter(format: OutputFormat, options: FormatterOptions): Formatter {
  switch (format) {
    case 'json':
      return jsonLinesFormatter(options);
    case 'csv':
      return csvFormatter(options);
    case 'table':
      return tableFormatter(options);
  }
}

/** One JSON Lines record for a result (DESIGN.md §3). Built by hand so exact numbers keep their digits. */
export function resultJsonLine(result: StatementResult): string {
  const columns = result.columns;
  const rows = result.rows.map((row) => `[${row.map((v, i) => jsonValue(v, columns[i])).join(',')}]`);
  return (
    `{"statement":${result.statement},"sql":${JSON.stringify(result.sql)},` +
    `"columns":${JSON.stringify(columns.map((c) => c.name))},"rows":[${rows.join(',')}]}`
  );
}

export function failureJsonLine(failure: StatementFailure): string {
  const error = errorReport(failure.error, failure.file);
  return JSON.stringify({ statement: failure.statement, sql: failure.sql, error });
}

function jsonLinesFormatter({ stdout }: FormatterOptions): Formatter {
  return {
    result: (result) => stdout.write(`${resultJsonLine(result)}\n`),
    // On stdout, in statement order, because scripts read the whole stream as the record of the run.
    failure: (failure) => stdout.write(`${failureJsonLine(failure)}\n`),
  };
}

/**
 * RFC 4180 quoting of one result: a header row, then the rows. NULL is an empty field and '' is `""`, so the
 * two stay distinguishable. Lines end in LF (like psql --csv and Snowflake unloads) for shell pipelines.
 */
export function resultCsv(result: StatementResult): string {
  const records = result.rows.map((row) => row.map((v, i) => (v === null ? null : displayText(v, result.columns[i], 'csv'))));
  return stringify([result.columns.map((c) => c.name), ...records], { quoted_match: /^$/ });
}

function csvFormatter({ stdout, stderr, env }: FormatterOptions): Formatter {
  let first = true;
  return {
    result(result) {
      stdout.write(`${first ? '' : '\n'}${resultCsv(result)}`);
      first = false;
    },
    failure: (failure) => writeError(stderr, env, failure),
  };
}

export function resultTable(result: StatementResult, width: number): string {
  if (result.columns.length === 0) return '';
  return renderTable(
    {
      headers: result.columns.map((c) => c.name),
      rows: result.rows.map((row) => row.map((v, i) => (v === null ? 'NULL' : displayText(v, result.columns[i], 'table')))),
      alignRight: result.columns.map(isNumeric),
    },
    width,
  );
}

const isNumeric = (column: ResultColumn): boolean => column.type === 'NUMBER' || column.type === 'FLOAT';

export const DEFAULT_TERMINAL_WIDTH = 120;

function tableFormatter({ stdout, stderr, env }: FormatterOptions): Formatter {
  const width = stdout.columns !== undefined && stdout.columns > 0 ? stdout.columns : DEFAULT_TERMINAL_WIDTH;
  let first = true;
  return {
    result(result, elapsedMs) {
      const table = resultTable(result, width);
      const rows = result.rows.length;
      const footer =
        result.columns.length === 0
          ? 'Statement executed successfully.'
          : `${rows} Row(s) produced. Time Elapsed: ${(elapsedMs / 1000).toFixed(3)}s`;
      stdout.write(`${first ? '' : '\n'}${table === '' ? '' : `${table}\n`}${footer}\n`);
      first = false;
    },
    failure: (failure) => writeError(stderr, env, failure),
  };
}

function writeError(stderr: OutputStream, env: Record<string, string | undefined>, failure: StatementFailure): void {
  const text = errorText(failure);
  stderr.write(`${useColor(stderr, env) ? red(text) : text}\n`);
}
