/**
 * `floe demo` stops like a crash when the warehouse fails for good (WAREHOUSE_FAILED, duckdb-failure.ts): the
 * failure is what the demo ends with, and a restart finds the project as it was committed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FloeError } from '../../src/core/errors.js';
import type { Engine, EngineOptions } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';
import { runDemo } from '../../src/demo/run-demo.js';
import { waitFor } from '../server/floe-run-process.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-demo-failure-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('floe demo on a failed warehouse', () => {
  it('stops with the failure once the warehouse reports it', { timeout: 120_000 }, async () => {
    let fail: ((e: FloeError) => void) | undefined;
    // The real engine, but the failure is raised by the test (provoking a real one needs DuckDB out of memory in a
    // COMMIT: duckdb-failure.test.ts does that at the driver).
    const open = async (options: EngineOptions): Promise<Engine> => {
      const engine = await openEngine(options);
      engine.onWarehouseFailure = (listener) => {
        fail = listener;
        return () => (fail = undefined);
      };
      return engine;
    };
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const project = path.join(dir, 'd');
    const demo = runDemo({
      dir: project,
      displayDir: 'd',
      generate: true,
      intervalMs: 200,
      rowsPerFile: 20,
      customers: 50,
      seed: 1,
      updateRatio: 0.7,
      deleteRatio: 0.1,
      lateRatio: 0.1,
      files: 10_000,
      json: true,
      output: { stdout, stderr: new PassThrough(), color: false },
      openEngine: open,
      reportStart: () => true,
    });
    const settled = demo.then(
      () => 'finished',
      (e: unknown) => e,
    );
    // Running (the generator has written its state, and a second more for loads and task runs): then the warehouse fails.
    await waitFor('the demo generator', async () => (fs.existsSync(path.join(project, '.floe', 'generator.json')) ? true : undefined), 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fail).toBeDefined();
    const failure = new FloeError('WAREHOUSE_FAILED', 'the warehouse failed (test)');
    fail!(failure);
    expect(await settled).toBe(failure);
    expect(fail).toBeUndefined(); // unsubscribed
    // The warehouse the demo left opens again (it was closed, not left locked).
    const again = await openEngine({ database: path.join(project, '.floe', 'warehouse.duckdb'), tasks: { scheduler: false } });
    await again.close();
  });
});
