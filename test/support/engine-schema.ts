/** An engine with a session in a fresh schema D.S, and the last result's rows of a script. */
import type { Engine, Session } from '../../src/engine/engine-api.js';
import type { EngineImpl } from '../../src/engine/engine.js';
import { openEngine } from '../../src/engine/open-engine.js';

/** Opens an engine on `database` (recorded in `engines`, for the test's afterEach to close) and a session in D.S. */
export async function openInSchema(engines: Engine[], database = ':memory:'): Promise<{ e: EngineImpl; s: Session }> {
  const e = (await openEngine({ database })) as EngineImpl;
  engines.push(e);
  const s = await e.session();
  await s.query('CREATE DATABASE D; CREATE SCHEMA D.S; USE SCHEMA D.S');
  return { e, s };
}

export async function lastRows(s: Session, sql: string): Promise<unknown[][]> {
  const r = await s.query(sql);
  return r[r.length - 1]!.rows;
}
