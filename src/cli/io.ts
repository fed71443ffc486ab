/**
 * Everything the CLI touches in the outside world, passed in so commands can be tested in-process with
 * captured streams and a fake engine.
 */
import type { Engine, EngineOptions } from '../engine/engine-api.js';

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  homedir: string;
  openEngine(options: EngineOptions): Promise<Engine>;
}

/** Reads a whole stream as UTF-8 text (stdin scripts). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
