/**
 * The customer example project that `floe init` writes (DESIGN.md §3): the seed pipeline done right. Every
 * file is meant to be read by a newcomer, so the SQL carries the why in comments. The SCD SQL is generated
 * from `scd.yaml` by the same planner as `floe scd`, so the two can never disagree.
 */
import { SCD_CONFIG_TEMPLATE, parseScdConfig } from '../config/scd-config.js';
import { planScd } from '../core/scd/scd-plan.js';

export interface ProjectFile {
  /** Path relative to the project folder, with `/` separators. */
  path: string;
  content: string;
}

const FLOE_YAML = `# floe project: synthetic customers → landing folder → flow → bucket → pipe → stream → task → SCD tables.
# Reference: docs/cli.md (floe run), docs/flow.md (flows), docs/loading.md (buckets).

# Where s3://floe-demo/... lives in this environment. Embedded mode: a folder. For S3 or an S3-compatible
# server: { type: s3, endpoint: http://..., region: ..., notifications: { sqs: <queue url> } }.
storage:
  buckets:
    floe-demo: { type: local, path: data/bucket/floe-demo }

# Snowflake runs a triggered task at most every 30 s; locally we want every batch applied at once.
tasks:
  minimumTriggerIntervalSeconds: 0

# The embedded warehouse (DuckDB) keeps at most this much in memory and spills the rest to .floe/; without a
# limit its cache grows with the warehouse, towards 80 % of the machine's RAM. 512MB applies a 10M-event backfill
# within 1.5 GB of process memory; more makes big batches a little faster. The event log's and closed versions'
# indexes (CLUSTER BY) live in memory on top of this limit; with scd.yaml's archive they hold live customers only.
warehouse:
  memoryLimit: 512MB

# The NiFi part of the seed: list data/landing/, fetch each CSV, put it to s3://floe-demo/stream/<name>.
flows:
  ingest:
    processors:
      list:
        type: ListFile
        properties:
          Input Directory: data/landing
          File Filter: '[^.].*\\.csv'          # the generator writes '.name.tmp' first, then renames
          Minimum File Age: 0 sec              # safe here: files appear by rename, never half-written
        runSchedule: 0 sec                     # list again as soon as the last listing is done (default: 1 min)
        yieldDuration: 20 millis               # ... but wait 20 ms after a listing that found nothing (default: 1 sec)
      fetch:
        type: FetchFile
        properties: { Completion Strategy: Delete File }
        autoTerminate: [not.found, permission.denied, failure]
      put:
        type: PutS3Object
        properties: { Bucket: floe-demo, Object Key: 'stream/\${filename}' }
        autoTerminate: [success, failure]
    connections:
      - { from: list, relationship: success, to: fetch }
      - { from: fetch, relationship: success, to: put }
`;

const SQL_DATABASE = `-- The database and schema of the seed pipeline. Everything below lives in SCD_DEMO.SCD2.
CREATE DATABASE IF NOT EXISTS SCD_DEMO;
CREATE SCHEMA IF NOT EXISTS SCD_DEMO.SCD2;
`;

const SQL_STAGING = `USE SCHEMA SCD_DEMO.SCD2;

-- The generator's CSV files: a header line, fields quoted only when they contain a comma or a quote.
CREATE FILE FORMAT IF NOT EXISTS CUSTOMER_CSV
  TYPE = CSV
  SKIP_HEADER = 1
  FIELD_OPTIONALLY_ENCLOSED_BY = '"'
  COMMENT = 'customer change files written by floe generate';

-- The bucket prefix the ingest flow writes to. floe.yaml says where bucket floe-demo lives (a local folder
-- in embedded mode); on Snowflake this is an external stage with a storage integration.
CREATE STAGE IF NOT EXISTS CUSTOMER_EXT_STAGE
  URL = 's3://floe-demo/stream/'
  FILE_FORMAT = (FORMAT_NAME = 'CUSTOMER_CSV');

-- Staging table: every event of every file, as loaded. The last three columns say where a row came from,
-- so any row can be traced back to its file (and floe verify can re-read the files).
CREATE TABLE IF NOT EXISTS CUSTOMER_RAW (
  CUSTOMER_ID     NUMBER(18,0),    -- 18 digits fit a 64-bit integer (joins on wider keys are slower on DuckDB)
  FIRST_NAME      VARCHAR,
  LAST_NAME       VARCHAR,
  EMAIL           VARCHAR,
  STREET          VARCHAR,
  CITY            VARCHAR,
  STATE           VARCHAR,
  COUNTRY         VARCHAR,
  OP              VARCHAR(1),      -- I insert, U update, D delete
  UPDATED_AT      TIMESTAMP_NTZ,   -- event time (UTC): the order of events per customer
  FILE_NAME       VARCHAR,
  FILE_ROW_NUMBER NUMBER(38,0),
  LOADED_AT       TIMESTAMP_LTZ
);

-- Snowpipe: each new object under the stage is loaded exactly once (a file that fails is skipped whole:
-- ON_ERROR defaults to SKIP_FILE for pipes, and COPY_HISTORY / SYSTEM$PIPE_STATUS say why).
CREATE PIPE IF NOT EXISTS CUSTOMER_S3_PIPE
  AUTO_INGEST = TRUE
  AS
  COPY INTO CUSTOMER_RAW
  FROM (
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
           METADATA$FILENAME, METADATA$FILE_ROW_NUMBER, METADATA$START_SCAN_TIME
    FROM @CUSTOMER_EXT_STAGE
  );
`;

const SQL_STREAM = `USE SCHEMA SCD_DEMO.SCD2;

-- CDC on the staging table: the rows loaded since the task last consumed it. Append-only, because the
-- staging table only ever receives inserts (cheaper than a standard stream, same rows here).
CREATE STREAM IF NOT EXISTS CUSTOMER_RAW_STREAM
  ON TABLE CUSTOMER_RAW
  APPEND_ONLY = TRUE;
`;

function scdSql(): string {
  const plan = planScd(parseScdConfig(projectScdConfig(), 'scd.yaml'));
  const indented = plan.apply.trimEnd().split('\n').map((l) => (l === '' ? l : `  ${l}`)).join('\n');
  return `-- Generated from scd.yaml by \`floe scd --config scd.yaml\` (docs/scd.md), then wrapped in a task.
-- To change the SCD rules, edit scd.yaml and regenerate the two parts:
--   floe scd --config scd.yaml --part setup   (the tables below)
--   floe scd --config scd.yaml --part apply   (the task body)
USE SCHEMA SCD_DEMO.SCD2;

${plan.setup.trimEnd()}

-- The task runs whenever the stream has data (a triggered task: no schedule, no polling). Its body is one
-- transaction: the SCD1 table CUSTOMER and the SCD2 table CUSTOMER_HISTORY change together with the stream's
-- offset, so a crash at any point leaves either the whole batch applied or none of it.
CREATE TASK IF NOT EXISTS APPLY_CUSTOMER_CHANGES
  COMMENT = 'SCD1 + SCD2 from CUSTOMER_RAW_STREAM'
  WHEN SYSTEM$STREAM_HAS_DATA('SCD_DEMO.SCD2.CUSTOMER_RAW_STREAM')
AS
BEGIN
${indented}
END;

-- Tasks are created suspended, as in Snowflake.
ALTER TASK APPLY_CUSTOMER_CHANGES RESUME;
`;
}

const GITIGNORE = `# floe's state (warehouse file, flow repositories, server address) and the demo data
.floe/
data/
`;

const README = `# SCD_DEMO — customer CDC with floe

The seed pipeline on your laptop: synthetic customer change files land in \`data/landing/\`, the \`ingest\`
flow moves each one into bucket \`floe-demo\` under \`stream/\`, the pipe \`CUSTOMER_S3_PIPE\` loads it into
\`CUSTOMER_RAW\`, the stream \`CUSTOMER_RAW_STREAM\` hands the new rows to the task \`APPLY_CUSTOMER_CHANGES\`,
which keeps \`CUSTOMER\` (current state, SCD1) and \`CUSTOMER_HISTORY\` (every version, SCD2) up to date.

\`\`\`
data/landing/*.csv ──ingest flow──▶ s3://floe-demo/stream/ ──CUSTOMER_S3_PIPE──▶ CUSTOMER_RAW
   ──CUSTOMER_RAW_STREAM──▶ APPLY_CUSTOMER_CHANGES ──▶ CUSTOMER (SCD1) + CUSTOMER_HISTORY (SCD2)
\`\`\`

## Run it

\`\`\`sh
floe run                                  # applies sql/*.sql once, then runs the flow, the pipe and the task
floe generate --files 20 --interval 500   # in another terminal: 20 files of customer events
floe sql -q "select count(*) from scd_demo.scd2.customer"
floe verify                               # recompute the SCD tables from the loaded files and compare
\`\`\`

\`floe demo\` does all of it in one terminal with a live view.

## Files

| File | What |
|---|---|
| \`floe.yaml\` | where bucket \`floe-demo\` lives, the \`ingest\` flow, task settings for local runs, the warehouse memory limit |
| \`sql/01_database.sql\` | database \`SCD_DEMO\`, schema \`SCD2\` |
| \`sql/02_staging.sql\` | file format, stage, staging table \`CUSTOMER_RAW\`, pipe \`CUSTOMER_S3_PIPE\` |
| \`sql/03_stream.sql\` | stream \`CUSTOMER_RAW_STREAM\` on the staging table |
| \`sql/04_scd.sql\` | event log, key states, \`CUSTOMER\`, \`CUSTOMER_HISTORY\` (a view over the closed versions and the key states), the archive of deleted customers' rows, and the task (generated from \`scd.yaml\`) |
| \`scd.yaml\` | the SCD rules: key, sequence column, delete condition, end date of the current version, the archive |

\`floe run\` applies each statement once and remembers it (\`.floe/\`); a restart skips what was applied and
refuses to silently re-create an existing object (\`floe run --replace-existing\` to do it on purpose).

## What to query

\`\`\`sql
-- the current state of a customer, and every version it had
select * from scd_demo.scd2.customer where customer_id = 42;
select * from scd_demo.scd2.customer_history where customer_id = 42 order by start_time;
-- the state of everyone at a point in time
select * from scd_demo.scd2.customer_history
 where start_time <= '2026-01-01 12:00:00' and end_time > '2026-01-01 12:00:00';
-- what the pipe loaded, and what is waiting for the task
select * from table(information_schema.copy_history(table_name => 'CUSTOMER_RAW', start_time => dateadd(hour, -1, current_timestamp())));
select system$pipe_status('scd_demo.scd2.customer_s3_pipe');
select count(*) from scd_demo.scd2.customer_raw_stream;
select * from table(information_schema.task_history()) order by scheduled_time desc limit 10;
\`\`\`

## Semantics

Per \`CUSTOMER_ID\`, events are ordered by \`UPDATED_AT\` (event time, not arrival time). \`OP = 'D'\` closes the
current version; an update that changes nothing opens no version; a late event (older \`UPDATED_AT\` than
events already applied) is spliced into the history where it belongs. History intervals are half-open
\`[START_TIME, END_TIME)\`; the current version ends at \`9999-12-31 00:00:00\` and has \`IS_CURRENT = TRUE\`.

## Deploying to Snowflake

The SQL files are Snowflake SQL. On Snowflake, create a storage integration for the bucket and add
\`STORAGE_INTEGRATION = …\` to the stage, point the bucket's event notifications at the pipe's
\`notification_channel\` (\`SHOW PIPES\`), and add \`WAREHOUSE = …\` to the task (or keep it serverless).
`;

/**
 * The template's "Run:" line points at a plain SQL file; in this project the apply part is a task body. The archive
 * is on: the demo deletes ~5 % of its customers' events, and without it the indexed event log and closed versions
 * keep every deleted customer's rows, so the process grows for as long as it runs (docs/scd.md "Archive").
 */
function projectScdConfig(): string {
  const header = /^# up to date from a change feed\. Run:.*$/m;
  const archive = /^# archive: true( +)#/m;
  if (!header.test(SCD_CONFIG_TEMPLATE) || !archive.test(SCD_CONFIG_TEMPLATE)) {
    throw new Error('scd template changed: update customer-project.ts');
  }
  return SCD_CONFIG_TEMPLATE
    .replace(header, '# up to date from a change feed. sql/04_scd.sql holds the SQL generated from this file (see its header).')
    .replace(archive, 'archive: true  $1#');
}

/** The project's files, in the order they are written. */
export function customerProjectFiles(): ProjectFile[] {
  return [
    { path: 'floe.yaml', content: FLOE_YAML },
    { path: 'scd.yaml', content: projectScdConfig() },
    { path: 'sql/01_database.sql', content: SQL_DATABASE },
    { path: 'sql/02_staging.sql', content: SQL_STAGING },
    { path: 'sql/03_stream.sql', content: SQL_STREAM },
    { path: 'sql/04_scd.sql', content: scdSql() },
    { path: 'README.md', content: README },
    { path: '.gitignore', content: GITIGNORE },
  ];
}

/** Folders the pipeline expects to exist (the generator writes into the first). */
export const CUSTOMER_PROJECT_FOLDERS = ['data/landing', 'data/bucket/floe-demo/stream'];
