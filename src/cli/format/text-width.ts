/**
 * Terminal display width, close enough to what terminals do to lay out tables: wide East Asian characters
 * and emoji take two cells, combining marks and zero-width characters none.
 */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

export function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** Widest line of a possibly multi-line text. */
export function blockWidth(text: string): number {
  let max = 0;
  for (const line of text.split('\n')) max = Math.max(max, textWidth(line));
  return max;
}

/** Cuts a single line to at most `max` cells, marking the cut with `…`. */
export function truncateLine(line: string, max: number): string {
  if (textWidth(line) <= max) return line;
  if (max <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of line) {
    const cw = charWidth(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** Truncates every line of a multi-line text. */
export function truncateBlock(text: string, max: number): string {
  return text
    .split('\n')
    .map((line) => truncateLine(line, max))
    .join('\n');
}
