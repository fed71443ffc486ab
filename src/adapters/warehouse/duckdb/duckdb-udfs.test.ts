import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from './duckdb-expressions.test-helper.js';
import { uuidV5 } from './duckdb-udfs.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});

describe('floe UDFs', () => {
  it('computes version 5 UUIDs (Snowflake docs and RFC 4122 DNS example)', () => {
    expect(uuidV5('fe971b24-9572-4005-b22f-351e9c09274d', 'foo')).toBe('dc0b6f65-fca6-5b4b-9d37-ccc3fde1f3e2');
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(() => uuidV5('nope', 'x')).toThrow(/Invalid UUID string/);
  });

  it('hashes with SHA-2 of each size and passes NULL through', async () => {
    const row = await db.texts("select sha2('abc', 224), sha2('abc', 384), sha2(null, 512), sha2_binary('abc', 512)");
    expect(row[0]).toBe('23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7');
    expect(row[1]).toBe('cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7');
    expect(row[2]).toBeNull();
    expect(row[3]?.startsWith('\\xDD\\xAF5\\xA1')).toBe(true);
  });
});
