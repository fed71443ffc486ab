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

/** Scripting statements that nest until a matching END when they start a scripting statement. */
const STATEMENT_OPENERS = new Set(['IF', 'LOOP', 'FOR', 'WHILE', 'REPEAT']);
/** Words after which a scripting statement starts (besides `;`). */
const STATEMENT_STARTERS = new Set(['BEGIN', 'THEN', 'ELSE', 'DO', 'LOOP', 'REPEAT', 'DECLARE', 'AS']);

export function splitScript(script: string): ScriptStatement[] {
  const tokens = tokenize(script);
  const out: ScriptStatement[] = [];
  let current: Token[] = [];
  // Open scripting constructs; 'DECLARE' waits for its BEGIN, which does not nest again.
  const stack: ('DECLARE' | 'BLOCK')[] = [];

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
    if (tok.type === 'symbol' && tok.value === ';' && stack.length === 0) {
      flush(true);
      continue;
    }
    if (tok.type === 'word') {
      const prev = i > 0 ? tokens[i - 1] : undefined;
      const atStart = current.length === 0 || (prev !== undefined && isStatementStart(prev));
      if (tok.value === 'BEGIN' && opensScriptingBlock(current, tokens[i + 1], stack.length)) {
        if (stack[stack.length - 1] === 'DECLARE') stack[stack.length - 1] = 'BLOCK';
        else stack.push('BLOCK');
      } else if (tok.value === 'DECLARE' && atStart && (current.length === 0 || stack.length > 0 || isWord(prev, 'AS'))) {
        stack.push('DECLARE');
      } else if (stack.length > 0 && tok.value === 'CASE' && !followsEnd(current)) stack.push('BLOCK');
      else if (stack.length > 0 && STATEMENT_OPENERS.has(tok.value) && atStart && !followsEnd(current)) stack.push('BLOCK');
      else if (stack.length > 0 && tok.value === 'END') stack.pop();
    }
    current.push(tok);
  }
  flush(false);
  return out;
}

const isWord = (t: Token | undefined, w: string): boolean => t !== undefined && t.type === 'word' && t.value === w;

function isStatementStart(prev: Token): boolean {
  if (prev.type === 'symbol') return prev.value === ';';
  return prev.type === 'word' && STATEMENT_STARTERS.has(prev.value);
}

/**
 * `BEGIN` starts a scripting block unless it is the transaction statement `BEGIN [TRANSACTION|WORK|NAME]`
 * or `BEGIN;` (also inside a block, where `BEGIN TRANSACTION … COMMIT` is a statement).
 */
function opensScriptingBlock(before: Token[], next: Token | undefined, depth: number): boolean {
  if (next !== undefined && next.type === 'word' && (next.value === 'TRANSACTION' || next.value === 'WORK' || next.value === 'NAME')) return false;
  if (next !== undefined && next.type === 'symbol' && next.value === ';') return false;
  if (depth > 0 || before.length > 0) return true;
  return next !== undefined;
}

/** `END IF`, `END LOOP`, `END FOR`, … close a block rather than open one. */
function followsEnd(before: Token[]): boolean {
  const prev = before[before.length - 1];
  return prev !== undefined && prev.type === 'word' && prev.value === 'END';
}
