import { describe, expect, it } from 'vitest';
import { splitScript } from './split-script.js';
import { tokenize } from './lexer.js';

describe('splitScript', () => {
  it('splits at top-level semicolons and keeps positions', () => {
    const s = splitScript('select 1;\n  select 2 ;select 3');
    expect(s.map((x) => x.sql)).toEqual(['select 1', 'select 2', 'select 3']);
    expect(s.map((x) => [x.line, x.column])).toEqual([[1, 1], [2, 3], [2, 13]]);
    expect(s.map((x) => x.terminated)).toEqual([true, true, false]);
  });

  it('does not split inside strings, quoted identifiers, $$ bodies or comments', () => {
    const s = splitScript(`select 'a;b', "c;d" from t; -- x;y\nselect $$e;f$$ /* g;h */; // i;j\nselect 2`);
    expect(s.map((x) => x.sql)).toEqual([`select 'a;b', "c;d" from t`, 'select $$e;f$$', 'select 2']);
  });

  it('keeps Snowflake Scripting blocks whole but treats BEGIN; as a transaction', () => {
    const s = splitScript('begin; create task t as begin insert into a values (1); if (x) then y; end if; end; commit;');
    expect(s.map((x) => x.sql)).toEqual(['begin', 'create task t as begin insert into a values (1); if (x) then y; end if; end', 'commit']);
    expect(splitScript('begin transaction; select 1;').map((x) => x.sql)).toEqual(['begin transaction', 'select 1']);
  });

  it('keeps DECLARE sections, BEGIN TRANSACTION, IF NOT EXISTS, cursors and FOR … LOOP inside a block', () => {
    const block = `declare c cursor for select 1; n int default 0;
begin
  begin transaction;
  create table if not exists x (a int);
  for r in c loop n := n + 1; end loop;
  while (n < 3) loop n := n + 1; end loop;
  if (n > 1) then commit; else rollback; end if;
  return n;
end`;
    expect(splitScript(`${block};
select 2;`).map((x) => x.sql)).toEqual([block, 'select 2']);
    expect(splitScript('create procedure p() returns int as declare x int; begin return 1; end; select 1').map((x) => x.sql)).toEqual([
      'create procedure p() returns int as declare x int; begin return 1; end',
      'select 1',
    ]);
    expect(splitScript("select repeat('a', 2); drop table if exists t;").map((x) => x.sql)).toEqual(["select repeat('a', 2)", 'drop table if exists t']);
  });

  it('reports unterminated strings with their position', () => {
    expect(() => splitScript("select 1;\nselect 'abc")).toThrow(/Unterminated string literal starting at line 2/);
  });
});

describe('tokenize', () => {
  it('applies Snowflake escapes and identifier rules', () => {
    const t = tokenize(`Abc "Mixed""Q" 'it''s\\n' $$raw\\n$$ 1.5e3 ::`);
    expect(t.map((x) => [x.type, x.value])).toEqual([
      ['word', 'ABC'],
      ['quoted', 'Mixed"Q'],
      ['string', "it's\n"],
      ['dollar', 'raw\\n'],
      ['number', '1.5e3'],
      ['symbol', '::'],
    ]);
  });
});
