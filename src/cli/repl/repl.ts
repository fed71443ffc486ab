/**
 * The interactive `floe sql` shell: `floe> ` prompt, multi-line statements until a terminating `;`, history
 * across runs, `!quit`/`!exit`/Ctrl-D to leave, Ctrl-C to drop the statement being typed.
 */
import readline from 'node:readline';
import type { Session } from '../../engine/engine-api.js';
import type { Formatter } from '../format/formatters.js';
import { executeScript } from '../sql/execute.js';
import { bufferState } from './buffer.js';
import { loadHistory, remember, saveHistory, HISTORY_SIZE } from './history.js';

export const PROMPT = 'floe> ';
export const CONTINUATION_PROMPT = '   -> ';

export interface ReplOptions {
  session: Session;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  formatter: Formatter;
  /** True for a real terminal: line editing, history recall and Ctrl-C handling. */
  terminal: boolean;
  historyFile?: string;
  /** Shown once at start (terminal only). */
  banner?: string;
}

export async function runRepl(options: ReplOptions): Promise<void> {
  const { session, output, formatter, terminal, historyFile } = options;
  let history = loadHistory(historyFile);
  const rl = readline.createInterface({
    input: options.input,
    output,
    terminal,
    prompt: PROMPT,
    history: [...history],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: false,
  });
  let buffer = '';
  let nextStatement = 1;

  const prompt = (): void => {
    rl.setPrompt(buffer === '' ? PROMPT : CONTINUATION_PROMPT);
    rl.prompt();
  };

  rl.on('SIGINT', () => {
    // Like psql: Ctrl-C abandons the statement being typed instead of leaving the shell.
    const hadInput = buffer !== '' || rl.line !== '';
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    buffer = '';
    output.write(hadInput ? '^C\n' : '\n(use !quit or Ctrl-D to leave)\n');
    prompt();
  });

  if (terminal && options.banner !== undefined) output.write(`${options.banner}\n`);
  prompt();
  try {
    for await (const line of rl) {
      history = remember(history, line);
      buffer = buffer === '' ? line : `${buffer}\n${line}`;
      const state = bufferState(buffer);
      if (state.kind === 'command') break;
      if (state.kind === 'empty') buffer = '';
      if (state.kind === 'complete') {
        const script = buffer;
        buffer = '';
        const summary = await executeScript(session, script, formatter, { continueOnError: true, firstStatement: nextStatement });
        nextStatement = summary.nextStatement;
        saveHistory(historyFile, history);
      }
      prompt();
    }
  } finally {
    rl.close();
    saveHistory(historyFile, history);
    if (terminal) output.write('\n');
  }
}
