/**
 * A streaming CSV record parser with Snowflake's semantics (reference §4.5): quotes are data unless
 * FIELD_OPTIONALLY_ENCLOSED_BY is set, ESCAPE_UNENCLOSED_FIELD (default `\`) escapes delimiters and itself in
 * unenclosed fields, NULL_IF compares the raw field text, EMPTY_FIELD_AS_NULL distinguishes `,,` from `,"",`,
 * SKIP_HEADER counts physical lines, `\r\n` ends a record like `\n`.
 *
 * It is a character state machine fed with decoded text chunks, so a record may span chunks and memory stays
 * bounded by the longest record. Errors are reported per record (the loader decides per ON_ERROR).
 */
import { unsupported } from '../errors.js';
import type { CsvFormat } from './file-format.js';

export interface CsvRecord {
  fields: (string | null)[];
  /** 1-based line of the record's first character. */
  line: number;
  /** 1-based record number (METADATA$FILE_ROW_NUMBER). */
  row: number;
  /** A parse error in this record (the fields are incomplete then). */
  error?: { message: string; code: number; character: number };
}

const LF = 10;
const CR = 13;

export class CsvParser {
  private readonly fd: number;
  private readonly quote: number;
  private readonly esc: number;
  private readonly escU: number;
  private readonly rd: number;
  private readonly nullIf: Set<string>;
  private linesToSkip: number;
  private atStart = true;

  private fields: (string | null)[] = [];
  private buf = '';
  private raw = '';
  private quoted = false;
  private inQuotes = false;
  private afterQuote = false;
  private pendingEscape = false;
  private pendingCr = false;
  private recordLine = 1;
  private line = 1;
  private col = 0;
  private fieldStartCol = 1;
  private row = 0;
  private recordError: CsvRecord['error'];
  private started = false;
  private nonEmpty = false;
  private pendingDoubleCheck = false;

  constructor(private readonly f: CsvFormat) {
    const single = (name: string, v: string | null): number => {
      if (v === null) return -1;
      if (v.length !== 1 && !(name === 'RECORD_DELIMITER' && v === '\r\n')) throw unsupported(`${name} of more than one character`);
      return v.charCodeAt(0);
    };
    this.fd = single('FIELD_DELIMITER', f.fieldDelimiter);
    this.rd = f.recordDelimiter === '\r\n' ? LF : single('RECORD_DELIMITER', f.recordDelimiter);
    this.quote = f.fieldOptionallyEnclosedBy === null ? -1 : f.fieldOptionallyEnclosedBy.charCodeAt(0);
    this.esc = f.escape === null ? -1 : f.escape.charCodeAt(0);
    this.escU = f.escapeUnenclosedField === null ? -1 : f.escapeUnenclosedField.charCodeAt(0);
    this.nullIf = new Set(f.nullIf);
    this.linesToSkip = f.skipHeader;
  }

  /** Parses a chunk; complete records are passed to `emit`. */
  push(text: string, emit: (r: CsvRecord) => void): void {
    let i = 0;
    const n = text.length;
    if (this.atStart) {
      this.atStart = false;
      if (this.f.skipByteOrderMark && text.charCodeAt(0) === 0xfeff) i = 1;
    }
    while (this.linesToSkip > 0 && i < n) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return;
      i = nl + 1;
      this.line++;
      this.recordLine = this.line;
      this.linesToSkip--;
    }
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      this.col++;
      if (c !== this.rd && c !== CR) this.nonEmpty = true;
      if (!this.started) {
        this.started = true;
        this.recordLine = this.line;
        this.fieldStartCol = this.col;
      }
      if (this.inQuotes) {
        if (this.pendingEscape) {
          this.buf += text[i];
          this.pendingEscape = false;
        } else if (c === this.esc && c !== this.quote) {
          this.pendingEscape = true;
        } else if (c === this.quote) {
          if (text.charCodeAt(i + 1) === this.quote) {
            this.buf += text[i];
            i++;
            this.col++;
          } else if (i + 1 === n) {
            // A quote at the chunk end may be the first of a doubled pair: decide with the next chunk.
            this.inQuotes = false;
            this.afterQuote = true;
            this.pendingDoubleCheck = true;
          } else {
            this.inQuotes = false;
            this.afterQuote = true;
          }
        } else {
          if (c === LF) {
            this.line++;
            this.col = 0;
            if (!this.f.multiLine) this.fail('Found record delimiter inside a quoted field while MULTI_LINE = FALSE', 100016);
          }
          this.buf += text[i];
        }
        continue;
      }
      if (this.pendingDoubleCheck) {
        this.pendingDoubleCheck = false;
        if (c === this.quote) {
          this.buf += text[i];
          this.inQuotes = true;
          this.afterQuote = false;
          continue;
        }
      }
      if (this.pendingEscape) {
        this.pendingEscape = false;
        this.raw += text[i];
        this.buf += c === 110 ? '\n' : c === 116 ? '\t' : c === 114 ? '\r' : text[i];
        if (c === LF) {
          this.line++;
          this.col = 0;
        }
        continue;
      }
      if (c === CR && (this.rd === LF) && text.charCodeAt(i + 1) === LF) continue; // CRLF: the LF ends the record
      if (c === CR && this.rd === LF && i + 1 === n) {
        this.pendingCr = true;
        continue;
      }
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c !== LF) {
          this.raw += '\r';
          this.buf += '\r';
        }
      }
      if (c === this.rd) {
        if (c === LF) {
          this.line++;
          this.col = 0;
        }
        this.endField();
        this.endRecord(emit);
        continue;
      }
      if (c === this.fd) {
        this.endField();
        this.fieldStartCol = this.col + 1;
        continue;
      }
      if (this.afterQuote) {
        if (this.f.trimSpace && (c === 32 || c === 9)) continue;
        this.fail(`Found character '${text[i]}' instead of field delimiter '${this.f.fieldDelimiter ?? ''}'`, 100024);
        continue;
      }
      if (c === this.quote && (this.raw.length === 0 || (this.f.trimSpace && this.raw.trim() === ''))) {
        this.inQuotes = true;
        this.quoted = true;
        this.raw = '';
        this.buf = '';
        continue;
      }
      if (c === this.escU) {
        this.pendingEscape = true;
        this.raw += text[i];
        continue;
      }
      this.raw += text[i];
      this.buf += text[i];
    }
  }


  /** Flushes the last record (a file need not end with a record delimiter). */
  end(emit: (r: CsvRecord) => void): void {
    if (this.pendingDoubleCheck) this.pendingDoubleCheck = false;
    if (this.pendingCr) {
      this.pendingCr = false;
      this.raw += '\r';
      this.buf += '\r';
    }
    if (this.inQuotes) this.fail('Found end of file while parsing a quoted field (unterminated quote)', 100069);
    if (this.started) {
      this.endField();
      this.endRecord(emit);
    }
  }

  private fail(message: string, code: number): void {
    this.recordError ??= { message, code, character: this.fieldStartCol };
  }

  private endField(): void {
    let value: string | null;
    if (this.quoted) {
      value = this.buf;
      if (this.nullIf.has(value)) value = null;
    } else {
      let raw = this.raw;
      let text = this.buf;
      if (this.f.trimSpace) {
        raw = raw.trim();
        text = text.trim();
      }
      if (this.nullIf.has(raw)) value = null;
      else if (raw === '' && this.f.emptyFieldAsNull) value = null;
      else value = text;
    }
    this.fields.push(value);
    this.buf = '';
    this.raw = '';
    this.quoted = false;
    this.afterQuote = false;
  }

  private endRecord(emit: (r: CsvRecord) => void): void {
    const blank = this.fields.length === 1 && this.fields[0] === null && !this.recordError;
    if (!(blank && this.f.skipBlankLines && !this.nonEmpty)) {
      this.row++;
      const rec: CsvRecord = { fields: this.fields, line: this.recordLine, row: this.row };
      if (this.recordError) rec.error = this.recordError;
      emit(rec);
    }
    this.fields = [];
    this.recordError = undefined;
    this.started = false;
    this.nonEmpty = false;
  }
}
