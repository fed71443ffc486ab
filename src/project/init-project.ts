/**
 * `floe init`: write the customer example project into a folder. Refuses to overwrite anything the user may
 * have edited unless forced; files are written atomically so an interrupted init never leaves half a file.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FloeError } from '../core/errors.js';
import { CUSTOMER_PROJECT_FOLDERS, customerProjectFiles } from './customer-project.js';

export interface InitResult {
  dir: string;
  written: string[];
  /** Files that existed with other content and were replaced (--force). */
  replaced: string[];
}

/** A folder counts as a project once it has a floe.yaml; `floe demo` inits only folders without one. */
export function isProject(dir: string): boolean {
  return existsSync(join(dir, 'floe.yaml'));
}

export function initProject(target: string, options: { force?: boolean } = {}): InitResult {
  const dir = resolve(target);
  const files = customerProjectFiles();
  const clashes = files.filter((f) => existsSync(join(dir, f.path)));
  if (clashes.length > 0 && !options.force) {
    throw new FloeError('CONFIG', `floe init: ${dir} already has ${clashes.map((f) => f.path).join(', ')}; use --force to overwrite them`);
  }
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    const tmp = join(dirname(path), `.${f.path.split('/').pop()}.floe-init.tmp`);
    writeFileSync(tmp, f.content);
    renameSync(tmp, path);
    written.push(f.path);
  }
  for (const folder of CUSTOMER_PROJECT_FOLDERS) mkdirSync(join(dir, ...folder.split('/')), { recursive: true });
  return { dir, written, replaced: clashes.map((f) => f.path) };
}
