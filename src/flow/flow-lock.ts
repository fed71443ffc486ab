/**
 * One process owns a flow's state folder at a time (the journal has a single writer). The lock is a file
 * holding the owner's pid; a lock left by a dead process (kill -9) is taken over.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FloeError } from '../core/errors.js';

const lockPath = (dir: string): string => join(dir, 'lock');

export async function acquireLock(dir: string, flow: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockPath(dir), String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number((await readFile(lockPath(dir), 'utf8').catch(() => '')).trim());
    if (pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new FloeError('CONFLICT', `flow '${flow}' is already running in process ${pid}`);
    }
    await rm(lockPath(dir), { force: true });
  }
  throw new FloeError('CONFLICT', `flow '${flow}': cannot take the lock in ${dir}`);
}

export async function releaseLock(dir: string): Promise<void> {
  const pid = Number((await readFile(lockPath(dir), 'utf8').catch(() => '')).trim());
  if (pid === process.pid) await rm(lockPath(dir), { force: true });
}

/** The pid of the process running the flow, if any. */
export async function lockOwner(dir: string): Promise<number | undefined> {
  const pid = Number((await readFile(lockPath(dir), 'utf8').catch(() => '')).trim());
  return pid > 0 && isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
