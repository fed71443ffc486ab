/**
 * The contract a project meets for `floe verify` (docs/verify.md): floe.yaml says where buckets live, `scd.yaml`
 * (the `floe scd` config whose SQL maintains the SCD tables) says what an event is and which tables hold the
 * result, and the SQL files define the pipes that load the source's table.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FloeError } from '../core/errors.js';
import { resolveScdConfig, type ResolvedScdConfig } from '../core/scd/scd-config.js';
import { parseScdConfig } from '../config/scd-config.js';
import { loadProjectConfig, type LoadedProjectConfig } from '../config/project-config.js';

export const SCD_FILE = 'scd.yaml';

export interface VerifyProject {
  dir: string;
  project: LoadedProjectConfig;
  scdFile: string;
  scd: ResolvedScdConfig;
}

/** `DB.SCHEMA.NAME` as the catalog spells it (plain identifiers resolve to upper case). */
export interface QualifiedName {
  database: string;
  schema: string;
  name: string;
}

export const qualifiedText = (n: QualifiedName): string => `${n.database}.${n.schema}.${n.name}`;

/** A fully qualified name from scd.yaml (plain identifiers only: resolveScdConfig checked them). */
function qualified(key: string, text: string, file: string): QualifiedName {
  const parts = text.split('.');
  if (parts.length !== 3) {
    throw new FloeError('CONFIG', `${file}: ${key}: '${text}' must be qualified as DATABASE.SCHEMA.NAME for floe verify (the task resolves a short name against its own schema, which verify cannot know)`);
  }
  const [database, schema, name] = parts.map((p) => p.toUpperCase()) as [string, string, string];
  return { database, schema, name };
}

export interface VerifyNames {
  source: QualifiedName;
  scd1?: QualifiedName;
  scd2?: QualifiedName;
}

export function verifyNames(p: VerifyProject): VerifyNames {
  const c = p.scd;
  return {
    source: qualified('source.name', c.source.name, p.scdFile),
    ...(c.scd1 ? { scd1: qualified('scd1.table', c.scd1.table, p.scdFile) } : {}),
    ...(c.scd2 ? { scd2: qualified('scd2.table', c.scd2.table, p.scdFile) } : {}),
  };
}

export async function loadVerifyProject(projectDir: string, scdPath?: string): Promise<VerifyProject> {
  const dir = resolve(projectDir);
  const project = await loadProjectConfig(dir);
  const scdFile = scdPath ?? SCD_FILE;
  let text: string;
  try {
    text = await readFile(resolve(dir, scdFile), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FloeError(
        'CONFIG',
        `floe verify: ${resolve(dir, scdFile)} not found. floe verify checks projects whose SCD tables are kept by the SQL of floe scd; ` +
          `it reads the same config (scd.yaml in the project folder, or --scd FILE). See docs/verify.md.`,
      );
    }
    throw new FloeError('CONFIG', `floe verify: cannot read ${scdFile}: ${(e as Error).message}`);
  }
  const scd = resolveScdConfig(parseScdConfig(text, scdFile));
  if (scd.truncateWhen !== undefined) {
    throw new FloeError('CONFIG', `unsupported: floe verify with truncateWhen (${scdFile}): the reference fold has no truncate events`);
  }
  const p = { dir, project, scdFile, scd };
  verifyNames(p);
  return p;
}
