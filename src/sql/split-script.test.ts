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
