/**
 * `floe verify`: recompute the reference fold (scd-semantics §4.3) over every event in the files the pipes loaded,
 * read again from the bucket, and compare it with the SCD tables (docs/verify.md).
 *
 *   project (scd.yaml) → source table + feeding pipes (warehouse catalog) → scratch engine with the loading objects
 *   → file audit (load history vs bucket; re-read loaded files) → events (SQL) → pages → fold + compare.
 */
import { FloeError } from '../core/errors.js';
import type { Engine, EngineOptions } from '../engine/engine-api.js';
import { canonicalSql, canonRow } from './canonical.js';
import { buildEvents, pageEvents, type RejectedEvents } from './expected-events.js';
import { auditFiles, type FileAudit } from './file-audit.js';
import type { Conflict, FoldConstants, TableDiff } from './fold-compare.js';
import { compareTables } from './table-compare.js';
import { checkLoadingObjects } from './object-check.js';
import { ScratchEngine } from './scratch-engine.js';
import { findSourceTables, nameSql } from './source-pipes.js';
import { openProjectWarehouse, type WarehouseClient } from './warehouse-client.js';
import { loadVerifyProject, qualifiedText, verifyNames, type VerifyProject } from './verify-project.js';
import { stringLiteral } from '../engine/scripting/sql-literals.js';

export interface VerifyOptions {
  projectDir: string;
  /** scd.yaml path relative to the project (default scd.yaml). */
  scdFile?: string;
  /** Differing keys shown per table (and conflicts listed). */
  limit: number;
  /** Events per page (memory bound of the fold and comparison). */
  pageEvents?: number;
  openEngine: (o: EngineOptions) => Promise<Engine>;
  /** The pipeline's warehouse; default: the live floe run of the project, else its warehouse file. */
  openWarehouse?: (project: VerifyProject) => Promise<WarehouseClient>;
  progress?: (message: string) => void;
}

export interface VerifyReport {
  ok: boolean;
  /** Number of differences: file issues, rejected events, conflicts, and missing + unexpected table rows. */
  differences: number;
  project: string;
  warehouse: string;
  source: { name: string; kind: 'stream' | 'table'; table: string; pipes: string[]; keys: string[] };
  files: FileAudit;
  events: { total: number; keys: number; rejected: RejectedEvents; conflicts: Conflict[]; conflictCount: number };
  tables: TableDiff[];
  /** Facts that explain differences (e.g. the stream still has rows the task has not applied). */
  notes: string[];
}

export const DEFAULT_PAGE_EVENTS = 100_000;

export async function verifyProject(o: VerifyOptions): Promise<VerifyReport> {
  const project = await loadVerifyProject(o.projectDir, o.scdFile);
  const c = project.scd;
  const names = verifyNames(project);
  const wh = await (o.openWarehouse ?? ((p) => openProjectWarehouse({ projectDir: p.dir, storage: p.project.config.storage, ...(p.project.config.warehouse ? { warehouse: p.project.config.warehouse } : {}), openEngine: o.openEngine })))(project);
  let scratch: ScratchEngine | undefined;
  try {
    const source = await findSourceTables(wh, names.source, c.source.kind, project.scdFile);
    scratch = await ScratchEngine.open(project, o.openEngine);
    await checkLoadingObjects(wh, scratch, source);
    o.progress?.('re-reading the loaded files');
    const files = await step('re-reading the loaded files', () => auditFiles(wh, scratch!, source));
    o.progress?.(`${files.files} files, ${files.rows} rows: computing events`);
    const events = await step(`${project.scdFile}: computing events (keys, sequenceBy, columns, deleteWhen, source.where) over the re-read rows`, () =>
      buildEvents(scratch!.client, c, source.base, o.pageEvents ?? DEFAULT_PAGE_EVENTS),
    );
    const constants = await foldConstants(scratch.client, c);
    const { tables, conflicts, conflictCount } = await compareTables({
      c,
      pages: events.pages,
      events: (page) => pageEvents(scratch!.client, c, page),
      read: (table, sql) => step(`reading ${table}`, () => wh.query(sql)),
      constants,
      limit: o.limit,
      ...(o.progress ? { progress: o.progress } : {}),
    });
    const notes = await pipelineNotes(wh, c.source.kind, names.source, files);
    const differences =
      files.issues.length + events.rejected.nullKey + events.rejected.nullSequence + conflictCount + tables.reduce((a, t) => a + t.missing + t.unexpected, 0);
    return {
      ok: differences === 0,
      differences,
      project: project.dir,
      warehouse: wh.description,
      source: { name: qualifiedText(names.source), kind: c.source.kind, table: qualifiedText(source.base), pipes: source.pipes.map((p) => qualifiedText(p.name)), keys: c.keys.map((k) => k.name) },
      files,
      events: { total: events.events, keys: events.keys, rejected: events.rejected, conflicts, conflictCount },
      tables,
      notes,
    };
  } finally {
    await scratch?.close();
    await wh.close();
  }
}

/** SQL errors in a step come from the project (a predicate, a missing table, an unreadable file): exit 2, named. */
async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof FloeError && e.code !== 'CONFIG' && e.code !== 'INTERNAL') throw new FloeError('CONFIG', `floe verify: ${what}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** The canonical texts of the current version's end and of TRUE/FALSE, computed by SQL like every other value. */
async function foldConstants(scratch: WarehouseClient, c: VerifyProject['scd']): Promise<FoldConstants> {
  const t = c.sequenceBy[0]!.type;
  const end = c.scd2?.endValue !== undefined ? canonicalSql(`CAST(${stringLiteral(c.scd2.endValue)} AS ${t})`, t) : 'NULL';
  const r = await scratch.query(`SELECT ${end}, ${canonicalSql('TRUE', 'BOOLEAN')}, ${canonicalSql('FALSE', 'BOOLEAN')}`);
  const [a, b, d] = canonRow(r.rows[0]!);
  return { end: a ?? null, yes: b ?? null, no: d ?? null };
}

async function pipelineNotes(wh: WarehouseClient, kind: 'stream' | 'table', source: { database: string; schema: string; name: string }, files: FileAudit): Promise<string[]> {
  const notes: string[] = [];
  if (kind === 'stream') {
    const r = await wh.query(`SELECT SYSTEM$STREAM_HAS_DATA(${stringLiteral(nameSql(source))})`);
    if (r.rows[0]?.[0] === true) notes.push(`stream ${qualifiedText(source)} has rows the task has not applied yet: the pipeline is not idle, so some differences may be work in flight (run floe verify after floe run --once, or when the pipeline is idle)`);
  }
  const loading = files.issues.filter((x) => x.kind === 'loading').length;
  if (loading > 0) notes.push(`${loading} file(s) are queued by a pipe and not loaded yet: the pipeline is not idle`);
  return notes;
}
