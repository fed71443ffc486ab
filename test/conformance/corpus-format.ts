/**
 * Parser for the conformance corpus format (`test/conformance/corpus/*.sqlt`), a sqllogictest-like text
 * format holding Snowflake statements and the results/errors Snowflake gives for them.
 *
 * ```
 * # comment (only between blocks); blocks are separated by blank lines
 * statement ok
 * CREATE TABLE t (k INT);
 *
 * statement error does not exist or not authorized      <- substring of the error message
 * statement error /syntax error line \d+/i               <- or a /regex/flags
 * SELECT * FROM nope;
 *
 * query rowsort                                          <- `query` or `query rowsort`
 * SELECT k FROM t;
 * ----
 * ["K"]                                                  <- JSON array of column names
 * [1]                                                    <- one JSON array per row
 * ```
 *
 * The SQL of a block runs until a line ending with `;` outside strings, `$$ … $$` bodies and comments (so
 * a procedure body may hold lines ending with `;`). Optional lines before the block header:
 * `skipif <backend>` / `onlyif <backend>` (restrict a block to some backends). `# verify: …` comments
 * directly above a block are kept on the block as `verify` (expectations not yet checked on a real account).
 */

export type BlockKind = 'ok' | 'error' | 'query';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface CorpusBlock {
  kind: BlockKind;
  /** The statement, including its terminating `;`. */
  sql: string;
  /** 1-based line of the block header (`statement …` / `query …`). */
  line: number;
  /** `error` blocks: a substring of the expected message, or a regex; `undefined` = any error. */
  expectError?: string | RegExp;
  /** `query` blocks: compare rows as a multiset (sorted by their JSON text). */
  rowsort?: boolean;
  /** `query` blocks: expected column names. */
  columns?: string[];
  /** `query` blocks: expected rows in floe's value encoding. */
  rows?: JsonValue[][];
  /** Backends this block does not run on (`skipif`). */
  skipIf?: string[];
  /** Backends this block only runs on (`onlyif`). */
  onlyIf?: string[];
  /** Text of `# verify:` comments directly above the block. */
  verify?: string;
}

export class CorpusFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`);
    this.name = 'CorpusFormatError';
  }
}

/** Lexical state carried from one SQL line to the next. */
type ScanState = 'normal' | 'single' | 'double' | 'dollar' | 'block-comment';

/**
 * Scans one line of SQL starting in `state`; returns the state at the end of the line and whether the
 * last significant character (outside strings, bodies and comments) is a `;`.
 */
function scanLine(line: string, state: ScanState): { state: ScanState; endsWithSemicolon: boolean } {
  let lastSignificant = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    const next = line[i + 1];
    switch (state) {
      case 'normal':
        if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '$' && next === '$') {
          state = 'dollar';
          i++;
        } else if (c === '/' && next === '*') {
          state = 'block-comment';
          i++;
        } else if ((c === '-' && next === '-') || (c === '/' && next === '/')) {
          i = line.length; // line comment: rest of the line is insignificant
          continue;
        } else if (!/\s/.test(c)) lastSignificant = c;
        if (state !== 'normal') lastSignificant = '';
        break;
      case 'single':
        if (c === '\\') i++;
        else if (c === "'") {
          if (next === "'") i++;
          else {
            state = 'normal';
            lastSignificant = c;
          }
        }
        break;
      case 'double':
        if (c === '"') {
          if (next === '"') i++;
          else {
            state = 'normal';
            lastSignificant = c;
          }
        }
        break;
      case 'dollar':
        if (c === '$' && next === '$') {
          state = 'normal';
          lastSignificant = '$';
          i++;
        }
        break;
      case 'block-comment':
        if (c === '*' && next === '/') {
          state = 'normal';
          i++;
        }
        break;
    }
    i++;
  }
  return { state, endsWithSemicolon: state === 'normal' && lastSignificant === ';' };
}

function parseJsonLine(file: string, lineNo: number, text: string, what: string): JsonValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CorpusFormatError(file, lineNo, `${what} is not valid JSON (${(e as Error).message}): ${text}`);
  }
  if (!Array.isArray(parsed)) throw new CorpusFormatError(file, lineNo, `${what} must be a JSON array: ${text}`);
  return parsed as JsonValue[];
}

function parseErrorPattern(file: string, lineNo: number, text: string): string | RegExp | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^\/(.*)\/([a-z]*)$/s.exec(t);
  if (!m) return t;
  try {
    return new RegExp(m[1], m[2]);
  } catch (e) {
    throw new CorpusFormatError(file, lineNo, `invalid error regex ${t}: ${(e as Error).message}`);
  }
}

/** Parses the text of one corpus file. `file` is used in error messages only. */
export function parseCorpus(text: string, file: string): CorpusBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: CorpusBlock[] = [];
  let i = 0;
  let skipIf: string[] = [];
  let onlyIf: string[] = [];
  let verify: string[] = [];

  const isBlank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

  while (i < lines.length) {
    const raw = lines[i];
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '') {
      if (skipIf.length > 0 || onlyIf.length > 0) {
        throw new CorpusFormatError(file, lineNo, 'skipif/onlyif must be followed directly by a block header');
      }
      verify = [];
      i++;
      continue;
    }
    if (trimmed.startsWith('#')) {
      const vm = /^#\s*verify:\s*(.*)$/i.exec(trimmed);
      if (vm) verify.push(vm[1]);
      else if (verify.length > 0 && /^#\s+/.test(trimmed)) verify.push(trimmed.replace(/^#\s*/, ''));
      i++;
      continue;
    }
    const cond = /^(skipif|onlyif)\s+(\S+)\s*$/.exec(trimmed);
    if (cond) {
      (cond[1] === 'skipif' ? skipIf : onlyIf).push(cond[2]);
      i++;
      continue;
    }

    // Block header.
    let kind: BlockKind;
    let expectError: string | RegExp | undefined;
    let rowsort = false;
    let m: RegExpExecArray | null;
    if (/^statement\s+ok$/.test(trimmed)) kind = 'ok';
    else if ((m = /^statement\s+error(?:\s+(.*))?$/.exec(trimmed))) {
      kind = 'error';
      expectError = parseErrorPattern(file, lineNo, m[1] ?? '');
    } else if ((m = /^query(?:\s+(\S+))?$/.exec(trimmed))) {
      kind = 'query';
      if (m[1] !== undefined) {
        if (m[1] !== 'rowsort') throw new CorpusFormatError(file, lineNo, `unknown query option '${m[1]}'`);
        rowsort = true;
      }
    } else {
      throw new CorpusFormatError(
        file,
        lineNo,
        `expected 'statement ok', 'statement error <text>' or 'query [rowsort]', got: ${trimmed}`,
      );
    }
    i++;

    // SQL lines.
    const sqlLines: string[] = [];
    let state: ScanState = 'normal';
    let terminated = false;
    while (i < lines.length) {
      const l = lines[i];
      if (state === 'normal' && isBlank(l)) break;
      if (state === 'normal' && sqlLines.length === 0 && l.trim() === '----') break;
      sqlLines.push(l);
      const scanned = scanLine(l, state);
      state = scanned.state;
      i++;
      if (scanned.endsWithSemicolon) {
        terminated = true;
        break;
      }
    }
    if (sqlLines.length === 0) throw new CorpusFormatError(file, lineNo, 'block has no SQL');
    if (!terminated) {
      throw new CorpusFormatError(
        file,
        lineNo,
        state === 'normal'
          ? "statement is not terminated by a line ending with ';' before a blank line or the end of the file"
          : `statement ends inside an unterminated ${state === 'dollar' ? '$$ body' : state === 'block-comment' ? 'comment' : 'quoted text'}`,
      );
    }
    const block: CorpusBlock = { kind, sql: sqlLines.join('\n').trim(), line: lineNo };
    if (kind === 'error') block.expectError = expectError;
    if (skipIf.length > 0) block.skipIf = skipIf;
    if (onlyIf.length > 0) block.onlyIf = onlyIf;
    if (verify.length > 0) block.verify = verify.join(' ');
    skipIf = [];
    onlyIf = [];
    verify = [];

    if (kind === 'query') {
      if (i >= lines.length || lines[i].trim() !== '----') {
        throw new CorpusFormatError(file, i + 1, "query block: expected '----' after the SQL");
      }
      i++;
      if (isBlank(lines[i])) {
        throw new CorpusFormatError(file, i + 1, "query block: expected a JSON array of column names after '----'");
      }
      const columns = parseJsonLine(file, i + 1, lines[i].trim(), 'column list');
      if (columns.length === 0 || !columns.every((c) => typeof c === 'string')) {
        throw new CorpusFormatError(file, i + 1, 'column list must be a non-empty JSON array of strings');
      }
      i++;
      const rows: JsonValue[][] = [];
      while (i < lines.length && !isBlank(lines[i])) {
        const t = lines[i].trim();
        if (t.startsWith('#')) throw new CorpusFormatError(file, i + 1, 'comments are not allowed inside expected rows');
        const row = parseJsonLine(file, i + 1, t, 'row');
        if (row.length !== columns.length) {
          throw new CorpusFormatError(
            file,
            i + 1,
            `row has ${row.length} values but the block has ${columns.length} columns`,
          );
        }
        rows.push(row);
        i++;
      }
      block.columns = columns as string[];
      block.rows = rows;
      block.rowsort = rowsort;
    } else if (i < lines.length && !isBlank(lines[i])) {
      const t = lines[i].trim();
      throw new CorpusFormatError(
        file,
        i + 1,
        t === '----'
          ? "'----' (expected results) is only allowed in query blocks"
          : `unexpected text after the statement (blocks are separated by blank lines): ${t}`,
      );
    }
    blocks.push(block);
  }
  if (skipIf.length > 0 || onlyIf.length > 0) {
    throw new CorpusFormatError(file, lines.length, 'skipif/onlyif at the end of the file without a block');
  }
  return blocks;
}

/** Whether a block runs on the named backend. */
export function runsOn(block: CorpusBlock, backend: string): boolean {
  if (block.skipIf?.includes(backend)) return false;
  if (block.onlyIf && !block.onlyIf.includes(backend)) return false;
  return true;
}
