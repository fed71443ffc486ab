/**
 * The scratch engine must read files with the rules the pipeline used: the same pipe definitions, staging table
 * columns, stage and file formats. They come from the project's SQL files, so they are compared with the
 * warehouse's catalog (SHOW / DESCRIBE on both sides) before anything is read. A difference means the files were
 * edited after `floe run` applied them (or a re-create was blocked): verify stops with a clear error.
 */
import { FloeError } from '../core/errors.js';
import type { ScratchEngine } from './scratch-engine.js';
import { identSql, nameSql, type SourceTables } from './source-pipes.js';
import type { QueryRows, WarehouseClient } from './warehouse-client.js';
import { qualifiedText, type QualifiedName } from './verify-project.js';
import { stringLiteral } from '../engine/scripting/sql-literals.js';

const mismatch = (what: string, detail: string): FloeError =>
  new FloeError(
    'CONFIG',
    `floe verify: the project's SQL files and the warehouse disagree on ${what}: ${detail}. ` +
      `floe run applies the SQL files; a changed CREATE of an existing object is blocked (floe run prints the plan).`,
  );

/** Rows projected on some columns, as comparable text. */
function project(r: QueryRows, columns: string[]): string[] {
  const idx = columns.map((c) => r.columns.indexOf(c));
  return r.rows.map((row) => JSON.stringify(idx.map((i) => (i < 0 ? null : String(row[i] ?? '')))));
}

async function both(wh: WarehouseClient, scratch: ScratchEngine, sql: string): Promise<[QueryRows, QueryRows]> {
  return [await wh.query(sql), await scratch.client.query(sql)];
}

async function describe(wh: WarehouseClient, scratch: ScratchEngine, kind: string, name: QualifiedName, columns: string[]): Promise<void> {
  const sql = `DESCRIBE ${kind} ${nameSql(name)}`;
  let scratchRows: QueryRows;
  try {
    scratchRows = await scratch.client.query(sql);
  } catch {
    const failed = scratch.failedStatements.length > 0 ? ` (statements that failed: ${scratch.failedStatements.join('; ')})` : '';
    throw mismatch(`${kind.toLowerCase()} ${qualifiedText(name)}`, `the SQL files do not create it${failed}`);
  }
  const a = project(await wh.query(sql), columns);
  const b = project(scratchRows, columns);
  if (a.join('\n') !== b.join('\n')) {
    const first = a.findIndex((x, i) => x !== b[i]);
    throw mismatch(`${kind.toLowerCase()} ${qualifiedText(name)}`, `warehouse ${a[first] ?? '(nothing)'} vs SQL files ${b[first] ?? '(nothing)'}`);
  }
}

export async function checkLoadingObjects(wh: WarehouseClient, scratch: ScratchEngine, source: SourceTables): Promise<void> {
  for (const pipe of source.pipes) {
    const r = await scratch.client.query(`SHOW PIPES LIKE ${stringLiteral(pipe.name.name)} IN SCHEMA ${identSql(pipe.name.database)}.${identSql(pipe.name.schema)}`);
    const def = r.rows.find((x) => x[r.columns.indexOf('name')] === pipe.name.name)?.[r.columns.indexOf('definition')];
    if (def === undefined) throw mismatch(`pipe ${qualifiedText(pipe.name)}`, 'the SQL files do not create it');
    if (String(def).trim() !== pipe.definition.trim()) throw mismatch(`pipe ${qualifiedText(pipe.name)}`, `its COPY statement differs:\n${pipe.definition}\nvs\n${String(def)}`);
    const stage = scratch.pipePlan(pipe.name).loc.stage;
    if (stage) await describe(wh, scratch, 'STAGE', stage, ['parent_property', 'property', 'property_value']);
  }
  await describe(wh, scratch, 'TABLE', source.base, ['name', 'type', 'default']);
  // Every file format the SQL files define must be the warehouse's (formats are referenced by name).
  const [whFormats, scratchFormats] = await both(wh, scratch, 'SHOW FILE FORMATS IN ACCOUNT');
  const cols = ['database_name', 'schema_name', 'name', 'format_options'];
  const known = new Set(project(whFormats, cols));
  for (const f of project(scratchFormats, cols)) {
    if (!known.has(f)) {
      const [db, schema, name] = JSON.parse(f) as string[];
      throw mismatch(`file format ${db}.${schema}.${name}`, 'its options differ (or it does not exist in the warehouse)');
    }
  }
}
