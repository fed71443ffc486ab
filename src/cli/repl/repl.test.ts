import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunOptions, Session, StatementOutcome } from '../../engine/engine-api.js';
import { createFormatter } from '../format/formatters.js';
import { loadHistory, remember } from './history.js';
import { runRepl } from './repl.js';

/** Records each script it is given and answers with one row per script. */
function recordingSession(scripts: { script: string; options?: RunOptions }[]): Session {
  return {
    async *run(script: string, options?: RunOptions): AsyncGenerator<StatementOutcome> {
      scripts.push({ script, options });
      const statement = options?.firstStatement ?? 1;
      yield { ok: true, result: { statement, sql: script, columns: [{ name: 'N', type: 'NUMBER', scale: 0 }], rows: [[statement]], queryId: 'q' } };
    },
    query: async () => [],
    close: async () => undefined,
  };
}

describe('runRepl', () => {
  it('collects lines until a statement is terminated, runs it, and stops at !quit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floe-repl-'));
    const historyFile = path.join(dir, '.floe', 'sql_history');
    const scripts: { script: string; options?: RunOptions }[] = [];
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => (text += d.toString()));
    input.end('select\n  1;\n\n-- nothing\nselect 2;\n!quit\nselect 3;\n');
    await runRepl({
      session: recordingSession(scripts),
      input,
      output,
      formatter: createFormatter('json', { stdout: output, stderr: output, env: {} }),
      terminal: false,
      historyFile,
    });
    expect(scripts.map((s) => [s.script, s.options?.firstStatement])).toEqual([
      ['select\n  1;', 1],
      ['select 2;', 2],
    ]);
    expect(text).toContain('floe>    -> {"statement":1');
    expect(fs.readFileSync(historyFile, 'utf8')).toBe('select\n  1;\n-- nothing\nselect 2;\n!quit\n');
    expect(loadHistory(historyFile)[0]).toBe('!quit');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves at end of input (Ctrl-D) without running an unfinished statement', async () => {
    const scripts: { script: string; options?: RunOptions }[] = [];
    const input = new PassThrough();
    const output = new PassThrough();
    input.end('select 1');
    await runRepl({
      session: recordingSession(scripts),
      input,
      output,
      formatter: createFormatter('table', { stdout: output, stderr: output, env: {} }),
      terminal: false,
    });
    expect(scripts).toEqual([]);
  });
});

describe('remember', () => {
  it('keeps newest first, skipping blanks and repeats', () => {
    expect(remember(remember(remember([], 'a'), 'a'), ' ')).toEqual(['a']);
    expect(remember(['a'], 'b')).toEqual(['b', 'a']);
  });
});
