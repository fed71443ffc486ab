/**
 * `floe flow validate|export|import|processors`: flow definitions as files — validation with floe.yaml
 * positions, JSON export without secrets, import into floe.yaml, and the processor reference generated from
 * the processor specs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { parseDocument } from 'yaml';
import { FloeError } from '../../core/errors.js';
import { keyPosition, parseProjectConfig, PROJECT_FILE } from '../../config/project-config.js';
import { exportFlow, importFlow } from '../../flow/flow-export.js';
import { validateFlow } from '../../flow/flow-validate.js';
import { processorDocs } from '../../flow/processor-docs.js';
import { knownProcessorTypes, processorSpec } from '../../flow/processors/registry.js';
import type { CliIo } from '../io.js';
import { loadFlowProject, selectFlow, selectFlows } from '../flow/flow-project.js';

export function flowValidateCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command('validate')
    .description('check flows: unknown keys and bad values, and processors that would be Invalid (exit 1 if any)')
    .argument('[flow...]', 'flows (default: all)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .action(async (names: string[], opts: { project?: string }) => {
      const project = await loadFlowProject(io, opts.project);
      const text = project.loaded.file ? await readFile(project.loaded.file, 'utf8') : '';
      let problems = 0;
      for (const def of selectFlows(project, names)) {
        const { invalid } = validateFlow(def, processorSpec, knownProcessorTypes());
        for (const issues of invalid.values()) {
          for (const issue of issues) {
            const path = ['flows', def.name, ...issue.path];
            io.stdout.write(`${PROJECT_FILE}${keyPosition(text, path)}: ${path.join('.')}: ${issue.message}\n`);
            problems++;
          }
        }
        if (!invalid.size) io.stdout.write(`flow ${def.name}: valid (${def.processors.length} processors, ${def.connections.length} connections)\n`);
      }
      setExitCode(problems > 0 ? 1 : 0);
    });
}

export function flowExportCommand(io: CliIo): Command {
  return new Command('export')
    .description('print a flow definition as JSON (NiFi-style field names; sensitive values are left out)')
    .argument('[flow]', 'flow (may be omitted when the project has one flow)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('-o, --out <file>', 'write to FILE instead of stdout')
    .action(async (name: string | undefined, opts: { project?: string; out?: string }) => {
      const project = await loadFlowProject(io, opts.project);
      const json = `${JSON.stringify(exportFlow(selectFlow(project, name)), null, 2)}\n`;
      if (opts.out) await writeFile(resolve(io.cwd, opts.out), json);
      else io.stdout.write(json);
    });
}

export function flowImportCommand(io: CliIo): Command {
  return new Command('import')
    .description('add a flow from an exported JSON definition to floe.yaml (comments and layout are kept)')
    .argument('<file>', 'JSON flow definition (- for stdin)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--name <flow>', 'name for the flow (default: the name in the file)')
    .option('--force', 'replace a flow of the same name')
    .action(async (file: string, opts: { project?: string; name?: string; force?: boolean }) => {
      const source = file === '-' ? await readStdin(io) : await readFile(resolve(io.cwd, file), 'utf8');
      let json: unknown;
      try {
        json = JSON.parse(source);
      } catch (error) {
        throw new FloeError('CONFIG', `${file}: invalid JSON: ${(error as Error).message}`);
      }
      const imported = importFlow(json);
      const name = opts.name ?? imported.name;
      const path = join(resolve(io.cwd, opts.project ?? '.'), PROJECT_FILE);
      const text = await readFile(path, 'utf8').catch(() => '');
      const doc = parseDocument(text);
      if (doc.hasIn(['flows', name]) && !opts.force) {
        throw new FloeError('CONFIG', `${PROJECT_FILE} already has a flow '${name}' (use --force to replace it, or --name)`);
      }
      doc.setIn(['flows', name], doc.createNode(imported.flow));
      const updated = doc.toString();
      parseProjectConfig(updated, path); // refuse to write a floe.yaml that would not load
      await writeFile(path, updated);
      const sensitive = (json as { flowContents?: { processors?: Array<{ name?: string; sensitivePropertiesRemoved?: string[] }> } }).flowContents?.processors
        ?.flatMap((p) => (p.sensitivePropertiesRemoved ?? []).map((s) => `${p.name}.${s}`)) ?? [];
      io.stdout.write(`imported flow '${name}' into ${path}\n`);
      if (sensitive.length > 0) io.stdout.write(`set the sensitive properties that were not exported: ${sensitive.join(', ')}\n`);
    });
}

export function flowProcessorsCommand(io: CliIo): Command {
  return new Command('processors')
    .description('list processor types, or show one processor’s properties and relationships')
    .argument('[type]', 'processor type, e.g. ListFile')
    .action((type: string | undefined) => {
      if (!type) {
        for (const t of knownProcessorTypes()) io.stdout.write(`${t.padEnd(18)} ${processorSpec(t)!.description}\n`);
        return;
      }
      const spec = processorSpec(type);
      if (!spec) throw new FloeError('CONFIG', `unknown processor type '${type}' (expected one of: ${knownProcessorTypes().join(', ')})`);
      io.stdout.write(processorDocs(spec));
    });
}

async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}
