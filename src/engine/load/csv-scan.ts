/**
 * The fast paths' pre-scan of a CSV file (csv-fast-path.ts): one streaming pass over the bytes (through zlib
 * for gzip, which also proves the stream complete) with memchr-speed searches, collecting what decides which
 * engine reader may take the file. Undefined when no fast path can: CR, NUL or 0x01 bytes, an escape other
 * than a whole `\N` field that NULL_IF turns into NULL, a corrupt or truncated gzip stream.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { CsvFormat } from '../../core/load/file-format.js';

export interface CsvScan {
  gzip: boolean;
  /** Lines as the JS parser counts them (LF-terminated, plus a last unterminated one). */
  lines: number;
  /** A quote character (FIELD_OPTIONALLY_ENCLOSED_BY) occurs. */
  quote: boolean;
  /** An empty line occurs. */
  blankLine: boolean;
  /** A space or tab next to a quote character (the engine would trim it; Snowflake keeps it as data). */
  blankNextToQuote: boolean;
}

const LF = 0x0a;

function isGzip(path: string, f: CsvFormat): boolean {
  if (f.compression === 'GZIP') return true;
  if (f.compression !== 'AUTO') return false;
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

export async function scanCsvFile(path: string, f: CsvFormat): Promise<CsvScan | undefined> {
  const gzip = isGzip(path, f);
  const delim = f.fieldDelimiter!.charCodeAt(0);
  const quote = f.fieldOptionallyEnclosedBy === null ? -1 : f.fieldOptionallyEnclosedBy.charCodeAt(0);
  const esc = f.escapeUnenclosedField === null ? -1 : f.escapeUnenclosedField.charCodeAt(0);
  if (esc === delim || esc === quote || esc >= 0x80) return undefined;
  const nullMarker = f.nullIf.includes(`${f.escapeUnenclosedField ?? ''}N`);
  const out: CsvScan = { gzip, lines: 0, quote: false, blankLine: false, blankNextToQuote: false };
  const blanksAroundQuote = quote < 0 ? [] : [Buffer.from([0x20, quote]), Buffer.from([0x09, quote]), Buffer.from([quote, 0x20]), Buffer.from([quote, 0x09])];
  const blank = Buffer.from([LF, LF]);
  let last = LF; // as if a line ended just before the file
  let pending: number[] | null = null; // bytes after an escape character, still to check
  const escapeOk = (after: number[], atEof: boolean): boolean => after[0] === 0x4e && (after.length > 1 ? after[1] === delim || after[1] === LF : atEof);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const source: Readable = gzip ? file.pipe(createGunzip()) : file;
  file.on('error', (e) => source.destroy(e));
  let bytes = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (chunk.length === 0) continue;
      if (chunk.indexOf(0x0d) >= 0 || chunk.indexOf(0x00) >= 0 || chunk.indexOf(0x01) >= 0) return undefined;
      if (pending) {
        const need = 2 - pending.length;
        pending.push(...chunk.subarray(0, need));
        if (pending.length === 2) {
          if (!escapeOk(pending, false)) return undefined;
          pending = null;
        }
      }
      if (esc >= 0) {
        for (let i = chunk.indexOf(esc); i >= 0; i = chunk.indexOf(esc, i + 1)) {
          const before = i > 0 ? chunk[i - 1]! : last;
          if (!nullMarker || (before !== delim && before !== LF)) return undefined;
          const after = [...chunk.subarray(i + 1, i + 3)];
          if (after.length < 2) pending = after;
          else if (!escapeOk(after, false)) return undefined;
        }
      }
      for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) out.lines++;
      if (!out.blankLine && ((last === LF && chunk[0] === LF) || chunk.indexOf(blank) >= 0)) out.blankLine = true;
      if (quote >= 0 && chunk.indexOf(quote) >= 0) {
        out.quote = true;
        const pairStart = (last === 0x20 || last === 0x09) && chunk[0] === quote;
        const pairEnd = last === quote && (chunk[0] === 0x20 || chunk[0] === 0x09);
        if (pairStart || pairEnd || blanksAroundQuote.some((p) => chunk.indexOf(p) >= 0)) out.blankNextToQuote = true;
      } else if (quote >= 0 && last === quote && (chunk[0] === 0x20 || chunk[0] === 0x09)) out.blankNextToQuote = true;
      bytes += chunk.length;
      last = chunk[chunk.length - 1]!;
    }
  } catch {
    return undefined; // corrupt or truncated gzip: the JS parser reports it
  } finally {
    source.destroy();
    file.destroy();
  }
  if (pending && !escapeOk(pending, true)) return undefined;
  if (bytes > 0 && last !== LF) out.lines++;
  return out;
}
