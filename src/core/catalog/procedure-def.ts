/**
 * Stored procedures in the catalog. Procedures overload: several may share a name in a schema, told apart
 * by their argument types (`signature`, part of the catalog key).
 */
import type { SchemaObjectBase } from './load-objects.js';

export interface ProcedureArg {
  /** Resolved identifier (unquoted → upper case). */
  name: string;
  /** Type as written, normalised to upper case (e.g. `VARCHAR(100)`, `NUMBER(38,0)`). */
  type: string;
  /** DEFAULT expression as written (makes the argument optional). */
  default?: string;
}

export interface ProcedureDef extends SchemaObjectBase {
  objectKind: 'PROCEDURE';
  /** `(VARCHAR, NUMBER)`: argument type kinds, as SHOW PROCEDURES and DROP PROCEDURE use them. */
  signature: string;
  args: ProcedureArg[];
  /** RETURNS type text, or the columns of RETURNS TABLE (…). */
  returns: { type: string; notNull: boolean } | { table: { name: string; type: string }[] };
  language: 'JAVASCRIPT' | 'SQL';
  executeAs: 'OWNER' | 'CALLER' | 'RESTRICTED CALLER';
  nullHandling: 'CALLED ON NULL INPUT' | 'RETURNS NULL ON NULL INPUT';
  volatility: 'VOLATILE' | 'IMMUTABLE';
  secure: boolean;
  body: string;
}
