/**
 * `.floe/server.json`: how other floe commands find the running `floe run` of a project — its URL, pid and the
 * bearer token of this start. Written atomically (temp file + rename) with mode 0600, because the token grants
 * full SQL access; removed on a clean stop. A file left by a killed process is recognised as stale by the
 * reader (dead pid, or nothing answering at the URL).
 */
import { randomUUID } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const SERVER_FILE = 'server.json';

const serverInfoSchema = z.object({
  url: z.string().url(),
  pid: z.number().int().positive(),
  token: z.string().min(16),
  startedAt: z.string(),
});

export type ServerInfo = z.infer<typeof serverInfoSchema>;

export const serverFilePath = (projectDir: string): string => join(projectDir, '.floe', SERVER_FILE);

export async function writeServerFile(projectDir: string, info: ServerInfo): Promise<void> {
  const path = serverFilePath(projectDir);
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    // `mode` applies only when the file is created, and the umask may clear bits: chmod makes 0600 certain.
    await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** The file's content, or undefined when it is missing or not a server file (a torn or foreign file). */
export async function readServerFile(projectDir: string): Promise<ServerInfo | undefined> {
  let text: string;
  try {
    text = await readFile(serverFilePath(projectDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = serverInfoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the file if it is still ours: a newer `floe run` of the same project may have replaced it. */
export async function removeServerFile(projectDir: string, pid = process.pid): Promise<void> {
  const info = await readServerFile(projectDir);
  if (info === undefined || info.pid === pid) await rm(serverFilePath(projectDir), { force: true });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
