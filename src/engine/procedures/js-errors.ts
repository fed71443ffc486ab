/**
 * A JavaScript procedure's failure as the SQL error Snowflake reports: the exception, the procedure name,
 * and the line of the body it came from (observed Snowflake wording; see docs/procedures.md).
 */
import { executionError, type FloeError } from '../../core/errors.js';
import type { JsOutcome } from './js-sandbox.js';
import { SANDBOX_FILENAME } from './sandbox-sources.js';

type Failure = Exclude<JsOutcome, { ok: true }>;

/** Line and 1-based column of the first stack frame in the procedure body. */
function frameOf(stack: string): { line: number; column: number } | undefined {
  const rx = new RegExp(`${SANDBOX_FILENAME}:(\\d+):(\\d+)`);
  // Frames of code made by eval/Function cite their origin without the body's line offset: skip them.
  for (const line of stack.split('\n')) {
    const m = line.includes('eval at') ? null : rx.exec(line);
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  return undefined;
}

/** A SyntaxError's stack starts `file:line`, then the source line and a caret under the position. */
function syntaxPosition(stack: string): { line: number; column: number } | undefined {
  const lines = stack.split('\n');
  const m = new RegExp(`^${SANDBOX_FILENAME}:(\\d+)$`).exec(lines[0] ?? '');
  if (!m) return undefined;
  const caret = (lines[2] ?? '').indexOf('^');
  return { line: Number(m[1]), column: caret >= 0 ? caret + 1 : 1 };
}

export function javascriptError(procedure: string, body: string, f: Failure): FloeError {
  const lineText = (line: number): string => (body.split('\n')[line - 1] ?? '').trim();
  if (!('error' in f)) {
    if (f.kind === 'memory') return executionError(`JavaScript out of memory error: procedure ${procedure} ${f.message}.`);
    if (f.kind === 'timeout') return executionError(`JavaScript execution error: procedure ${procedure} ${f.message}.`);
    return executionError(`JavaScript execution error: procedure ${procedure} failed: ${f.message}.`);
  }
  const e = f.error;
  const what = e.name ? `${e.name}: ${e.message}` : e.message;
  if (f.kind === 'compile') {
    const at = syntaxPosition(e.stack);
    const where = at ? ` at '${lineText(at.line)}' position ${at.column - 1}` : '';
    return executionError(`JavaScript compilation error: Uncaught ${what} in ${procedure}${where}`);
  }
  const at = frameOf(e.stack);
  if (e.sql) {
    const where = at ? `\nAt Statement.execute, line ${at.line} position ${at.column - 1}` : '';
    return executionError(`Execution error in store procedure ${procedure}:\n${e.message}${where}`);
  }
  const where = at ? ` at '${lineText(at.line)}' position ${at.column - 1}\nstackstrace: \n${procedure} line: ${at.line}` : '';
  return executionError(`JavaScript execution error: Uncaught ${what} in ${procedure}${where}`);
}
