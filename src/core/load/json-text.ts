/**
 * A small JSON reader for the rare documents the engine's set-based JSON functions cannot handle: it explains
 * why a document is malformed (Snowflake-style `Error parsing JSON: <reason>, pos <n>`), finds duplicate keys,
 * and rewrites documents for ALLOW_DUPLICATE = TRUE (the last value of a key wins) and STRIP_NULL_VALUES.
 * Numbers keep their text, so no precision is lost on a rewrite. It accepts what DuckDB's json_valid accepts
 * (trailing commas, NaN / Infinity), so a document the engine took is never refused here.
 */
export type JsonNode =
  | { kind: 'object'; entries: [string, JsonNode][] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'scalar'; text: string };

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    /** 1-based character position. */
    readonly pos: number,
  ) {
    super(`${reason}, pos ${pos}`);
  }
}

const KEYWORDS = ['true', 'false', 'null', 'NaN', 'Infinity', '-Infinity'];

class Reader {
  i = 0;
  constructor(
    private readonly s: string,
    private readonly rejectDuplicates: boolean,
  ) {}

  fail(reason: string, at = this.i): never {
    throw new JsonSyntaxError(reason, at + 1);
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }

  document(): JsonNode {
    this.ws();
    if (this.i >= this.s.length) this.fail('empty document');
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail('more than one document in the input');
    return v;
  }

  value(): JsonNode {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { kind: 'scalar', text: this.string() };
    if (c === undefined) this.fail('unexpected end of document');
    if (c === '-' || (c >= '0' && c <= '9')) {
      if (this.s.startsWith('-Infinity', this.i)) return this.keyword();
      return this.number();
    }
    return this.keyword();
  }

  keyword(): JsonNode {
    const m = /^-?[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i, this.i + 64));
    if (!m) this.fail(`invalid character '${this.s[this.i]}' outside of a string`);
    if (!KEYWORDS.includes(m[0])) this.fail(`unknown keyword "${m[0]}"`);
    this.i += m[0].length;
    return { kind: 'scalar', text: m[0] };
  }

  number(): JsonNode {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail('invalid number');
    const after = this.s[this.i + m[0].length];
    if (after !== undefined && /[0-9.eE+-]/.test(after)) this.fail('invalid number', this.i + m[0].length);
    this.i += m[0].length;
    return { kind: 'scalar', text: m[0] };
  }

  string(): string {
    const start = this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '"') return this.s.slice(start, ++this.i);
      if (c === '\\') {
        const e = this.s[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) this.fail('invalid unicode escape');
          this.i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i += 2;
        else this.fail('invalid escape sequence');
        continue;
      }
      if (c < ' ') this.fail('invalid control character in a string');
      this.i++;
    }
    return this.fail('unterminated string', start);
  }

  object(): JsonNode {
    this.i++;
    const entries: [string, JsonNode][] = [];
    const seen = new Set<string>();
    for (;;) {
      this.ws();
      if (this.i >= this.s.length) this.fail('incomplete object value');
      if (this.s[this.i] === '}') {
        this.i++;
        return { kind: 'object', entries };
      }
      if (this.s[this.i] !== '"') this.fail(this.s[this.i] === ',' ? 'misplaced ,' : 'expected a quoted object key');
      const keyAt = this.i;
      const key = this.string();
      if (this.rejectDuplicates) {
        const name = JSON.parse(key) as string;
        if (seen.has(name)) this.fail(`duplicate object attribute "${name}"`, keyAt);
        seen.add(name);
      }
      this.ws();
      if (this.s[this.i] !== ':') this.fail(this.i >= this.s.length ? 'incomplete object value' : 'missing colon');
      this.i++;
      this.ws();
      if (this.i >= this.s.length) this.fail('incomplete object value');
      entries.push([key, this.value()]);
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail(this.i >= this.s.length ? 'incomplete object value' : 'missing comma');
    }
  }

  array(): JsonNode {
    this.i++;
    const items: JsonNode[] = [];
    for (;;) {
      this.ws();
      if (this.i >= this.s.length) this.fail('incomplete array value');
      if (this.s[this.i] === ']') {
        this.i++;
        return { kind: 'array', items };
      }
      if (this.s[this.i] === ',') this.fail('misplaced ,');
      items.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') this.fail(this.i >= this.s.length ? 'incomplete array value' : 'missing comma');
    }
  }
}

/** Parses one document; throws JsonSyntaxError. With rejectDuplicates a repeated key is an error. */
export function parseJsonDocument(text: string, rejectDuplicates = false): JsonNode {
  return new Reader(text, rejectDuplicates).document();
}

/** `Error parsing JSON: <reason>, pos <n>` for a malformed document (or one with a duplicate key), else undefined. */
export function jsonErrorMessage(text: string, rejectDuplicates: boolean): string | undefined {
  try {
    parseJsonDocument(text, rejectDuplicates);
    return undefined;
  } catch (e) {
    if (e instanceof JsonSyntaxError) return `Error parsing JSON: ${e.message}`;
    throw e;
  }
}

export interface RewriteOptions {
  /** Keep only the last value of a repeated key (ALLOW_DUPLICATE = TRUE). */
  lastWins: boolean;
  /** Drop object fields and array elements whose value is null (STRIP_NULL_VALUES = TRUE). */
  stripNulls: boolean;
}

export function serializeJson(node: JsonNode, o: RewriteOptions): string {
  const isNull = (n: JsonNode) => n.kind === 'scalar' && n.text === 'null';
  switch (node.kind) {
    case 'scalar':
      return node.text;
    case 'array':
      return `[${node.items.filter((x) => !(o.stripNulls && isNull(x))).map((x) => serializeJson(x, o)).join(',')}]`;
    case 'object': {
      let entries = node.entries;
      if (o.lastWins) {
        const last = new Map<string, number>();
        entries.forEach(([k], i) => last.set(JSON.parse(k) as string, i));
        entries = entries.filter(([k], i) => last.get(JSON.parse(k) as string) === i);
      }
      if (o.stripNulls) entries = entries.filter(([, v]) => !isNull(v));
      return `{${entries.map(([k, v]) => `${k}:${serializeJson(v, o)}`).join(',')}}`;
    }
  }
}

/** The rewritten document, or the input unchanged when it does not parse (the engine reports it). */
export function rewriteJson(text: string, o: RewriteOptions): string {
  try {
    return serializeJson(parseJsonDocument(text), o);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return text;
    throw e;
  }
}
