/**
 * Scalar functions DuckDB lacks and SQL cannot sanely express, registered on every connection. Only
 * digests live here (SHA-224/384/512 and name-based UUIDs through node:crypto); everything else is a
 * macro or generated SQL.
 */
import { createHash } from 'node:crypto';
import { DuckDBScalarFunction, INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';

const DIGESTS: Record<number, string> = { 224: 'sha224', 256: 'sha256', 384: 'sha384', 512: 'sha512' };

/** floe_sha2(text, bits) → lower-case hex digest; NULL in, NULL out. */
const sha2 = DuckDBScalarFunction.create({
  name: 'floe_sha2',
  returnType: VARCHAR,
  parameterTypes: [VARCHAR, INTEGER],
  mainFunction: (_info, input, output) => {
    const text = input.getColumnVector(0);
    const bits = input.getColumnVector(1);
    for (let row = 0; row < input.rowCount; row++) {
      const v = text.getItem(row) as string | null;
      const b = bits.getItem(row) as number | null;
      const algorithm = b === null ? undefined : DIGESTS[b];
      if (b !== null && algorithm === undefined) {
        throw new Error(`floe: Invalid digest size for SHA2: ${b}. Valid digest sizes are 224, 256, 384, 512.`);
      }
      output.setItem(row, v === null || algorithm === undefined ? null : createHash(algorithm).update(v, 'utf8').digest('hex'));
    }
    output.flush();
  },
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

const uuid5 = DuckDBScalarFunction.create({
  name: 'floe_uuid_v5',
  returnType: VARCHAR,
  parameterTypes: [VARCHAR, VARCHAR],
  mainFunction: (_info, input, output) => {
    const ns = input.getColumnVector(0);
    const names = input.getColumnVector(1);
    for (let row = 0; row < input.rowCount; row++) {
      const n = ns.getItem(row) as string | null;
      const v = names.getItem(row) as string | null;
      output.setItem(row, n === null || v === null ? null : uuidV5(n, v));
    }
    output.flush();
  },
});

export function registerUdfs(con: DuckDBConnection): void {
  con.registerScalarFunction(sha2);
  con.registerScalarFunction(uuid5);
}
