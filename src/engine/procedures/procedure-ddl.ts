/**
 * CREATE / DROP / SHOW / DESCRIBE PROCEDURE. A procedure is catalog metadata (its body is run by CALL);
 * procedures overload, so DROP and DESCRIBE name the argument types.
 */
import { alreadyExists, compilationError, notFound, unsupported } from '../../core/errors.js';
import { displayIdent, displayName } from '../../core/catalog/identifiers.js';
import { keys } from '../../core/catalog/catalog.js';
import type { ProcedureArg, ProcedureDef } from '../../core/catalog/procedure-def.js';
import { formatSfType, parseSfType } from '../../core/types/snowflake-type.js';
import { tokenize } from '../../sql/lexer.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { commitDdl, statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { qualify, requireSchema } from '../resolve-names.js';
import { parseBlock, startsBlock } from '../scripting/script-parser.js';
import { binaryCompare, ltz, parseShowOptions, resolveScope, showResult, type ColumnSpecs, type Row } from '../handlers/show-common.js';

const TYPE_WORDS = ['PRECISION', 'VARYING', 'WITH', 'WITHOUT', 'LOCAL', 'TIME', 'ZONE'];

/** A type as written (`NUMBER(10, 2)`, `DOUBLE PRECISION`, `TIMESTAMP_LTZ(3)`), validated and upper-cased. */
export function readType(cur: TokenCursor): string {
  const first = cur.next();
  if (first.type !== 'word') throw cur.unexpectedAt(first, 'expected a type');
  let text = first.value;
  while (cur.isWord(...TYPE_WORDS)) text += ' ' + cur.next().value;
  if (cur.acceptSymbol('(')) {
    const params: string[] = [];
    while (!cur.acceptSymbol(')')) {
      const t = cur.next();
      if (t.type !== 'number') throw cur.unexpectedAt(t, 'expected a number');
      params.push(t.value);
      cur.acceptSymbol(',');
    }
    text += `(${params.join(',')})`;
    while (cur.isWord(...TYPE_WORDS)) text += ' ' + cur.next().value;
  }
  if (['GEOGRAPHY', 'GEOMETRY', 'VECTOR', 'TABLE'].includes(first.value)) throw unsupported(`procedure argument or return type ${text}`);
  parseSfType(text);
  return text;
}

/** The type kind DROP/DESCRIBE/SHOW use to name an argument (`VARCHAR`, `NUMBER`, `TIMESTAMP_NTZ`). */
export const typeKind = (type: string): string => parseSfType(type).kind;

export const signatureOf = (types: string[]): string => `(${types.map(typeKind).join(', ')})`;

export async function handleCreateProcedure(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('CREATE');
  const orReplace = cur.acceptWords('OR', 'REPLACE');
  const secure = cur.acceptWords('SECURE');
  if (cur.isWord('TEMPORARY', 'TEMP')) throw unsupported('CREATE TEMPORARY PROCEDURE');
  cur.expectWords('PROCEDURE');
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  if (orReplace && ifNotExists) throw compilationError('OR REPLACE and IF NOT EXISTS are incompatible.');
  const name = cur.objectName();
  const full = qualify(ctx, name, 'CREATE PROCEDURE');
  requireSchema(ctx, full.database, full.schema);
  const args: ProcedureArg[] = [];
  cur.expectSymbol('(');
  while (!cur.acceptSymbol(')')) {
    const argName = cur.identifier().name;
    const type = readType(cur);
    const arg: ProcedureArg = { name: argName, type };
    if (cur.acceptWords('DEFAULT')) arg.default = rawUntilComma(ctx, cur);
    else if (args.some((a) => a.default !== undefined)) throw compilationError(`Argument '${argName}' without a default follows an argument with a default.`);
    if (args.some((a) => a.name === argName)) throw compilationError(`Duplicate argument name '${argName}'.`);
    args.push(arg);
    if (cur.acceptSymbol(',')) continue;
    cur.expectSymbol(')');
    break;
  }
  cur.acceptWords('COPY', 'GRANTS');
  cur.expectWords('RETURNS');
  let returns: ProcedureDef['returns'];
  if (cur.acceptWords('TABLE')) {
    const cols: { name: string; type: string }[] = [];
    cur.expectSymbol('(');
    while (!cur.acceptSymbol(')')) {
      cols.push({ name: cur.identifier().name, type: readType(cur) });
      cur.acceptSymbol(',');
    }
    returns = { table: cols };
  } else {
    const type = readType(cur);
    returns = { type, notNull: cur.acceptWords('NOT', 'NULL') };
    if (!returns.notNull) cur.acceptWords('NULL');
  }
  let language: ProcedureDef['language'] = 'SQL';
  let executeAs: ProcedureDef['executeAs'] = 'OWNER';
  let nullHandling: ProcedureDef['nullHandling'] = 'CALLED ON NULL INPUT';
  let volatility: ProcedureDef['volatility'] = 'VOLATILE';
  let comment: string | undefined;
  while (!cur.isWord('AS')) {
    if (cur.acceptWords('LANGUAGE')) {
      const l = cur.next().value;
      if (l !== 'JAVASCRIPT' && l !== 'SQL') throw unsupported(`LANGUAGE ${l} procedures (floe runs JAVASCRIPT and SQL)`);
      language = l;
    } else if (cur.acceptWords('EXECUTE', 'AS')) {
      if (cur.acceptWords('RESTRICTED', 'CALLER')) executeAs = 'RESTRICTED CALLER';
      else executeAs = cur.acceptWords('CALLER') ? 'CALLER' : (cur.expectWords('OWNER'), 'OWNER');
    } else if (cur.acceptWords('CALLED', 'ON', 'NULL', 'INPUT')) nullHandling = 'CALLED ON NULL INPUT';
    else if (cur.acceptWords('RETURNS', 'NULL', 'ON', 'NULL', 'INPUT') || cur.acceptWords('STRICT')) nullHandling = 'RETURNS NULL ON NULL INPUT';
    else if (cur.acceptWords('VOLATILE')) volatility = 'VOLATILE';
    else if (cur.acceptWords('IMMUTABLE')) volatility = 'IMMUTABLE';
    else if (cur.acceptWords('COMMENT')) {
      cur.expectSymbol('=');
      comment = cur.string();
    } else throw cur.unexpected('expected a procedure property or AS');
  }
  cur.expectWords('AS');
  const body = bodyText(ctx, cur);
  if ('table' in returns && language === 'JAVASCRIPT') throw compilationError('JavaScript procedures cannot return a table.');
  if (language === 'SQL') {
    const tokens = tokenize(body);
    if (!startsBlock(tokens)) throw compilationError('The body of a LANGUAGE SQL procedure must be a Snowflake Scripting block ([DECLARE …] BEGIN … END).');
    parseBlock(body, tokens);
  }
  const signature = signatureOf(args.map((a) => a.type));
  const def: ProcedureDef = {
    objectKind: 'PROCEDURE',
    database: full.database,
    schema: full.schema,
    name: full.name,
    signature,
    args,
    returns,
    language,
    executeAs,
    nullHandling,
    volatility,
    secure,
    body,
    createdOn: new Date(ctx.engine.now()).toISOString(),
    owner: ctx.session.role,
    ...(comment !== undefined ? { comment } : {}),
  };
  const existing = findProcedure(ctx, full.database, full.schema, full.name, signature);
  if (existing && ifNotExists) return statusResult(`${displayIdent(full.name)} already exists, statement succeeded.`);
  if (existing && !orReplace) throw alreadyExists('Procedure', displayIdent(full.name));
  await commitDdl(ctx, [], { remove: [], put: [{ kind: 'SCHEMA_OBJECT', def }] });
  return statusResult(`Function ${displayIdent(full.name)} successfully created.`);
}

/** The source text of the tokens up to the next top-level `,` or `)` (a DEFAULT expression). */
function rawUntilComma(ctx: ExecContext, cur: TokenCursor): string {
  const start = cur.pos;
  let depth = 0;
  while (!cur.atEnd()) {
    const t = cur.peek()!;
    if (t.type === 'symbol' && t.value === '(') depth++;
    else if (t.type === 'symbol' && t.value === ')') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && t.type === 'symbol' && t.value === ',') break;
    cur.pos++;
  }
  if (cur.pos === start) throw cur.unexpected('expected a default value');
  return sliceTokens(ctx, start, cur.pos - 1);
}

function sliceTokens(ctx: ExecContext, from: number, to: number): string {
  const t = ctx.stmt.tokens;
  const base = t[0].start;
  return ctx.stmt.sql.slice(t[from].start - base, t[to].end - base);
}

/** AS '…' | AS $$…$$ | AS BEGIN … END (Snowflake Scripting written inline). */
function bodyText(ctx: ExecContext, cur: TokenCursor): string {
  const t = cur.peek();
  if (t && (t.type === 'string' || t.type === 'dollar') && cur.peek(1) === undefined) return cur.string();
  if (!t) throw cur.unexpected('expected the procedure body');
  const start = cur.pos;
  cur.rest();
  return sliceTokens(ctx, start, ctx.stmt.tokens.length - 1);
}

export function findProcedure(ctx: ExecContext, database: string, schema: string, name: string, signature: string): ProcedureDef | undefined {
  return ctx.engine.catalog.schemaObjects('PROCEDURE', database, schema).find((p) => p.name === name && p.signature === signature);
}

/** `name(type, …)` as DROP / DESCRIBE PROCEDURE write it. */
function procedureByTypes(ctx: ExecContext, cur: TokenCursor): { def: ProcedureDef | undefined; label: string; name: string } {
  const n = cur.objectName();
  const full = qualify(ctx, n);
  const types: string[] = [];
  cur.expectSymbol('(');
  while (!cur.acceptSymbol(')')) {
    types.push(readType(cur));
    cur.acceptSymbol(',');
  }
  cur.expectEnd();
  const signature = signatureOf(types);
  return { def: findProcedure(ctx, full.database, full.schema, full.name, signature), label: `${displayName(n)}${signature.replace(/, /g, ', ')}`, name: full.name };
}

export async function handleDropProcedure(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('DROP', 'PROCEDURE');
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const { def, label, name } = procedureByTypes(ctx, cur);
  if (!def) {
    if (ifExists) return statusResult(`Drop statement executed successfully (${displayIdent(name)} already dropped).`);
    throw notFound('Procedure', label);
  }
  await commitDdl(ctx, [], { remove: [keys.procedure(def.database, def.schema, def.name, def.signature)], put: [] });
  return statusResult(`${displayIdent(def.name)} successfully dropped.`);
}

const argumentsText = (p: ProcedureDef): string => {
  const args = p.args.map((a) => (a.default !== undefined ? `[${typeKind(a.type)}]` : typeKind(a.type))).join(', ');
  const ret = 'table' in p.returns ? `TABLE (${p.returns.table.map((c) => `${c.name} ${typeKind(c.type)}`).join(', ')})` : typeKind(p.returns.type);
  return `${p.name}(${args}) RETURN ${ret}`;
};

const PROCEDURE_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  schema_name: 'TEXT',
  is_builtin: 'TEXT',
  is_aggregate: 'TEXT',
  is_ansi: 'TEXT',
  min_num_arguments: 'NUMBER',
  max_num_arguments: 'NUMBER',
  arguments: 'TEXT',
  description: 'TEXT',
  catalog_name: 'TEXT',
  is_table_function: 'TEXT',
  valid_for_clustering: 'TEXT',
  is_secure: 'TEXT',
  secrets: 'TEXT',
  external_access_integrations: 'TEXT',
};

export async function showProcedures(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  if (terse) throw unsupported('SHOW TERSE PROCEDURES');
  const opts = parseShowOptions(cur, terse);
  const scope = resolveScope(ctx, opts.in, 'SHOW PROCEDURES', 'SCHEMA');
  if (scope.level === 'TABLE') throw compilationError('SHOW PROCEDURES does not support IN TABLE.');
  const c = ctx.engine.catalog;
  const procs = scope.level === 'ACCOUNT' ? c.schemaObjects('PROCEDURE') : scope.level === 'DATABASE' ? c.schemaObjects('PROCEDURE', scope.database) : c.schemaObjects('PROCEDURE', scope.database, scope.schema);
  const rows: Row[] = procs
    .sort((a, b) => binaryCompare(a.name, b.name) || binaryCompare(a.signature, b.signature))
    .map((p) => ({
      created_on: ltz(ctx, p.createdOn),
      name: p.name,
      schema_name: p.schema,
      is_builtin: 'N',
      is_aggregate: 'N',
      is_ansi: 'N',
      min_num_arguments: p.args.filter((a) => a.default === undefined).length,
      max_num_arguments: p.args.length,
      arguments: argumentsText(p),
      description: p.comment ?? 'user-defined procedure',
      catalog_name: p.database,
      is_table_function: 'table' in p.returns ? 'Y' : 'N',
      valid_for_clustering: 'N',
      is_secure: p.secure ? 'Y' : 'N',
      secrets: null,
      external_access_integrations: null,
    }));
  return showResult(PROCEDURE_COLUMNS, rows, opts);
}

export function describeProcedure(ctx: ExecContext, cur: TokenCursor): HandlerResult {
  const { def, label } = procedureByTypes(ctx, cur);
  if (!def) throw notFound('Procedure', label);
  const returns = 'table' in def.returns
    ? `TABLE (${def.returns.table.map((c) => `${c.name} ${formatSfType(parseSfType(c.type))}`).join(', ')})`
    : formatSfType(parseSfType(def.returns.type)) + (def.returns.notNull ? ' NOT NULL' : '');
  const rows: [string, string][] = [
    ['signature', `(${def.args.map((a) => `${a.name} ${typeKind(a.type)}${a.default !== undefined ? ` DEFAULT ${a.default}` : ''}`).join(', ')})`],
    ['returns', returns],
    ['language', def.language],
    ['null handling', def.nullHandling],
    ['volatility', def.volatility],
    ['body', def.body],
    ['execute as', def.executeAs],
  ];
  return { columns: [{ name: 'property', type: 'TEXT' }, { name: 'value', type: 'TEXT' }], rows };
}
