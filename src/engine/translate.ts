/**
 * The translation pipeline for statements the backend runs: parse (Snowflake) → expression rewrites
 * (backend dialect) → name binding (Snowflake semantics, via the catalog) → print.
 */
import { compilationError, FloeError, notFound, unsupported } from '../core/errors.js';
import { displayName, fullKey } from '../core/catalog/identifiers.js';
import type { AstNode } from '../sql/ast/ast-node.js';
import { parseSnowflake, printSql } from '../sql/ast/polyglot.js';
import { bindStatement, type TableResolver } from '../sql/translate/bind-statement.js';
import { METADATA_SCHEMA } from './metadata-store.js';
import { expandView } from './changes/view-expansion.js';
import { INFORMATION_SCHEMA } from './information-schema.js';
import type { ExecContext } from './exec-context.js';
import { qualify } from './resolve-names.js';
import { prepareDmlTargets } from './dml-targets.js';
import { rejectCaseInsensitiveColumnMatches } from './column-case.js';
import type { TableDef } from '../core/catalog/catalog-model.js';
import { lookupTable, physicalPartsOf } from './temp-tables.js';

/** Parse one statement; syntax error positions are shifted to the script's line numbers. */
export function parseStatement(ctx: ExecContext): AstNode {
  // These parse (sometimes) but have no translation: reject them before any rewrite trips over their parts.
  const early = knownUntranslatedConstruct(ctx, 2);
  if (early) throw unsupported(early);
  try {
    const asts = parseSnowflake(ctx.stmt.sql);
    return asts[0];
  } catch (e) {
    // Valid Snowflake that the parser does not know yet: name the construct instead of blaming the user.
    const construct = knownUntranslatedConstruct(ctx);
    if (construct) throw unsupported(construct);
    const err = e as { location?: { line?: number }; message: string };
    if (err.location?.line !== undefined && ctx.stmt.line > 1) {
      const scriptLine = err.location.line + ctx.stmt.line - 1;
      err.message = err.message.replace(/line \d+/, `line ${scriptLine}`);
      err.location.line = scriptLine;
    }
    throw e;
  }
}

export function tableResolver(ctx: ExecContext, seen?: TableDef[]): TableResolver {
  const { catalog } = ctx.engine;
  return (n, role) => {
    if (n.schema === INFORMATION_SCHEMA) {
      const db = n.database ?? ctx.session.database;
      if (db !== undefined && catalog.database(db)) return ctx.engine.driver.dialect.physicalParts(db, INFORMATION_SCHEMA, n.name);
    }
    const full = qualify(ctx, n, 'query');
    const override = role === 'read' ? ctx.overrides?.get(fullKey(full)) : undefined;
    if (override !== undefined) return { sql: override };
    const def = lookupTable(ctx, full);
    if (def?.kind === 'VIEW' && def.readsStreams && role === 'read') return { sql: expandView(ctx, def, prepareForBackend, print) };
    if (!def) {
      const read = ctx.changes?.streams.get(fullKey(full));
      if (read && role === 'read') return { sql: read.sql };
      if (catalog.stream(full.database, full.schema, full.name)) {
        if (role === 'write') throw compilationError(`Object ${displayName(n)} is a stream; a stream cannot be the target of DML.`);
        throw new FloeError('INTERNAL', `stream ${displayName(n)} was not prepared for reading`);
      }
      throw notFound('Object', displayName(n));
    }
    seen?.push(def);
    // Writes to a tracked table go to its base table, where column defaults stamp row ids and versions.
    if (role === 'write' && def.tracked) return { schema: METADATA_SCHEMA, name: `t_${def.id}` };
    return physicalPartsOf(ctx.engine.driver.dialect, def);
  };
}

/** Rewrite expressions for the backend and bind names, in place; returns the catalog tables and views it names. */
export function prepareForBackend(ctx: ExecContext, ast: AstNode): TableDef[] {
  prepareDmlTargets(ctx, ast);
  ctx.engine.driver.dialect.rewriteExpressions(ast, {
    timestampTypeMapping: ctx.session.params.get('TIMESTAMP_TYPE_MAPPING') as 'TIMESTAMP_NTZ',
  });
  const tables: TableDef[] = [];
  bindStatement(ast, { resolve: tableResolver(ctx, tables), quoteString: ctx.engine.driver.dialect.quoteString });
  rejectCaseInsensitiveColumnMatches(ast, tables);
  return tables;
}

export const print = (ast: AstNode | AstNode[]): string => printSql(ast);

const UNTRANSLATED: [string[], string][] = [
  [['MATCH_RECOGNIZE'], 'MATCH_RECOGNIZE'],
  [['CONNECT', 'BY'], 'CONNECT BY'],
  [['START', 'WITH'], 'START WITH … CONNECT BY'],
  [['PIVOT'], 'PIVOT'],
  [['UNPIVOT'], 'UNPIVOT'],
  [['CHANGES'], 'CHANGES clause'],
  [['SAMPLE'], 'SAMPLE'],
  [['TABLESAMPLE'], 'TABLESAMPLE'],
];

function knownUntranslatedConstruct(ctx: ExecContext, limit = UNTRANSLATED.length): string | undefined {
  const words = ctx.stmt.tokens.map((t) => (t.type === 'word' ? t.value : ''));
  for (const [seq, name] of UNTRANSLATED.slice(0, limit)) {
    for (let i = 0; i + seq.length <= words.length; i++) {
      if (seq.every((w, j) => words[i + j] === w)) return name;
    }
  }
  return undefined;
}
