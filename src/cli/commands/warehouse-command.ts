/** `floe warehouse upgrade [--project DIR]`: rewrite the project's warehouse file in floe's storage format. */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { upgradeProjectWarehouse } from '../../runtime/upgrade-warehouse.js';
import type { CliIo } from '../io.js';

export function warehouseCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const warehouse = new Command('warehouse').description("the project's embedded warehouse (.floe/warehouse.duckdb)");
  warehouse
    .command('upgrade')
    .description('rewrite the warehouse in the DuckDB storage format new warehouses get (keeps the old file as a backup)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .action(async (opts: { project?: string }) => {
      const r = await upgradeProjectWarehouse(resolve(io.cwd, opts.project ?? '.'));
      const what = `${r.tables.toLocaleString('en-US')} tables, ${r.rows.toLocaleString('en-US')} rows`;
      io.stdout.write(
        r.backup
          ? `upgraded ${r.path} from DuckDB storage format ${r.from} to ${r.to} (${what}); the old file is kept as ${r.backup}\n`
          : `${r.path} is already in DuckDB storage format ${r.from} (${what}): nothing to do\n`,
      );
      setExitCode(0);
    });
  return warehouse;
}
