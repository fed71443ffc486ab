/**
 * JSON helpers for the loader that SQL cannot express: the reason a document is malformed, and the rewrites of
 * ALLOW_DUPLICATE = TRUE / STRIP_NULL_VALUES. The loader calls them only on the documents that need them
 * (rejected or flagged rows), never on every row.
 */
import { BOOLEAN, DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api';
import { jsonErrorMessage, rewriteJson } from '../../../core/load/json-text.js';

/** floe_json_error(text, reject_duplicates) → `Error parsing JSON: …` or NULL when the document is fine. */
export const jsonErrorUdf = DuckDBScalarFunction.create({
  name: 'floe_json_error',
  returnType: VARCHAR,
  parameterTypes: [VARCHAR, BOOLEAN],
  mainFunction: (_info, input, output) => {
    const text = input.getColumnVector(0);
    const dups = input.getColumnVector(1);
    for (let row = 0; row < input.rowCount; row++) {
      const t = text.getItem(row) as string | null;
      output.setItem(row, t === null ? null : (jsonErrorMessage(t, dups.getItem(row) === true) ?? null));
    }
    output.flush();
  },
});

/** floe_json_rewrite(text, last_wins, strip_nulls) → the document rewritten (unchanged when it does not parse). */
export const jsonRewriteUdf = DuckDBScalarFunction.create({
  name: 'floe_json_rewrite',
  returnType: VARCHAR,
  parameterTypes: [VARCHAR, BOOLEAN, BOOLEAN],
  mainFunction: (_info, input, output) => {
    const text = input.getColumnVector(0);
    const last = input.getColumnVector(1);
    const strip = input.getColumnVector(2);
    for (let row = 0; row < input.rowCount; row++) {
      const t = text.getItem(row) as string | null;
      output.setItem(row, t === null ? null : rewriteJson(t, { lastWins: last.getItem(row) === true, stripNulls: strip.getItem(row) === true }));
    }
    output.flush();
  },
});
