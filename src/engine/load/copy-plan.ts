/**
 * The parsed form of `COPY INTO <table> …` (plain or transforming) and its file format: shared by the COPY
 * handler, VALIDATION_MODE and pipes (which compile their COPY at CREATE PIPE).
 */
import { compilationError, unsupported } from '../../core/errors.js';
import { displayName } from '../../core/catalog/identifiers.js';
import type { FileFormatSpec, FormatOptions } from '../../core/catalog/load-objects.js';
import { resolveFileFormat, type FileFormat } from '../../core/load/file-format.js';
import type { ObjectInfo } from '../../core/ports/object-store.js';
import type { TokenCursor } from '../../sql/token-cursor.js';
import type { ExecContext } from '../exec-context.js';
import { findTable } from '../resolve-names.js';
import { formatNameOf } from '../handlers/stage-ddl.js';
import type { OnError } from './copy-batch.js';
import { parseTransform, type CopyTransform } from './copy-transform.js';
import { optionString, parseOptions, type OptionMap } from './option-parser.js';
import { parseStageRef, resolveStageRef, urlLocation, type StageLocation } from './stage-location.js';

const COPY_OPTIONS = new Set([
  'FILES', 'PATTERN', 'FILE_FORMAT', 'ON_ERROR', 'SIZE_LIMIT', 'PURGE', 'RETURN_FAILED_ONLY', 'MATCH_BY_COLUMN_NAME', 'ENFORCE_LENGTH',
  'TRUNCATECOLUMNS', 'FORCE', 'LOAD_UNCERTAIN_FILES', 'VALIDATION_MODE', 'CREDENTIALS', 'STORAGE_INTEGRATION', 'ENCRYPTION', 'INCLUDE_METADATA',
]);

export function parseOnError(v: string | undefined, dflt: OnError): OnError {
  if (v === undefined) return dflt;
  const u = v.toUpperCase();
  if (u === 'ABORT_STATEMENT') return { mode: 'ABORT_STATEMENT' };
  if (u === 'CONTINUE') return { mode: 'CONTINUE' };
  if (u === 'SKIP_FILE') return { mode: 'SKIP_FILE', limit: 1, percent: false };
  const m = /^SKIP_FILE_(\d+)(%?)$/.exec(u);
  if (m) return { mode: 'SKIP_FILE', limit: Number(m[1]), percent: m[2] === '%' };
  throw compilationError(`invalid value '${v}' for copy option ON_ERROR`);
}

/** The identity of a file in the table's bulk load history (with its checksum). */
export const fileIdOf = (loc: StageLocation, info: ObjectInfo): string => `${loc.store.kind}:${loc.store.bucket}:${info.key}`;

export const optionOnError = (o: OptionMap): string | undefined => optionString('ON_ERROR', o.ON_ERROR);

/** Whether a transforming COPY filters rows (pipes forbid it). */
export const transformHasWhere = (plan: CopyPlan): boolean => plan.transform?.hasWhere ?? false;

export interface CopyPlan {
  table: { database: string; schema: string; name: string };
  loc: StageLocation;
  files?: string[];
  pattern?: string;
  options: OptionMap;
  /** `COPY INTO t (a, b) …`: the target columns of a transformation. */
  columns?: string[];
  /** `FROM (SELECT …)`: see copy-transform.ts. */
  transform?: CopyTransform;
}

export function parseCopy(ctx: ExecContext, cur: TokenCursor): CopyPlan {
  cur.expectWords('COPY', 'INTO');
  const t = cur.peek();
  if (t?.type === 'stage' || t?.type === 'string') throw unsupported('COPY INTO <location> (unloading)');
  const tableName = cur.objectName();
  let columns: string[] | undefined;
  if (cur.acceptSymbol('(')) {
    columns = [];
    do columns.push(cur.identifier().name);
    while (cur.acceptSymbol(','));
    cur.expectSymbol(')');
  }
  cur.expectWords('FROM');
  let src = cur.next();
  let transform: CopyTransform | undefined;
  if (src.type === 'symbol' && src.value === '(') {
    transform = parseTransform(ctx.stmt.sql, cur, ctx.stmt.tokens[0]?.start ?? 0);
    src = transform.source;
  } else if (columns) throw compilationError('A column list in COPY INTO <table> requires a transformation: FROM (SELECT … FROM @stage)');
  let loc: StageLocation;
  if (src.type === 'stage') loc = resolveStageRef(ctx, parseStageRef(src.value));
  else if (src.type === 'string') loc = urlLocation(ctx, src.value);
  else throw cur.unexpectedAt(src, 'expected a stage or URL');
  const options = parseOptions(cur);
  cur.expectEnd();
  for (const k of Object.keys(options)) if (!COPY_OPTIONS.has(k)) throw compilationError(`invalid copy option '${k}'`);
  if (transform?.fileFormat !== undefined && options.FILE_FORMAT === undefined) options.FILE_FORMAT = { FORMAT_NAME: transform.fileFormat };
  const { full } = findTable(ctx, tableName, 'Table');
  const files = options.FILES;
  const pattern = options.PATTERN !== undefined ? optionString('PATTERN', options.PATTERN)! : transform?.pattern;
  return {
    table: full,
    loc,
    ...(files !== undefined ? { files: Array.isArray(files) ? files : [optionString('FILES', files)!] } : {}),
    ...(pattern !== undefined ? { pattern } : {}),
    options,
    ...(columns ? { columns } : {}),
    ...(transform ? { transform } : {}),
  };
}

export function resolveFormat(ctx: ExecContext, spec: FileFormatSpec, inline: FormatOptions): FileFormat {
  let base: FormatOptions = {};
  if ('formatName' in spec) base = namedFormat(ctx, spec.formatName);
  else base = spec.options;
  let opts: FormatOptions = base;
  if (typeof inline.FORMAT_NAME === 'string') opts = namedFormat(ctx, inline.FORMAT_NAME);
  else if (Object.keys(inline).length > 0) opts = inline.TYPE !== undefined ? inline : { ...base, ...inline };
  return resolveFileFormat(opts);
}

function namedFormat(ctx: ExecContext, name: string): FormatOptions {
  const n = formatNameOf(name);
  const db = n.database ?? ctx.session.database;
  const schema = n.schema ?? ctx.session.schema;
  const f = db && schema ? ctx.engine.catalog.schemaObject('FILE_FORMAT', db, schema, n.name) : undefined;
  if (!f) throw compilationError(`File format '${displayName(n)}' does not exist or not authorized.`);
  return f.options;
}
