/**
 * `floe warehouse upgrade`: a project's embedded warehouse rewritten in the storage format floe creates new ones in
 * (docs/cli.md). The DuckDB code is imported only here, when asked for, as open-engine.ts does.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FloeError } from '../core/errors.js';
import type { UpgradeResult } from '../adapters/warehouse/duckdb/duckdb-upgrade.js';

export async function upgradeProjectWarehouse(projectDir: string): Promise<UpgradeResult & { path: string; to: string }> {
  const path = join(resolve(projectDir), '.floe', 'warehouse.duckdb');
  if (!existsSync(path)) throw new FloeError('CONFIG', `${path} does not exist: nothing to upgrade (floe run or floe demo creates it)`);
  const { upgradeWarehouseFormat } = await import('../adapters/warehouse/duckdb/duckdb-upgrade.js');
  const { STORAGE_FORMAT } = await import('../adapters/warehouse/duckdb/duckdb-driver.js');
  return { path, to: `${STORAGE_FORMAT}+`, ...(await upgradeWarehouseFormat(path)) };
}
