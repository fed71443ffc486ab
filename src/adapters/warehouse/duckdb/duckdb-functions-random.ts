/**
 * Snowflake's random data generators: RANDOM() and UNIFORM(min, max, gen). Snowflake's RANDOM is a signed 64-bit
 * integer (a different value each row); UNIFORM maps its generator's value into [min, max], so a constant generator
 * gives a constant result, as in Snowflake. The mapping from the generator's value is floe's own (Snowflake does not
 * document its), so UNIFORM(1, 10, 42) gives a fixed value but not Snowflake's. RANDOM(seed) is refused: DuckDB has
 * only a session-wide seed, not the per-query seeded sequence Snowflake gives (docs/compatibility.md).
 */
import { compilationError, unsupported } from '../../../core/errors.js';
import { nodeKind, type AstNode } from '../../../sql/ast/ast-node.js';
import { arity, castTo, fn, isNumberLiteral, raw, tempMacro as macro, type FunctionTranslator } from './duckdb-expr-build.js';

export const RANDOM_MACROS: readonly string[] = [
  // random() is a double with 52 random bits; its hash spreads them over all 64. Each macro here names its
  // volatile input once: a macro's argument is inlined wherever it appears.
  macro('floe_random()', 'floe_hash_signed(hash(random()))'),
  // An integer in [lo, lo + span): the generator's value modulo the span, made non-negative.
  macro('floe_uniform_int(lo, span, g)', 'CAST(lo + ((CAST(g AS HUGEINT) % span) + span) % span AS DECIMAL(38,0))'),
  // A double in [lo, hi]: the generator's value scaled from [-2^63, 2^63) onto [0, 1).
  macro(
    'floe_uniform_float(lo, hi, g)',
    "CAST(lo AS DOUBLE) + (CAST(hi AS DOUBLE) - CAST(lo AS DOUBLE)) * ((CAST(g AS DOUBLE) + 9223372036854775808.0) / 18446744073709551616.0)",
  ),
];

/** RANDOM() → a signed 64-bit value per row. */
export const random = (): AstNode => fn('floe_random');

/** polyglot parses RANDOM(seed) — and Snowflake's unknown RAND() — as one `rand` node. */
export function randWithSeed(body: AstNode): AstNode {
  if (body?.seed === null || body?.seed === undefined) throw compilationError('Unknown function RAND');
  throw unsupported('RANDOM with a seed (floe gives RANDOM() without one; its values are not reproducible)');
}

/** A number literal, possibly negated, as text; Snowflake requires UNIFORM's bounds to be constants. */
function constantNumber(n: AstNode, name: string, position: number): string {
  if (isNumberLiteral(n)) return String(n.literal.value);
  if (nodeKind(n) === 'neg' && isNumberLiteral(n.neg.this)) return `-${String(n.neg.this.literal.value)}`;
  throw compilationError(`argument ${position} to function ${name.toUpperCase()} needs to be constant, found '${nodeKind(n) ?? 'expression'}'`);
}

const isInteger = (text: string): boolean => /^-?\d+$/.test(text);

/** UNIFORM(min, max, gen): an integer when both bounds are integers, else a FLOAT (Snowflake's rule). */
export const uniform: FunctionTranslator = (args, _ctx, name) => {
  arity(name, args, 3);
  const lo = constantNumber(args[0]!, name, 1);
  const hi = constantNumber(args[1]!, name, 2);
  if (Number(lo) > Number(hi)) throw compilationError(`${name.toUpperCase()}: the minimum ${lo} is greater than the maximum ${hi}`);
  if (isInteger(lo) && isInteger(hi)) {
    const span = BigInt(hi) - BigInt(lo) + 1n;
    return fn('floe_uniform_int', castTo(raw(lo), 'HUGEINT'), castTo(raw(span.toString()), 'HUGEINT'), args[2]!);
  }
  return fn('floe_uniform_float', raw(lo), raw(hi), args[2]!);
};
