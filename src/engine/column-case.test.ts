import { describe, expect, it } from 'vitest';
import type { TableDef } from '../core/catalog/catalog-model.js';
import { parseSnowflake } from '../sql/ast/polyglot.js';
import { normalizeIdentifiers } from '../sql/translate/bind-statement.js';
import { rejectCaseInsensitiveColumnMatches } from './column-case.js';

const table = (...names: string[]): TableDef =>
  ({ kind: 'TABLE', database: 'D', schema: 'S', name: 'T', columns: names.map((name) => ({ name, type: { kind: 'BOOLEAN' }, nullable: true })) }) as unknown as TableDef;

const check = (sql: string, t: TableDef): void => {
  const [ast] = parseSnowflake(sql);
  normalizeIdentifiers(ast);
  rejectCaseInsensitiveColumnMatches(ast, [t]);
};

describe('rejectCaseInsensitiveColumnMatches', () => {
  const mixed = table('ID', 'quotedCol');
  it('refuses a reference that only matches in another letter case', () => {
    expect(() => check('select quotedCol from t', mixed)).toThrow(/invalid identifier 'QUOTEDCOL'/);
    expect(() => check('update t set quotedcol = 1', mixed)).toThrow(/invalid identifier 'QUOTEDCOL'/);
    expect(() => check('insert into t (id, QuotedCol) values (1, 2)', mixed)).toThrow(/invalid identifier 'QUOTEDCOL'/);
  });
  it('accepts exact names and names some alias defines', () => {
    expect(() => check('select "quotedCol", id from t', mixed)).not.toThrow();
    expect(() => check('select quotedcol from (select "quotedCol" as quotedcol from t)', mixed)).not.toThrow();
    expect(() => check('select whatever from t', mixed)).not.toThrow();
  });
  it('skips tables whose columns are all upper case', () => {
    expect(() => check('select id, x from t', table('ID', 'X'))).not.toThrow();
  });
});
