/**
 * Stage references (`@stage/path`, `@db.s.stage`, `@%table`, `@~`) and external URLs resolved to an object
 * store plus a key prefix. Internal stages live in one folder store under the engine's internal root:
 * `<db>/<schema>/<stage>/…` (table stages `<db>/<schema>/%<table>/…`, the user stage `~/…`).
 */
import { compilationError, notFound } from '../../core/errors.js';
import { displayName, resolveIdent, type ObjectName } from '../../core/catalog/identifiers.js';
import type { FileFormatSpec, StageDef } from '../../core/catalog/load-objects.js';
import type { ObjectStore } from '../../core/ports/object-store.js';
import type { ExecContext } from '../exec-context.js';
import { qualify } from '../resolve-names.js';

export type StageRef =
  | { kind: 'named'; name: ObjectName; path: string }
  | { kind: 'table'; table: ObjectName; path: string }
  | { kind: 'user'; path: string };

export interface StageLocation {
  store: ObjectStore;
  /** Key prefix of the stage root (ends with '/' for internal stages). */
  root: string;
  /** Key prefix selected by the reference's path (root + path). */
  prefix: string;
  /** How file names are shown: internal `<stage lower>/`, external the stage URL. */
  display: string;
  external: boolean;
  stage: StageDef | undefined;
  fileFormat: FileFormatSpec;
  /** Table stage: the table it belongs to. */
  table?: { database: string; schema: string; name: string };
}

/** Splits `db."My Schema".stage/path/x` into identifier parts and the path after the first '/'. */
export function parseStageRef(text: string): StageRef {
  let i = 0;
  if (text.startsWith('~')) return { kind: 'user', path: stripSlash(text.slice(1)) };
  const isTable = text.startsWith('%');
  if (isTable) i = 1;
  const parts: string[] = [];
  for (;;) {
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) throw compilationError(`invalid stage reference '@${text}'`);
      parts.push(text.slice(i + 1, close));
      i = close + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== '.' && text[j] !== '/') j++;
      const raw = text.slice(i, j);
      if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(raw)) throw compilationError(`invalid stage name '${raw}' in '@${text}'`);
      parts.push(resolveIdent(raw, false));
      i = j;
    }
    if (text[i] === '.') {
      i++;
      continue;
    }
    break;
  }
  if (parts.length > 3) throw compilationError(`invalid stage reference '@${text}'`);
  const path = text[i] === '/' ? text.slice(i + 1) : '';
  const [name, schema, database] = parts.reverse();
  const n: ObjectName = { database, schema, name: name! };
  return isTable ? { kind: 'table', table: n, path } : { kind: 'named', name: n, path };
}

const stripSlash = (p: string): string => (p.startsWith('/') ? p.slice(1) : p);

const seg = (s: string): string => encodeURIComponent(s);

function internalStore(ctx: ExecContext): ObjectStore {
  return ctx.engine.storage.resolver.folder(ctx.engine.storage.internalRoot, 'internal');
}

export function findStage(ctx: ExecContext, n: ObjectName): StageDef {
  const full = qualify(ctx, n);
  const st = ctx.engine.catalog.schemaObject('STAGE', full.database, full.schema, full.name);
  if (!st) throw notFound('Stage', displayName(n));
  return st;
}

/** Key prefix of an internal stage's folder in the internal store. */
export function internalStageRoot(st: { database: string; schema: string; name: string }): string {
  return `${seg(st.database)}/${seg(st.schema)}/${seg(st.name)}/`;
}

export function resolveStageRef(ctx: ExecContext, ref: StageRef): StageLocation {
  if (ref.kind === 'user') {
    return { store: internalStore(ctx), root: '~/', prefix: `~/${ref.path}`, display: '', external: false, stage: undefined, fileFormat: { options: {} } };
  }
  if (ref.kind === 'table') {
    const full = qualify(ctx, ref.table);
    const t = ctx.engine.catalog.table(full.database, full.schema, full.name);
    if (!t || t.kind !== 'TABLE') throw notFound('Table', displayName(ref.table));
    const root = `${seg(full.database)}/${seg(full.schema)}/%${seg(full.name)}/`;
    return {
      store: internalStore(ctx),
      root,
      prefix: root + ref.path,
      display: `${full.name.toLowerCase()}/`,
      external: false,
      stage: undefined,
      fileFormat: { options: {} },
      table: full,
    };
  }
  const st = findStage(ctx, ref.name);
  return stageLocation(ctx, st, ref.path);
}

export function stageLocation(ctx: ExecContext, st: StageDef, path: string): StageLocation {
  if (st.url === undefined) {
    const root = internalStageRoot(st);
    return { store: internalStore(ctx), root, prefix: root + path, display: `${st.name.toLowerCase()}/`, external: false, stage: st, fileFormat: st.fileFormat };
  }
  const loc = ctx.engine.storage.resolver.resolve(st.url);
  return { store: loc.store, root: loc.prefix, prefix: loc.prefix + path, display: st.url, external: true, stage: st, fileFormat: st.fileFormat };
}

/** A COPY/LIST location written as a URL literal instead of a stage. */
export function urlLocation(ctx: ExecContext, url: string): StageLocation {
  const loc = ctx.engine.storage.resolver.resolve(url);
  return { store: loc.store, root: loc.prefix, prefix: loc.prefix, display: url, external: true, stage: undefined, fileFormat: { options: {} } };
}

/** The name shown for a key (LIST `name`, COPY `file`): relative to the stage root, behind its display base. */
export function displayKey(loc: StageLocation, key: string): string {
  return loc.display + relativeKey(loc, key);
}

/** Path of a key relative to the stage root (METADATA$FILENAME, pipe/COPY history identity). */
export function relativeKey(loc: StageLocation, key: string): string {
  return key.startsWith(loc.root) ? key.slice(loc.root.length) : key;
}
