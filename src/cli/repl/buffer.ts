/**
 * Decides what the interactive shell does with the text typed so far: run it, ask for more lines, or treat it
 * as a shell command. Pure, so the rules are unit-tested without a terminal.
 */
import { FloeError } from '../../core/errors.js';
import { splitScript } from '../../sql/split-script.js';

export type BufferState =
  | { kind: 'empty' }
  | { kind: 'incomplete' }
  | { kind: 'complete' }
  | { kind: 'command'; command: ShellCommand };

export type ShellCommand = 'quit';

/** SnowSQL's `!quit` / `!exit` (also accepted with a trailing `;`). */
const COMMANDS: Record<string, ShellCommand> = { '!quit': 'quit', '!exit': 'quit', '!q': 'quit' };

export function bufferState(buffer: string): BufferState {
  const trimmed = buffer.trim();
  if (trimmed === '') return { kind: 'empty' };
  const command = COMMANDS[trimmed.replace(/;$/, '').trim().toLowerCase()];
  if (command !== undefined) return { kind: 'command', command };
  let statements;
  try {
    statements = splitScript(buffer);
  } catch (error) {
    // An open string, quoted identifier, $$ body or /* comment: the user is still typing it.
    if (error instanceof FloeError && error.code === 'SQL_SYNTAX') return { kind: 'incomplete' };
    throw error;
  }
  if (statements.length === 0) return { kind: 'empty' }; // only comments
  return statements[statements.length - 1].terminated ? { kind: 'complete' } : { kind: 'incomplete' };
}
