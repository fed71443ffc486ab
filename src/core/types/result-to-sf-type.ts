/**
 * The Snowflake column type a query result column gets when it becomes a table column (CTAS, views).
 */
import type { ResultColumn } from '../result.js';
import type { SfType } from './snowflake-type.js';

export function sfTypeFromResult(c: ResultColumn): SfType {
  switch (c.type) {
    case 'NUMBER':
      return { kind: 'NUMBER', precision: c.precision ?? 38, scale: c.scale ?? 0 };
    case 'FLOAT':
      return { kind: 'FLOAT' };
    case 'TEXT':
      return { kind: 'VARCHAR', length: 16777216 };
    case 'BINARY':
      return { kind: 'BINARY', length: 8388608 };
    case 'BOOLEAN':
      return { kind: 'BOOLEAN' };
    case 'DATE':
      return { kind: 'DATE' };
    case 'TIME':
      return { kind: 'TIME', precision: 9 };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return { kind: c.type, precision: 9 };
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
      return { kind: c.type };
  }
}
