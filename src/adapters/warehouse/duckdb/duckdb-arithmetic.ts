/**
 * Snowflake arithmetic typing on DuckDB. Division of exact numbers is a NUMBER whose scale is the
 * dividend's + 6 (Snowflake: max(s1, min(s1 + 6, 12))), `x / 0` is an error, AVG of exact numbers is a
 * NUMBER with the same rule, and numeric string literals take part in arithmetic as numbers ('5' + 1).
 *
 * DuckDB divides into DOUBLE. `cast_to_type(value, prototype)` turns that back into the type a
 * prototype expression has: `a * 0::DECIMAL(38,6)` is DECIMAL(38, s1 + 6) for exact `a` and DOUBLE for
 * a float, so the result type follows the operand types without knowing them at translation time.
 */
import { nodeKind, type AstNode } from '../../../sql/ast/ast-node.js';
import { castTo, fn } from './duckdb-expr-build.js';

const ARITHMETIC = new Set(['add', 'sub', 'mul', 'div', 'mod']);

/** A string literal that reads as a number becomes that number (Snowflake converts it). */
function numericLiteral(n: AstNode): AstNode {
  if (nodeKind(n) !== 'literal' || n.literal.literal_type !== 'string') return n;
  const text = String(n.literal.value).trim();
  const exact = text.match(/^[+-]?(\d*)(?:\.(\d*))?$/);
  if (exact && /\d/.test(text)) return castTo(n, `DECIMAL(38,${Math.min(exact[2]?.length ?? 0, 37)})`);
  if (/^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(text)) return castTo(n, 'DOUBLE');
  return n;
}

export function translateArithmetic(kind: string, body: AstNode): AstNode | undefined {
  if (!ARITHMETIC.has(kind)) return undefined;
  body.left = numericLiteral(body.left);
  body.right = numericLiteral(body.right);
  return kind === 'div' ? fn('floe_div', body.left, body.right) : undefined;
}

/** AVG(x) [OVER …]: the aggregate (or window) node, typed like Snowflake's result. */
export function typedAvg(avgNode: AstNode, arg: AstNode, inWindow: boolean): AstNode {
  // In a window the argument itself is a valid prototype; in an aggregate it must be aggregated too.
  const proto = inWindow ? structuredClone(arg) : fn('min', structuredClone(arg));
  return fn('floe_avg_type', avgNode, proto);
}
