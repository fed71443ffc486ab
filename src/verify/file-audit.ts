/**
 * Which files hold the events: the pipes' load history (COPY_HISTORY of the staging table) against what the bucket
 * holds now. Files the pipes loaded are re-read into the scratch engine (the events); the rest is reported —
 * files never loaded, loaded files gone from the bucket, files loaded twice, files still queued, and files whose
 * content no longer gives the rows the pipe recorded. Files a pipe recorded as failed are listed but are no
 * difference: a pipe skips a bad file whole (ON_ERROR = SKIP_FILE), so none of its rows are events — unless the
 * file loads cleanly when re-read, which means rows were lost.
 */
import type { ObjectInfo } from '../core/ports/object-store.js';
import type { FloeValue } from '../core/result.js';
import type { CopyPlan } from '../engine/handlers/copy-into.js';
import { stringLiteral } from '../engine/scripting/sql-literals.js';
import type { ScratchEngine } from './scratch-engine.js';
import { identSql, nameSql, type SourceTables } from './source-pipes.js';
import type { WarehouseClient } from './warehouse-client.js';
import { qualifiedText, type QualifiedName } from './verify-project.js';

export type FileIssueKind = 'never-loaded' | 'missing-from-bucket' | 'loading' | 'loaded-twice' | 'rows-differ' | 'failed-but-loads' | 'loaded-outside-pipe';

export interface FileIssue {
  kind: FileIssueKind;
  pipe: string | null;
  file: string;
  detail: string;
}

export interface FailedFile {
  pipe: string;
  file: string;
  error: string | null;
}

export interface PipeSummary {
  pipe: string;
  location: string;
  inBucket: number;
  loaded: number;
  failed: number;
}

export interface FileAudit {
  pipes: PipeSummary[];
  /** Files re-read as events, and their rows. */
  files: number;
  rows: number;
  failed: FailedFile[];
  issues: FileIssue[];
}

type Status = 'LOADED' | 'LOAD_FAILED' | 'PARTIALLY_LOADED' | 'LOADING';
const STATUS: Record<string, Status> = { Loaded: 'LOADED', 'Load failed': 'LOAD_FAILED', 'Partially loaded': 'PARTIALLY_LOADED', 'Load in progress': 'LOADING' };

interface HistoryRow {
  file: string;
  status: Status;
  rows: number | null;
  error: string | null;
  pipe: string | null;
}

/** History kept by pipes (and COPY_HISTORY): 14 days. */
const HISTORY_DAYS = 14;

async function copyHistory(wh: WarehouseClient, table: QualifiedName): Promise<HistoryRow[]> {
  const r = await wh.query(
    `SELECT FILE_NAME, STATUS, ROW_COUNT, FIRST_ERROR_MESSAGE, PIPE_CATALOG_NAME, PIPE_SCHEMA_NAME, PIPE_NAME ` +
      `FROM TABLE(${identSql(table.database)}.INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => ${stringLiteral(nameSql(table))}, ` +
      `START_TIME => DATEADD(DAY, -${HISTORY_DAYS}, CURRENT_TIMESTAMP())))`,
  );
  const s = (v: FloeValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
  return r.rows.map((x) => ({
    file: String(x[0]),
    status: STATUS[String(x[1])] ?? 'LOAD_FAILED',
    rows: x[2] === null ? null : Number(x[2]),
    error: s(x[3]),
    pipe: x[6] === null ? null : `${String(x[4])}.${String(x[5])}.${String(x[6])}`,
  }));
}

interface Work {
  pipe: QualifiedName;
  plan: CopyPlan;
  recheck: { path: string; info: ObjectInfo; entry: HistoryRow }[];
  load: { path: string; info: ObjectInfo; entry: HistoryRow }[];
}

const isLoad = (h: HistoryRow): boolean => h.status === 'LOADED' || h.status === 'PARTIALLY_LOADED';

/** Sorts out each pipe's files; loads the pipes' files into the scratch copy of the staging table. */
export async function auditFiles(wh: WarehouseClient, scratch: ScratchEngine, source: SourceTables): Promise<FileAudit> {
  const history = await copyHistory(wh, source.base);
  const audit: FileAudit = { pipes: [], files: 0, rows: 0, failed: [], issues: [] };
  for (const h of history) {
    if (h.pipe === null && isLoad(h)) {
      audit.issues.push({ kind: 'loaded-outside-pipe', pipe: null, file: h.file, detail: `loaded by a COPY statement, not a pipe: floe verify re-reads only what pipes loaded` });
    }
  }
  const work: Work[] = [];
  for (const pipe of source.pipes) {
    const name = qualifiedText(pipe.name);
    const { plan, listing } = await scratch.pipeFiles(pipe.name);
    const w: Work = { pipe: pipe.name, plan, recheck: [], load: [] };
    work.push(w);
    const byPath = new Map<string, HistoryRow[]>();
    for (const h of history.filter((x) => x.pipe === name)) byPath.set(h.file, [...(byPath.get(h.file) ?? []), h]);
    const summary: PipeSummary = { pipe: name, location: plan.loc.display, inBucket: listing.size, loaded: 0, failed: 0 };
    audit.pipes.push(summary);
    for (const [path, entries] of byPath) {
      const info = listing.get(path);
      const loads = entries.filter(isLoad);
      if (loads.length > 1) audit.issues.push({ kind: 'loaded-twice', pipe: name, file: path, detail: `the pipe loaded it ${loads.length} times` });
      if (entries.some((h) => h.status === 'LOADING')) {
        audit.issues.push({ kind: 'loading', pipe: name, file: path, detail: 'queued by the pipe, not loaded yet (the pipeline is not idle)' });
      }
      const loaded = loads[0];
      const failed = entries.find((h) => h.status === 'LOAD_FAILED');
      if (loaded) {
        summary.loaded++;
        if (info) w.load.push({ path, info, entry: loaded });
        else audit.issues.push({ kind: 'missing-from-bucket', pipe: name, file: path, detail: `the pipe loaded it (${loaded.rows ?? 0} rows) but it is no longer in the bucket: its events cannot be re-read` });
      } else if (failed) {
        summary.failed++;
        audit.failed.push({ pipe: name, file: path, error: failed.error });
        if (info) w.recheck.push({ path, info, entry: failed });
      }
    }
    for (const path of listing.keys()) {
      if (!byPath.has(path)) audit.issues.push({ kind: 'never-loaded', pipe: name, file: path, detail: 'in the bucket under the pipe’s location but not in its load history' });
    }
  }

  // Failed files first: a clean re-read means the pipe lost the file's rows. Their rows are then dropped again.
  for (const w of work.filter((x) => x.recheck.length > 0)) {
    const outcomes = await scratch.load(w.pipe, w.plan, w.recheck.map((x) => x.info));
    for (const o of outcomes) {
      if (o.status === 'LOAD_FAILED') continue;
      const e = w.recheck.find((x) => x.path === o.path)!;
      audit.issues.push({ kind: 'failed-but-loads', pipe: qualifiedText(w.pipe), file: o.path, detail: `the pipe recorded a failed load (${e.entry.error ?? 'no error text'}) but the file loads now: ${o.rowsLoaded} rows never reached the table` });
    }
    await scratch.client.query(`DELETE FROM ${nameSql(source.base)}`);
  }
  for (const w of work) {
    const outcomes = await scratch.load(w.pipe, w.plan, w.load.map((x) => x.info));
    const byPath = new Map(w.load.map((x) => [x.path, x.entry]));
    for (const o of outcomes) {
      audit.files++;
      audit.rows += o.rowsLoaded;
      const e = byPath.get(o.path);
      if (e && (e.rows !== o.rowsLoaded || e.status !== o.status)) {
        audit.issues.push({ kind: 'rows-differ', pipe: qualifiedText(w.pipe), file: o.path, detail: `the pipe loaded ${e.rows ?? 0} rows (${e.status}); the file in the bucket gives ${o.rowsLoaded} (${o.status})` });
      }
    }
  }
  return audit;
}
