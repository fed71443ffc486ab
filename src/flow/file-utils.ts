/** Small file helpers of the content store (and PutFile). */
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** Makes a folder's entries (new names, renames) durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a stream into an open file from offset 0; returns the byte count. */
export async function copyInto(source: Readable, handle: FileHandle): Promise<number> {
  let position = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    let done = 0;
    while (done < buffer.length) {
      const { bytesWritten } = await handle.write(buffer, done, buffer.length - done, position + done);
      done += bytesWritten;
    }
    position += buffer.length;
  }
  return position;
}
