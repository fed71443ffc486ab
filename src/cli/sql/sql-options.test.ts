import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FloeError } from '../../core/errors.js';
import { inputName, resolveDatabase, validateSqlOptions, type SqlOptions } from './sql-options.js';

const base: SqlOptions = { inputs: [], format: 'table', continueOnError: false };
const env = { cwd: '/srv/proj', homedir: '/home/u' };

describe('resolveDatabase', () => {
  it('uses the current folder as the project by default', () => {
    expect(resolveDatabase(base, env)).toEqual({
      database: '/srv/proj/.floe/warehouse.duckdb',
      stateDir: '/srv/proj/.floe',
      projectDir: '/srv/proj',
      historyFile: '/srv/proj/.floe/sql_history',
    });
  });

  it('resolves --project relative to the current folder', () => {
    expect(resolveDatabase({ ...base, project: '../other' }, env).database).toBe(path.resolve('/srv/other/.floe/warehouse.duckdb'));
  });

  it('opens --db directly, with history in the home folder', () => {
    expect(resolveDatabase({ ...base, db: 'data/w.duckdb' }, env)).toEqual({
      database: '/srv/proj/data/w.duckdb',
      historyFile: '/home/u/.floe_history',
    });
    expect(resolveDatabase({ ...base, db: ':memory:' }, env).database).toBe(':memory:');
  });
});

describe('validateSqlOptions', () => {
  const configError = (options: SqlOptions): FloeError => {
    try {
      validateSqlOptions(options);
    } catch (error) {
      return error as FloeError;
    }
    throw new Error('expected a usage error');
  };

  it('rejects --project with --db', () => {
    const error = configError({ ...base, project: 'p', db: 'x.duckdb' });
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/--project and --db/);
  });

  it('rejects reading stdin twice and an empty --db', () => {
    const stdin = { kind: 'file', path: '-' } as const;
    expect(configError({ ...base, inputs: [stdin, stdin] }).message).toMatch(/only once/);
    expect(configError({ ...base, db: '' }).message).toMatch(/--db/);
  });

  it('names inputs for error locations', () => {
    expect(inputName({ kind: 'query', sql: 'x' })).toBeUndefined();
    expect(inputName({ kind: 'file', path: '-' })).toBe('<stdin>');
    expect(inputName({ kind: 'file', path: 'a.sql' })).toBe('a.sql');
  });
});
