/**
 * Scalar functions DuckDB lacks and SQL cannot sanely express, registered on every connection. Only
 * digests live here (SHA-224/384/512 through node:crypto); everything else is a macro or generated SQL.
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

export function registerUdfs(con: DuckDBConnection): void {
  con.registerScalarFunction(sha2);
}
