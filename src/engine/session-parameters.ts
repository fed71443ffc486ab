/**
 * Session parameters floe knows, with Snowflake's defaults. `ALTER SESSION SET` validates against this
 * list; `SHOW PARAMETERS` lists it.
 */
import { compilationError } from '../core/errors.js';
import { isValidTimeZone } from '../core/types/timestamp-format.js';

export interface ParameterSpec {
  key: string;
  default: string;
  type: 'STRING' | 'BOOLEAN' | 'NUMBER';
  description: string;
  validate?: (value: string) => string | undefined;
}

const oneOf =
  (...allowed: string[]) =>
  (v: string): string | undefined =>
    allowed.includes(v.toUpperCase()) ? undefined : `expected one of ${allowed.join(', ')}`;

export const PARAMETERS: readonly ParameterSpec[] = [
  { key: 'AUTOCOMMIT', default: 'true', type: 'BOOLEAN', description: 'The autocommit property determines whether statement should to be implicitly wrapped within a transaction or not.' },
  { key: 'DATE_OUTPUT_FORMAT', default: 'YYYY-MM-DD', type: 'STRING', description: 'Display format for DATE.' },
  { key: 'ERROR_ON_NONDETERMINISTIC_MERGE', default: 'true', type: 'BOOLEAN', description: 'Raise an error when a MERGE would update or delete one target row from several source rows.' },
  { key: 'ERROR_ON_NONDETERMINISTIC_UPDATE', default: 'false', type: 'BOOLEAN', description: 'Raise an error when an UPDATE would update one target row from several source rows.' },
  { key: 'LOCK_TIMEOUT', default: '43200', type: 'NUMBER', description: 'Number of seconds to wait while trying to lock a resource.' },
  { key: 'QUERY_TAG', default: '', type: 'STRING', description: 'String (up to 4096 characters) used to tag statements executed by the session.' },
  { key: 'STATEMENT_TIMEOUT_IN_SECONDS', default: '172800', type: 'NUMBER', description: 'Timeout in seconds for statements.' },
  { key: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', default: '', type: 'STRING', description: 'Display format for TIMESTAMP_LTZ values. If empty, TIMESTAMP_OUTPUT_FORMAT is used.' },
  { key: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', default: 'YYYY-MM-DD HH24:MI:SS.FF3', type: 'STRING', description: 'Display format for TIMESTAMP_NTZ values.' },
  { key: 'TIMESTAMP_OUTPUT_FORMAT', default: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM', type: 'STRING', description: 'Default display format for all timestamp types.' },
  {
    key: 'TIMESTAMP_TYPE_MAPPING',
    default: 'TIMESTAMP_NTZ',
    type: 'STRING',
    description: 'If TIMESTAMP type is used, what specific TIMESTAMP* type it should map to.',
    validate: oneOf('TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ'),
  },
  {
    key: 'TIMEZONE',
    default: 'America/Los_Angeles',
    type: 'STRING',
    description: 'time zone',
    validate: (v) => (isValidTimeZone(v) ? undefined : `invalid time zone '${v}'`),
  },
  { key: 'TRANSACTION_DEFAULT_ISOLATION_LEVEL', default: 'READ COMMITTED', type: 'STRING', description: 'The default isolation level when starting a transaction.' },
  { key: 'WEEK_OF_YEAR_POLICY', default: '0', type: 'NUMBER', description: 'Defines how the first week of the year is computed.' },
  { key: 'WEEK_START', default: '0', type: 'NUMBER', description: 'Defines the first day of the week (0 = legacy Monday).' },
];

const BY_KEY = new Map(PARAMETERS.map((p) => [p.key, p]));

export class SessionParameters {
  private readonly values = new Map<string, string>();

  get(key: string): string {
    return this.values.get(key) ?? BY_KEY.get(key)?.default ?? '';
  }

  bool(key: string): boolean {
    return this.get(key).toLowerCase() === 'true';
  }

  isSet(key: string): boolean {
    return this.values.has(key);
  }

  set(key: string, raw: string): void {
    const spec = BY_KEY.get(key);
    if (!spec) throw compilationError(`invalid parameter '${key}'`);
    let value = raw;
    if (spec.type === 'BOOLEAN') {
      const v = raw.toUpperCase();
      if (!['TRUE', 'FALSE', '1', '0', 'ON', 'OFF', 'YES', 'NO'].includes(v)) {
        throw compilationError(`invalid value [${raw}] for parameter '${key}'`);
      }
      value = ['TRUE', '1', 'ON', 'YES'].includes(v) ? 'true' : 'false';
    } else if (spec.type === 'NUMBER') {
      if (!/^-?\d+$/.test(raw)) throw compilationError(`invalid value [${raw}] for parameter '${key}'`);
    }
    const problem = spec.validate?.(value);
    if (problem) throw compilationError(`invalid value [${raw}] for parameter '${key}': ${problem}`);
    if (spec.validate && spec.key === 'TIMESTAMP_TYPE_MAPPING') value = value.toUpperCase();
    this.values.set(key, value);
  }

  unset(key: string): void {
    if (!BY_KEY.has(key)) throw compilationError(`invalid parameter '${key}'`);
    this.values.delete(key);
  }
}
