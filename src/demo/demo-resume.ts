/**
 * Where a restarted demo's generator continues: past its saved position (`.floe/generator.json`) and past
 * everything the staging table holds (also covers files written by `floe generate` into the same project),
 * with the customers of the SCD1 table as the live population — so updates and deletes keep touching
 * existing customers. Events still in flight when the demo stopped are not in CUSTOMER yet; a resumed update
 * may then hit a customer deleted in flight, which is a valid change feed (a re-insert, scd-semantics case 13).
 */
import type { Engine } from '../engine/engine-api.js';
import type { ExistingCustomer, GeneratorPosition } from '../generator/customer-generator.js';
import { DEMO_OBJECTS, qualified } from './demo-objects.js';
import { ntzToMs, readGeneratorState, resumePosition, type WarehouseFloor } from './generator-state.js';

export interface DemoResume {
  resume?: { position: GeneratorPosition; live: ExistingCustomer[] };
  /** Files all earlier demo runs wrote. */
  previousFiles: number;
}

const CUSTOMER_COLUMNS = ['CUSTOMER_ID', 'FIRST_NAME', 'LAST_NAME', 'EMAIL', 'STREET', 'CITY', 'STATE', 'COUNTRY', 'UPDATED_AT'];

export async function loadResume(engine: Engine, stateDir: string): Promise<DemoResume> {
  const saved = readGeneratorState(stateDir);
  const session = await engine.session();
  try {
    const floor: WarehouseFloor = {};
    let live: ExistingCustomer[] = [];
    try {
      const [max] = await session.query(`SELECT MAX(CUSTOMER_ID), MAX(UPDATED_AT) FROM ${qualified(DEMO_OBJECTS.raw)}`);
      const [id, at] = max?.rows[0] ?? [];
      if (id !== null && id !== undefined) floor.maxId = Number(id);
      if (typeof at === 'string') floor.maxTime = ntzToMs(at);
      const position = resumePosition(saved, floor);
      if (position) {
        const [rows] = await session.query(`SELECT ${CUSTOMER_COLUMNS.join(', ')} FROM ${qualified(DEMO_OBJECTS.scd1)} ORDER BY CUSTOMER_ID`);
        live = (rows?.rows ?? []).map((r) => ({
          id: Number(r[0]),
          first_name: text(r[1]),
          last_name: text(r[2]),
          email: text(r[3]),
          street: text(r[4]),
          city: text(r[5]),
          state: text(r[6]),
          country: text(r[7]),
          updatedAt: typeof r[8] === 'string' ? ntzToMs(r[8]) : 0,
        }));
      }
    } catch {
      // The project's tables were changed or dropped: continue from the saved position alone.
    }
    const position = resumePosition(saved, floor);
    return { ...(position ? { resume: { position, live } } : {}), previousFiles: saved?.files ?? 0 };
  } finally {
    await session.close();
  }
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
