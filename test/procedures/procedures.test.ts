/**
 * Stored procedures: DDL and catalog (SHOW / DESCRIBE / DROP, overloading, persistence), CALL with argument
 * and return conversions, LANGUAGE SQL bodies, the JavaScript `snowflake` API, the sandbox, and errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Session } from '../../src/engine/engine-api.js';
import { openEngine } from '../../src/engine/open-engine.js';

let engine: Engine;
let s: Session;
const dir = mkdtempSync(join(tmpdir(), 'floe-procs-'));

beforeAll(async () => {
  engine = await openEngine({ database: join(dir, 'w.duckdb'), procedures: { timeLimitMs: 3000, memoryLimitMb: 64 } });
  s = await engine.session();
  await s.query('create database proc_db');
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const normal = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);
async function one(sql: string): Promise<{ columns: string[]; types: string[]; rows: unknown[][] }> {
  const results = await s.query(sql);
  const r = results[results.length - 1];
  return { columns: r.columns.map((c) => c.name), types: r.columns.map((c) => c.type), rows: r.rows.map((row) => row.map(normal)) };
}
async function failure(sql: string): Promise<string> {
  for await (const o of s.run(sql, { continueOnError: true })) if (!o.ok) return o.error.message;
  throw new Error(`expected an error from ${sql}`);
}
const js = (name: string, body: string, returns = 'VARCHAR', args = ''): string =>
  `CREATE OR REPLACE PROCEDURE ${name}(${args}) RETURNS ${returns} LANGUAGE JAVASCRIPT AS $$${body}$$`;

describe('procedure DDL', () => {
  it('creates, shows, describes, overloads by arity and drops procedures', async () => {
    await s.query(`CREATE PROCEDURE area(w FLOAT, h FLOAT DEFAULT 2) RETURNS FLOAT LANGUAGE SQL COMMENT = 'rectangle' EXECUTE AS CALLER AS $$ BEGIN RETURN w * h; END $$`);
    await s.query(`CREATE PROCEDURE area(w FLOAT, h FLOAT, d FLOAT) RETURNS NUMBER(10,1) AS $$ BEGIN RETURN w * h * d; END $$`);
    expect(await failure(`CREATE PROCEDURE area(a FLOAT, b FLOAT DEFAULT 1) RETURNS FLOAT AS $$ BEGIN RETURN 1; END $$`)).toMatch(/Object 'AREA' already exists/);
    const show = await one(`SHOW PROCEDURES LIKE 'AREA'`);
    expect(show.columns).toEqual(['created_on', 'name', 'schema_name', 'is_builtin', 'is_aggregate', 'is_ansi', 'min_num_arguments', 'max_num_arguments', 'arguments', 'description', 'catalog_name', 'is_table_function', 'valid_for_clustering', 'is_secure', 'secrets', 'external_access_integrations']);
    expect(show.rows.map((r) => [r[1], r[6], r[7], r[8], r[9]])).toEqual([
      ['AREA', 1, 2, 'AREA(FLOAT, [FLOAT]) RETURN FLOAT', 'rectangle'],
      ['AREA', 3, 3, 'AREA(FLOAT, FLOAT, FLOAT) RETURN NUMBER', 'user-defined procedure'],
    ]);
    const desc = await one('DESCRIBE PROCEDURE area(FLOAT, FLOAT)');
    expect(desc.columns).toEqual(['property', 'value']);
    expect(Object.fromEntries(desc.rows as [string, string][])).toMatchObject({ signature: '(W FLOAT, H FLOAT DEFAULT 2)', returns: 'FLOAT', language: 'SQL', 'execute as': 'CALLER' });
    expect(await one('CALL area(3)')).toEqual({ columns: ['AREA'], types: ['FLOAT'], rows: [[6]] });
    expect(await one('CALL area(3, 4)')).toMatchObject({ rows: [[12]] });
    expect(await one('CALL area(1.5, 2, 3)')).toEqual({ columns: ['AREA'], types: ['NUMBER'], rows: [['9.0']] });
    expect(await one('CALL area(h => 5, w => 2)')).toMatchObject({ rows: [[10]] });
    expect(await failure('CALL area()')).toMatch(/Invalid argument count for procedure AREA: 0 given/);
    await s.query('DROP PROCEDURE area(FLOAT, FLOAT, FLOAT)');
    expect(await failure('DROP PROCEDURE area(FLOAT, FLOAT, FLOAT)')).toMatch(/Procedure 'AREA\(FLOAT, FLOAT, FLOAT\)' does not exist or not authorized/);
    expect((await one('DROP PROCEDURE IF EXISTS area(FLOAT, FLOAT, FLOAT)')).rows[0][0]).toMatch(/already dropped/);
    expect(await failure('CALL nope()')).toMatch(/Procedure 'NOPE' does not exist or not authorized/);
  });

  it('rejects languages floe does not run and SQL bodies that do not parse', async () => {
    expect(await failure(`CREATE PROCEDURE py() RETURNS INT LANGUAGE PYTHON RUNTIME_VERSION = '3.11' HANDLER = 'run' AS 'x'`)).toMatch(/^unsupported: LANGUAGE PYTHON/);
    expect(await failure(`CREATE PROCEDURE bad() RETURNS INT AS $$ BEGIN RETURN 1 END $$`)).toMatch(/syntax error/);
  });

  it('keeps procedures across a restart and drops them with their schema', async () => {
    await s.query(`CREATE PROCEDURE persisted(x VARCHAR) RETURNS VARCHAR LANGUAGE JAVASCRIPT AS $$ return X + '!'; $$`);
    await engine.close();
    engine = await openEngine({ database: join(dir, 'w.duckdb'), procedures: { timeLimitMs: 3000, memoryLimitMb: 64 } });
    s = await engine.session();
    await s.query('use schema proc_db.public');
    expect((await one(`CALL persisted('hi')`)).rows).toEqual([['hi!']]);
    await s.query(`CREATE SCHEMA gone; CREATE PROCEDURE gone.p() RETURNS INT AS $$ BEGIN RETURN 1; END $$; DROP SCHEMA gone; USE SCHEMA proc_db.public`);
    expect((await one(`SHOW PROCEDURES IN ACCOUNT`)).rows.map((r) => r[1])).toEqual(['AREA', 'PERSISTED']);
  });
});

describe('LANGUAGE SQL procedures', () => {
  it('sees arguments as variables, converts argument and return types, returns tables', async () => {
    await s.query(`CREATE OR REPLACE TABLE items (id INT, name VARCHAR)`);
    await s.query(`CREATE OR REPLACE PROCEDURE add_item(id INT, name VARCHAR) RETURNS VARCHAR LANGUAGE SQL AS
      DECLARE n INT;
      BEGIN
        INSERT INTO items VALUES (:id, :name);
        SELECT count(*) INTO :n FROM items;
        RETURN name || ' #' || n;
      END`);
    expect(await one(`CALL add_item('7', 'seven')`)).toEqual({ columns: ['ADD_ITEM'], types: ['TEXT'], rows: [['seven #1']] });
    await s.query(`CREATE OR REPLACE PROCEDURE list_items() RETURNS TABLE (item_id INT, item_name VARCHAR) AS $$
      DECLARE rs RESULTSET DEFAULT (SELECT id, name FROM items ORDER BY id);
      BEGIN RETURN TABLE(rs); END $$`);
    expect(await one('CALL list_items()')).toMatchObject({ columns: ['ITEM_ID', 'ITEM_NAME'], rows: [[7, 'seven']] });
    await s.query(`CREATE OR REPLACE PROCEDURE must(x INT) RETURNS INT NOT NULL AS $$ BEGIN RETURN x; END $$`);
    expect(await failure('CALL must(NULL)')).toMatch(/NULL result in a non-nullable column/);
    await s.query(`CREATE OR REPLACE PROCEDURE strict_p(x INT) RETURNS INT STRICT AS $$ BEGIN INSERT INTO items VALUES (99, 'ran'); RETURN 1; END $$`);
    expect((await one('CALL strict_p(NULL)')).rows).toEqual([[null]]);
    expect((await one('SELECT count(*) FROM items WHERE id = 99')).rows).toEqual([[0]]);
  });

  it('calls procedures from blocks (CALL … INTO) and from other procedures', async () => {
    await s.query(`CREATE OR REPLACE PROCEDURE twice(x INT) RETURNS INT AS $$ BEGIN RETURN x * 2; END $$`);
    await s.query(`CREATE OR REPLACE PROCEDURE four_times(x INT) RETURNS INT AS $$ DECLARE y INT; BEGIN CALL twice(:x) INTO :y; CALL twice(:y) INTO :y; RETURN y; END $$`);
    expect((await one('CALL four_times(5)')).rows).toEqual([[20]]);
    await s.query(`CREATE OR REPLACE PROCEDURE forever() RETURNS INT AS $$ BEGIN CALL forever(); RETURN 1; END $$`);
    expect(await failure('CALL forever()')).toMatch(/nested more than 16 levels/);
  });
});

describe('JavaScript procedures', () => {
  it('exposes upper-cased arguments converted to JS values', async () => {
    await s.query(js('types', `return [typeof N, N, typeof F, S, B, D.toISOString(), V.a[1]].join('|');`, 'VARCHAR', 'n NUMBER(5,2), f FLOAT, s VARCHAR, b BOOLEAN, d DATE, v VARIANT'));
    expect((await one(`CALL types(1.5, 2, 'x', TRUE, '2024-03-01', PARSE_JSON('{"a": [1, 2]}'))`)).rows).toEqual([['number|1.5|number|x|true|2024-03-01T00:00:00.000Z|2']]);
  });

  it('runs SQL through snowflake.createStatement / execute with binds, 1-based columns and row counts', async () => {
    await s.query('CREATE OR REPLACE TABLE js_t (k INT, v VARCHAR)');
    await s.query(js('api', `
      var ins = snowflake.createStatement({sqlText: 'INSERT INTO js_t VALUES (?, ?), (?, ?)', binds: [1, 'a', 2, "b'; DROP TABLE js_t; --"]});
      if (ins.getSqlText().indexOf('INSERT') !== 0) throw new Error('sql text');
      var before; try { ins.getQueryId(); } catch (e) { before = e.message; }
      ins.execute();
      var upd = snowflake.createStatement({sqlText: "UPDATE js_t SET v = 'z' WHERE k = :1", binds: [1]});
      upd.execute();
      var rs = snowflake.execute({sqlText: 'SELECT k, v FROM js_t ORDER BY k'});
      var out = [];
      while (rs.next()) out.push(rs.getColumnValue(1) + '=' + rs.getColumnValue('V') + '/' + rs.V + '/' + rs.getColumnValueAsString(1));
      var q = snowflake.createStatement({sqlText: 'SELECT k AS "lower", v FROM js_t'});
      var qrs = q.execute();
      return [before, ins.getNumRowsInserted(), ins.getNumRowsAffected(), upd.getNumRowsUpdated(), rs.getRowCount(), out.join(','),
        q.getColumnCount(), q.getColumnName(1), q.getColumnType(2), q.isColumnNumber(1), q.isColumnText(2), q.getRowCount(), qrs.getQueryId() === q.getQueryId()].join('|');
    `));
    expect((await one('CALL api()')).rows).toEqual([["Statement is not executed yet.|2|2|1|2|1=z/z/1,2=b'; DROP TABLE js_t; --/b'; DROP TABLE js_t; --/2|2|lower|TEXT|true|true|2|true"]]);
  });

  it('shapes a typical tutorial procedure: a MERGE built in a JS string, executed, then a TRUNCATE, returning the SQL', async () => {
    await s.query(`CREATE OR REPLACE TABLE staging (id INT, name VARCHAR);
      CREATE OR REPLACE TABLE target (id INT, name VARCHAR);
      INSERT INTO target VALUES (1, 'old');
      INSERT INTO staging VALUES (1, 'new'), (2, 'added');`);
    await s.query(`CREATE OR REPLACE PROCEDURE merge_staging(target_table VARCHAR, source_table VARCHAR)
      RETURNS VARCHAR
      LANGUAGE JAVASCRIPT
      EXECUTE AS CALLER
    AS $$
      var sql_command = "MERGE INTO " + TARGET_TABLE + " t USING " + SOURCE_TABLE + " s ON t.id = s.id " +
        "WHEN MATCHED THEN UPDATE SET t.name = s.name " +
        "WHEN NOT MATCHED THEN INSERT (id, name) VALUES (s.id, s.name)";
      try {
        var stmt = snowflake.createStatement({sqlText: sql_command});
        var rs = stmt.execute();
        rs.next();
        var counts = rs.getColumnValue(1) + ' inserted, ' + rs.getColumnValue(2) + ' updated, ' + stmt.getNumRowsAffected() + ' affected';
        snowflake.execute({sqlText: "TRUNCATE TABLE " + SOURCE_TABLE});
        return sql_command + ' -- ' + counts;
      } catch (err) {
        return "Failed: " + err;
      }
    $$`);
    const r = await one(`CALL merge_staging('target', 'staging')`);
    expect(r.rows[0][0]).toBe('MERGE INTO target t USING staging s ON t.id = s.id WHEN MATCHED THEN UPDATE SET t.name = s.name WHEN NOT MATCHED THEN INSERT (id, name) VALUES (s.id, s.name) -- 1 inserted, 1 updated, 2 affected');
    expect((await one('SELECT id, name FROM target ORDER BY id')).rows).toEqual([[1, 'new'], [2, 'added']]);
    expect((await one('SELECT count(*) FROM staging')).rows).toEqual([[0]]);
    expect((await one(`CALL merge_staging('target', 'no_such_table')`)).rows[0][0]).toMatch(/^Failed: Error: SQL compilation error:\nObject 'NO_SUCH_TABLE' does not exist/);
  });

  it('converts return values to the RETURNS type', async () => {
    await s.query(js('obj', 'return {a: [1, 2]};', 'VARIANT'));
    expect(await one('CALL obj()')).toEqual({ columns: ['OBJ'], types: ['VARIANT'], rows: [['{"a":[1,2]}']] });
    await s.query(js('num_text', "return '42';", 'NUMBER'));
    expect((await one('CALL num_text()')).rows).toEqual([[42]]);
    await s.query(js('nothing', 'var x = 1;'));
    expect((await one('CALL nothing()')).rows).toEqual([[null]]);
    await s.query(js('bad_num', "return 'abc';", 'NUMBER'));
    expect(await failure('CALL bad_num()')).toMatch(/return value cannot be converted to NUMBER/);
  });

  it('turns JS errors into SQL errors showing the procedure line', async () => {
    await s.query(js('boom', `\n  var a = 1;\n  undefined_fn(a);\n`));
    expect(await failure('CALL boom()')).toBe("JavaScript execution error: Uncaught ReferenceError: undefined_fn is not defined in BOOM at 'undefined_fn(a);' position 2\nstackstrace: \nBOOM line: 3");
    await s.query(js('thrower', `\n  throw new Error('custom failure');`));
    expect(await failure('CALL thrower()')).toMatch(/^JavaScript execution error: Uncaught Error: custom failure in THROWER at 'throw new Error\('custom failure'\);' position 8/);
    await s.query(js('syntax', `\n  var x = ;\n`));
    expect(await failure('CALL syntax()')).toBe("JavaScript compilation error: Uncaught SyntaxError: Unexpected token ';' in SYNTAX at 'var x = ;' position 10");
    await s.query(js('sql_fails', `\n  snowflake.execute({sqlText: 'SELECT * FROM missing_tbl'});`));
    expect(await failure('CALL sql_fails()')).toMatch(/^Execution error in store procedure SQL_FAILS:\nSQL compilation error:\nObject 'MISSING_TBL' does not exist or not authorized.\nAt Statement.execute, line 2 position \d+$/);
    await s.query(js('multi', `snowflake.execute({sqlText: 'SELECT 1; SELECT 2'});`));
    expect(await failure('CALL multi()')).toMatch(/Multiple SQL statements in a single API call are not supported/);
    await s.query(js('bad_bind', `snowflake.execute({sqlText: 'SELECT ?', binds: [{a: 1}]});`));
    expect(await failure('CALL bad_bind()')).toMatch(/Invalid binds argument/);
  });

  it('keeps procedure code inside the sandbox', async () => {
    const escapes: [string, string][] = [
      ['ctor', `return typeof this.constructor.constructor('return process')();`],
      ['proto', `return typeof Object.getPrototypeOf(snowflake).constructor.constructor('return process')();`],
      ['err_ctor', `try { snowflake.execute({sqlText: 'SELECT nope'}); } catch (e) { return typeof e.constructor.constructor('return process')(); }`],
      ['globals', `return [typeof globalThis.process, typeof require, typeof module, typeof setTimeout, typeof setInterval, typeof queueMicrotask === 'function' ? 'q' : '', typeof fetch, typeof console, typeof WebAssembly, typeof SharedArrayBuffer, typeof ArrayBuffer].join(',');`],
      ['import', `var fs = null; import('node:fs').then(function (m) { fs = m; }); return fs === null ? 'no module' : 'imported';`],
    ];
    for (const [name, body] of escapes) await s.query(js(`esc_${name}`, body));
    for (const name of ['ctor', 'proto', 'err_ctor']) expect(await failure(`CALL esc_${name}()`)).toMatch(/ReferenceError: process is not defined/);
    expect((await one('CALL esc_globals()')).rows).toEqual([['undefined,undefined,undefined,undefined,undefined,,undefined,undefined,undefined,undefined,undefined']]);
    expect((await one('CALL esc_import()')).rows).toEqual([['no module']]);
    await s.query(js('spin', 'while (true) {}'));
    expect(await failure('CALL spin()')).toBe('JavaScript execution error: procedure SPIN exceeded the time limit of 3000 ms.');
    await s.query(js('hog', 'var keep = []; while (true) keep.push(new Array(1e6).fill(1.5));'));
    expect(await failure('CALL hog()')).toBe('JavaScript out of memory error: procedure HOG exceeded the memory limit of 64 MB.');
    // The session still works after the worker was ended.
    expect((await one('SELECT 1')).rows).toEqual([[1]]);
  });
});
