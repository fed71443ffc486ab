/**
 * Helpers over the polyglot-sql AST. The AST is plain JSON produced by the WASM parser: every node is an
 * object with exactly one key naming its kind (`{ column: {...} }`, `{ function: {...} }`, …).
 * We keep it as `any`-typed JSON on purpose: the transforms touch a handful of node kinds and must
 * carry every other field through unchanged to the printer.
 */
export type AstNode = Record<string, any>;

/** The kind of a node: its single key (`column`, `function`, `select`, …), or undefined for non-nodes. */
export function nodeKind(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 ? keys[0] : undefined;
}

/** An identifier as polyglot represents it. */
export interface Ident {
  name: string;
  quoted: boolean;
  [k: string]: unknown;
}

export const isIdent = (v: unknown): v is Ident =>
  v !== null && typeof v === 'object' && typeof (v as Ident).name === 'string' && typeof (v as Ident).quoted === 'boolean';

export type Visitor = (node: AstNode, kind: string, parent: unknown, key: string | number) => AstNode | void;

/**
 * Depth-first post-order walk that lets the visitor replace a node (return a new node). Children are
 * visited before their parent so a visitor sees already-rewritten arguments.
 */
export function transform(root: unknown, visit: Visitor): void {
  walkValue(root, visit, undefined, '');
}

function walkValue(value: unknown, visit: Visitor, parent: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const replaced = walkValue(value[i], visit, value, i);
      if (replaced !== value[i]) value[i] = replaced;
    }
    return value;
  }
  const obj = value as AstNode;
  for (const k of Object.keys(obj)) {
    const child = obj[k];
    if (child !== null && typeof child === 'object') {
      const replaced = walkValue(child, visit, obj, k);
      if (replaced !== child) obj[k] = replaced;
    }
  }
  const kind = nodeKind(obj);
  if (kind !== undefined) {
    const r = visit(obj, kind, parent, key);
    if (r !== undefined) return r;
  }
  return value;
}

/** Node constructors for the few shapes floe creates itself. */
/** Upper-case name of a function call node, or undefined when the node is not one. */
export const functionName = (n: AstNode | undefined): string | undefined =>
  typeof n?.function?.name === 'string' ? n.function.name.toUpperCase() : undefined;

export const make = {
  /** Raw SQL text printed verbatim (polyglot prints a `var` node's text as is). */
  raw: (sql: string): AstNode => ({ var: { this: sql } }),
  string: (value: string): AstNode => ({ literal: { literal_type: 'string', value } }),
  number: (value: string | number): AstNode => ({ literal: { literal_type: 'number', value: String(value) } }),
  func: (name: string, args: AstNode[]): AstNode => ({
    function: { name, args, distinct: false, use_bracket_syntax: false, no_parens: false, quoted: false },
  }),
  ident: (name: string, quoted = true): Ident => ({ name, quoted }),
};
