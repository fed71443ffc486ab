/**
 * DuckDB macros the expression translation relies on. The driver must run every statement on each new
 * connection (they are TEMP macros) before any translated SQL.
 *
 * Macros are expanded at bind time, and DuckDB folds `typeof(x)` to a constant and prunes the dead CASE
 * branches, so the `typeof` dispatch below costs nothing per row. Dead branches must still *bind* for
 * every argument type, which is why they cast through VARCHAR / TIMESTAMP where a direct call would not.
 */
import { tempMacro as macro } from './duckdb-expr-build.js';
import { MORE_MACROS } from './duckdb-functions-more.js';
import { RANDOM_MACROS } from './duckdb-functions-random.js';

const NUMERIC_TYPES =
  "('TINYINT','SMALLINT','INTEGER','BIGINT','HUGEINT','UTINYINT','USMALLINT','UINTEGER','UBIGINT','UHUGEINT','FLOAT','DOUBLE')";
const isNumeric = (x: string) => `(typeof(${x}) IN ${NUMERIC_TYPES} OR typeof(${x}) LIKE 'DECIMAL%')`;

/** Session settings the translation assumes (run before the macros). */
export const DUCKDB_SETTINGS: readonly string[] = [
  // Snowflake compares a VARCHAR with a number by converting the string to a number; DuckDB only does so
  // with this setting (without it the comparison is a binder error).
  'SET old_implicit_casting = true',
  // Snowflake sorts NULLs last for ASC and first for DESC (NULL is the largest value), in ORDER BY and
  // window ORDER BY alike, unless NULLS FIRST/LAST is written.
  "SET default_null_order = 'nulls_last_on_asc_first_on_desc'",
  // A hash join reads an indexed table (a clustering key's index) by key only through the `key IN (…)` filter
  // it derives from its build side, which DuckDB derives for at most 50 keys by default. The SCD applier's
  // late keys: 36 a run on average 11 minutes into the demo, more after a stall; at 55 keys the event log was
  // scanned whole (250 ms at 3.6M events, and growing with it) instead of 33–39 ms. The index is still used only
  // when few rows match (`index_scan_max_count`, `index_scan_percentage`).
  'SET dynamic_or_filter_threshold = 256',
];

export const DUCKDB_MACROS: readonly string[] = [
  macro('floe_nvl2(a, b, c)', 'CASE WHEN a IS NOT NULL THEN b ELSE c END'),
  macro('floe_decode_step(e, s, r, rest)', 'CASE WHEN e IS NOT DISTINCT FROM s THEN r ELSE rest END'),
  // Snowflake's GREATEST/LEAST return NULL when any argument is NULL; DuckDB's skip NULLs.
  macro('floe_greatest(a, b)', 'CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END'),
  macro('floe_least(a, b)', 'CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END'),

  // --- text conversion -------------------------------------------------------------------------
  // A VARIANT string converts to its text without quotes; other VARIANTs to their JSON text.
  macro('floe_json_text(j)', "json_extract_string(CAST(j AS JSON), '$')"),
  macro(
    'floe_format_offset(m)',
    "CASE WHEN m < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(m) // 60 AS VARCHAR), 2, '0') || lpad(CAST(abs(m) % 60 AS VARCHAR), 2, '0')",
  ),
  // The session time zone's offset at instant x, as Snowflake's TZHTZM prints it (+0100).
  macro(
    'floe_tz_offset(x)',
    'floe_format_offset(CAST(round((epoch(CAST(CAST(x AS TIMESTAMPTZ) AS TIMESTAMP)) - epoch(CAST(x AS TIMESTAMPTZ))) / 60) AS BIGINT))',
  ),
  macro('floe_tz_offset_colon(x)', "substr(floe_tz_offset(x), 1, 3) || ':' || substr(floe_tz_offset(x), 4, 2)"),
  macro('floe_tz_offset_hours(x)', 'substr(floe_tz_offset(x), 1, 3)'),
  macro('floe_tz_offset_minutes(x)', 'substr(floe_tz_offset(x), 4, 2)'),
  // A numeric offset after a blank ('2024-01-02 03:04:05 +01:00') reads as a zone name in DuckDB.
  macro('floe_ts_text(s)', "regexp_replace(s, '\\s+([+-]\\d\\d(:?\\d\\d)?)$', '\\1')"),
  // Default output formats of Snowflake: TIMESTAMP_NTZ 'YYYY-MM-DD HH24:MI:SS.FF3',
  // TIMESTAMP_LTZ 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM', BINARY as upper-case hex.
  macro(
    'floe_to_varchar(x)',
    `CASE WHEN x IS NULL THEN NULL
      WHEN typeof(x) = 'JSON' THEN floe_json_text(x)
      WHEN typeof(x) IN ('TIMESTAMP', 'TIMESTAMP_NS', 'TIMESTAMP_MS', 'TIMESTAMP_S')
        THEN strftime(CAST(x AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g')
      WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE'
        THEN strftime(CAST(x AS TIMESTAMPTZ), '%Y-%m-%d %H:%M:%S.%g ') || floe_tz_offset(x)
      WHEN typeof(x) = 'BLOB' THEN hex(CAST(x AS BLOB))
      ELSE CAST(x AS VARCHAR) END`,
  ),
  macro(
    'floe_to_boolean(x)',
    `CASE WHEN typeof(x) = 'VARCHAR' AND lower(trim(CAST(x AS VARCHAR))) = 'on' THEN true
      WHEN typeof(x) = 'VARCHAR' AND lower(trim(CAST(x AS VARCHAR))) = 'off' THEN false
      WHEN typeof(x) = 'JSON' THEN CAST(floe_json_text(x) AS BOOLEAN)
      ELSE CAST(x AS BOOLEAN) END`,
  ),
  macro(
    'floe_try_to_boolean(x)',
    `CASE WHEN typeof(x) = 'VARCHAR' AND lower(trim(CAST(x AS VARCHAR))) = 'on' THEN true
      WHEN typeof(x) = 'VARCHAR' AND lower(trim(CAST(x AS VARCHAR))) = 'off' THEN false
      ELSE TRY_CAST(CAST(x AS VARCHAR) AS BOOLEAN) END`,
  ),
  // A number is seconds since the epoch; anything else is parsed/converted as a timestamp.
  macro(
    'floe_to_timestamp_ntz(x)',
    `CASE WHEN ${isNumeric('x')} THEN CAST(timezone('UTC', to_timestamp(CAST(x AS DOUBLE))) AS TIMESTAMP)
      ELSE CAST(x AS TIMESTAMP) END`,
  ),
  macro(
    'floe_try_to_timestamp_ntz(x)',
    `CASE WHEN ${isNumeric('x')} THEN CAST(timezone('UTC', to_timestamp(CAST(x AS DOUBLE))) AS TIMESTAMP)
      ELSE TRY_CAST(x AS TIMESTAMP) END`,
  ),
  macro(
    'floe_to_timestamp_ltz(x)',
    `CASE WHEN ${isNumeric('x')} THEN to_timestamp(CAST(x AS DOUBLE))
      WHEN typeof(x) = 'VARCHAR' THEN CAST(floe_ts_text(CAST(x AS VARCHAR)) AS TIMESTAMPTZ) ELSE CAST(x AS TIMESTAMPTZ) END`,
  ),
  macro(
    'floe_try_to_timestamp_ltz(x)',
    `CASE WHEN ${isNumeric('x')} THEN to_timestamp(CAST(x AS DOUBLE))
      WHEN typeof(x) = 'VARCHAR' THEN TRY_CAST(floe_ts_text(CAST(x AS VARCHAR)) AS TIMESTAMPTZ) ELSE TRY_CAST(x AS TIMESTAMPTZ) END`,
  ),

  // Snowflake reads a string as hex (BINARY_INPUT_FORMAT = HEX).
  macro('floe_to_binary(x)', "CASE WHEN typeof(x) = 'VARCHAR' THEN unhex(CAST(x AS VARCHAR)) ELSE CAST(x AS BLOB) END"),
  macro(
    'floe_try_to_binary(x)',
    "CASE WHEN typeof(x) = 'VARCHAR' THEN CASE WHEN regexp_full_match(CAST(x AS VARCHAR), '([0-9A-Fa-f]{2})*') THEN unhex(CAST(x AS VARCHAR)) END ELSE TRY_CAST(x AS BLOB) END",
  ),

  // --- arithmetic (see duckdb-arithmetic.ts) ---------------------------------------------------
  macro(
    'floe_div(a, b)',
    "cast_to_type(CASE WHEN b = 0 AND a IS NOT NULL THEN error('floe: Division by zero') ELSE CAST(a AS DOUBLE) / CAST(b AS DOUBLE) END, floe_quotient_type(a) + round(b - b, 0))",
  ),
  // A prototype of scale max(s, min(s + 6, 12)) for an exact x of scale s (round caps the scale at 12, x - x
  // brings s back), DOUBLE for a float. round(b - b, 0) above adds b's float-ness without its scale.
  macro('floe_quotient_type(x)', 'round(x * CAST(0 AS DECIMAL(38,6)), 12) + (x - x)'),
  macro('floe_avg_type(v, proto)', 'cast_to_type(v, floe_quotient_type(proto))'),

  // --- dates ----------------------------------------------------------------------------------
  // Snowflake counts week boundaries crossed (weeks start on Monday); DuckDB counts whole weeks.
  macro('floe_datediff_week(a, b)', "date_diff('day', date_trunc('week', a), date_trunc('week', b)) // 7"),
  macro('floe_last_day_year(d)', "CAST(date_trunc('year', d) + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE)"),
  macro('floe_last_day_quarter(d)', "CAST(date_trunc('quarter', d) + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE)"),
  macro('floe_last_day_week(d)', "CAST(date_trunc('week', d) + INTERVAL 6 DAY AS DATE)"),

  // --- hashing --------------------------------------------------------------------------------
  // Equal numbers hash equal whatever their type (10 = 10.000 = 10e0), and differently from strings.
  macro(
    'floe_hash_norm(x)',
    `CASE WHEN x IS NULL THEN NULL
      WHEN ${isNumeric('x')} THEN 'N:' || CASE WHEN contains(CAST(x AS VARCHAR), '.') AND NOT contains(lower(CAST(x AS VARCHAR)), 'e')
        THEN rtrim(rtrim(CAST(x AS VARCHAR), '0'), '.') ELSE CAST(x AS VARCHAR) END
      WHEN typeof(x) = 'JSON' THEN 'J:' || CAST(x AS VARCHAR)
      ELSE typeof(x) || ':' || CAST(x AS VARCHAR) END`,
  ),
  // DuckDB's hash is an unsigned 64-bit value; Snowflake's HASH is signed, typed NUMBER(19,0): two's complement,
  // (h XOR 2^63) - 2^63. It names h once: a macro's argument is inlined wherever it appears, and a volatile one
  // (HASH(RANDOM())) would be a different value at each place.
  macro(
    'floe_hash_signed(h)',
    `CAST(CAST(xor(h, CAST('9223372036854775808' AS UBIGINT)) AS HUGEINT) - CAST('9223372036854775808' AS HUGEINT) AS DECIMAL(19,0))`,
  ),

  // --- strings --------------------------------------------------------------------------------
  macro('floe_split_part(s, d, n)', 'split_part(s, d, CASE WHEN n = 0 THEN 1 ELSE n END)'),
  // CHARINDEX / POSITION with a start position: 1-based, 0 when not found from there on.
  macro(
    'floe_charindex(sub, s, start)',
    'CASE WHEN instr(substr(s, greatest(start, 1)), sub) = 0 THEN 0 ELSE instr(substr(s, greatest(start, 1)), sub) + greatest(start, 1) - 1 END',
  ),
  // INITCAP: upper-case the first letter after any delimiter, lower-case the rest.
  macro(
    'floe_initcap(s, d)',
    `array_to_string(list_transform(range(1, length(s) + 1),
      i -> CASE WHEN i = 1 OR contains(d, substr(s, i - 1, 1)) THEN upper(substr(s, i, 1)) ELSE lower(substr(s, i, 1)) END), '')`,
  ),
  macro('floe_regexp_substr(s, p)', 'CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END'),

  // --- semi-structured ------------------------------------------------------------------------
  macro('floe_try_parse_json(s)', 'CASE WHEN json_valid(s) THEN CAST(s AS JSON) END'),
  macro('floe_object_entry(k, v)', "CASE WHEN v IS NULL THEN NULL ELSE {'key': CAST(k AS VARCHAR), 'value': to_json(v)} END"),
  macro('floe_object_from_entries(l)', 'to_json(map_from_entries(list_filter(l, e -> e IS NOT NULL)))'),
  // OBJECT_CONSTRUCT(*): the row as JSON without its NULL members.
  macro(
    'floe_object_from_row(j)',
    `to_json(map_from_entries(list_transform(
      list_filter(json_keys(j), k -> json_type(json_extract(j, '$."' || k || '"')) <> 'NULL'),
      k -> {'key': k, 'value': json_extract(j, '$."' || k || '"')})))`,
  ),
  // ARRAY_AGG skips NULLs and returns [] (not NULL) over no rows.
  macro('floe_array_agg_finish(l)', "coalesce(to_json(list_filter(l, e -> e IS NOT NULL)), CAST('[]' AS JSON))"),
  macro('floe_array_size(j)', "CASE WHEN json_type(CAST(j AS JSON)) = 'ARRAY' THEN json_array_length(CAST(j AS JSON)) END"),
  macro(
    'floe_get(j, k)',
    `CASE WHEN ${isNumeric('k')} THEN json_extract(CAST(j AS JSON), '$[' || CAST(k AS VARCHAR) || ']')
      ELSE json_extract(CAST(j AS JSON), '$."' || replace(CAST(k AS VARCHAR), '"', '\\"') || '"') END`,
  ),
  macro(
    'floe_typeof(j)',
    `CASE WHEN j IS NULL THEN NULL ELSE CASE json_type(CAST(j AS JSON)) WHEN 'VARCHAR' THEN 'VARCHAR' WHEN 'BIGINT' THEN 'INTEGER'
      WHEN 'UBIGINT' THEN 'INTEGER' WHEN 'DOUBLE' THEN 'DOUBLE' WHEN 'BOOLEAN' THEN 'BOOLEAN' WHEN 'ARRAY' THEN 'ARRAY'
      WHEN 'OBJECT' THEN 'OBJECT' WHEN 'NULL' THEN 'NULL_VALUE' ELSE json_type(CAST(j AS JSON)) END END`,
  ),
  ...MORE_MACROS,
  ...RANDOM_MACROS,
];
