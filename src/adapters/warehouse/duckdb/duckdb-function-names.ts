/**
 * Function names by how floe treats them. A generic function call must be in exactly one bucket before
 * DuckDB sees it: translated (a registry), passed through (identical semantics in DuckDB), left to the
 * statement layer, or refused as a real Snowflake function floe does not translate.
 */

/** DuckDB has a twin with the same name, arguments and semantics. */
export const PASS_THROUGH = new Set([
  'abs', 'round', 'floor', 'ceil', 'ceiling', 'sign', 'sqrt', 'cbrt', 'exp', 'ln', 'log', 'power', 'pow', 'mod',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'pi', 'degrees', 'radians', 'factorial',
  'upper', 'lower', 'trim', 'ltrim', 'rtrim', 'substr', 'substring', 'replace', 'lpad', 'rpad', 'reverse', 'repeat',
  'left', 'right', 'ascii', 'chr', 'translate',
  'count', 'sum', 'min', 'max', 'avg', 'any_value', 'count_if', 'median', 'mode', 'stddev', 'stddev_samp',
  'stddev_pop', 'variance', 'var_samp', 'var_pop', 'corr', 'covar_pop', 'covar_samp', 'approx_count_distinct',
  'bool_and', 'bool_or', 'kurtosis', 'skew',
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value',
  'coalesce', 'nullif',
  'year', 'month', 'day', 'hour', 'minute', 'second', 'quarter', 'week', 'dayofweek', 'dayofyear', 'dayofmonth',
  'weekofyear', 'extract',
]);

/**
 * Functions the statement layer (session, catalog, floe-owned objects) answers. They are left untouched
 * here; the statement layer must replace them before execution.
 */
export const STATEMENT_LAYER = new Set([
  'current_database', 'current_schema', 'current_schemas', 'current_role', 'current_user', 'current_warehouse',
  'current_account', 'current_region', 'current_session', 'current_statement', 'current_transaction',
  'current_version', 'current_client', 'last_query_id', 'last_transaction', 'flatten', 'table', 'result_scan',
  'generator', 'split_to_table',
]);

/** Real Snowflake functions floe does not translate (yet): refused with `unsupported: function NAME`. */
export const KNOWN_UNSUPPORTED = new Set([
  'time_slice', 'time_from_parts',
  'array_distinct', 'array_except', 'array_flatten',
  'array_generate_range', 'array_insert', 'array_intersection', 'array_max', 'array_min', 'array_position',
  'array_remove', 'array_sort', 'array_unique_agg', 'arrays_overlap',
  'arrays_to_object', 'object_insert', 'object_pick',
  'as_binary', 'as_date', 'as_decimal', 'as_number',
  'as_time', 'as_timestamp_ntz', 'as_timestamp_ltz', 'as_timestamp_tz',
  'is_decimal', 'is_date',
  'is_timestamp_ntz', 'is_timestamp_ltz', 'is_timestamp_tz', 'strip_null_value', 'check_json', 'json_extract_path_text',
  'parse_xml', 'xmlget', 'to_xml', 'to_geography', 'to_geometry', 'st_makepoint', 'st_distance',
  'try_base64_decode_string',
  'try_hex_decode_string', 'md5_number_lower64',
  'md5_number_upper64', 'encrypt', 'decrypt', 'compress', 'decompress_string',
  'strtok_to_array', 'editdistance', 'jarowinkler_similarity', 'soundex', 'space', 'insert',
  'regexp_instr', 'regexp_substr_all', 'collate', 'collation', 'unicode', 'char', 'split_to_table',
  'normal', 'randstr', 'zipf', 'uuid_string_v5',
  'conditional_change_event', 'conditional_true_event', 'width_bucket', 'haversine',
  'bitand', 'bitor', 'bitxor', 'bitnot', 'bitshiftleft', 'bitshiftright', 'getbit', 'booland', 'boolor', 'boolxor',
  'boolnot', 'percentile_cont', 'percentile_disc', 'approx_percentile', 'approx_top_k', 'hll', 'minhash',
  'regr_slope', 'regr_intercept', 'grouping', 'grouping_id', 'get_ignore_case', 'object_construct_star',
  'to_json', 'array_agg_distinct',
]);
