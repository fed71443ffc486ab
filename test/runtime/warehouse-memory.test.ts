/**
 * floe.yaml `warehouse.memoryLimit` and `warehouse.checkpointThreshold` reach DuckDB: `floe run` (runProject) opens the warehouse with them, so the
 * buffer cache cannot grow towards DuckDB's default of 80 % of RAM.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/open-engine.js';
import type { EngineImpl } from '../../src/engine/engine.js';
import { runProject } from '../../src/runtime/run-project.js';

const dir = mkdtempSync(join(tmpdir(), 'floe-warehouse-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function settingOf(yaml: string, name: string, setting = 'memory_limit'): Promise<string> {
  const project = join(dir, name);
  mkdirSync(join(project, 'sql'), { recursive: true });
  writeFileSync(join(project, 'floe.yaml'), yaml);
  writeFileSync(join(project, 'sql', '01.sql'), 'SELECT 1;\n');
  const running = await runProject({ projectDir: project, openEngine, pipes: false, flows: false });
  try {
    const conn = await (running.engine as EngineImpl).core.driver.connect();
    const r = await conn.query(`SELECT current_setting('${setting}')`);
    await conn.close();
    return String(r.rows[0]![0]);
  } finally {
    await running.stop();
  }
}

describe('warehouse.memoryLimit', () => {
  it('sets DuckDB memory_limit for the project warehouse', async () => {
    expect(await settingOf("warehouse: { memoryLimit: '300MiB' }\n", 'limited')).toBe('300.0 MiB');
    // Without the setting DuckDB keeps its own default (a share of the machine's RAM), far above 300 MiB.
    expect(await settingOf('', 'default')).not.toBe('300.0 MiB');
  });
});

describe('warehouse.checkpointThreshold', () => {
  it('defaults to 256MB (DuckDB: 16MB) and takes the project setting', async () => {
    expect(await settingOf('', 'ckpt-default', 'checkpoint_threshold')).toBe('244.1 MiB'); // DuckDB prints 256MB (10^6 bytes each) in MiB
    expect(await settingOf("warehouse: { checkpointThreshold: '64MB' }\n", 'ckpt-set', 'checkpoint_threshold')).toBe('61.0 MiB');
  });
});
