/**
 * Splits a script into statements at top-level semicolons. Semicolons inside strings, quoted identifiers,
 * $$ bodies and comments do not split. A Snowflake Scripting block (`BEGIN … END` after EXECUTE IMMEDIATE,
 * AS or a CREATE TASK/PROCEDURE header) keeps its inner semicolons.
 */
import { tokenize, type Token } from './lexer.js';

export interface ScriptStatement {
  /** Statement text without the terminating semicolon, trimmed. */
  sql: string;
  /** 1-based line and column where the statement starts in the script. */
  line: number;
  column: number;
  /** Offset of the statement in the script. */
  start: number;
  /** True when the statement was terminated by `;` (the last one may not be). */
  terminated: boolean;
  tokens: Token[];
}

/** Block openers that nest until a matching END (Snowflake Scripting inside task/procedure bodies). */
const BLOCK_OPENERS = new Set(['CASE', 'IF', 'LOOP', 'FOR', 'WHILE', 'REPEAT']);

export function splitScript(script: string): ScriptStatement[] {
  const tokens = tokenize(script);
  const out: ScriptStatement[] = [];
  let current: Token[] = [];
  let depth = 0; // BEGIN … END nesting for scripting blocks

  const flush = (terminated: boolean): void => {
    if (current.length === 0) return;
    const first = current[0];
    const last = current[current.length - 1];
    out.push({
      sql: script.slice(first.start, last.end),
      line: first.line,
      column: first.column,
      start: first.start,
      terminated,
      tokens: current,
    });
    current = [];
  };

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.type === 'symbol' && tok.value === ';' && depth === 0) {
      flush(true);
      continue;
    }
    if (tok.type === 'word') {
      if (tok.value === 'BEGIN' && opensScriptingBlock(current, tokens[i + 1], depth)) depth++;
      else if (depth > 0 && BLOCK_OPENERS.has(tok.value) && !followsEnd(current)) depth++;
      else if (depth > 0 && tok.value === 'END') {
        depth--;
      }
    }
    current.push(tok);
  }
  flush(false);
  return out;
}

/**
 * `BEGIN` starts a scripting block unless it is the transaction statement `BEGIN [TRANSACTION|WORK]`
 * at the start of a statement. Inside a block every BEGIN nests.
 */
function opensScriptingBlock(before: Token[], next: Token | undefined, depth: number): boolean {
  if (depth > 0 || before.length > 0) return true;
  if (next === undefined) return false;
  if (next.type === 'symbol' && next.value === ';') return false;
  if (next.type === 'word' && (next.value === 'TRANSACTION' || next.value === 'WORK' || next.value === 'NAME')) return false;
  return true;
}

/** `END IF`, `END LOOP`, `END FOR`, … close a block rather than open one. */
function followsEnd(before: Token[]): boolean {
  const prev = before[before.length - 1];
  return prev !== undefined && prev.type === 'word' && prev.value === 'END';
}
