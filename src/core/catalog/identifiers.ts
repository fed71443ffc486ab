/**
 * Snowflake identifier rules: unquoted identifiers resolve in upper case, quoted identifiers keep their case.
 * Object names are stored resolved (e.g. `CUSTOMER`, `MixedCase`).
 */
export interface ObjectName {
  database?: string;
  schema?: string;
  name: string;
}

export const resolveIdent = (name: string, quoted: boolean): string => (quoted ? name : name.toUpperCase());

/** How Snowflake shows a resolved name in messages: plain when it would round-trip unquoted, else quoted. */
export function displayIdent(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function displayName(n: ObjectName): string {
  return [n.database, n.schema, n.name].filter((p): p is string => p !== undefined).map(displayIdent).join('.');
}

export interface FullName {
  database: string;
  schema: string;
  name: string;
}

export const fullKey = (n: FullName): string => `${n.database}\u0000${n.schema}\u0000${n.name}`;
