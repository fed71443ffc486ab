/**
 * The scratch warehouse floe verify re-reads the bucket with: a throwaway floe engine (temporary DuckDB file) with
 * the project's buckets, in which the project's SQL creates only what loading needs — databases, schemas, file
 * formats, stages, tables and pipes (no streams, tasks or procedures, so nothing runs on its own). Each pipe's COPY
 * then loads the files the real pipe loaded, into the scratch copy of the staging table: the events come from the
 * files themselves, independent of the pipeline's tables. The objects are checked against the warehouse's catalog
 * first, so the files are read with the rules the pipeline used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FloeError } from '../core/errors.js';
import type { ObjectInfo } from '../core/ports/object-store.js';
import type { Engine, EngineOptions } from '../engine/engine-api.js';
import type { EngineImpl } from '../engine/engine.js';
import type { SessionImpl } from '../engine/session.js';
import type { ExecContext } from '../engine/exec-context.js';
import { runCopy, type CopyPlan } from '../engine/handlers/copy-into.js';
import type { FileOutcome } from '../engine/load/load-history.js';
import { pipeContext, pipeCovers, planPipe } from '../engine/pipe/pipe-plan.js';
import { relativeKey } from '../engine/load/stage-location.js';
import { readProjectSql } from '../runtime/project-sql.js';
import { splitScript } from '../sql/split-script.js';
import type { Token } from '../sql/lexer.js';
import { CANONICAL_SESSION } from './canonical.js';
import { SessionClient, type WarehouseClient } from './warehouse-client.js';
import { qualifiedText, type QualifiedName, type VerifyProject } from './verify-project.js';

/** Object kinds loading needs; everything else in the project's SQL is skipped. */
const LOADING_KINDS = new Set(['DATABASE', 'SCHEMA', 'FILE FORMAT', 'STAGE', 'TABLE', 'PIPE']);
const MODIFIERS = new Set(['OR', 'REPLACE', 'ALTER', 'TRANSIENT', 'TEMPORARY', 'TEMP', 'VOLATILE', 'LOCAL', 'GLOBAL', 'SECURE']);

/** Whether the scratch runs a statement: session settings and CREATE of the loading kinds. */
export function neededForLoading(tokens: readonly Token[]): boolean {
  const first = tokens[0]?.value;
  if (first === 'USE') return true;
  if (first === 'ALTER') return tokens[1]?.value === 'SESSION';
  if (first !== 'CREATE') return false;
  let i = 1;
  while (MODIFIERS.has(tokens[i]?.value ?? '')) i++;
  const kind = tokens[i]?.value === 'FILE' && tokens[i + 1]?.value === 'FORMAT' ? 'FILE FORMAT' : (tokens[i]?.value ?? '');
  return LOADING_KINDS.has(kind);
}

export interface PipeFiles {
  plan: CopyPlan;
  /** Every object under the pipe's location that the pipe covers (prefix and PATTERN), by path. */
  listing: Map<string, ObjectInfo>;
}

export class ScratchEngine {
  private constructor(
    private readonly engine: EngineImpl,
    private readonly session: SessionImpl,
    readonly client: WarehouseClient,
  ) {}

  static async open(project: VerifyProject, openEngine: (o: EngineOptions) => Promise<Engine>): Promise<ScratchEngine> {
    const dir = mkdtempSync(join(tmpdir(), 'floe-verify-'));
    const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
    let engine: EngineImpl;
    try {
      engine = (await openEngine({
        database: join(dir, 'scratch.duckdb'),
        projectDir: project.dir,
        storage: project.project.config.storage,
        // Internal stages of the project are read where the project keeps them (verify never writes them).
        internalStageDir: join(project.dir, '.floe', 'stages'),
        tasks: { scheduler: false },
        // The project's DuckDB memory limit bounds the scratch too (it holds about two copies of the loaded rows).
        ...(project.project.config.warehouse ? { warehouse: project.project.config.warehouse } : {}),
      })) as EngineImpl;
    } catch (e) {
      cleanup();
      throw e;
    }
    const close = async (): Promise<void> => {
      await engine.close();
      cleanup();
    };
    try {
      const session = (await engine.session()) as SessionImpl;
      await session.query(CANONICAL_SESSION);
      const scratch = new ScratchEngine(engine, session, new SessionClient('scratch', session, close));
      await scratch.applyProjectSql(project);
      return scratch;
    } catch (e) {
      await close();
      throw e;
    }
  }

  private failures: string[] = [];

  /** Statements that failed in the scratch (named in errors when an object verify needs is missing). */
  get failedStatements(): readonly string[] {
    return this.failures;
  }

  private async applyProjectSql(project: VerifyProject): Promise<void> {
    for (const { file, text } of await readProjectSql(project.dir, project.project.config.sql)) {
      for (const st of splitScript(text)) {
        if (!neededForLoading(st.tokens)) continue;
        try {
          await this.session.query(st.sql);
        } catch (e) {
          this.failures.push(`${file}:${st.line}: ${(e as Error).message.split('\n').join(' ')}`);
        }
      }
    }
    await this.session.query(CANONICAL_SESSION);
  }

  private context(pipe: QualifiedName): ExecContext {
    const def = this.engine.core.catalog.schemaObject('PIPE', pipe.database, pipe.schema, pipe.name);
    if (!def) {
      const failed = this.failures.length > 0 ? ` Statements that failed: ${this.failures.join('; ')}` : '';
      throw new FloeError('CONFIG', `floe verify: pipe ${qualifiedText(pipe)} is in the warehouse but the project's SQL files do not create it.${failed}`);
    }
    return pipeContext({ engine: this.engine.core, session: this.session.state }, def);
  }

  /** The pipe's COPY, compiled in the scratch (target table, location, format, options). */
  pipePlan(pipe: QualifiedName): CopyPlan {
    return planPipe(this.context(pipe));
  }

  /** The pipe's compiled COPY and the files it covers in the bucket right now. */
  async pipeFiles(pipe: QualifiedName): Promise<PipeFiles> {
    const plan = this.pipePlan(pipe);
    const covers = pipeCovers(plan);
    const listing = new Map<string, ObjectInfo>();
    for await (const info of plan.loc.store.list(plan.loc.prefix)) if (covers(info.key)) listing.set(relativeKey(plan.loc, info.key), info);
    return { plan, listing };
  }

  /**
   * Loads files with the pipe's COPY exactly as the pipe service does (ON_ERROR defaults to SKIP_FILE; the pipe's
   * own options apply), into the scratch copy of the pipe's table. Returns one outcome per file.
   */
  async load(pipe: QualifiedName, plan: CopyPlan, keys: ObjectInfo[]): Promise<FileOutcome[]> {
    const ctx = this.context(pipe);
    // Never delete the user's files, whatever the pipe's definition says.
    const { PURGE: _purge, ...options } = plan.options;
    const outcomes: FileOutcome[] = [];
    const CHUNK = 500;
    for (let i = 0; i < keys.length; i += CHUNK) {
      await runCopy(ctx, { ...plan, options }, {
        onErrorDefault: { mode: 'SKIP_FILE', limit: 1, percent: false },
        pipe: {
          info: { name: qualifiedText(pipe), pipeId: 'floe-verify', receivedMs: new Map() },
          keys: keys.slice(i, i + CHUNK),
          inTransaction: async (o) => void outcomes.push(...o),
        },
      });
    }
    return outcomes;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
