/**
 * The archive (docs/scd.md, "Archive"): a deleted key's events and closed versions leave the clustered tables (the
 * event log and the closed versions, indexed by key on DuckDB, which holds an index wholly in memory), so those keep
 * live keys' rows only. A key deleted in a run is queued; once `archiveBatch` keys wait, one move takes all their rows
 * at once — a move joins the clustered tables with the queued keys, which costs about a scan of their key columns
 * however many keys move, so moving a thousand keys together costs what moving each run's few dozen did, every run.
 *
 * Where a key's rows are, at any time: in the clustered tables, in the archive, or split between them. Only a key
 * with a tombstone can have archived rows (the tombstone stays when it is upserted again), so a late event reads the
 * archive for such keys only, and a late event of any other key never touches it. A key's archived closed versions
 * come with archived events, so a refold that read archived events (`A` in the batch) is the one that replaces them.
 */
import type { ResolvedScdConfig } from './scd-config.js';
import { closedColumns, eventColumns, keyMatch, names, seqAfter } from './scd-sql-parts.js';

/** DDL of the archive tables and the queue; `events` and `closed` are the typed column lists of the originals. */
export function archiveSetup(c: ResolvedScdConfig, events: string[], keys: string[], closed: string[]): string[] {
  const out = [
    `-- Archive: the events of deleted keys, moved out of the event log so that it holds live keys' events only.\n` +
      `-- Not clustered: it is read only for a late event of a key deleted before (docs/scd.md, "Archive").\n` +
      `CREATE TABLE IF NOT EXISTS ${c.archiveTable} (\n  ${events.join(',\n  ')}\n);`,
    `-- Keys deleted since the last move to the archive (moved ${c.archiveBatch} at a time).\n` +
      `CREATE TABLE IF NOT EXISTS ${c.archiveQueueTable} (\n  ${keys.join(',\n  ')}\n);`,
  ];
  if (c.scd2) {
    out.push(`-- The closed versions of deleted keys, moved with their events. Part of the SCD2 target.\nCREATE TABLE IF NOT EXISTS ${c.closedArchiveTable} (\n  ${closed.join(',\n  ')}\n);`);
  }
  return out;
}

/**
 * Step 2's archive read: the archived events of the batch's late keys that have a tombstone (marked `A`). `lastEvents`
 * is step 2's union of key states and tombstones: a key is late when a new event is not after its last one. Inner
 * joins only, starting from the tombstones: a run whose keys have none (all of them in `floe demo`) builds nothing
 * for the later joins, so it reads neither the key states nor the archive (a LEFT JOIN of the key states, tried
 * first, read them every run: 4–9 ms a run in the demo, growing).
 */
export function archivedLateEvents(c: ResolvedScdConfig, src: string, lastEvents: string): string {
  return (
    `INSERT INTO ${c.batchTable} (${eventColumns(c)}, ${src})\nSELECT ${eventColumns(c, 'a.')}, 'A'\nFROM ${c.archiveTable} a\n` +
    `JOIN (SELECT DISTINCT ${names(c.keys, 'w.')} FROM ${c.batchTable} w JOIN ${c.tombstonesTable} t ON ${keyMatch(c, 't', 'w')}\n` +
    `  JOIN ${lastEvents} k ON ${keyMatch(c, 'k', 'w')}\n` +
    `  WHERE w.${src} = 'B' AND NOT ${seqAfter(c, 'w', 'k')}) ak ON ${keyMatch(c, 'ak', 'a')};`
  );
}

/** Step 9's queue: the keys deleted now (`deleted`) wait for the next move. */
export function archiveQueueInsert(c: ResolvedScdConfig, deleted: string): string {
  return `INSERT INTO ${c.archiveQueueTable} (${names(c.keys)})\nSELECT ${names(c.keys)} FROM ${deleted} d;`;
}

/**
 * Step 10, after the apply transaction (a block of its own; the queue is committed, so a crash before it only delays
 * the move): once `archiveBatch` keys wait, transactions of at most `archiveMoveKeys(c)` keys each move their rows and
 * take them off the queue, until fewer than `archiveBatch` wait. A key in the queue may have been upserted again since;
 * moving its rows is harmless (its tombstone stays, so its readers read the archive), and keeping it out would cost a
 * statement every run. The check is one scripting query; the statements of a move with nothing to move cost ~2 ms
 * each on DuckDB, every run. The bound is for a backfill: its run queues hundreds of thousands of keys, and moving all
 * their rows (~40 % of a 10M-event log) in one transaction ran DuckDB out of its 512MB limit — fatally, in the commit.
 */
export function archiveMoves(c: ResolvedScdConfig, step: number): string {
  const keys = names(c.keys);
  const take = archiveMoveKeys(c);
  const queued = `(SELECT COUNT(*) FROM ${c.archiveQueueTable})`;
  const moving = `(SELECT DISTINCT ${keys} FROM ${c.archiveQueueTable} ORDER BY ${keys} LIMIT ${take})`;
  const moves = [move(c, c.eventLog, c.archiveTable, (p) => eventColumns(c, p), moving)];
  if (c.scd2) moves.push(move(c, c.closedTable, c.closedArchiveTable, (p) => closedColumns(c, p), moving));
  const body = [
    'BEGIN TRANSACTION;',
    ...moves,
    `DELETE FROM ${c.archiveQueueTable} q USING ${moving} AS d WHERE ${keyMatch(c, 'd', 'q')};`,
    'COMMIT;',
    `queued := ${queued};`,
  ]
    .join('\n')
    .replace(/\n/g, '\n    ');
  return (
    `-- ${step}. Once ${c.archiveBatch} deleted keys wait, their events${c.scd2 ? ' and closed versions' : ''} move to the archive, so the clustered\n` +
    `--     tables hold live keys' rows (and at most ${c.archiveBatch} deleted keys'). Transactions of their own, ${take} keys at most\n` +
    `--     each (a backfill queues hundreds of thousands: moved at once, their rows would need memory the warehouse may not have).\n` +
    `BEGIN\n  LET queued INTEGER := ${queued};\n  WHILE (queued >= ${c.archiveBatch}) DO\n    ${body}\n  END WHILE;\nEND;`
  );
}

/** Most keys one archive move takes: ten batches (the demo's moves take one; a backfill's backlog drains in steps). */
const archiveMoveKeys = (c: ResolvedScdConfig): number => c.archiveBatch * 10;

/**
 * Move the rows of the keys `which` selects from `from` to `to` (`cols(prefix)`: their column list): an INSERT and a
 * DELETE, in the caller's transaction.
 */
function move(c: ResolvedScdConfig, from: string, to: string, cols: (prefix?: string) => string, which: string): string {
  return (
    `INSERT INTO ${to} (${cols()})\nSELECT ${cols('f.')}\nFROM ${from} f JOIN ${which} d ON ${keyMatch(c, 'd', 'f')};\n` +
    `DELETE FROM ${from} f USING ${which} AS d WHERE ${keyMatch(c, 'd', 'f')};`
  );
}
