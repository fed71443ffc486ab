/**
 * Snowflake's row generator and sequence functions, the usual companions of RANDOM() and UNIFORM() in synthetic data:
 *
 * - `TABLE(GENERATOR(ROWCOUNT => n))` → a derived table of n rows over DuckDB's range(n). Snowflake's generator has
 *   no columns; floe's has one, `__FLOE_GENERATOR_ROW`, which a `SELECT *` shows (docs/compatibility.md).
 *   TIMELIMIT is refused: a row count that depends on the clock is not reproducible.
 * - `SEQ1/SEQ2/SEQ4/SEQ8([0 | 1])` → the row's position in the query's result, from 0, wrapping around at the width
 *   of 1, 2, 4 or 8 bytes (1 = signed: from 0 up to the largest signed value, then from the smallest). Like
 *   Snowflake's, the numbers are unique and increasing in the order rows are produced, with no promise about which row
 *   gets which.
 */
import { compilationError, unsupported } from '../../../core/errors.js';
import { nodeKind, type AstNode } from '../../../sql/ast/ast-node.js';
import { parseSnowflake } from '../../../sql/ast/polyglot.js';
import { arity, isNumberLiteral, raw, type FunctionTranslator } from './duckdb-expr-build.js';
import { derivedTable } from './duckdb-derived-table.js';

/** The one column of floe's generator (Snowflake's has none). */
export const GENERATOR_COLUMN = '__FLOE_GENERATOR_ROW';

const isGenerator = (n: AstNode | undefined): boolean => nodeKind(n) === 'function' && String(n?.function.name).toLowerCase() === 'generator';

function rowCount(call: AstNode): bigint {
  let count: bigint | undefined;
  for (const a of (call.function.args ?? []) as AstNode[]) {
    if (nodeKind(a) !== 'named_argument') throw compilationError('GENERATOR takes named arguments (ROWCOUNT => n).');
    const name = String(a.named_argument.name.name).toUpperCase();
    const v = a.named_argument.value as AstNode;
    if (name === 'TIMELIMIT') throw unsupported('GENERATOR with TIMELIMIT (floe generates a fixed ROWCOUNT)');
    if (name !== 'ROWCOUNT') throw compilationError(`GENERATOR: unknown argument ${name}`);
    if (!isNumberLiteral(v) || !/^\d+$/.test(String(v.literal.value))) {
      throw compilationError('GENERATOR: ROWCOUNT must be a non-negative integer constant');
    }
    count = BigInt(String(v.literal.value));
  }
  if (count === undefined) throw compilationError('GENERATOR needs ROWCOUNT => n');
  return count;
}

function generatorSubquery(call: AstNode): AstNode {
  const [stmt] = parseSnowflake(`SELECT * FROM (SELECT range AS ${GENERATOR_COLUMN} FROM range(${rowCount(call)}))`);
  return derivedTable(stmt.select.from.expressions[0] as AstNode, { name: 'GENERATOR', quoted: false });
}

/** `TABLE(GENERATOR(…))` (its alias: duckdb-derived-table.ts), else undefined. */
export function translateGenerator(node: AstNode, kind: string): AstNode | undefined {
  if (kind === 'function' && String(node.function.name).toLowerCase() === 'table' && isGenerator(node.function.args?.[0])) {
    return generatorSubquery(node.function.args[0]);
  }
  return undefined;
}

/** SEQ1/2/4/8: bytes of the integer the sequence wraps around in. */
export function seq(bytes: 1 | 2 | 4 | 8): FunctionTranslator {
  return (args, _ctx, name) => {
    arity(name, args, 0, 1);
    const a = args[0];
    if (a !== undefined && !(isNumberLiteral(a) && /^[01]$/.test(String(a.literal.value)))) {
      throw compilationError(`${name.toUpperCase()}: the argument must be 0 (unsigned) or 1 (signed)`);
    }
    const signed = a !== undefined && String(a.literal.value) === '1';
    const position = '(row_number() OVER () - 1)';
    if (bytes === 8) return raw(`CAST(${position} AS BIGINT)`); // a query does not produce 2^63 rows
    const span = 2n ** BigInt(8 * bytes);
    const half = span / 2n;
    return raw(signed ? `CAST((${position} + ${half}) % ${span} - ${half} AS BIGINT)` : `CAST(${position} % ${span} AS BIGINT)`);
  };
}

const SEQ = /^seq[1248]$/;

/** Clauses DuckDB evaluates before window functions, by their key in a select node: a SEQ there is refused. */
export const BEFORE_WINDOWS: Readonly<Record<string, string>> = { where_clause: 'WHERE', group_by: 'GROUP BY', having: 'HAVING' };

/** Throws for a SEQn call inside `clause` (one of BEFORE_WINDOWS), with a floe error instead of DuckDB's. */
export function refuseSeqIn(node: AstNode, clause: string | undefined): void {
  if (clause === undefined || nodeKind(node) !== 'function' || !SEQ.test(String(node.function.name).toLowerCase())) return;
  const name = String(node.function.name).toUpperCase();
  throw unsupported(`${name} in ${clause} (on DuckDB floe numbers rows with a window function, which ${clause} cannot hold; number the rows in a subquery and filter or group outside it)`);
}
