/**
 * NiFi Expression Language, the subset flows need: `${attr}`, `${'name with spaces'}`, chained functions
 * (`${filename:substringBeforeLast('.'):toUpper()}`), subjectless functions (`${now():format('yyyy')}`,
 * `${UUID()}`, `${hostname()}`), nested expressions as arguments, and `$${` as an escaped `${`.
 * Templates are parsed once and evaluated per flowfile.
 */
import { FloeError } from '../../core/errors.js';
import { callFunction, callSubjectless, hasFunction, isSubjectless, type ElValue } from './functions.js';

type Arg = { kind: 'literal'; value: ElValue } | { kind: 'expr'; expr: Expr };
interface Call {
  name: string;
  args: Arg[];
}
interface Expr {
  subject: { kind: 'attr'; name: string } | { kind: 'fn'; call: Call };
  chain: Call[];
}
type Segment = string | Expr;

export interface ElContext {
  /** FlowFile attributes; absent for properties evaluated without a flowfile. */
  attributes?: Readonly<Record<string, string>>;
  /** Environment variables (NiFi falls back to them after attributes). */
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

export class ElTemplate {
  private constructor(
    readonly source: string,
    private readonly segments: Segment[],
  ) {}

  static parse(source: string): ElTemplate {
    return new ElTemplate(source, new Parser(source).template());
  }

  /** True when the template contains at least one expression. */
  get isExpression(): boolean {
    return this.segments.some((s) => typeof s !== 'string');
  }

  /** Names of attributes the template reads (used to check scope: environment-only properties). */
  get attributeNames(): string[] {
    const names: string[] = [];
    const visitExpr = (e: Expr): void => {
      if (e.subject.kind === 'attr') names.push(e.subject.name);
      else e.subject.call.args.forEach(visitArg);
      e.chain.forEach((c) => c.args.forEach(visitArg));
    };
    const visitArg = (a: Arg): void => {
      if (a.kind === 'expr') visitExpr(a.expr);
    };
    for (const s of this.segments) if (typeof s !== 'string') visitExpr(s);
    return names;
  }

  evaluate(ctx: ElContext = {}): string {
    if (this.segments.length === 1 && typeof this.segments[0] === 'string') return this.segments[0];
    let out = '';
    for (const s of this.segments) out += typeof s === 'string' ? s : toText(evalExpr(s, ctx));
    return out;
  }
}

function toText(v: ElValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return String(v.getTime());
  return String(v);
}

function evalExpr(e: Expr, ctx: ElContext): ElValue {
  let value: ElValue;
  if (e.subject.kind === 'attr') {
    const name = e.subject.name;
    value = ctx.attributes?.[name] ?? ctx.env?.[name] ?? null;
  } else {
    value = callSubjectless(e.subject.call.name, evalArgs(e.subject.call.args, ctx), ctx.now ?? (() => new Date()));
  }
  for (const call of e.chain) value = callFunction(call.name, value, evalArgs(call.args, ctx));
  return value;
}

function evalArgs(args: Arg[], ctx: ElContext): ElValue[] {
  return args.map((a) => (a.kind === 'literal' ? a.value : evalExpr(a.expr, ctx)));
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  template(): Segment[] {
    const segments: Segment[] = [];
    let text = '';
    while (this.pos < this.src.length) {
      if (this.src.startsWith('$${', this.pos)) {
        text += '${';
        this.pos += 3;
      } else if (this.src.startsWith('${', this.pos)) {
        if (text) segments.push(text);
        text = '';
        this.pos += 2;
        segments.push(this.expression());
      } else {
        text += this.src[this.pos++];
      }
    }
    if (text || segments.length === 0) segments.push(text);
    return segments;
  }

  /** After `${`; consumes through the closing `}`. */
  private expression(): Expr {
    this.ws();
    let subject: Expr['subject'];
    const quote = this.src[this.pos];
    if (quote === "'" || quote === '"') {
      subject = { kind: 'attr', name: this.quoted() };
    } else {
      const start = this.pos;
      while (this.pos < this.src.length && !/[:}(\s]/.test(this.src[this.pos]!)) this.pos++;
      const name = this.src.slice(start, this.pos);
      if (!name) this.fail('expected an attribute name or function');
      this.ws();
      if (this.src[this.pos] === '(') {
        if (!isSubjectless(name)) this.fail(`unknown function '${name}()' without a subject`);
        subject = { kind: 'fn', call: { name, args: this.args() } };
      } else {
        subject = { kind: 'attr', name };
      }
    }
    const chain: Call[] = [];
    this.ws();
    while (this.src[this.pos] === ':') {
      this.pos++;
      this.ws();
      const start = this.pos;
      while (this.pos < this.src.length && /[A-Za-z0-9_]/.test(this.src[this.pos]!)) this.pos++;
      const name = this.src.slice(start, this.pos);
      if (!name) this.fail('expected a function name after ":"');
      this.ws();
      if (!hasFunction(name)) this.fail(`unknown function '${name}'`);
      if (this.src[this.pos] !== '(') this.fail(`expected "(" after function name '${name}'`);
      chain.push({ name, args: this.args() });
      this.ws();
    }
    if (this.src[this.pos] !== '}') this.fail('expected "}"');
    this.pos++;
    return { subject, chain };
  }

  private args(): Arg[] {
    this.pos++; // (
    const args: Arg[] = [];
    this.ws();
    if (this.src[this.pos] === ')') {
      this.pos++;
      return args;
    }
    while (true) {
      this.ws();
      const c = this.src[this.pos];
      if (c === "'" || c === '"') args.push({ kind: 'literal', value: this.quoted() });
      else if (this.src.startsWith('${', this.pos)) {
        this.pos += 2;
        args.push({ kind: 'expr', expr: this.expression() });
      } else {
        const m = /^(-?\d+(?:\.\d+)?|true|false)/.exec(this.src.slice(this.pos));
        if (!m) this.fail('expected a quoted string, number, true/false or ${…} argument');
        this.pos += m![0].length;
        const v = m![0];
        args.push({ kind: 'literal', value: v === 'true' ? true : v === 'false' ? false : Number(v) });
      }
      this.ws();
      if (this.src[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.src[this.pos] === ')') {
        this.pos++;
        return args;
      }
      this.fail('expected "," or ")"');
    }
  }

  private quoted(): string {
    const q = this.src[this.pos++]!;
    let out = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos++]!;
      if (c === '\\' && this.pos < this.src.length) {
        const n = this.src[this.pos++]!;
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
      } else if (c === q) return out;
      else out += c;
    }
    return this.fail('unterminated string');
  }

  private ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  private fail(message: string): never {
    throw new FloeError('FLOW', `invalid expression '${this.src}' at column ${this.pos + 1}: ${message}`);
  }
}

const cache = new Map<string, ElTemplate>();

/** Parses with a small cache: property values are evaluated per flowfile. */
export function compileEl(source: string): ElTemplate {
  let t = cache.get(source);
  if (!t) {
    t = ElTemplate.parse(source);
    if (cache.size > 1000) cache.clear();
    cache.set(source, t);
  }
  return t;
}
