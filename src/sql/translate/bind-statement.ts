/**
 * Snowflake name semantics on a parsed statement: table references are resolved to the backend's physical
 * names through a resolver (which knows the catalog and the session), CTE names stay local, and every
 * remaining identifier becomes what Snowflake resolves it to (unquoted → upper case), quoted so the
 * backend sees exactly that name.
 */
import { resolveIdent, type ObjectName } from '../../core/catalog/identifiers.js';
import { isIdent, make, transform, type AstNode, type Ident } from '../ast/ast-node.js';
import { printSql } from '../ast/polyglot.js';

export interface PhysicalName {
  /** Unquoted physical schema and table names; the binder quotes them. */
  schema: string;
  name: string;
  /** Backend catalog, when the table is not in the default one (a session's temporary table). */
  catalog?: string;
}

/** A reference the resolver replaces by a derived table (a stream's change rows). */
export interface DerivedTable {
  sql: string;
}

export type RefRole = 'read' | 'write';

export type TableResolver = (name: ObjectName, role: RefRole) => PhysicalName | DerivedTable;

const isDerived = (r: PhysicalName | DerivedTable): r is DerivedTable => 'sql' in r;

const identName = (i: Ident | null | undefined): string | undefined => (i ? resolveIdent(i.name, i.quoted) : undefined);

/** A TableRef is polyglot's `{ name: Ident, schema?: Ident, catalog?: Ident, alias?, … }`. */
function isTableRef(v: unknown): v is AstNode {
  // A derived table in DELETE … USING arrives as a TableRef with an empty name: not ours to bind.
  return v !== null && typeof v === 'object' && isIdent((v as AstNode).name) && (v as AstNode).name.name !== '';
}

export function objectNameOf(ref: AstNode): ObjectName {
  const database = identName(ref.catalog);
  // `db..name` means the database's PUBLIC schema.
  const schema = database !== undefined && ref.schema?.name === '' ? 'PUBLIC' : identName(ref.schema);
  return { database, schema, name: identName(ref.name) as string };
}

function collectCteNames(ast: unknown): Set<string> {
  const names = new Set<string>();
  transform(ast, (node, kind) => {
    if (kind === 'select' || kind === 'union' || kind === 'insert') {
      const w = (node[kind] as AstNode).with;
      for (const cte of w?.ctes ?? []) if (isIdent(cte.alias)) names.add(resolveIdent(cte.alias.name, cte.alias.quoted));
    }
  });
  return names;
}

const isCte = (n: ObjectName, ctes: Set<string>): boolean => n.database === undefined && n.schema === undefined && ctes.has(n.name);

interface DerivedRef {
  sql: string;
  alias: string;
}

const quoteAlias = (a: string): string => `"${a.replace(/"/g, '""')}"`;
const derivedNode = (d: DerivedRef): AstNode => make.raw(`(${d.sql}) AS ${quoteAlias(d.alias)}`);

/** A derived table where polyglot expects a TableRef (DELETE … USING): its own shape for `(subquery) AS x`. */
const derivedTableRef = (d: DerivedRef): AstNode => ({
  name: { name: '', quoted: false },
  schema: null,
  catalog: null,
  alias: { name: d.alias, quoted: true },
  alias_explicit_as: true,
  column_aliases: [],
  when: null,
  only: false,
  final_: false,
  hints: [
    {
      subquery: { this: make.raw(d.sql), alias: null, column_aliases: [], alias_explicit_as: false, order_by: null, limit: null, offset: null, lateral: false, modifiers_inside: false },
    },
  ],
});

/** Bind a reference in place; a derived-table resolution comes back for the caller to splice in. */
function bindRef(ref: AstNode, role: RefRole, resolve: TableResolver, ctes: Set<string>, keepName = true): DerivedRef | undefined {
  const n = objectNameOf(ref);
  if (isCte(n, ctes)) {
    ref.name = { ...ref.name, name: n.name, quoted: true };
    return undefined;
  }
  const p = resolve(n, role);
  if (isDerived(p)) return { sql: p.sql, alias: isIdent(ref.alias) ? resolveIdent(ref.alias.name, ref.alias.quoted) : n.name };
  // Column references qualify by the table's Snowflake name; keep it visible when the physical name differs.
  if (keepName && p.name !== n.name && !isIdent(ref.alias)) ref.alias = { name: n.name, quoted: true };
  ref.catalog = p.catalog !== undefined ? { name: p.catalog, quoted: true } : null;
  ref.schema = { name: p.schema, quoted: true };
  ref.name = { ...ref.name, name: p.name, quoted: true };
  return undefined;
}

/** The table a DML statement writes (a TableRef), if any. */
function writeTarget(stmt: AstNode): AstNode | undefined {
  const m = stmt.merge?.this as AstNode | undefined;
  const candidates = [stmt.insert?.table, stmt.update?.table, stmt.delete?.table, stmt.truncate?.table, m?.alias?.this?.table ?? m?.table];
  return candidates.find(isTableRef);
}

export interface TableRefUse {
  name: ObjectName;
  role: RefRole;
}

/** Every catalog table reference of a statement (CTE names excluded), for analysis before binding. */
export function tableRefsOf(stmt: AstNode): TableRefUse[] {
  const ctes = collectCteNames(stmt);
  const target = writeTarget(stmt);
  const out: TableRefUse[] = [];
  const add = (ref: AstNode, role: RefRole): void => {
    const n = objectNameOf(ref);
    if (!isCte(n, ctes)) out.push({ name: n, role });
  };
  if (target) add(target, 'write');
  for (const u of stmt.delete?.using ?? []) if (isTableRef(u)) add(u, 'read');
  transform(stmt, (node, kind) => {
    if (kind === 'table' && isTableRef(node.table) && node.table !== target) add(node.table, 'read');
    return undefined;
  });
  return out;
}

/**
 * Snowflake names `VALUES` columns COLUMN1, COLUMN2, …; DuckDB needs `(VALUES …) AS t(c1, …)`.
 */
function valuesToDerivedTable(node: AstNode): AstNode {
  const v = node.values as AstNode;
  const rows: AstNode[] = v.expressions ?? [];
  const width = rows[0]?.expressions?.length ?? 0;
  const rowSql = rows.map((r) => `(${(r.expressions as AstNode[]).map((e) => printSql(e)).join(', ')})`).join(', ');
  const alias = isIdent(v.alias) ? resolveIdent(v.alias.name, v.alias.quoted) : 'VALUES';
  const given: Ident[] = v.column_aliases ?? [];
  const cols = Array.from({ length: width }, (_, i) => (given[i] ? resolveIdent(given[i].name, given[i].quoted) : `COLUMN${i + 1}`));
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  return make.raw(`(VALUES ${rowSql}) AS ${q(alias)}(${cols.map(q).join(', ')})`);
}

export interface BindOptions {
  resolve: TableResolver;
  /** The backend's string literal spelling (polyglot's printer escapes quotes with a backslash). */
  quoteString: (value: string) => string;
}

export function bindStatement(stmt: AstNode, options: BindOptions): void {
  const { resolve, quoteString } = options;
  const ctes = collectCteNames(stmt);
  const target = writeTarget(stmt);
  // INSERT has no target alias in Snowflake (or DuckDB); DELETE keeps its alias outside the TableRef.
  const aliasedElsewhere = isIdent(stmt.delete?.alias) || stmt.merge?.this?.alias !== undefined;
  if (target) bindRef(target, 'write', resolve, ctes, !stmt.insert && !aliasedElsewhere);
  const using: unknown[] = stmt.delete?.using ?? [];
  using.forEach((u, i) => {
    const derived = isTableRef(u) ? bindRef(u, 'read', resolve, ctes) : undefined;
    if (derived) using[i] = derivedTableRef(derived);
  });
  transform(stmt, (node, kind, parent, key) => {
    if (kind === 'table' && isTableRef(node.table)) {
      const derived = node.table !== target ? bindRef(node.table, 'read', resolve, ctes) : undefined;
      // Inside `<ref> AS x` (an alias node, as MERGE … USING writes it) the wrapper prints the alias.
      const wrapped = key === 'this' && isIdent((parent as AstNode | undefined)?.alias);
      if (derived) return wrapped ? make.raw(`(${derived.sql})`) : derivedNode(derived);
    } else if (kind === 'literal' && (node.literal.literal_type === 'string' || node.literal.literal_type === 'dollar_string')) return make.raw(quoteString(String(node.literal.value)));
    // `(VALUES …) AS t(x)` inside a subquery is already valid; a bare FROM VALUES is not.
    else if (kind === 'values' && key !== 'this' && node.values.expressions?.[0]?.expressions) return valuesToDerivedTable(node);
    return undefined;
  });
  normalizeIdentifiers(stmt);
}

/** Every identifier not yet bound: unquoted → upper case; then quote all so the backend cannot re-case them. */
export function normalizeIdentifiers(root: unknown): void {
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    const o = v as AstNode;
    if (isIdent(o) && !o.quoted) {
      o.name = o.name.toUpperCase();
      o.quoted = true;
    }
    for (const k of Object.keys(o)) {
      const c = o[k];
      if (c !== null && typeof c === 'object') visit(c);
    }
  };
  visit(root);
}
