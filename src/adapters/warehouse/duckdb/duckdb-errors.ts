/**
 * DuckDB error messages → floe errors with Snowflake's wording. Users never see a raw DuckDB message
 * without floe's framing: anything unrecognised is reported as an execution error that names the statement.
 */
import { FloeError } from '../../../core/errors.js';

interface Rule {
  test: RegExp;
  make: (m: RegExpMatchArray, raw: string) => FloeError;
}

/** DuckDB at its memory_limit (also inside `Failed to commit: …`). */
export const OUT_OF_MEMORY = /failed to pin block|could not allocate block|failed to allocate data|Out of Memory Error/i;

const RULES: Rule[] = [
  {
    // Name the setting that raises the limit (a long run's indexes grow with the data).
    test: OUT_OF_MEMORY,
    make: (_m, raw) =>
      new FloeError('SQL_EXECUTION', `SQL execution error: the warehouse ran out of memory (${firstLine(raw)}); raise warehouse.memoryLimit in floe.yaml`, {
        cause: new Error(raw),
      }),
  },
  {
    // Errors floe's generated SQL raises itself (`error('floe: …')`) already carry Snowflake's wording.
    // Inside a CHECK constraint DuckDB wraps it: `CHECK constraint failed … (Error: floe: …)`.
    test: /\(Error: floe: ([\s\S]*)\)\s*$|Invalid Input Error: floe: ([^\n]*)/,
    make: (m) => new FloeError('SQL_EXECUTION', m[1] ?? m[2]),
  },
  {
    // floe's parser accepted the statement, so a backend parse error means a construct floe passes through
    // but cannot translate yet — say so instead of showing DuckDB's grammar complaint.
    test: /Parser Error: syntax error at or near "?([^"\n]*)"?/,
    make: (m) => new FloeError('UNSUPPORTED', `unsupported: a construct near '${m[1]}' that floe does not translate for DuckDB yet`),
  },
  {
    test: /Referenced column "([^"]+)" not found|Values list "[^"]*" does not have a column named "([^"]+)"|Table "[^"]*" does not have a column named "([^"]+)"/,
    make: (m) => new FloeError('SQL_COMPILATION', `SQL compilation error:\ninvalid identifier '${m[1] ?? m[2] ?? m[3]}'`),
  },
  {
    // floe's catalog already rejects exact duplicates: DuckDB only complains about names differing by case.
    test: /Column with name "?([^"!]+?)"? already exists!/,
    make: (m) => new FloeError('UNSUPPORTED', `unsupported: a second column named ${m[1]} in any letter case (the DuckDB backend compares column names case-insensitively)`),
  },
  {
    test: /Referenced update column "?([^"\s]+)"? not found/,
    make: (m) => new FloeError('SQL_COMPILATION', `SQL compilation error:\ninvalid identifier '${m[1]}'`),
  },
  {
    test: /Ambiguous reference to column name "([^"]+)"/,
    make: (m) => new FloeError('SQL_COMPILATION', `SQL compilation error:\nambiguous column name '${m[1]}'`),
  },
  {
    test: /column "([^"]+)" must appear in the GROUP BY clause or must be part of an aggregate function/,
    make: (m) => new FloeError('SQL_COMPILATION', `SQL compilation error:\n'${m[1]}' is not a valid group by expression`),
  },
  {
    test: /NOT NULL constraint failed: ([^.\s]+)\.("?)([^"\s]+)\2/,
    make: (m) => new FloeError('NOT_NULL_VIOLATION', `NULL result in a non-nullable column ${m[3]}`),
  },
  {
    test: /Could not convert string ["']([^"']*)["'] to (INT\d*|DECIMAL[^\s]*|DOUBLE|FLOAT|BIGINT|HUGEINT|UINT\d*)/,
    make: (m) => new FloeError('SQL_EXECUTION', `Numeric value '${m[1]}' is not recognized`),
  },
  {
    test: /Could not convert string ["']([^"']*)["'] to BOOL/,
    make: (m) => new FloeError('SQL_EXECUTION', `Boolean value '${m[1]}' is not recognized`),
  },
  {
    test: /(?:invalid date field format: "([^"]*)"|date field value out of range: "([^"]*)"|Could not convert string ["']([^"']*)["'] to DATE)/i,
    make: (m) => new FloeError('SQL_EXECUTION', `Date '${m[1] ?? m[2] ?? m[3] ?? ''}' is not recognized`),
  },
  {
    test: /Could not convert string '([^']*)' to TIMESTAMP|invalid timestamp field format: "([^"]*)"/i,
    make: (m) => new FloeError('SQL_EXECUTION', `Timestamp '${m[1] ?? m[2] ?? ''}' is not recognized`),
  },
  {
    test: /Malformed JSON|JSON.*parse error/i,
    make: (_m, raw) => new FloeError('SQL_EXECUTION', `Error parsing JSON: ${firstLine(raw)}`),
  },
  {
    test: /Division by zero|division by zero/,
    make: () => new FloeError('SQL_EXECUTION', 'Division by zero'),
  },
  {
    test: /Overflow|out of range for the destination type|is out of range/i,
    make: (_m, raw) => new FloeError('SQL_EXECUTION', `Numeric value out of range: ${firstLine(raw)}`),
  },
  {
    test: /Conversion Error: (.*)/,
    make: (m) => new FloeError('SQL_EXECUTION', `Conversion error: ${firstLine(m[1])}`),
  },
];

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/^[A-Za-z ]+ Error: /, '');
}

export function mapDuckDbError(e: unknown): FloeError {
  if (e instanceof FloeError) return e;
  const raw = e instanceof Error ? e.message : String(e);
  for (const rule of RULES) {
    const m = raw.match(rule.test);
    if (m) return rule.make(m, raw);
  }
  return new FloeError('SQL_EXECUTION', `SQL execution error: ${firstLine(raw)}`, { cause: e });
}
