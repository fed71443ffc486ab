/** `floe flow …`: NiFi-style flows from floe.yaml (docs/flow.md). */
import { Command } from 'commander';
import type { CliIo } from '../io.js';
import { flowControlCommands, flowEmptyQueueCommand } from './flow-control.js';
import { flowExportCommand, flowImportCommand, flowProcessorsCommand, flowValidateCommand } from './flow-definition.js';
import { flowProvenanceCommand, flowQueueCommand, flowStatusCommand } from './flow-inspect.js';
import { flowRunCommand } from './flow-run.js';

export function flowCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const flow = new Command('flow').description('run and inspect NiFi-style flows (ListFile → FetchFile → PutS3Object …)');
  const subcommands = [
    flowRunCommand(io, setExitCode),
    flowStatusCommand(io),
    flowProvenanceCommand(io),
    flowQueueCommand(io),
    ...flowControlCommands(io),
    flowEmptyQueueCommand(io),
    flowValidateCommand(io, setExitCode),
    flowExportCommand(io),
    flowImportCommand(io),
    flowProcessorsCommand(io),
  ];
  for (const c of subcommands) flow.addCommand(c);
  return flow;
}
