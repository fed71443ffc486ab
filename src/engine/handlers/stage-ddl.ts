/**
 * CREATE / DROP STAGE and FILE FORMAT, SHOW STAGES / FILE FORMATS, DESCRIBE STAGE / FILE FORMAT.
 * Stages and file formats are catalog metadata only; CREDENTIALS are accepted but never stored or shown
 * (floe.yaml's bucket binding says how to reach a bucket).
 */
import { alreadyExists, compilationError, notFound, unsupported } from '../../core/errors.js';
import { displayIdent, displayName, resolveIdent } from '../../core/catalog/identifiers.js';
import { keys } from '../../core/catalog/catalog.js';
import type { FileFormatDef, FileFormatSpec, FormatOptions, SchemaObjectDef, StageDef } from '../../core/catalog/load-objects.js';
import { describeFormat, formatTypeOf, resolveFileFormat } from '../../core/load/file-format.js';
import { TokenCursor } from '../../sql/token-cursor.js';
import { commitDdl, statusResult, type ExecContext, type HandlerResult } from '../exec-context.js';
import { formatOptions, optionString, parseOptions } from '../load/option-parser.js';
import { internalStageRoot } from '../load/stage-location.js';
import { qualify, requireSchema } from '../resolve-names.js';
import { ltz, parseShowOptions, resolveScope, showResult, TERSE_COLUMNS, type ColumnSpecs, type Row } from './show-common.js';

const STAGE_KEYS = new Set(['URL', 'STORAGE_INTEGRATION', 'CREDENTIALS', 'ENCRYPTION', 'DIRECTORY', 'FILE_FORMAT', 'COPY_OPTIONS', 'COMMENT', 'ENDPOINT', 'TAG']);

/** A FORMAT_NAME value: a (possibly qualified) identifier, written bare or as a string. */
export function formatNameOf(text: string): { database?: string; schema?: string; name: string } {
  const parts = text.split('.').map((p) => (p.startsWith('"') && p.endsWith('"') ? p.slice(1, -1) : resolveIdent(p, false)));
  const [name, schema, database] = parts.reverse();
  return { database, schema, name: name! };
}

export function fileFormatSpec(options: FormatOptions): FileFormatSpec {
  const fmt = options.FORMAT_NAME;
  if (typeof fmt === 'string') {
    if (Object.keys(options).length > 1) throw compilationError('FORMAT_NAME and TYPE/format options are mutually exclusive.');
    return { formatName: fmt };
  }
  resolveFileFormat(options); // validate now: bad options fail at CREATE, not at the first load
  return { options };
}

export async function handleCreateStageOrFormat(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('CREATE');
  const orReplace = cur.acceptWords('OR', 'REPLACE');
  const temporary = cur.acceptWords('TEMPORARY') || cur.acceptWords('TEMP');
  const kind = cur.acceptWords('STAGE') ? 'STAGE' : (cur.expectWords('FILE', 'FORMAT'), 'FILE_FORMAT');
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  if (orReplace && ifNotExists) throw compilationError('OR REPLACE and IF NOT EXISTS are incompatible.');
  const name = cur.objectName();
  const full = qualify(ctx, name, `CREATE ${kind === 'STAGE' ? 'STAGE' : 'FILE FORMAT'}`);
  requireSchema(ctx, full.database, full.schema);
  const opts = parseOptions(cur);
  cur.expectEnd();
  const base = { database: full.database, schema: full.schema, name: full.name, createdOn: new Date().toISOString(), owner: ctx.session.role };
  const comment = optionString('COMMENT', opts.COMMENT);
  let def: SchemaObjectDef;
  if (kind === 'STAGE') {
    for (const k of Object.keys(opts)) if (!STAGE_KEYS.has(k)) throw compilationError(`invalid property '${k}' for CREATE STAGE`);
    const url = optionString('URL', opts.URL);
    if (url !== undefined && !/^(s3|file):\/\//i.test(url)) {
      throw unsupported(`stage URL '${url}' (floe stages use s3://<bucket>/<path> bound in floe.yaml, or file:///<dir>/)`);
    }
    if (url !== undefined) ctx.engine.storage.resolver.resolve(url); // an unbound bucket fails now, naming the floe.yaml key
    const stage: StageDef = {
      ...base,
      objectKind: 'STAGE',
      ...(url !== undefined ? { url } : {}),
      ...(opts.STORAGE_INTEGRATION !== undefined ? { storageIntegration: optionString('STORAGE_INTEGRATION', opts.STORAGE_INTEGRATION) } : {}),
      hasCredentials: opts.CREDENTIALS !== undefined,
      fileFormat: fileFormatSpec(formatOptions('FILE_FORMAT', opts.FILE_FORMAT)),
      ...(temporary ? { temporary: true } : {}),
      ...(opts.COPY_OPTIONS !== undefined ? { copyOptions: formatOptions('COPY_OPTIONS', opts.COPY_OPTIONS) } : {}),
      ...(comment !== undefined ? { comment } : {}),
    };
    def = stage;
  } else {
    const options: FormatOptions = {};
    for (const [k, v] of Object.entries(opts)) {
      if (k === 'COMMENT') continue;
      if (typeof v !== 'string' && !Array.isArray(v)) throw compilationError(`file format option ${k} cannot be nested`);
      options[k] = v;
    }
    resolveFileFormat(options);
    def = { ...base, objectKind: 'FILE_FORMAT', options, ...(comment !== undefined ? { comment } : {}) } satisfies FileFormatDef;
  }
  const existing = ctx.engine.catalog.schemaObject(def.objectKind, full.database, full.schema, full.name);
  const label = kind === 'STAGE' ? 'Stage area' : 'File format';
  if (existing && ifNotExists) return statusResult(`${displayIdent(full.name)} already exists, statement succeeded.`);
  if (existing && !orReplace) throw alreadyExists(label, displayIdent(full.name));
  await commitDdl(ctx, [], { remove: [], put: [{ kind: 'SCHEMA_OBJECT', def }] });
  return statusResult(kind === 'STAGE' ? `Stage area ${displayIdent(full.name)} successfully created.` : `File format ${displayIdent(full.name)} successfully created.`);
}

export async function handleDropStageOrFormat(ctx: ExecContext): Promise<HandlerResult> {
  const cur = new TokenCursor(ctx.stmt.tokens);
  cur.expectWords('DROP');
  const kind = cur.acceptWords('STAGE') ? 'STAGE' : (cur.expectWords('FILE', 'FORMAT'), 'FILE_FORMAT');
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const name = cur.objectName();
  cur.expectEnd();
  const full = qualify(ctx, name);
  const label = kind === 'STAGE' ? 'Stage' : 'File format';
  const def = ctx.engine.catalog.schemaObject(kind, full.database, full.schema, full.name);
  if (!def) {
    if (ifExists) return statusResult('Drop statement executed successfully (' + displayIdent(full.name) + ' already dropped).');
    throw notFound(label, displayName(name));
  }
  await commitDdl(ctx, [], { remove: [keys.schemaObject(kind, full.database, full.schema, full.name)], put: [] });
  if (kind === 'STAGE' && (def as StageDef).url === undefined) {
    // An internal stage's files go with it (Snowflake purges them); best effort after the commit.
    const store = ctx.engine.storage.resolver.folder(ctx.engine.storage.internalRoot, 'internal');
    for await (const o of store.list(internalStageRoot(def))) await store.delete(o.key).catch(() => undefined);
  }
  return statusResult(`${displayIdent(full.name)} successfully dropped.`);
}

const STAGE_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  database_name: 'TEXT',
  schema_name: 'TEXT',
  url: 'TEXT',
  has_credentials: 'TEXT',
  has_encryption_key: 'TEXT',
  owner: 'TEXT',
  comment: 'TEXT',
  region: 'TEXT',
  type: 'TEXT',
  cloud: 'TEXT',
  notification_channel: 'TEXT',
  storage_integration: 'TEXT',
  endpoint: 'TEXT',
  owner_role_type: 'TEXT',
  directory_enabled: 'TEXT',
};

function objectsInScope<K extends 'STAGE' | 'FILE_FORMAT' | 'PIPE'>(ctx: ExecContext, cur: TokenCursor, terse: boolean, kind: K, command: string) {
  const opts = parseShowOptions(cur, terse);
  const scope = resolveScope(ctx, opts.in, command, 'SCHEMA');
  if (scope.level === 'TABLE') throw compilationError(`${command} does not support IN TABLE.`);
  const c = ctx.engine.catalog;
  const objects =
    scope.level === 'ACCOUNT' ? c.schemaObjects(kind) : scope.level === 'DATABASE' ? c.schemaObjects(kind, scope.database) : c.schemaObjects(kind, scope.database, scope.schema);
  return { opts, objects };
}

export async function showStages(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const { opts, objects } = objectsInScope(ctx, cur, terse, 'STAGE', 'SHOW STAGES');
  const rows: Row[] = objects.map((s) => {
    const store = s.url !== undefined ? ctx.engine.storage.resolver.resolve(s.url).store : undefined;
    return {
      created_on: ltz(ctx, s.createdOn),
      name: s.name,
      kind: 'STAGE',
      database_name: s.database,
      schema_name: s.schema,
      url: s.url ?? '',
      has_credentials: s.hasCredentials ? 'Y' : 'N',
      has_encryption_key: 'N',
      owner: s.owner,
      comment: s.comment ?? '',
      region: null,
      type: (s.url !== undefined ? 'EXTERNAL' : 'INTERNAL') + (s.temporary ? ' TEMPORARY' : ''),
      cloud: s.url !== undefined && /^s3:/i.test(s.url) ? 'AWS' : null,
      notification_channel: store?.kind === 's3' ? (store.notificationChannel ?? null) : null,
      storage_integration: s.storageIntegration ?? null,
      endpoint: null,
      owner_role_type: 'ROLE',
      directory_enabled: 'N',
    };
  });
  return showResult(terse ? TERSE_COLUMNS : STAGE_COLUMNS, rows, opts);
}

const FORMAT_COLUMNS: ColumnSpecs = {
  created_on: 'TIMESTAMP_LTZ',
  name: 'TEXT',
  database_name: 'TEXT',
  schema_name: 'TEXT',
  type: 'TEXT',
  owner: 'TEXT',
  comment: 'TEXT',
  format_options: 'TEXT',
  owner_role_type: 'TEXT',
};

export async function showFileFormats(ctx: ExecContext, cur: TokenCursor, terse: boolean): Promise<HandlerResult> {
  const { opts, objects } = objectsInScope(ctx, cur, terse, 'FILE_FORMAT', 'SHOW FILE FORMATS');
  const rows: Row[] = objects.map((f) => ({
    created_on: ltz(ctx, f.createdOn),
    name: f.name,
    kind: 'FILE_FORMAT',
    database_name: f.database,
    schema_name: f.schema,
    type: formatTypeOf(f.options),
    owner: f.owner,
    comment: f.comment ?? '',
    format_options: JSON.stringify(formatOptionsJson(f.options)),
    owner_role_type: 'ROLE',
  }));
  return showResult(terse ? TERSE_COLUMNS : FORMAT_COLUMNS, rows, opts);
}

function formatOptionsJson(options: FormatOptions): Record<string, unknown> {
  return Object.fromEntries(describeFormat(resolveFileFormat(options)).map(([k, , v]) => [k, v]));
}

const DESCRIBE_COLUMNS: ColumnSpecs = {
  parent_property: 'TEXT',
  property: 'TEXT',
  property_type: 'TEXT',
  property_value: 'TEXT',
  property_default: 'TEXT',
};

export function describeStage(ctx: ExecContext, cur: TokenCursor): HandlerResult {
  const n = cur.objectName();
  cur.expectEnd();
  const full = qualify(ctx, n);
  const st = ctx.engine.catalog.schemaObject('STAGE', full.database, full.schema, full.name);
  if (!st) throw notFound('Stage', displayName(n));
  const rows: Row[] = [];
  const spec = st.fileFormat;
  if ('formatName' in spec) rows.push({ parent_property: 'STAGE_FILE_FORMAT', property: 'FORMAT_NAME', property_type: 'String', property_value: spec.formatName, property_default: '' });
  else for (const [p, t, v, d] of formatRows(spec.options)) rows.push({ parent_property: 'STAGE_FILE_FORMAT', property: p, property_type: t, property_value: v, property_default: d });
  rows.push({ parent_property: 'STAGE_LOCATION', property: 'URL', property_type: 'String', property_value: st.url !== undefined ? JSON.stringify([st.url]) : '', property_default: '' });
  rows.push({ parent_property: 'STAGE_INTEGRATION', property: 'STORAGE_INTEGRATION', property_type: 'String', property_value: st.storageIntegration ?? '', property_default: '' });
  // Credentials are never shown back: only whether they were given.
  rows.push({ parent_property: 'STAGE_CREDENTIALS', property: 'AWS_KEY_ID', property_type: 'String', property_value: '', property_default: '' });
  rows.push({ parent_property: 'DIRECTORY', property: 'ENABLE', property_type: 'Boolean', property_value: 'false', property_default: 'false' });
  return showResult(DESCRIBE_COLUMNS, rows, {});
}

function formatRows(options: FormatOptions): [string, string, string, string][] {
  return describeFormat(resolveFileFormat(options));
}

export function describeFileFormat(ctx: ExecContext, cur: TokenCursor): HandlerResult {
  cur.expectWords('FORMAT');
  const n = cur.objectName();
  cur.expectEnd();
  const full = qualify(ctx, n);
  const f = ctx.engine.catalog.schemaObject('FILE_FORMAT', full.database, full.schema, full.name);
  if (!f) throw notFound('File format', displayName(n));
  const rows: Row[] = formatRows(f.options).map(([p, t, v, d]) => ({ property: p, property_type: t, property_value: v, property_default: d }));
  return showResult({ property: 'TEXT', property_type: 'TEXT', property_value: 'TEXT', property_default: 'TEXT' }, rows, {});
}
