/** Owner/group names for file attributes (Node has no getpwuid): read once from /etc/passwd and /etc/group. */
import { readFile } from 'node:fs/promises';

let users: Promise<Map<number, string>> | undefined;
let groups: Promise<Map<number, string>> | undefined;

async function load(path: string): Promise<Map<number, string>> {
  const map = new Map<number, string>();
  const text = await readFile(path, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id !== undefined && /^\d+$/.test(id)) map.set(Number(id), name);
  }
  return map;
}

export async function userName(uid: number): Promise<string> {
  users ??= load('/etc/passwd');
  return (await users).get(uid) ?? String(uid);
}

export async function groupName(gid: number): Promise<string> {
  groups ??= load('/etc/group');
  return (await groups).get(gid) ?? String(gid);
}

/** `rw-r--r--` from a mode. */
export function permissions(mode: number): string {
  const bits = 'rwxrwxrwx';
  let out = '';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}
