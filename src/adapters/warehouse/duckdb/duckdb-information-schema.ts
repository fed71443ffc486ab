/**
 * INFORMATION_SCHEMA views of one Snowflake database, computed by DuckDB from floe's catalog JSON, so
 * they are always exactly the catalog (no second copy to keep in sync).
 */
const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export function duckDbInformationSchemaViews(database: string, schema: string, metadataTable: string): string[] {
  const dbFilter = `kind = 'TABLE' AND json_extract_string(body, '$.database') = ${lit(database)}`;
  const tables = `CREATE OR REPLACE VIEW ${schema}."TABLES" AS SELECT
      json_extract_string(body, '$.database') AS "TABLE_CATALOG", json_extract_string(body, '$.schema') AS "TABLE_SCHEMA", json_extract_string(body, '$.name') AS "TABLE_NAME",
      json_extract_string(body, '$.owner') AS "TABLE_OWNER",
      CASE json_extract_string(body, '$.kind') WHEN 'VIEW' THEN 'VIEW' ELSE 'BASE TABLE' END AS "TABLE_TYPE",
      CASE WHEN coalesce((json_extract_string(body, '$.transient'))::BOOLEAN, false) THEN 'YES' ELSE 'NO' END AS "IS_TRANSIENT",
      NULL::VARCHAR AS "CLUSTERING_KEY", NULL::BIGINT AS "ROW_COUNT", NULL::BIGINT AS "BYTES",
      (json_extract_string(body, '$.retentionTime'))::BIGINT AS "RETENTION_TIME",
      (json_extract_string(body, '$.createdOn'))::TIMESTAMPTZ AS "CREATED", (json_extract_string(body, '$.createdOn'))::TIMESTAMPTZ AS "LAST_ALTERED",
      json_extract_string(body, '$.comment') AS "COMMENT"
    FROM ${metadataTable} WHERE ${dbFilter}`;
  const columns = `CREATE OR REPLACE VIEW ${schema}."COLUMNS" AS
    WITH t AS (SELECT body, unnest(CAST(json_extract(body, '$.columns') AS JSON[])) AS col,
                      generate_subscripts(CAST(json_extract(body, '$.columns') AS JSON[]), 1) AS ord
               FROM ${metadataTable} WHERE ${dbFilter})
    SELECT json_extract_string(body, '$.database') AS "TABLE_CATALOG", json_extract_string(body, '$.schema') AS "TABLE_SCHEMA", json_extract_string(body, '$.name') AS "TABLE_NAME",
      json_extract_string(col, '$.name') AS "COLUMN_NAME", ord::BIGINT AS "ORDINAL_POSITION", json_extract_string(col, '$.default') AS "COLUMN_DEFAULT",
      CASE WHEN (json_extract_string(col, '$.nullable'))::BOOLEAN THEN 'YES' ELSE 'NO' END AS "IS_NULLABLE",
      CASE json_extract_string(col, '$.type.kind') WHEN 'VARCHAR' THEN 'TEXT' ELSE json_extract_string(col, '$.type.kind') END AS "DATA_TYPE",
      CASE WHEN json_extract_string(col, '$.type.kind') IN ('VARCHAR', 'BINARY') THEN (json_extract_string(col, '$.type.length'))::BIGINT END AS "CHARACTER_MAXIMUM_LENGTH",
      CASE WHEN json_extract_string(col, '$.type.kind') = 'VARCHAR' THEN (json_extract_string(col, '$.type.length'))::BIGINT * 4 END AS "CHARACTER_OCTET_LENGTH",
      CASE WHEN json_extract_string(col, '$.type.kind') = 'NUMBER' THEN (json_extract_string(col, '$.type.precision'))::BIGINT WHEN json_extract_string(col, '$.type.kind') = 'FLOAT' THEN 53 END AS "NUMERIC_PRECISION",
      CASE WHEN json_extract_string(col, '$.type.kind') = 'NUMBER' THEN 10 WHEN json_extract_string(col, '$.type.kind') = 'FLOAT' THEN 2 END AS "NUMERIC_PRECISION_RADIX",
      CASE WHEN json_extract_string(col, '$.type.kind') = 'NUMBER' THEN (json_extract_string(col, '$.type.scale'))::BIGINT END AS "NUMERIC_SCALE",
      CASE WHEN json_extract_string(col, '$.type.kind') IN ('TIME', 'TIMESTAMP_NTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_TZ') THEN (json_extract_string(col, '$.type.precision'))::BIGINT END AS "DATETIME_PRECISION",
      json_extract_string(col, '$.comment') AS "COMMENT"
    FROM t`;
  const schemata = `CREATE OR REPLACE VIEW ${schema}."SCHEMATA" AS SELECT
      json_extract_string(body, '$.database') AS "CATALOG_NAME", json_extract_string(body, '$.name') AS "SCHEMA_NAME", json_extract_string(body, '$.owner') AS "SCHEMA_OWNER",
      (json_extract_string(body, '$.createdOn'))::TIMESTAMPTZ AS "CREATED", json_extract_string(body, '$.comment') AS "COMMENT"
    FROM ${metadataTable} WHERE kind = 'SCHEMA' AND json_extract_string(body, '$.database') = ${lit(database)}
    UNION ALL SELECT ${lit(database)}, 'INFORMATION_SCHEMA', '', NULL, 'Views describing the contents of schemas in this database'`;
  const views = `CREATE OR REPLACE VIEW ${schema}."VIEWS" AS SELECT
      json_extract_string(body, '$.database') AS "TABLE_CATALOG", json_extract_string(body, '$.schema') AS "TABLE_SCHEMA", json_extract_string(body, '$.name') AS "TABLE_NAME",
      json_extract_string(body, '$.owner') AS "TABLE_OWNER", json_extract_string(body, '$.text') AS "VIEW_DEFINITION", json_extract_string(body, '$.comment') AS "COMMENT"
    FROM ${metadataTable} WHERE ${dbFilter} AND json_extract_string(body, '$.kind') = 'VIEW'`;
  return [`CREATE SCHEMA IF NOT EXISTS ${schema}`, tables, columns, schemata, views];
}
