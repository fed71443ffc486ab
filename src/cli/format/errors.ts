/**
 * How statement failures look in every output format. Engines should only ever yield FloeErrors, but the CLI
 * is the last line of defence, so anything else is reported as INTERNAL rather than crashing the process.
 */
import { FloeError, type ErrorLocation } from '../../core/errors.js';

export interface ErrorReport {
  code: string;
  message: string;
  /** Snowflake's numeric code (e.g. `002003`) where floe's code has one. */
  snowflakeCode?: string;
  location?: ErrorLocation;
}

export interface StatementFailure {
  statement: number;
  sql: string;
  error: unknown;
  /** Input the statement came from (a file name, `<stdin>`), when not given by `-q`. */
  file?: string;
}

export function errorReport(error: unknown, file?: string): ErrorReport {
  if (error instanceof FloeError) {
    const location = error.location ?? (file === undefined ? undefined : {});
    const report: ErrorReport = { code: error.code, message: error.message };
    if (error.snowflakeCode !== undefined) report.snowflakeCode = error.snowflakeCode;
    if (location !== undefined) {
      const withFile = location.file === undefined && file !== undefined ? { file, ...location } : location;
      const defined = Object.fromEntries(Object.entries(withFile).filter(([, v]) => v !== undefined));
      if (Object.keys(defined).length > 0) report.location = defined as ErrorLocation;
    }
    return report;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message, ...(file === undefined ? {} : { location: { file } }) };
}

/** `002003 (OBJECT_NOT_FOUND): SQL compilation error: …` — SnowSQL's shape, with floe's code in parentheses. */
export function errorText(failure: StatementFailure): string {
  const report = errorReport(failure.error, failure.file);
  const where = locationText(failure.statement, report.location);
  const head = report.snowflakeCode === undefined ? report.code : `${report.snowflakeCode} (${report.code})`;
  return `${where}\n${head}: ${report.message}`;
}

function locationText(statement: number, location: ErrorLocation | undefined): string {
  const parts = [`Statement ${statement}`];
  if (location?.file !== undefined) {
    let at = location.file;
    if (location.line !== undefined) at += `:${location.line}`;
    if (location.line !== undefined && location.column !== undefined) at += `:${location.column}`;
    parts.push(`(${at})`);
  } else if (location?.line !== undefined) {
    parts.push(`(line ${location.line}${location.column === undefined ? '' : `, position ${location.column}`})`);
  }
  return `${parts.join(' ')} failed:`;
}

/** NO_COLOR (https://no-color.org) wins; otherwise colour only when writing to a terminal. */
export function useColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

export const red = (text: string): string => `\u001b[31m${text}\u001b[39m`;
