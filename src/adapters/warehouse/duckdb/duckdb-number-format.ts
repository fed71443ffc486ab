/**
 * Snowflake numeric format models (TO_CHAR / TO_VARCHAR / TO_NUMBER / TO_DECIMAL with `'9,999.00'`, `'$999'`,
 * `'S0000'`, `'XXXX'`, `'TM9'`, …) → one DuckDB expression generated at translation time, so the
 * formatting runs vectorized inside DuckDB. The value is bound once through a one-element
 * `list_transform` lambda (`floe_n`), which lets the generated text use it several times.
 *
 * Fixed-position rules (Snowflake docs, "SQL format models"): the output has the width of the format;
 * without an explicit S/MI one position is reserved for the sign, which floats next to the first digit
 * (as does `$`); `9` digits that are leading/trailing zeros print as blanks, `0` digits print as zeros
 * (the last integer digit is always printed unless B); a group separator next to a blank is a blank;
 * FM removes the blanks; a value that does not fit prints the format with every digit as `#`.
 */
import { unsupported } from '../../../core/errors.js';
import type { AstNode } from '../../../sql/ast/ast-node.js';
import { castTo, concatOp, fn, num, raw, str } from './duckdb-expr-build.js';

export interface NumberFormat {
  text: string;
  fm: boolean;
  prefix: string;
  suffix: string;
  leadSign?: 'S' | 'MI';
  trailSign?: 'S' | 'MI';
  dollar: boolean;
  blankZero: boolean;
  /** Integer digit positions and group separators: `9`, `0`, `X`, `,`. */
  intTemplate: string;
  point: boolean;
  /** Fraction digit positions: `9`, `0`. */
  fracTemplate: string;
  hex?: 'upper' | 'lower';
  textMinimal: boolean;
}

const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Parse a numeric format model, or undefined when the text is not one (it may be a datetime format). */
export function parseNumberFormat(text: string): NumberFormat | undefined {
  const f: NumberFormat = {
    text, fm: false, prefix: '', suffix: '', dollar: false, blankZero: false, intTemplate: '', point: false,
    fracTemplate: '', textMinimal: false,
  };
  let i = 0;
  let phase: 'lead' | 'int' | 'frac' | 'trail' = 'lead';
  const upper = text.toUpperCase();
  let sawLiteralAfterLead = false;
  while (i < text.length) {
    const c = upper[i];
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return undefined;
      const lit = text.slice(i + 1, end);
      if (phase === 'lead' && !f.fm && !f.dollar && !f.leadSign && !f.blankZero) f.prefix += lit;
      else if (phase === 'int' || phase === 'frac' || phase === 'trail') {
        f.suffix += lit;
        phase = 'trail';
        sawLiteralAfterLead = true;
      } else return undefined;
      i = end + 1;
      continue;
    }
    if (sawLiteralAfterLead) return undefined; // only literal text after a trailing literal
    if (upper.startsWith('TM', i) && phase === 'lead' && !f.dollar && !f.leadSign && !f.blankZero) {
      const element = upper.slice(i).match(/^TM[9E]?/)?.[0] ?? 'TM';
      const rest = text.slice(i + element.length);
      if (rest !== '' && !/^"[^"]*"$/.test(rest)) return undefined;
      if (element !== 'TM9') throw unsupported(`numeric format element ${element} (only TM9) in '${text}'`);
      f.textMinimal = true;
      f.suffix = rest.slice(1, -1);
      return f;
    }
    if (upper.startsWith('EE', i)) throw unsupported(`numeric format element EE (exponent) in '${text}'`);
    if (upper.startsWith('FM', i) && phase === 'lead') {
      f.fm = true;
      i += 2;
      continue;
    }
    if (upper.startsWith('MI', i) || c === 'S') {
      const sign = c === 'S' ? 'S' : 'MI';
      if (phase === 'lead' && !f.leadSign) f.leadSign = sign;
      else if ((phase === 'int' || phase === 'frac') && !f.leadSign) {
        f.trailSign = sign;
        phase = 'trail';
      } else return undefined;
      i += sign.length;
      continue;
    }
    if (c === 'B' && phase === 'lead') f.blankZero = true;
    else if (c === '$' && phase === 'lead') f.dollar = true;
    else if ((c === '9' || c === '0') && (phase === 'lead' || phase === 'int')) {
      phase = 'int';
      f.intTemplate += c;
    } else if (c === 'X' && (phase === 'lead' || phase === 'int')) {
      phase = 'int';
      f.intTemplate += 'X';
      f.hex = text[i] === 'x' ? 'lower' : 'upper';
    } else if ((c === ',' || c === 'G') && phase === 'int') f.intTemplate += ',';
    else if ((c === '.' || c === 'D') && (phase === 'lead' || phase === 'int')) {
      phase = 'frac';
      f.point = true;
    } else if ((c === '9' || c === '0') && phase === 'frac') f.fracTemplate += c;
    else return undefined;
    i++;
  }
  if (!/[09X]/.test(f.intTemplate + f.fracTemplate)) return undefined;
  if (f.hex && (f.point || /[9,]/.test(f.intTemplate))) throw unsupported(`numeric format '${text}' (X mixed with 9 , or .)`);
  return f;
}

/** True when the text is a numeric format model rather than a datetime one. */
export const isNumericFormat = (text: string): boolean => {
  try {
    return parseNumberFormat(text) !== undefined;
  } catch {
    return true;
  }
};

const digitCount = (template: string) => template.replace(/,/g, '').length;

/** Index (among digit positions) from which leading zeros are printed: the first `0`. */
function zeroFrom(template: string): number {
  const digits = template.replace(/,/g, '');
  const z = digits.indexOf('0');
  return z < 0 ? digits.length : z;
}

/** `floe_p` (the padded integer digits) with the template's group separators put back. */
function interleaveGroups(template: string): string {
  const parts: string[] = [];
  let digits = 0;
  let runStart = 0;
  for (const c of template) {
    if (c === ',') {
      if (digits > runStart) parts.push(`substr(floe_p, ${runStart + 1}, ${digits - runStart})`);
      parts.push(digits === 0 ? "','" : `CASE WHEN substr(floe_p, ${digits}, 1) = ' ' THEN ' ' ELSE ',' END`);
      runStart = digits;
    } else digits++;
  }
  if (digits > runStart) parts.push(`substr(floe_p, ${runStart + 1}, ${digits - runStart})`);
  return parts.length === 0 ? "''" : parts.join(' || ');
}

function overflowText(f: NumberFormat): string {
  const implicitSlot = f.fm || f.hex || f.trailSign ? '' : ' ';
  const signSlot = f.leadSign ? (f.fm && f.leadSign === 'MI' ? '' : ' ') : implicitSlot;
  return `${f.prefix}${signSlot}${f.dollar ? '$' : ''}${f.intTemplate.replace(/[09X]/g, '#')}${f.point ? '.' + '#'.repeat(f.fracTemplate.length) : ''}${f.trailSign ? ' ' : ''}${f.suffix}`;
}

/** The sign characters for a leading or trailing S/MI (or the implicit sign slot). */
function signExpr(kind: 'S' | 'MI' | 'implicit', fm: boolean): string {
  const positive = kind === 'S' ? '+' : fm ? '' : ' ';
  return `CASE WHEN floe_n < 0 THEN '-' ELSE '${positive}' END`;
}

/** Put sign and `$` right before the first non-blank character of the digits. */
function assemble(f: NumberFormat, body: string, implicitSign: boolean): string {
  const lead = f.leadSign ? signExpr(f.leadSign, f.fm) : implicitSign ? signExpr('implicit', f.fm) : "''";
  const dollar = f.dollar ? "'$'" : "''";
  const core = f.fm
    ? `${lead} || ${dollar} || trim(${body})`
    : `regexp_replace(${body}, '^( *)', '\\1' || ${lead} || ${dollar})`;
  const trail = f.trailSign ? ` || ${signExpr(f.trailSign, f.fm)}` : '';
  return `${sq(f.prefix)} || ${core}${trail} || ${sq(f.suffix)}`;
}

function decimalBody(f: NumberFormat): string {
  const nInt = digitCount(f.intTemplate);
  const d = f.fracTemplate.length;
  const z = zeroFrom(f.intTemplate);
  const abs = 'CAST(abs(floe_n) AS VARCHAR)';
  const intDigits = `split_part(${abs}, '.', 1)`;
  const minDigits = f.blankZero ? nInt - z : Math.max(nInt - z, nInt > 0 ? 1 : 0);
  let padded: string;
  if (nInt === 0) padded = "''";
  else {
    const shown = f.blankZero ? `CASE WHEN ${intDigits} = '0' THEN '' ELSE ${intDigits} END` : intDigits;
    padded = `lpad(lpad(${shown}, CAST(greatest(length(${shown}), ${minDigits}) AS INTEGER), '0'), ${nInt}, ' ')`;
  }
  let frac = "''";
  if (f.point) {
    const digits = `split_part(${abs}, '.', 2)`;
    // Trailing `9` positions print trailing zeros as blanks.
    const nines = f.fracTemplate.length - f.fracTemplate.replace(/9+$/, '').length;
    const fixed = d - nines;
    const head = fixed > 0 ? `substr(${digits}, 1, ${fixed})` : "''";
    const tail = nines > 0 ? ` || rpad(rtrim(substr(${digits}, ${fixed + 1}), '0'), ${nines}, ' ')` : '';
    frac = `'.' || ${head}${tail}`;
  }
  const body = `list_transform([${padded}], floe_p -> ${interleaveGroups(f.intTemplate)} || ${frac})[1]`;
  const limit = nInt === 0 ? '1' : `1${'0'.repeat(nInt)}`;
  const overflow = nInt >= 38 ? 'false' : `abs(floe_n) >= ${limit}`;
  return `CASE WHEN floe_n IS NULL THEN NULL WHEN ${overflow} THEN ${sq(overflowText(f))} ELSE ${assemble(f, body, !f.leadSign && !f.trailSign)} END`;
}

function hexBody(f: NumberFormat): string {
  const n = digitCount(f.intTemplate);
  if (n > 15) throw unsupported(`numeric format '${f.text}' with more than 15 X digits`);
  const z = zeroFrom(f.intTemplate);
  const signed = Boolean(f.leadSign || f.trailSign);
  const int = 'CAST(floe_n AS BIGINT)';
  // Without a sign element a negative value prints as its two's complement in n hex digits.
  const digits = signed ? `hex(abs(${int}))` : `right(hex(${int}), CASE WHEN ${int} < 0 THEN ${n} ELSE 16 END)`;
  const range = 16 ** n;
  const fits = signed ? `abs(${int}) < ${range}` : `${int} < ${range} AND ${int} >= -${range / 2}`;
  const h = `CASE WHEN ${int} = 0 THEN '0' ELSE ltrim(${digits}, '0') END`;
  const padded = `lpad(lpad(${h}, CAST(greatest(length(${h}), ${Math.max(n - z, 1)}) AS INTEGER), '0'), ${n}, ' ')`;
  const cased = f.hex === 'lower' ? `lower(${padded})` : padded;
  return `CASE WHEN floe_n IS NULL THEN NULL WHEN NOT (${fits}) THEN ${sq(overflowText(f))} ELSE ${assemble(f, cased, false)} END`;
}

/** TO_CHAR(x, <numeric format>). */
export function formatNumber(x: AstNode, f: NumberFormat): AstNode {
  if (f.textMinimal) {
    const text = fn('floe_to_varchar', x);
    return f.prefix || f.suffix ? concatOp(concatOp(str(f.prefix), text), str(f.suffix)) : text;
  }
  const scale = f.hex ? 0 : f.fracTemplate.length;
  const body = f.hex ? hexBody(f) : decimalBody(f);
  return fn('list_extract', fn('list_transform', fn('list_value', castTo(x, `DECIMAL(38,${scale})`)), raw(`floe_n -> ${body}`)), num(1));
}

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * TO_NUMBER(s, <numeric format>, p, s): the text must match the format (blanks, sign, `$`, group
 * separators and the literal text around it may appear); otherwise `Numeric value '…' is not recognized`.
 */
export function parseNumber(x: AstNode, f: NumberFormat, precision: number, scale: number, tryCast: boolean): AstNode {
  if (f.textMinimal) return castTo(x, `DECIMAL(${precision},${scale})`, tryCast);
  const signAllowed = (k: 'S' | 'MI' | undefined) => (k === 'S' ? '[+-]' : k === 'MI' ? '-' : '');
  const lead = f.leadSign ? signAllowed(f.leadSign) : f.trailSign ? '' : '[+-]';
  const digits = f.hex ? '[0-9A-Fa-f]+' : `[0-9][0-9${f.intTemplate.includes(',') ? ',' : ''}]*${f.point ? '(?:\\.[0-9]*)?' : ''}|\\.[0-9]+`;
  const re = `^\\s*${reEscape(f.prefix)}\\s*(${lead})?\\s*${f.dollar ? '\\$?' : ''}\\s*(${digits})\\s*(${signAllowed(f.trailSign)})?\\s*${reEscape(f.suffix)}\\s*$`;
  const group = (k: number) => `regexp_extract(floe_s, ${sq(re)}, ${k})`;
  const sign = `CASE WHEN ${group(1)} = '-' OR ${group(3)} = '-' THEN '-' ELSE '' END`;
  const type = `DECIMAL(${precision},${scale})`;
  const value = f.hex
    ? `CAST(${sign} || CAST(CAST('0x' || ${group(2)} AS BIGINT) AS VARCHAR) AS ${type})`
    : `CAST(${sign} || replace(${group(2)}, ',', '') AS ${type})`;
  const failed = tryCast ? 'NULL' : `error('floe: Numeric value ''' || floe_s || ''' is not recognized')`;
  const body = `CASE WHEN floe_s IS NULL THEN NULL WHEN regexp_full_match(floe_s, ${sq(re)}) THEN ${value} ELSE ${failed} END`;
  return fn('list_extract', fn('list_transform', fn('list_value', castTo(x, 'VARCHAR')), raw(`floe_s -> ${body}`)), num(1));
}
