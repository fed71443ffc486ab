/**
 * `floe.yaml`: the environment half of a project (where buckets live, flows, scheduler settings). The SQL half
 * stays deployable to Snowflake unchanged, so anything environment-specific belongs here, never in the SQL.
 *
 * Each top-level section has its own schema file (`<section>-config.ts`); this file only composes them and
 * turns validation failures into errors that name the file, the key path and the line/column.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { FloeError } from '../core/errors.js';
import { storageSection } from './storage-config.js';
import { flowsSection } from './flows-config.js';
import { tasksSection } from './tasks-config.js';
import { serverSection } from './server-config.js';
import { warehouseSection } from './warehouse-config.js';

export const PROJECT_FILE = 'floe.yaml';

export const projectConfigSchema = z
  .object({
    name: z.string().min(1).optional(),
    storage: storageSection.default({ buckets: {} }),
    flows: flowsSection.default({}),
    tasks: tasksSection.optional(),
    server: serverSection.optional(),
    warehouse: warehouseSection.optional(),
    /** The project's SQL files, applied in this order by `floe run` (default: sql/*.sql in name order). */
    sql: z.array(z.string().min(1)).optional(),
  })
  .loose();

export type ProjectConfig = z.infer<typeof projectConfigSchema>;

export interface LoadedProjectConfig {
  /** Absolute (or as given) project folder; relative paths in the config are resolved against it. */
  readonly dir: string;
  /** The file the config came from, or undefined when the project has no floe.yaml. */
  readonly file: string | undefined;
  readonly config: ProjectConfig;
}

export async function loadProjectConfig(dir: string): Promise<LoadedProjectConfig> {
  const file = join(dir, PROJECT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { dir, file: undefined, config: projectConfigSchema.parse({}) };
    }
    throw new FloeError('CONFIG', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { dir, file, config: parseProjectConfig(text, file) };
}

/** Parses and validates floe.yaml text; `file` is only used in error messages. */
export function parseProjectConfig(text: string, file = PROJECT_FILE): ProjectConfig {
  return parseYamlConfig(text, file, projectConfigSchema);
}

/**
 * YAML text validated by a zod schema; errors name the file, the key path and its line:column (shared by
 * floe.yaml and the other YAML configs floe reads, e.g. `floe scd --config`).
 */
export function parseYamlConfig<S extends z.ZodType>(text: string, file: string, schema: S): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lineCounter.linePos(yamlError.pos[0]);
    throw new FloeError('CONFIG', `${file}:${pos.line}:${pos.col}: invalid YAML: ${firstLine(yamlError.message)}`);
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  const where = locate(doc, lineCounter, path);
  const key = path.length > 0 ? path.join('.') : '(top level)';
  throw new FloeError('CONFIG', `${file}${where}: ${key}: ${issue.message}`);
}

/** `:line:col` of a key path in floe.yaml text ('' when not found), for messages about valid-but-wrong config. */
export function keyPosition(text: string, path: readonly (string | number)[]): string {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return locate(doc, lineCounter, path.map(String));
}

function locate(doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter, path: string[]): string {
  // Walk up until a node exists: a missing key is reported at its parent mapping.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return `:${pos.line}:${pos.col}`;
    }
  }
  return '';
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
