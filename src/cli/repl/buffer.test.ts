import { describe, expect, it } from 'vitest';
import { bufferState } from './buffer.js';

describe('bufferState', () => {
  it('is complete when the last statement ends with ;', () => {
    expect(bufferState('select 1;')).toEqual({ kind: 'complete' });
    expect(bufferState('select 1;\nselect 2;  ')).toEqual({ kind: 'complete' });
    expect(bufferState('select 1; -- trailing comment')).toEqual({ kind: 'complete' });
  });

  it('needs more input for unterminated statements', () => {
    expect(bufferState('select 1')).toEqual({ kind: 'incomplete' });
    expect(bufferState('select 1;\nselect')).toEqual({ kind: 'incomplete' });
  });

  it('does not split inside strings, $$ bodies, quoted identifiers or comments', () => {
    expect(bufferState("select 'a;")).toEqual({ kind: 'incomplete' });
    expect(bufferState("select 'a;\nb';")).toEqual({ kind: 'complete' });
    expect(bufferState('create procedure p() returns int language javascript as $$ return 1;')).toEqual({ kind: 'incomplete' });
    expect(bufferState('create procedure p() returns int language javascript as $$ return 1; $$;')).toEqual({ kind: 'complete' });
    expect(bufferState('select 1 as "a;')).toEqual({ kind: 'incomplete' });
    expect(bufferState('/* ; ')).toEqual({ kind: 'incomplete' });
    expect(bufferState('select 1 -- ;')).toEqual({ kind: 'incomplete' });
  });

  it('waits for the END of a scripting block', () => {
    expect(bufferState('execute immediate $$ begin select 1; end; $$;')).toEqual({ kind: 'complete' });
    expect(bufferState('begin\n  select 1;')).toEqual({ kind: 'incomplete' });
    expect(bufferState('begin\n  select 1;\nend;')).toEqual({ kind: 'complete' });
  });

  it('treats the transaction statement BEGIN; as complete', () => {
    expect(bufferState('begin;')).toEqual({ kind: 'complete' });
  });

  it('recognizes shell commands and empty input', () => {
    expect(bufferState('!quit')).toEqual({ kind: 'command', command: 'quit' });
    expect(bufferState('  !EXIT; ')).toEqual({ kind: 'command', command: 'quit' });
    expect(bufferState('   ')).toEqual({ kind: 'empty' });
    expect(bufferState('-- just a comment')).toEqual({ kind: 'empty' });
  });
});
