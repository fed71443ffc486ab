import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord } from './csv-parser.js';
import { resolveFileFormat, type CsvFormat } from './file-format.js';

function parse(text: string, options: Record<string, string | string[]> = {}, chunk = 0): CsvRecord[] {
  const p = new CsvParser(resolveFileFormat({ TYPE: 'CSV', ...options }) as CsvFormat);
  const out: CsvRecord[] = [];
  if (chunk > 0) for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk), (r) => out.push(r));
  else p.push(text, (r) => out.push(r));
  p.end((r) => out.push(r));
  return out;
}
const fields = (rs: CsvRecord[]) => rs.map((r) => r.fields);

describe('CSV parser (Snowflake semantics)', () => {
  it('CV-8 defaults: quotes are data, \\N and empty are NULL', () => {
    expect(fields(parse('1,,\\N\n2,"x",y\n'))).toEqual([
      ['1', null, null],
      ['2', '"x"', 'y'],
    ]);
  });

  it('CV-8 with FIELD_OPTIONALLY_ENCLOSED_BY', () => {
    const o = { FIELD_OPTIONALLY_ENCLOSED_BY: '"' };
    expect(fields(parse('3,"",z\n4,,z\n5,"a,b",z\n6,"say ""hi""",z\n', o))).toEqual([
      ['3', '', 'z'],
      ['4', null, 'z'],
      ['5', 'a,b', 'z'],
      ['6', 'say "hi"', 'z'],
    ]);
    expect(fields(parse('4,,z\n', { ...o, EMPTY_FIELD_AS_NULL: 'FALSE' }))).toEqual([['4', '', 'z']]);
  });

  it('same records whatever the chunking (quotes, CRLF and escapes across chunk ends)', () => {
    const text = 'a,"b\r\nc",d\r\n"x""y",\\,z,w\r\n';
    const o = { FIELD_OPTIONALLY_ENCLOSED_BY: '"' };
    const whole = fields(parse(text, o));
    expect(whole).toEqual([
      ['a', 'b\r\nc', 'd'],
      ['x"y', ',z', 'w'],
    ]);
    for (const n of [1, 2, 3, 5]) expect(fields(parse(text, o, n))).toEqual(whole);
  });

  it('counts lines and rows; SKIP_HEADER skips physical lines; BOM skipped', () => {
    const rs = parse('\uFEFFh1,h2\n1,2\n3,4', { SKIP_HEADER: '1' });
    expect(rs.map((r) => [r.row, r.line, r.fields])).toEqual([
      [1, 2, ['1', '2']],
      [2, 3, ['3', '4']],
    ]);
  });

  it('reports an unterminated quote and a character after a closing quote', () => {
    const o = { FIELD_OPTIONALLY_ENCLOSED_BY: '"' };
    expect(parse('1,"abc\n', o)[0]!.error?.message).toMatch(/unterminated quote/);
    expect(parse('1,"a"b,2\n', o)[0]!.error?.message).toBe("Found character 'b' instead of field delimiter ','");
  });

  it('TRIM_SPACE and SKIP_BLANK_LINES', () => {
    const o = { FIELD_OPTIONALLY_ENCLOSED_BY: '"', TRIM_SPACE: 'TRUE', FIELD_DELIMITER: '|' };
    expect(fields(parse('"Hello world"|" Hello world "| "Hello world" \n', o))).toEqual([['Hello world', ' Hello world ', 'Hello world']]);
    expect(fields(parse('1\n\n2\n', { SKIP_BLANK_LINES: 'TRUE' }))).toEqual([['1'], ['2']]);
    expect(fields(parse('1\n\n2\n'))).toEqual([['1'], [null], ['2']]);
  });
});
