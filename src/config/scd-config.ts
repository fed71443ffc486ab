/**
 * The `floe scd --config FILE` file (YAML or JSON): which change feed, which keys/sequence/columns, which targets.
 * Column lists are maps `NAME: TYPE` (order kept) so the generated DDL can create the tables. Errors name the
 * file, the key path and the line/column.
 */
import { z } from 'zod';
import type { ScdColumn, ScdConfig } from '../core/scd/scd-config.js';
import { parseYamlConfig } from './project-config.js';

const columnMap = z.record(z.string(), z.string().min(1));
const nameList = z.array(z.string().min(1));

export const scdConfigSchema = z
  .object({
    source: z.object({ name: z.string().min(1), kind: z.enum(['stream', 'table']).default('stream'), where: z.string().optional() }).strict(),
    keys: columnMap,
    sequenceBy: columnMap,
    columns: columnMap,
    deleteWhen: z.string().optional(),
    truncateWhen: z.string().optional(),
    trackHistory: nameList.optional(),
    trackHistoryExcept: nameList.optional(),
    ignoreNullUpdates: z.union([z.boolean(), nameList]).optional(),
    eventLog: z.string().min(1),
    batchTable: z.string().optional(),
    versionsTable: z.string().optional(),
    keysTable: z.string().optional(),
    tombstonesTable: z.string().optional(),
    closedTable: z.string().optional(),
    archive: z.boolean().optional(),
    archiveTable: z.string().optional(),
    closedArchiveTable: z.string().optional(),
    archiveQueueTable: z.string().optional(),
    archiveBatch: z.number().int().min(1).optional(),
    scd1: z.object({ table: z.string().min(1) }).strict().optional(),
    scd2: z
      .object({
        table: z.string().min(1),
        validFrom: z.string().optional(),
        validTo: z.string().optional(),
        isCurrent: z.string().nullable().optional(),
        endValue: z.union([z.string(), z.null()]).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const columns = (m: Record<string, string>): ScdColumn[] => Object.entries(m).map(([name, type]) => ({ name, type }));

export function parseScdConfig(text: string, file: string): ScdConfig {
  const c = parseYamlConfig(text, file, scdConfigSchema);
  const { scd2, ...rest } = c;
  return {
    ...rest,
    keys: columns(c.keys),
    sequenceBy: columns(c.sequenceBy),
    columns: columns(c.columns),
    ...(scd2
      ? {
          scd2: {
            table: scd2.table,
            ...(scd2.validFrom !== undefined ? { validFrom: scd2.validFrom } : {}),
            ...(scd2.validTo !== undefined ? { validTo: scd2.validTo } : {}),
            ...(scd2.isCurrent !== undefined ? { isCurrent: scd2.isCurrent } : {}),
            ...(typeof scd2.endValue === 'string' ? { endValue: scd2.endValue } : {}),
          },
        }
      : {}),
  } as ScdConfig;
}

/** A commented starting point (`floe scd --template`), set up for the customer example. */
export const SCD_CONFIG_TEMPLATE = `# floe scd configuration: generate the SQL that keeps an SCD1 (current state) and an SCD2 (history) table
# up to date from a change feed. Run:  floe scd --config this-file.yaml > sql/04_scd.sql
# Semantics: docs/scd.md (events are folded per key in sequence order; late events rewrite history).

source:
  name: SCD_DEMO.SCD2.CUSTOMER_RAW_STREAM   # a stream on the staging table (its INSERT rows are the events)
  kind: stream                              # or: table (re-read each run; already-applied events are skipped)
  # where: "COUNTRY IS NOT NULL"            # optional filter over source columns

keys:                                       # entity key (composite keys: several entries)
  CUSTOMER_ID: NUMBER(18,0)                 # not 38 digits: on DuckDB that is a 128-bit integer, and every run
                                            # joins on the key (docs/scd.md "Key types")
sequenceBy:                                 # order of events per key; the first entry is what validity holds
  UPDATED_AT: TIMESTAMP_NTZ
columns:                                    # payload carried into the targets
  FIRST_NAME: VARCHAR
  LAST_NAME: VARCHAR
  EMAIL: VARCHAR
  STREET: VARCHAR
  CITY: VARCHAR
  STATE: VARCHAR
  COUNTRY: VARCHAR

deleteWhen: "OP = 'D'"                      # TRUE = delete event; FALSE/NULL = upsert (insert or update)
# trackHistory: [EMAIL, CITY]               # only these open new SCD2 versions (others overwrite in place)
# trackHistoryExcept: [EMAIL]
# ignoreNullUpdates: true                   # or a list of columns: NULL means "not provided"

eventLog: SCD_DEMO.SCD2.CUSTOMER_EVENTS      # every accepted event: the applier's memory (keep it)
# batchTable: SCD_DEMO.SCD2.CUSTOMER_EVENTS_BATCH
# versionsTable: SCD_DEMO.SCD2.CUSTOMER_EVENTS_VERSIONS
# keysTable: SCD_DEMO.SCD2.CUSTOMER_EVENTS_KEYS
# tombstonesTable: SCD_DEMO.SCD2.CUSTOMER_EVENTS_TOMBSTONES
# closedTable: SCD_DEMO.SCD2.CUSTOMER_EVENTS_CLOSED   # SCD2's closed versions (the SCD2 target is a view)
# archive: true                             # deleted keys' events and closed versions move to the tables below,
#                                           # so the clustered ones hold live keys only (default false: docs/scd.md "Archive")
# archiveTable: SCD_DEMO.SCD2.CUSTOMER_EVENTS_ARCHIVE
# closedArchiveTable: SCD_DEMO.SCD2.CUSTOMER_EVENTS_CLOSED_ARCHIVE
# archiveQueueTable: SCD_DEMO.SCD2.CUSTOMER_EVENTS_ARCHIVE_QUEUE   # keys deleted since the last move
# archiveBatch: 1000                        # move deleted keys' rows once this many keys wait

scd1:
  table: SCD_DEMO.SCD2.CUSTOMER
scd2:
  table: SCD_DEMO.SCD2.CUSTOMER_HISTORY       # a view: closed versions + each live key's current version
  validFrom: START_TIME
  validTo: END_TIME
  isCurrent: IS_CURRENT                     # or null for no flag column
  endValue: "9999-12-31 00:00:00"           # end of the current version; omit for NULL
`;
