/**
 * Scalar functions DuckDB lacks and SQL cannot sanely express, registered on every connection: digests
 * (SHA-224/384/512 and name-based UUIDs through node:crypto) and the loader's JSON helpers
 * (duckdb-json-udfs.ts); everything else is a macro or generated SQL.
 */
import { createHash } from 'node:crypto';
import { DuckDBScalarFunction, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { jsonErrorUdf, jsonRewriteUdf } from './duckdb-json-udfs.js';

/** A two-argument VARCHAR function, NULL when either argument is NULL; `f` runs once per row of a chunk. */
function binaryUdf<A, B>(name: string, types: [DuckDBType, DuckDBType], f: (a: A, b: B) => string): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name,
    returnType: VARCHAR,
    parameterTypes: types,
    mainFunction: (_info, input, output) => {
      const first = input.getColumnVector(0);
      const second = input.getColumnVector(1);
      for (let row = 0; row < input.rowCount; row++) {
        const a = first.getItem(row) as A | null;
        const b = second.getItem(row) as B | null;
        output.setItem(row, a === null || b === null ? null : f(a, b));
      }
      output.flush();
    },
  });
}

const DIGESTS: Record<number, string> = { 224: 'sha224', 256: 'sha256', 384: 'sha384', 512: 'sha512' };

/** floe_sha2(text, bits) → lower-case hex digest. */
const sha2 = binaryUdf<string, number>('floe_sha2', [VARCHAR, INTEGER], (text, bits) => {
  const algorithm = DIGESTS[bits];
  if (algorithm === undefined) throw new Error(`floe: Invalid digest size for SHA2: ${bits}. Valid digest sizes are 224, 256, 384, 512.`);
  return createHash(algorithm).update(text, 'utf8').digest('hex');
});

/** RFC 4122 version 5 UUID of `name` in the `namespace` UUID (UUID_STRING(namespace, name)). */
export function uuidV5(namespace: string, name: string): string {
  const hex = namespace.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`floe: Invalid UUID string: '${namespace}'`);
  const bytes = createHash('sha1').update(Buffer.from(hex, 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const uuid5 = binaryUdf<string, string>('floe_uuid_v5', [VARCHAR, VARCHAR], uuidV5);

export function registerUdfs(con: DuckDBConnection): void {
  con.registerScalarFunction(sha2);
  con.registerScalarFunction(uuid5);
  con.registerScalarFunction(jsonErrorUdf);
  con.registerScalarFunction(jsonRewriteUdf);
}
