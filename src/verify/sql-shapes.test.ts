import { describe, expect, it } from 'vitest';
import { splitScript } from '../sql/split-script.js';
import { neededForLoading } from './scratch-engine.js';
import { copyTarget } from './source-pipes.js';

const needed = (sql: string): boolean => neededForLoading(splitScript(sql)[0]!.tokens);

describe('the statements the scratch engine runs', () => {
  it('are session settings and CREATE of databases, schemas, file formats, stages, tables and pipes', () => {
    for (const sql of ['USE SCHEMA a.b', 'ALTER SESSION SET TIMEZONE = \'UTC\'', 'CREATE DATABASE IF NOT EXISTS x', 'create or replace transient table t (a int)', 'CREATE FILE FORMAT f TYPE = CSV', 'CREATE STAGE s URL = \'s3://b/\'', 'CREATE PIPE p AS COPY INTO t FROM @s']) {
      expect(needed(sql), sql).toBe(true);
    }
    for (const sql of ['CREATE STREAM s ON TABLE t', 'CREATE TASK k AS BEGIN CREATE TABLE x (a int); END', 'INSERT INTO t VALUES (1)', 'ALTER TASK k RESUME', 'CREATE VIEW v AS SELECT 1', 'CREATE OR REPLACE PROCEDURE p() RETURNS INT LANGUAGE SQL AS $$ select 1 $$']) {
      expect(needed(sql), sql).toBe(false);
    }
  });
});

describe('copyTarget', () => {
  const pipe = { database: 'DB', schema: 'SCH', name: 'P' };
  it('resolves the COPY target where the pipe lives', () => {
    expect(copyTarget('COPY INTO raw FROM @st', pipe)).toEqual({ database: 'DB', schema: 'SCH', name: 'RAW' });
    expect(copyTarget('copy into other.t (a, b) from (select $1, $2 from @st)', pipe)).toEqual({ database: 'DB', schema: 'OTHER', name: 'T' });
    expect(copyTarget('COPY INTO x.y."Mixed" FROM @st', pipe)).toEqual({ database: 'X', schema: 'Y', name: 'Mixed' });
    expect(copyTarget('SELECT 1', pipe)).toBeUndefined();
  });
});
