/** Files appear atomically: written under a hidden temporary name, flushed, then renamed (DESIGN.md §3). */
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';

export async function writeAtomically(dir: string, name: string, content: string): Promise<string> {
  const tmp = join(dir, `.${name}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const target = join(dir, name);
  await rename(tmp, target);
  return target;
}
