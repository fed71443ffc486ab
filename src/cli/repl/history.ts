/**
 * Shell history as a plain text file, one input line per line, oldest first (like ~/.bash_history), so it is
 * readable and greppable. Losing history must never break the shell, so I/O errors are ignored.
 */
import fs from 'node:fs';
import path from 'node:path';

export const HISTORY_SIZE = 1000;

/** Most recent first, as node:readline wants it. */
export function loadHistory(file: string | undefined): string[] {
  if (file === undefined) return [];
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
    return lines.slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

export function saveHistory(file: string | undefined, history: string[]): void {
  if (file === undefined) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const oldestFirst = history.slice(0, HISTORY_SIZE).reverse();
    fs.writeFileSync(file, oldestFirst.length === 0 ? '' : `${oldestFirst.join('\n')}\n`);
  } catch {
    // history is a convenience
  }
}

/** Adds a line the way readline does: newest first, no blank lines, no immediate repeats. */
export function remember(history: string[], line: string): string[] {
  if (line.trim() === '' || history[0] === line) return history;
  return [line, ...history].slice(0, HISTORY_SIZE);
}
