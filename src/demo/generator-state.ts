/**
 * Where the demo's generator stands, kept in `.floe/generator.json` so a restarted demo continues instead of
 * starting over: a reused file name would be skipped by the pipe's load history (it loads a path once), and a
 * reused customer id would mix two customers' histories. The position is saved *before* a file is renamed
 * into the landing folder, so a crash can skip a position but never reuse one.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FloeError } from '../core/errors.js';
import type { GeneratorPosition } from '../generator/customer-generator.js';

export const GENERATOR_STATE_FILE = 'generator.json';

export interface GeneratorState extends GeneratorPosition {
  /** Files written by all demo runs of this project. */
  files: number;
}

export function readGeneratorState(stateDir: string): GeneratorState | undefined {
  const path = join(stateDir, GENERATOR_STATE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new FloeError('CONFIG', `${path}: not valid JSON; delete it to let the demo start its generator from what the warehouse holds`);
  }
  const o = v as Record<string, unknown>;
  const keys = ['nextId', 'clock', 'fileSeq', 'files'] as const;
  for (const k of keys) {
    if (typeof o[k] !== 'number' || !Number.isSafeInteger(o[k]) || (o[k] as number) < 0) {
      throw new FloeError('CONFIG', `${path}: '${k}' must be a non-negative integer; delete the file to let the demo start its generator from what the warehouse holds`);
    }
  }
  return { nextId: o.nextId as number, clock: o.clock as number, fileSeq: o.fileSeq as number, files: o.files as number };
}

export function writeGeneratorState(stateDir: string, state: GeneratorState): void {
  const path = join(stateDir, GENERATOR_STATE_FILE);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`);
  renameSync(tmp, path);
}

/** What the warehouse holds of earlier runs (max id and event time in the staging table). */
export interface WarehouseFloor {
  maxId?: number;
  maxTime?: number;
}

/** The position a resumed generator starts from: past the saved state and past everything already loaded. */
export function resumePosition(saved: GeneratorState | undefined, floor: WarehouseFloor): GeneratorPosition | undefined {
  if (!saved && floor.maxId === undefined && floor.maxTime === undefined) return undefined;
  return {
    nextId: Math.max(saved?.nextId ?? 0, floor.maxId !== undefined ? floor.maxId + 1 : 0),
    clock: Math.max(saved?.clock ?? 0, floor.maxTime ?? 0),
    fileSeq: saved?.fileSeq ?? 0,
  };
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` (TIMESTAMP_NTZ, UTC) → epoch ms. */
export function ntzToMs(text: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) throw new Error(`unexpected timestamp '${text}'`);
  const ms = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  return Date.parse(`${m[1]}T${m[2]}.${ms}Z`);
}
