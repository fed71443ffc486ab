import { describe, expect, it } from 'vitest';
import { fitColumnWidths, MIN_COLUMN_WIDTH, renderTable, renderVertical, type TableInput } from './table-layout.js';
import { textWidth, truncateLine } from './text-width.js';

const maxLineWidth = (text: string): number => Math.max(...text.split('\n').map(textWidth));

describe('fitColumnWidths', () => {
  it('keeps natural widths when they fit', () => {
    expect(fitColumnWidths([3, 10], 80)).toEqual([3, 10]);
  });

  it('narrows only the widest columns, sharing the remaining space', () => {
    // budget = 40 - (3*3 + 1) = 30: the 4-wide column keeps its width, the two wide ones get 13 each.
    expect(fitColumnWidths([4, 100, 50], 40)).toEqual([4, 13, 13]);
  });

  it('gives up (vertical layout) below the minimum column width', () => {
    expect(fitColumnWidths(Array(20).fill(30), 80)).toBeNull();
    expect(fitColumnWidths([100], 3 * 1 + 1 + MIN_COLUMN_WIDTH)).toEqual([MIN_COLUMN_WIDTH]);
  });
});

describe('renderTable', () => {
  const input: TableInput = {
    headers: ['ID', 'NAME'],
    rows: [
      ['1', 'x'],
      ['22', 'NULL'],
    ],
    alignRight: [true, false],
  };

  it('draws a SnowSQL-style ASCII table with right-aligned numbers', () => {
    expect(renderTable(input, 120)).toBe(
      ['+----+------+', '| ID | NAME |', '|----+------|', '|  1 | x    |', '| 22 | NULL |', '+----+------+'].join('\n'),
    );
  });

  it('truncates long cells with … to fit the terminal', () => {
    const wide: TableInput = { headers: ['ID', 'TEXT'], rows: [['1', 'a'.repeat(200)]], alignRight: [true, false] };
    const out = renderTable(wide, 60);
    expect(maxLineWidth(out)).toBeLessThanOrEqual(60);
    expect(out).toContain('…');
    expect(out).toContain('|  1 |');
  });

  it('keeps multi-line cells and fits each line', () => {
    const out = renderTable({ headers: ['T'], rows: [['first line\nsecond']], alignRight: [false] }, 80);
    expect(out.split('\n')).toContain('| second     |');
  });

  it('switches to vertical records when columns cannot fit', () => {
    const headers = Array.from({ length: 12 }, (_, i) => `COLUMN_NUMBER_${i}`);
    const out = renderTable({ headers, rows: [headers.map((h) => `${h}_value`)], alignRight: headers.map(() => false) }, 80);
    expect(out.split('\n')[0]).toMatch(/^-\[ RECORD 1 \]-+$/);
    expect(out).toContain('COLUMN_NUMBER_3  | COLUMN_NUMBER_3_value');
    expect(maxLineWidth(out)).toBeLessThanOrEqual(80);
  });
});

describe('renderVertical', () => {
  it('prints one record per row and truncates long values', () => {
    const out = renderVertical({ headers: ['A', 'LONG'], rows: [['1', 'z'.repeat(100)], ['2', 'y']], alignRight: [true, false] }, 40);
    const lines = out.split('\n');
    expect(lines[0].startsWith('-[ RECORD 1 ]')).toBe(true);
    expect(lines[1]).toBe('A    | 1');
    expect(lines[2].endsWith('…')).toBe(true);
    expect(lines[3].startsWith('-[ RECORD 2 ]')).toBe(true);
    expect(maxLineWidth(out)).toBeLessThanOrEqual(40);
  });
});

describe('text width', () => {
  it('counts wide characters twice and cuts with …', () => {
    expect(textWidth('日本')).toBe(4);
    expect(textWidth('e\u0301')).toBe(1);
    expect(truncateLine('abcdef', 4)).toBe('abc…');
    expect(truncateLine('日本語', 4)).toBe('日…');
  });
});
