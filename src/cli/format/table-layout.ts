/**
 * SnowSQL-style result tables that stay readable in a terminal: columns that do not fit are narrowed (long
 * cells cut with `…`), and when even narrow columns do not fit, rows are printed as vertical records like
 * psql's `\x` mode.
 */
import Table from 'cli-table3';
import { blockWidth, textWidth, truncateBlock, truncateLine } from './text-width.js';

/** Narrowest a column may get before the table switches to the vertical layout. */
export const MIN_COLUMN_WIDTH = 10;

export interface TableInput {
  headers: string[];
  /** Display text of every cell (NULL already rendered). */
  rows: string[][];
  /** Right-align numeric columns as SnowSQL does. */
  alignRight: boolean[];
}

const ASCII_CHARS = {
  top: '-',
  'top-mid': '+',
  'top-left': '+',
  'top-right': '+',
  bottom: '-',
  'bottom-mid': '+',
  'bottom-left': '+',
  'bottom-right': '+',
  left: '|',
  'left-mid': '|',
  mid: '-',
  'mid-mid': '+',
  right: '|',
  'right-mid': '|',
  middle: '|',
};

/**
 * Content widths for each column so the whole table fits in `width` terminal cells, or null when it cannot
 * fit without going below MIN_COLUMN_WIDTH. Narrow columns keep their natural width; the widest ones share
 * what is left equally (water-filling), so one long column does not squeeze all others.
 */
export function fitColumnWidths(natural: number[], width: number): number[] | null {
  const n = natural.length;
  const budget = width - (3 * n + 1); // per column: 2 padding + 1 separator; plus the left border
  if (natural.reduce((a, b) => a + b, 0) <= budget) return natural;
  const sorted = [...natural].sort((a, b) => a - b);
  let remaining = budget;
  let cap = 0;
  for (let i = 0; i < n; i++) {
    const left = n - i;
    if (sorted[i] * left > remaining) {
      cap = Math.floor(remaining / left);
      break;
    }
    remaining -= sorted[i];
  }
  if (cap < MIN_COLUMN_WIDTH) return null;
  return natural.map((w) => Math.min(w, cap));
}

export function renderTable(input: TableInput, width: number): string {
  const natural = input.headers.map((h, i) => Math.max(blockWidth(h), ...input.rows.map((r) => blockWidth(r[i]))));
  const widths = fitColumnWidths(natural, width);
  if (widths === null) return renderVertical(input, width);
  const table = new Table({
    head: input.headers.map((h, i) => truncateBlock(h, widths[i])),
    chars: ASCII_CHARS,
    colWidths: widths.map((w) => w + 2),
    colAligns: input.alignRight.map((r) => (r ? 'right' : 'left')),
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
  });
  for (const row of input.rows) table.push(row.map((cell, i) => truncateBlock(cell, widths[i])));
  return table.toString();
}

/** psql `\x`-like records: `-[ RECORD 1 ]---` then one `NAME | value` line per column. */
export function renderVertical(input: TableInput, width: number): string {
  const labelWidth = Math.min(Math.max(0, ...input.headers.map(textWidth)), Math.max(MIN_COLUMN_WIDTH, Math.floor(width / 3)));
  const valueWidth = Math.max(MIN_COLUMN_WIDTH, width - labelWidth - 3);
  const lines: string[] = [];
  input.rows.forEach((row, r) => {
    const title = `-[ RECORD ${r + 1} ]`;
    const widest = Math.min(valueWidth, Math.max(0, ...row.map(blockWidth)));
    lines.push(title + '-'.repeat(Math.max(1, labelWidth + 3 + widest - title.length)));
    input.headers.forEach((header, c) => {
      const label = truncateLine(header, labelWidth);
      const pad = ' '.repeat(labelWidth - textWidth(label));
      row[c].split('\n').forEach((part, k) => {
        const prefix = k === 0 ? `${label}${pad}` : ' '.repeat(labelWidth);
        lines.push(`${prefix} | ${truncateLine(part, valueWidth)}`);
      });
    });
  });
  return lines.join('\n');
}
